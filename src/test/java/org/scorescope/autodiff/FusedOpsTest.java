package org.scorescope.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The fused ops (dense layer, affine map, activation derivatives, forward-Laplacian layers) against
 * the composite ops they replace: values and first derivatives through the fast paths, and every
 * higher-order mode (createGraph reverse-over-reverse, forward-over-reverse, reverse-over-forward)
 * through the differentiable fallbacks, to 1e-12 relative; plus finite-difference checks to order 3.
 */
class FusedOpsTest {
    private static final int B = 6;
    private static final int IN = 3;
    private static final int OUT = 5;

    static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toArray();
        double[] a = actual.toArray();
        double scale = 0;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs(e[i] - a[i]) / Math.max(1e-300, Math.max(Math.abs(e[i]), 1e-3 * scale));
            assertTrue(err <= tol, what + ": entry " + i + " expected " + e[i] + " got " + a[i] + " rel " + err);
        }
    }

    /** φ(x·Wᵀ + b) from the elementwise composite primitives (the reference). */
    static Tensor compositeDense(Tensor x, Tensor w, Tensor b, Activation a) {
        Tensor z = Ops.add(Ops.matmul(x, w, false, true), b);
        return a == Activation.IDENTITY ? z : a.compositeDerivatives(z)[0];
    }

    private static List<Tensor> params(long seed) {
        Random r = new Random(seed);
        return List.of(Tensor.randn(r, B, IN).requiresGrad(), Tensor.randn(r, OUT, IN).requiresGrad(),
                Tensor.randn(r, OUT).requiresGrad());
    }

    @Test
    void denseMatchesCompositeInValueGradientAndEveryHigherMode() {
        for (Activation a : Activation.values()) {
            List<Tensor> p = params(7);
            Function<List<Tensor>, Tensor> fused = q -> Ops.dense(q.get(0), q.get(1), q.get(2), a);
            Function<List<Tensor>, Tensor> ref = q -> compositeDense(q.get(0), q.get(1), q.get(2), a);
            Tensor seed = Tensor.randn(8, B, OUT);
            assertClose(ref.apply(p), fused.apply(p), 1e-14, a + " value");
            // First order, plain backward (the fast vjp).
            List<Tensor> gf = Grad.grad(List.of(fused.apply(p)), p, List.of(seed), false);
            List<Tensor> gr = Grad.grad(List.of(ref.apply(p)), p, List.of(seed), false);
            for (int i = 0; i < 3; i++) {
                assertClose(gr.get(i), gf.get(i), 1e-13, a + " gradient " + i);
            }
            // Reverse-over-reverse: the createGraph backward recorded, then differentiated again.
            Tensor hf = secondOrder(fused, p, seed);
            Tensor hr = secondOrder(ref, p, seed);
            assertClose(hr, hf, 1e-12, a + " reverse-over-reverse");
            // Forward-over-reverse (HVP in W) and reverse-over-forward (gradient of a jvp).
            Tensor v = Tensor.randn(9, OUT, IN);
            assertClose(hvpW(ref, p, seed, v), hvpW(fused, p, seed, v), 1e-12, a + " forward-over-reverse");
            assertClose(gradOfJvp(ref, p), gradOfJvp(fused, p), 1e-12, a + " reverse-over-forward");
            assertClose(slicedLike(ref, p), slicedLike(fused, p), 1e-12, a + " θ-gradient of forward-over-reverse");
        }
    }

    /** ∇_W ‖∇_x ⟨seed, f⟩‖²: needs the createGraph (slow) vjp of f and a second reverse pass. */
    private static Tensor secondOrder(Function<List<Tensor>, Tensor> f, List<Tensor> p, Tensor seed) {
        Tensor gx = Grad.grad(List.of(f.apply(p)), List.of(p.get(0)), List.of(seed), true).get(0);
        return Grad.grad(Ops.sum(Ops.square(gx)), p.get(1)).get(0);
    }

    /** H_W·v of ⟨seed, f⟩ by a jvp over the gradient in W. */
    private static Tensor hvpW(Function<List<Tensor>, Tensor> f, List<Tensor> p, Tensor seed, Tensor v) {
        return Grad.hvp(w -> Ops.sum(Ops.mul(seed, f.apply(List.of(p.get(0), w, p.get(2))))), p.get(1).detach(), v);
    }

    /**
     * Sliced score matching on an energy's shape: ∇_W Σ (∇ₓ⟨1, f⟩ differentiated along t), i.e. a jvp
     * over x of a createGraph input gradient, then a reverse pass in W through both.
     */
    private static Tensor slicedLike(Function<List<Tensor>, Tensor> f, List<Tensor> p) {
        Tensor t = Tensor.randn(12, 1, B, IN);
        Grad.Jvp r = Grad.jvp(xd -> Grad.enableGrad(() -> {
            Tensor xv = xd.requiresGrad();
            Tensor e = Ops.sum(Ops.square(f.apply(List.of(xv, p.get(1), p.get(2)))));
            return Grad.grad(List.of(e), List.of(xv), null, true).get(0);
        }), p.get(0).detach(), t);
        Tensor loss = Ops.add(Ops.sum(Ops.mul(r.tangent(), t)), Ops.sum(Ops.square(r.primal())));
        return Grad.grad(loss, p.get(1)).get(0);
    }

    /** ∇_b Σ (J_x·t)² with batched, compressed tangents t of shape (2, 1, IN). */
    private static Tensor gradOfJvp(Function<List<Tensor>, Tensor> f, List<Tensor> p) {
        Tensor t = Tensor.randn(10, 2, 1, IN);
        Tensor tan = Grad.jvp(x -> f.apply(List.of(x, p.get(1), p.get(2))), p.get(0).detach(), t).tangent();
        return Grad.grad(Ops.sum(Ops.square(tan)), p.get(2)).get(0);
    }

    @Test
    void denseAndLinearPassFiniteDifferenceChecksToOrderThree() {
        Tensor x = Tensor.randn(21, B, IN);
        Tensor w = Tensor.randn(22, OUT, IN);
        Tensor b = Tensor.randn(23, OUT);
        for (GradCheck.Mode mode : GradCheck.Mode.values()) {
            double e1 = GradCheck.check(q -> Ops.dense(q.get(0), q.get(1), q.get(2), Activation.SOFTPLUS),
                    List.of(x, w, b), 3, mode, 2, 5);
            assertTrue(e1 < 1e-5, "dense softplus, " + mode + ": " + e1);
            double e2 = GradCheck.check(q -> Ops.dense(q.get(0), q.get(1), q.get(2), Activation.TANH),
                    List.of(x, w, b), 2, mode, 2, 6);
            assertTrue(e2 < 1e-6, "dense tanh, " + mode + ": " + e2);
            double e3 = GradCheck.check(q -> Ops.square(Ops.linear(q.get(0), q.get(1), q.get(2))),
                    List.of(x, w, b), 2, mode, 2, 7);
            assertTrue(e3 < 1e-6, "linear, " + mode + ": " + e3);
        }
    }

    @Test
    void activationDerivativesOfAllOrdersMatchComposite() {
        Tensor z = Tensor.randn(31, 4, 7).mul(2.5);
        Tensor ones = Tensor.ones(4, 7);
        for (Activation a : Activation.values()) {
            if (a == Activation.IDENTITY) {
                continue;
            }
            Tensor c2 = a.compositeDerivatives(z)[2];
            Tensor c3 = Grad.jvp(q -> a.compositeDerivatives(q)[2], z, ones).tangent();
            assertClose(c2, Fused.derivative(a, z, 2), 1e-13, a + " φ''");
            assertClose(c3, Fused.derivative(a, z, 3), 1e-12, a + " φ'''");
            // Fourth order: the jvp of the fused φ''' (composite fallback) against FD of φ'''.
            Tensor d4 = Grad.jvp(q -> Fused.derivative(a, q, 3), z, ones).tangent();
            double h = 1e-5;
            Tensor fd = Fused.derivative(a, z.add(h), 3).sub(Fused.derivative(a, z.sub(h), 3)).div(2 * h);
            double[] e = fd.toArray();
            double[] g = d4.toArray();
            for (int i = 0; i < e.length; i++) {
                assertTrue(Math.abs(e[i] - g[i]) <= 1e-5 * Math.max(1, Math.abs(e[i])), a + " φ'''' entry " + i);
            }
        }
    }

    @Test
    void mlpOnDualInputsMatchesCompositeTangentsAndTheirGradients() {
        Random r = new Random(51);
        int[] widths = {IN, 7, 6, 2};
        List<Tensor> w = new ArrayList<>();
        List<Tensor> b = new ArrayList<>();
        for (int l = 0; l < 3; l++) {
            w.add(Tensor.randn(r, widths[l + 1], widths[l]).mul(0.8).requiresGrad());
            b.add(Tensor.randn(r, widths[l + 1]).requiresGrad());
        }
        List<Tensor> theta = new ArrayList<>(w);
        theta.addAll(b);
        Tensor x = Tensor.randn(r, B, IN);
        for (Activation a : new Activation[] {Activation.SOFTPLUS, Activation.TANH, Activation.GELU}) {
            List<Activation> acts = List.of(a, a, Activation.IDENTITY);
            Function<Tensor, Tensor> fused = z -> Ops.mlp(z, w, b, acts);
            Function<Tensor, Tensor> ref = z -> {
                Tensor h = z;
                for (int l = 0; l < 3; l++) {
                    h = compositeDense(h, w.get(l), b.get(l), acts.get(l));
                }
                return h;
            };
            // Tangents: compressed row basis (as the exact divergence uses), per-sample batch, unbatched.
            for (Tensor t : List.of(Grad.rowBasis(B, IN), Tensor.randn(r, 2, B, IN), Tensor.randn(r, B, IN))) {
                Grad.Jvp jf = Grad.jvp(fused, x, t);
                Grad.Jvp jr = Grad.jvp(ref, x, t);
                assertClose(jr.primal(), jf.primal(), 1e-13, a + " primal");
                assertClose(jr.tangent(), jf.tangent(), 1e-13, a + " tangent");
                Function<Grad.Jvp, Tensor> loss = j -> Ops.add(Ops.sum(Ops.square(j.tangent())),
                        Ops.sum(Ops.mul(j.primal(), j.primal())));
                List<Tensor> gf = Grad.grad(List.of(loss.apply(Grad.jvp(fused, x, t))), theta, null, false);
                List<Tensor> gr = Grad.grad(List.of(loss.apply(Grad.jvp(ref, x, t))), theta, null, false);
                for (int i = 0; i < theta.size(); i++) {
                    assertClose(gr.get(i), gf.get(i), 1e-12, a + " θ-gradient " + i);
                }
            }
            // A reverse pass in θ taken inside the jvp reaches the dual-level node (mixed partials ∂²/∂θ∂x).
            Tensor t = Tensor.randn(r, B, IN);
            Function<Function<Tensor, Tensor>, Tensor> mixed = f -> Grad.jvp(z -> Grad.grad(
                    List.of(Ops.sum(Ops.square(f.apply(z)))), List.of(w.get(1)), null, false).get(0), x, t).tangent();
            assertClose(mixed.apply(ref), mixed.apply(fused), 1e-12, a + " mixed partial");
        }
    }

    @Test
    void fieldAndDivergenceEqualsSeparateCalls() {
        Random r = new Random(61);
        Tensor w1 = Tensor.randn(r, 7, IN);
        Tensor b1 = Tensor.randn(r, 7);
        Tensor w2 = Tensor.randn(r, IN, 7);
        Tensor b2 = Tensor.randn(r, IN);
        Function<Tensor, Tensor> f = z -> Ops.mlp(z, List.of(w1, w2), List.of(b1, b2),
                List.of(Activation.SOFTPLUS, Activation.IDENTITY));
        Tensor x = Tensor.randn(r, B, IN);
        ScoreOps.FieldAndDivergence fd = ScoreOps.fieldAndDivergence(f, x);
        assertClose(f.apply(x), fd.field(), 1e-14, "field");
        assertClose(ScoreOps.naiveDivergence(f, x), fd.divergence(), 1e-12, "divergence");
    }

    /** The jet of a D-H-H-1 MLP by the composite LaplacianJet rules. */
    private static LaplacianJet compositeJet(Tensor x, List<Tensor> w, List<Tensor> b, List<Activation> acts) {
        LaplacianJet j = LaplacianJet.input(x);
        for (int l = 0; l < w.size(); l++) {
            j = j.affine(w.get(l), b.get(l)).activate(acts.get(l));
        }
        return j;
    }

    /** Tracked weights W (×0.7) and biases of a d-h-h-1 energy network, drawn from r layer by layer. */
    private static void randomEnergyLayers(Random r, int d, int h, List<Tensor> w, List<Tensor> b) {
        int[] widths = {d, h, h, 1};
        for (int l = 0; l < 3; l++) {
            w.add(Tensor.randn(r, widths[l + 1], widths[l]).mul(0.7).requiresGrad());
            b.add(Tensor.randn(r, widths[l + 1]).requiresGrad());
        }
    }

    @Test
    void fusedForwardLaplacianMatchesCompositeAndItsDerivatives() {
        int d = 3;
        int h = 7;
        Random r = new Random(41);
        Tensor x = Tensor.randn(r, B, d);
        List<Tensor> w = new ArrayList<>();
        List<Tensor> b = new ArrayList<>();
        randomEnergyLayers(r, d, h, w, b);
        for (Activation a : new Activation[] {Activation.SOFTPLUS, Activation.TANH, Activation.GELU, Activation.SILU,
            Activation.ELU, Activation.SIGMOID}) {
            List<Activation> acts = List.of(a, a, Activation.IDENTITY);
            LaplacianJet fj = LaplacianJet.mlp(x, w, b, acts);
            LaplacianJet cj = compositeJet(x, w, b, acts);
            assertClose(cj.value(), fj.value(), 1e-13, a + " value");
            assertClose(cj.gradient(), fj.gradient(), 1e-13, a + " ∇E");
            assertClose(cj.laplacianScalar(), fj.laplacianScalar(), 1e-12, a + " ΔE");
            // The exact score-matching loss and its θ-gradient (fast reverse pass vs composite).
            List<Tensor> theta = new ArrayList<>(w);
            theta.addAll(b);
            Function<LaplacianJet, Tensor> loss = j -> Ops.mean(Ops.add(Ops.neg(j.laplacianScalar()),
                    Ops.mulScalar(Ops.sum(Ops.square(j.gradient()), -1, false), 0.5)));
            List<Tensor> gf = Grad.grad(List.of(loss.apply(LaplacianJet.mlp(x, w, b, acts))), theta, null, false);
            List<Tensor> gc = Grad.grad(List.of(loss.apply(compositeJet(x, w, b, acts))), theta, null, false);
            for (int i = 0; i < theta.size(); i++) {
                assertClose(gc.get(i), gf.get(i), 1e-12, a + " θ-gradient " + i);
            }
            // Reverse-over-reverse through the fused ops' recomputing fallback.
            List<Tensor> g2f = Grad.grad(List.of(loss.apply(LaplacianJet.mlp(x, w, b, acts))), theta, null, true);
            List<Tensor> g2c = Grad.grad(List.of(loss.apply(compositeJet(x, w, b, acts))), theta, null, true);
            Tensor sf = Ops.sum(Ops.square(g2f.get(1)));
            Tensor sc = Ops.sum(Ops.square(g2c.get(1)));
            assertClose(Grad.grad(sc, w.get(0)).get(0), Grad.grad(sf, w.get(0)).get(0), 1e-11, a + " second order");
            // Gradient w.r.t. x too (the fused first layer's input cotangent).
            Tensor xv = x.requiresGrad();
            Tensor gxf = Grad.grad(loss.apply(LaplacianJet.mlp(xv, w, b, acts)), xv).get(0);
            Tensor gxc = Grad.grad(loss.apply(compositeJet(xv, w, b, acts)), xv).get(0);
            assertClose(gxc, gxf, 1e-12, a + " x-gradient");
        }
    }

    @Test
    void fusedJetAlongDirectionsWithGradientStreamsMatchesComposite() {
        int d = 3;
        int h = 7;
        int k = 2;
        Random r = new Random(43);
        Tensor x = Tensor.randn(r, B, d);
        Tensor v = Tensor.randn(r, k, B, d);
        List<Tensor> w = new ArrayList<>();
        List<Tensor> b = new ArrayList<>();
        randomEnergyLayers(r, d, h, w, b);
        List<Tensor> theta = new ArrayList<>(w);
        theta.addAll(b);
        for (Activation a : new Activation[] {Activation.SOFTPLUS, Activation.TANH, Activation.SILU}) {
            List<Activation> acts = List.of(a, a, Activation.IDENTITY);
            for (boolean withGradient : new boolean[] {false, true}) {
                LaplacianJet fj = LaplacianJet.mlpAlong(x, v, withGradient, w, b, acts);
                LaplacianJet cj = withGradient ? LaplacianJet.inputWithGradient(x, v) : LaplacianJet.input(x, v);
                for (int l = 0; l < 3; l++) {
                    cj = cj.affine(w.get(l), b.get(l)).activate(acts.get(l));
                }
                String what = a + (withGradient ? " with gradient" : " along v");
                assertClose(cj.value(), fj.value(), 1e-13, what + " value");
                assertClose(cj.jacobian(), fj.jacobian(), 1e-13, what + " tangents");
                assertClose(cj.laplacian(), fj.laplacian(), 1e-12, what + " Σ_k ∂²_v");
                Function<LaplacianJet, Tensor> loss = j -> Ops.add(Ops.mean(j.laplacian()),
                        Ops.mulScalar(Ops.mean(Ops.square(j.jacobian())), 0.5));
                List<Tensor> gf = Grad.grad(List.of(loss.apply(fj)), theta, null, false);
                List<Tensor> gc = Grad.grad(List.of(loss.apply(cj)), theta, null, false);
                for (int i = 0; i < theta.size(); i++) {
                    assertClose(gc.get(i), gf.get(i), 1e-12, what + " θ-gradient " + i);
                }
            }
            // The gradient streams are first-order only: the second-order part is the one along v alone, and the
            // gradient slices are the exact jet's ∇E.
            LaplacianJet both = LaplacianJet.mlpAlong(x, v, true, w, b, acts);
            LaplacianJet along = LaplacianJet.mlpAlong(x, v, w, b, acts);
            assertClose(along.laplacian(), both.laplacian(), 1e-13, a + " second order along v only");
            Tensor grad = Ops.transpose(Ops.reshape(Ops.slice(Ops.reshape(both.jacobian(), 1, (k + d) * B),
                    k * B, (k + d) * B), d, B));
            assertClose(LaplacianJet.mlp(x, w, b, acts).gradient(), grad, 1e-13, a + " ∇E streams");
        }
    }
}
