package org.scorescope.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fast trace operators against the nested-reverse references, including their θ-gradients
 * (third-order mixed derivatives for energies) and parameter HVPs.
 */
class ScoreOpsTest {
    private static final int D = 3;
    private static final int H = 5;
    private static final int B = 4;

    /** θ = [W1 (H,D), b1 (H), W2 (H,H), b2 (H), W3 (1,H), b3 (1)] as leaves requiring grad. */
    static List<Tensor> params(long seed) {
        Random r = new Random(seed);
        List<Tensor> p = new ArrayList<>();
        p.add(Tensor.randn(r, H, D).mul(0.8).requiresGrad());
        p.add(Tensor.randn(r, H).mul(0.3).requiresGrad());
        p.add(Tensor.randn(r, H, H).mul(0.5).requiresGrad());
        p.add(Tensor.randn(r, H).mul(0.3).requiresGrad());
        p.add(Tensor.randn(r, 1, H).requiresGrad());
        p.add(Tensor.randn(r, 1).requiresGrad());
        return p;
    }

    /** Energy MLP E(x) = W3·φ(W2·φ(W1·x + b1) + b2) + b3, output (B, 1). */
    static Tensor energy(Tensor x, List<Tensor> p, Activation a) {
        Tensor h = a.apply(Ops.linear(x, p.get(0), p.get(1)));
        h = a.apply(Ops.linear(h, p.get(2), p.get(3)));
        return Ops.linear(h, p.get(4), p.get(5));
    }

    static LaplacianJet jet(Tensor x, List<Tensor> p, Activation a) {
        return LaplacianJet.input(x).affine(p.get(0), p.get(1)).activate(a)
                .affine(p.get(2), p.get(3)).activate(a).affine(p.get(4), p.get(5));
    }

    /** A non-gradient per-sample field (B, D) → (B, D). */
    static Tensor field(Tensor x, List<Tensor> p) {
        Tensor h = Ops.linear(x, p.get(0), p.get(1)).tanh();
        return Ops.linear(h, p.get(0).transpose(), null).mul(x.sigmoid());
    }

    static void assertRel(Tensor expected, Tensor actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toArray();
        double[] a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs(e[i] - a[i]) / Math.max(1e-12, Math.abs(e[i]));
            assertTrue(err <= tol, what + ": entry " + i + " expected " + e[i] + " got " + a[i] + " rel " + err);
        }
    }

    private static Tensor x() {
        return Tensor.randn(99, B, D);
    }

    @Test
    void divergenceOfGeneralFieldMatchesNestedReverseIncludingThetaGradient() {
        List<Tensor> p = params(1);
        Tensor x = x();
        Function<Tensor, Tensor> f = z -> field(z, p);
        Tensor fast = ScoreOps.divergence(f, x);
        Tensor ref = ScoreOps.naiveDivergence(f, x);
        assertRel(ref, fast, 1e-10, "divergence");
        List<Tensor> gFast = Grad.grad(fast.sum(), p.get(0), p.get(1));
        List<Tensor> gRef = Grad.grad(ref.sum(), p.get(0), p.get(1));
        for (int i = 0; i < 2; i++) {
            assertRel(gRef.get(i), gFast.get(i), 1e-10, "θ-gradient " + i);
        }
        // and against the trace of the per-sample Jacobians
        Tensor jb = Grad.batchJacobian(f, x);
        for (int b = 0; b < B; b++) {
            double tr = 0;
            for (int d = 0; d < D; d++) {
                tr += jb.get(b, d, d);
            }
            assertEquals(tr, fast.get(b), 1e-12 * Math.max(1, Math.abs(tr)));
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void forwardLaplacianMatchesNestedReverse(Activation a) {
        List<Tensor> p = params(2);
        Tensor x = x();
        LaplacianJet j = jet(x, p, a);
        Function<Tensor, Tensor> e = z -> energy(z, p, a);
        assertRel(e.apply(x), j.value(), 1e-13, a + " value");
        assertRel(ScoreOps.inputGradient(e, x), j.gradient(), 1e-12, a + " gradient");
        Tensor ref = ScoreOps.naiveLaplacian(e, x);
        Tensor fast = j.laplacianScalar();
        if (a == Activation.IDENTITY) {
            assertRel(Tensor.zeros(B), fast, 0, "identity Laplacian");
            assertRel(Tensor.zeros(B), ref, 0, "identity Laplacian (ref)");
            return;
        }
        assertRel(ref, fast, 1e-10, a + " Laplacian");
        assertRel(ref, ScoreOps.laplacian(e, x), 1e-10, a + " Laplacian forward-over-reverse");
        // θ-gradient of Σ_b ΔE(x_b): reverse over the jet vs reverse over nested reverse (3rd order mixed)
        List<Tensor> gFast = Grad.grad(List.of(fast.sum()), p, null, false);
        List<Tensor> gRef = Grad.grad(List.of(ref.sum()), p, null, false);
        for (int i = 0; i < p.size(); i++) {
            if (i == 5) {
                assertRel(Tensor.zeros(1), gFast.get(i), 0, "b3 does not affect ΔE");
                continue;
            }
            assertRel(gRef.get(i), gFast.get(i), 1e-10, a + " dΔE/dθ[" + i + "]");
        }
    }

    @Test
    void divergenceOfScoreMatchesNaiveWithThetaGradients() {
        // s = −∇ₓE: forward-over-reverse divergence (forward tangents) vs nested reverse vs the jet.
        List<Tensor> p = params(3);
        Tensor x = x();
        Activation a = Activation.SOFTPLUS;
        Function<Tensor, Tensor> s = z -> ScoreOps.inputGradient(w -> energy(w, p, a), z).neg();
        Tensor fwd = ScoreOps.divergence(s, x);
        Tensor naive = ScoreOps.naiveDivergence(s, x);
        Tensor jetDiv = jet(x, p, a).laplacianScalar().neg();
        assertRel(naive, fwd, 1e-10, "div s forward-over-reverse");
        assertRel(naive, jetDiv, 1e-10, "div s = −ΔE by jet");
        List<Tensor> g1 = Grad.grad(List.of(fwd.sum()), p, null, false);
        List<Tensor> g2 = Grad.grad(List.of(naive.sum()), p, null, false);
        List<Tensor> g3 = Grad.grad(List.of(jetDiv.sum()), p, null, false);
        for (int i = 0; i < 5; i++) {
            assertRel(g2.get(i), g1.get(i), 1e-10, "θ-grad forward tangents [" + i + "]");
            assertRel(g2.get(i), g3.get(i), 1e-10, "θ-grad jet [" + i + "]");
        }
    }

    @Test
    void thirdOrderMixedByForwardOverThetaAgreesWithReverse() {
        // ⟨∇_θ ΔE, u⟩ by reverse over the jet equals the θ-jvp of ΔE (forward over the jet), and both
        // match a Richardson finite difference in θ.
        List<Tensor> p = params(4);
        Tensor x = x();
        Activation a = Activation.GELU;
        Random r = new Random(5);
        List<Tensor> u = new ArrayList<>();
        for (Tensor t : p) {
            u.add(Tensor.randn(r, t.shape()));
        }
        Function<List<Tensor>, Tensor> lapSum = q -> jet(x, q, a).laplacianScalar().sum();
        List<Tensor> g = Grad.grad(List.of(lapSum.apply(p)), p, null, false);
        double rev = 0;
        for (int i = 0; i < p.size(); i++) {
            rev += g.get(i).mul(u.get(i)).sum().item();
        }
        double fwd = Grad.jvpMulti(lapSum, p, u).tangent().item();
        assertEquals(rev, fwd, 1e-11 * Math.max(1, Math.abs(rev)));
        double err = GradCheck.check(lapSum, p, 1, GradCheck.Mode.REVERSE, 2, 6);
        assertTrue(err < 1e-8, "FD check of dΔE/dθ: " + err);
        double err2 = GradCheck.check(q -> ScoreOps.naiveLaplacian(z -> energy(z, q, a), x).sum(), p, 1,
                GradCheck.Mode.FORWARD, 1, 6);
        assertTrue(err2 < 1e-8, "FD check of dΔE/dθ (naive, forward over θ): " + err2);
    }

    /** Score-matching loss with s = −∇E: mean_b(−ΔE + ½‖∇E‖²), via the jet. */
    static Tensor loss(Tensor x, List<Tensor> p, Activation a) {
        LaplacianJet j = jet(x, p, a);
        return j.laplacianScalar().neg().add(j.gradient().square().sum(-1, false).mul(0.5)).mean();
    }

    @Test
    void parameterHvpOfScoreMatchingLoss() {
        List<Tensor> p = params(6);
        Tensor x = x();
        Activation a = Activation.TANH;
        Random r = new Random(8);
        List<Tensor> v = new ArrayList<>();
        for (Tensor t : p) {
            v.add(Tensor.randn(r, t.shape()));
        }
        // θ ↦ ⟨∇_θ loss, w⟩ flattened; its jvp along v is wᵀ H v, checked against FD of the gradient.
        Function<List<Tensor>, Tensor> gradFlat = q -> {
            List<Tensor> leaves = new ArrayList<>();
            for (Tensor t : q) {
                leaves.add(t.requiresGrad());
            }
            List<Tensor> g = Grad.grad(List.of(loss(x, leaves, a)), leaves, null, true);
            List<Tensor> flat = new ArrayList<>();
            for (Tensor t : g) {
                flat.add(t.reshape(1, -1));
            }
            return Ops.concat(flat).reshape(-1);
        };
        Tensor hv = Grad.jvpMulti(gradFlat, p, v).tangent();
        double h = 1e-4;
        Tensor plus = gradFlat.apply(shift(p, v, h));
        Tensor minus = gradFlat.apply(shift(p, v, -h));
        Tensor plus2 = gradFlat.apply(shift(p, v, h / 2));
        Tensor minus2 = gradFlat.apply(shift(p, v, -h / 2));
        Tensor d1 = plus.sub(minus).mul(1 / (2 * h));
        Tensor d2 = plus2.sub(minus2).mul(1 / h);
        Tensor fd = d2.mul(4).sub(d1).mul(1.0 / 3);
        double scale = 0;
        for (double e : fd.toArray()) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < fd.size(); i++) {
            assertEquals(fd.get(i), hv.get(i), 1e-8 * scale, "HVP entry " + i);
        }
    }

    @Test
    void parameterHvpThroughForwardTangentDivergence() {
        // θ ↦ Σ_b div s_θ(x_b) with s = −∇ₓE computed by forward-over-reverse (jvp level over x inside);
        // its θ-HVP by forward-over-reverse over θ (an outer jvp level) and by reverse-over-reverse,
        // both against finite differences of the θ-gradient: fourth-order mixed derivatives of E.
        List<Tensor> p = params(11);
        Tensor x = x();
        Activation a = Activation.SOFTPLUS;
        Function<List<Tensor>, Tensor> divSum = q -> ScoreOps.divergence(
                z -> ScoreOps.inputGradient(w -> energy(w, q, a), z).neg(), x).sum();
        double mixed = GradCheck.check(divSum, p, 2, GradCheck.Mode.MIXED, 1, 12);
        assertTrue(mixed < 1e-8, "θ-HVP forward-over-reverse vs FD: " + mixed);
        double reverse = GradCheck.check(divSum, p, 2, GradCheck.Mode.REVERSE, 1, 13);
        assertTrue(reverse < 1e-8, "θ-HVP reverse-over-reverse vs FD: " + reverse);
    }

    private static List<Tensor> shift(List<Tensor> p, List<Tensor> v, double h) {
        List<Tensor> r = new ArrayList<>();
        for (int i = 0; i < p.size(); i++) {
            r.add(p.get(i).detach().add(v.get(i).mul(h)));
        }
        return r;
    }

    @Test
    void batchHessianTraceIsTheLaplacian() {
        List<Tensor> p = params(9);
        Tensor x = x();
        Tensor hb = Grad.batchHessian(z -> energy(z, p, Activation.SILU), x);
        Tensor lap = jet(x, p, Activation.SILU).laplacianScalar();
        for (int b = 0; b < B; b++) {
            double tr = 0;
            for (int d = 0; d < D; d++) {
                tr += hb.get(b, d, d);
            }
            assertEquals(tr, lap.get(b), 1e-12 * Math.max(1, Math.abs(tr)));
        }
    }

    @Test
    void hutchinsonIsExactForDiagonalJacobiansAndUnbiased() {
        Tensor a = Tensor.randn(12, D);
        Function<Tensor, Tensor> diag = z -> z.tanh().mul(a);
        Tensor x = x();
        Tensor exact = ScoreOps.divergence(diag, x);
        // Rademacher: vᵀJv = Σ v_i² J_ii = tr J exactly when J is diagonal, for any number of probes.
        assertRel(exact, ScoreOps.hutchinson(diag, x, 1, Probe.RADEMACHER, 3L), 1e-13, "Rademacher exact");
        // Gaussian, non-diagonal field: the mean over n probes is within 5 standard errors of the trace.
        List<Tensor> p = params(10);
        Function<Tensor, Tensor> f = z -> field(z, p);
        Tensor tr = ScoreOps.divergence(f, x);
        int n = 4000;
        Tensor est = Grad.noGrad(() -> ScoreOps.hutchinson(f, x, n, Probe.GAUSSIAN, 4L));
        Tensor jb = Grad.batchJacobian(f, x);
        for (int b = 0; b < B; b++) {
            // Var[vᵀJv] for Gaussian v = ‖J‖_F² + tr(J²) = ½‖J + Jᵀ‖_F².
            double var = 0;
            for (int i = 0; i < D; i++) {
                for (int k = 0; k < D; k++) {
                    double sym = jb.get(b, i, k) + jb.get(b, k, i);
                    var += 0.5 * sym * sym;
                }
            }
            double se = Math.sqrt(var / n);
            assertEquals(tr.get(b), est.get(b), 5 * se + 1e-12, "sample " + b);
        }
        // seeded: reproducible
        assertRel(ScoreOps.hutchinson(f, x, 2, Probe.GAUSSIAN, 7L), ScoreOps.hutchinson(f, x, 2, Probe.GAUSSIAN, 7L),
                0, "seeded");
        // differentiable w.r.t. θ: reverse pass vs FD
        double err = GradCheck.check(q -> ScoreOps.hutchinson(z -> field(z, q), x, 2, Probe.RADEMACHER, 5L),
                List.of(p.get(0), p.get(1)), 1, GradCheck.Mode.REVERSE, 1, 3);
        assertTrue(err < 1e-8, "hutchinson θ-gradient FD: " + err);
    }

    @Test
    void activationDerivativesAreConsistentAndNamed() {
        Tensor z = Tensor.randn(13, 3, 4).mul(2);
        for (Activation a : Activation.values()) {
            assertEquals(a, Activation.fromJson(a.jsonName()));
            double e1 = GradCheck.duality(q -> a.apply(q.get(0)), List.of(z), 2, 1);
            assertTrue(e1 < 1e-12);
            // d1 and d2 equal autodiff derivatives of apply (elementwise, so the diagonal Jacobian)
            Tensor ones = Tensor.ones(3, 4);
            Tensor d1 = Grad.jvp(a::apply, z, ones).tangent();
            Tensor d2 = Grad.jvp(q -> Grad.jvp(a::apply, q, ones).tangent(), z, ones).tangent();
            assertRel(d1, a.d1(z), 1e-14, a + " d1");
            assertRel(d2, a.d2(z), 1e-13, a + " d2");
            Tensor[] all = a.applyWithDerivatives(z);
            assertRel(a.apply(z), all[0], 0, a + " value");
        }
        assertEquals(Activation.SOFTPLUS, Activation.fromJson(" SoftPlus "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.fromJson("relu"));
        assertTrue(e.getMessage().contains("relu") && e.getMessage().contains("softplus"));
    }
}
