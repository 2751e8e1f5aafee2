package org.scorescope.autodiff;

import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Trace operators for score matching on a batch x of shape (B, D) and a per-sample vector field
 * f: (B, D) → (B, D) (row b of the output depends only on row b of x). All results are built from
 * differentiable ops: one reverse pass gives their θ-gradient, a jvp over θ gives parameter HVPs.
 * Like the other functional transforms, results record a graph only when grad mode is on.
 */
public final class ScoreOps {
    private ScoreOps() {
    }

    private static int[] requireBatch(Tensor x, String what) {
        if (x.shape.length != 2) {
            throw new IllegalArgumentException(what + ": x must have shape (B, D), got " + Shapes.str(x.shape));
        }
        return x.shape;
    }

    private static void requireField(Tensor y, Tensor x, String what) {
        if (!java.util.Arrays.equals(y.shape, x.shape)) {
            throw new IllegalArgumentException(what + ": f must map (B, D) to (B, D); input " + Shapes.str(x.shape)
                    + ", output " + Shapes.str(y.shape));
        }
    }

    /**
     * Exact divergence div f(x_b) = tr(∂f/∂x)(x_b) = Σ_d ∂f_d/∂x_d per sample, from D batched forward
     * tangents V[d, b, :] = e_d in ONE jvp: div = Σ_d (J·e_d)_d.
     *
     * @param f per-sample field (B, D) → (B, D)
     * @param x (B, D)
     * @return (B)
     */
    public static Tensor divergence(Function<Tensor, Tensor> f, Tensor x) {
        int[] s = requireBatch(x, "divergence");
        Tensor v = Grad.rowBasis(s[0], s[1]);
        Grad.Jvp r = Grad.jvp(f, x, v);
        requireField(r.primal(), x, "divergence");
        return Ops.sum(Ops.sum(Ops.mul(r.tangent(), v), 0, false), -1, false);
    }

    /**
     * A per-sample field and its exact divergence from the same pass.
     *
     * @param field f(x), shape (B, D)
     * @param divergence tr(∂f/∂x) per sample, shape (B)
     */
    public record FieldAndDivergence(Tensor field, Tensor divergence) {
    }

    /**
     * f(x) and div f(x) = Σ_d ∂f_d/∂x_d per sample from ONE jvp with D batched tangents: the field is
     * the jvp's primal, so f is evaluated once (calling f and then {@link #divergence} evaluates it
     * twice).
     *
     * @param f per-sample field (B, D) → (B, D)
     * @param x (B, D)
     * @return f(x) (B, D) and its divergence (B)
     */
    public static FieldAndDivergence fieldAndDivergence(Function<Tensor, Tensor> f, Tensor x) {
        int[] s = requireBatch(x, "fieldAndDivergence");
        Tensor v = Grad.rowBasis(s[0], s[1]);
        Grad.Jvp r = Grad.jvp(f, x, v);
        requireField(r.primal(), x, "fieldAndDivergence");
        return new FieldAndDivergence(r.primal(), Ops.sum(Ops.sum(Ops.mul(r.tangent(), v), 0, false), -1, false));
    }

    /**
     * Hutchinson estimate of tr(∂f/∂x) per sample: (1/n) Σₖ vₖᵀ·(J vₖ) with n independent probes per
     * sample, all pushed through ONE jvp with batched tangents (n, B, D). Unbiased since E[vvᵀ] = I.
     *
     * @param f per-sample field (B, D) → (B, D)
     * @param x (B, D)
     * @param probes n ≥ 1
     * @param kind probe distribution
     * @param rng source of the probes
     * @return (B)
     */
    public static Tensor hutchinson(Function<Tensor, Tensor> f, Tensor x, int probes, Probe kind, Random rng) {
        int[] s = requireBatch(x, "hutchinson");
        if (probes < 1) {
            throw new IllegalArgumentException("hutchinson: probes must be >= 1, got " + probes);
        }
        Tensor v = kind == Probe.RADEMACHER ? Tensor.rademacher(rng, probes, s[0], s[1])
                : Tensor.randn(rng, probes, s[0], s[1]);
        Grad.Jvp r = Grad.jvp(f, x, v);
        requireField(r.primal(), x, "hutchinson");
        return Ops.mulScalar(Ops.sum(Ops.sum(Ops.mul(r.tangent(), v), 0, false), -1, false), 1.0 / probes);
    }

    /**
     * {@link #hutchinson(Function, Tensor, int, Probe, Random)} with {@code new Random(seed)}.
     *
     * @param f per-sample field
     * @param x (B, D)
     * @param probes n ≥ 1
     * @param kind probe distribution
     * @param seed random seed
     * @return (B)
     */
    public static Tensor hutchinson(Function<Tensor, Tensor> f, Tensor x, int probes, Probe kind, long seed) {
        return hutchinson(f, x, probes, kind, new Random(seed));
    }

    /**
     * Reference divergence by nested reverse passes, one per input dimension:
     * div f = Σ_d [∇ₓ Σ_b f_d(x_b)]_{b,d}. D backward passes (the O(D) cost the fast operators avoid).
     *
     * @param f per-sample field (B, D) → (B, D)
     * @param x (B, D)
     * @return (B)
     */
    public static Tensor naiveDivergence(Function<Tensor, Tensor> f, Tensor x) {
        int[] s = requireBatch(x, "naiveDivergence");
        int b = s[0];
        int d = s[1];
        boolean create = Grad.isGradEnabled();
        return Grad.enableGrad(() -> {
            Tensor xv = x.requiresGrad ? x : x.requiresGrad();
            Tensor y = f.apply(xv);
            requireField(y, x, "naiveDivergence");
            Tensor acc = null;
            for (int k = 0; k < d; k++) {
                double[] e = new double[b * d];
                for (int i = 0; i < b; i++) {
                    e[i * d + k] = 1.0;
                }
                Tensor g = Grad.grad(List.of(y), List.of(xv), List.of(Tensor.wrap(new int[] {b, d}, e)), create).get(0);
                Tensor col = Ops.slice(g, k, k + 1);
                acc = acc == null ? col : Ops.add(acc, col);
            }
            return Ops.reshape(acc, b);
        });
    }

    /**
     * The input gradient of a per-sample scalar energy: ∇ₓE(x_b) per row, i.e. ∇ₓ Σ_b E(x_b), recorded
     * (createGraph) when grad mode is on so it can be differentiated again.
     *
     * @param energy per-sample scalar (B, D) → (B) or (B, 1)
     * @param x (B, D)
     * @return (B, D)
     */
    public static Tensor inputGradient(Function<Tensor, Tensor> energy, Tensor x) {
        requireBatch(x, "inputGradient");
        boolean create = Grad.isGradEnabled();
        return Grad.enableGrad(() -> {
            Tensor xv = x.requiresGrad ? x : x.requiresGrad();
            Tensor e = energy.apply(xv);
            if (e.shape.length == 0 || e.shape[0] != x.shape[0] || e.data.length != x.shape[0]) {
                throw new IllegalArgumentException("inputGradient: energy must map (B, D) to (B) or (B, 1), got "
                        + Shapes.str(e.shape));
            }
            return Grad.grad(List.of(Ops.sum(e)), List.of(xv), null, create).get(0);
        });
    }

    /**
     * Reference Laplacian ΔE = tr(∇²ₓE) per sample by nested reverse passes: one pass for ∇ₓE, then
     * D passes over it ({@link #naiveDivergence}).
     *
     * @param energy per-sample scalar (B, D) → (B) or (B, 1)
     * @param x (B, D)
     * @return (B)
     */
    public static Tensor naiveLaplacian(Function<Tensor, Tensor> energy, Tensor x) {
        return naiveDivergence(z -> inputGradient(energy, z), x);
    }

    /**
     * Laplacian ΔE per sample by forward-over-reverse: the divergence of ∇ₓE from D batched tangents
     * pushed through the gradient computation.
     *
     * @param energy per-sample scalar (B, D) → (B) or (B, 1)
     * @param x (B, D)
     * @return (B)
     */
    public static Tensor laplacian(Function<Tensor, Tensor> energy, Tensor x) {
        return divergence(z -> inputGradient(energy, z), x);
    }
}
