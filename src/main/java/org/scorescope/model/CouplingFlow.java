package org.scorescope.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Ops;
import org.scorescope.autodiff.ScoreOps;
import org.scorescope.autodiff.Tensor;

/**
 * A RealNVP-style normalizing flow (Dinh et al. 2017) on Rᴰ, D ≥ 2, with an exact normalized log-density.
 *
 * <p>The transform f: x → z (data to latent) is K affine couplings applied in order. Coupling k has a binary mask
 * splitting the coordinates into kept ones x_a (mask 1) and transformed ones x_b (mask 0), and a conditioner MLP
 * from x_a to 2|b| outputs (ŝ, t) (first |b| the raw log-scales, last |b| the shifts, linear output). With the
 * bounded log-scale s = c·tanh(ŝ/c) (c = {@link #scaleBound()}; c = 1 is a plain tanh),
 * <pre>
 *   z_a = x_a,   z_b = (x_b − t(x_a))·exp(−s(x_a)),   log|det ∂z/∂x| = −Σ_b s(x_a)
 * </pre>
 * and with the base density N(0, I),
 * <pre>
 *   log q(x) = −½‖f(x)‖² − (D/2)·log 2π + Σ_k log|det_k|.
 * </pre>
 * The bound keeps every coupling's per-coordinate scale factor within (e^−c, e^c), which keeps training stable
 * (no exploding exp). The inverse (sampling) runs the couplings backwards: x_b = z_b·exp(s(z_a)) + t(z_a).
 *
 * <p>Everything is built from engine ops, so the score ∇ₓ log q is one reverse pass kept differentiable in θ
 * ({@link ScoreOps#inputGradient}), its divergence comes from the default forward-over-reverse
 * {@link #scoreAndDivergence}, and log q has exact Hessians ({@code Grad.batchHessian}).
 *
 * <p>θ layout: the conditioners in coupling order, each in {@link Mlp} layout (W then b per layer). The default
 * masks alternate (for D = 2: [1, 0], [0, 1], [1, 0], …; in general coordinate i is kept by coupling k iff
 * i + k is even).
 *
 * <p>Initialization ({@link #initialParameters}): hidden layers use PyTorch's {@code nn.Linear} default, and each
 * conditioner's last layer is zero, so ŝ = t = 0 and the flow starts as the identity, q = N(0, I) (the usual
 * choice for coupling flows, e.g. Glow). Gradients still reach that last layer at once, because the hidden
 * activations feeding it are non-zero.
 */
public final class CouplingFlow implements NormalizingFlow {
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private final int inputDim;
    private final int[][] masks;
    private final Mlp[] conditioners;
    private final int[] offsets;
    private final double scaleBound;
    private final Activation activation;
    /** Per coupling: sorted coordinates with mask 1 (kept) and mask 0 (transformed). */
    private final int[][] kept;
    private final int[][] transformed;
    /**
     * Per coupling, the runs of equal mask value in coordinate order, as {fromKept (1/0), start, end} into the kept
     * or transformed part; merging concatenates these slices, so no gather/scatter op is needed.
     */
    private final int[][][] mergeRuns;

    /**
     * A flow with alternating masks ({@link #alternatingMasks}) and identical conditioners of {@code depth} hidden
     * layers of {@code width}.
     *
     * @param inputDim D ≥ 2
     * @param couplings K ≥ 1
     * @param width hidden width of each conditioner
     * @param depth hidden layers per conditioner, ≥ 0
     * @param activation hidden activation of the conditioners
     * @param scaleBound c in s = c·tanh(ŝ/c), positive and finite
     */
    public CouplingFlow(int inputDim, int couplings, int width, int depth, Activation activation, double scaleBound) {
        this(alternatingMasks(inputDim, couplings), conditioners(alternatingMasks(inputDim, couplings), width, depth,
                activation), scaleBound);
    }

    /**
     * @param masks K masks of length D with entries 0/1, each with at least one 1 and one 0 (copied)
     * @param conditioners K networks, the k-th from |a_k| (ones of mask k) to 2|b_k| (twice its zeros) with a linear
     *                     output, all with the same hidden activation (the model file stores one)
     * @param scaleBound c in s = c·tanh(ŝ/c), positive and finite
     */
    public CouplingFlow(int[][] masks, List<Mlp> conditioners, double scaleBound) {
        if (masks.length == 0) {
            throw new IllegalArgumentException("a flow needs at least one coupling");
        }
        if (conditioners.size() != masks.length) {
            throw new IllegalArgumentException(masks.length + " masks but " + conditioners.size() + " conditioners");
        }
        if (!(scaleBound > 0) || !Double.isFinite(scaleBound)) {
            throw new IllegalArgumentException("scaleBound must be a positive finite number, got " + scaleBound);
        }
        int d = masks[0].length;
        if (d < 2) {
            throw new IllegalArgumentException("a flow needs at least 2 dimensions, masks[0] has " + d + " entries");
        }
        int k = masks.length;
        this.inputDim = d;
        this.masks = new int[k][];
        this.conditioners = conditioners.toArray(new Mlp[0]);
        this.offsets = new int[k + 1];
        this.scaleBound = scaleBound;
        this.activation = this.conditioners[0].activation();
        this.kept = new int[k][];
        this.transformed = new int[k][];
        this.mergeRuns = new int[k][][];
        for (int c = 0; c < k; c++) {
            int[] m = masks[c].clone();
            if (m.length != d) {
                throw new IllegalArgumentException("masks[" + c + "] has " + m.length + " entries, masks[0] has " + d);
            }
            int ones = 0;
            for (int i = 0; i < d; i++) {
                if (m[i] != 0 && m[i] != 1) {
                    throw new IllegalArgumentException("masks[" + c + "][" + i + "]: expected 0 or 1, found " + m[i]);
                }
                ones += m[i];
            }
            if (ones == 0 || ones == d) {
                throw new IllegalArgumentException("masks[" + c + "] needs at least one 1 (kept) and one 0 "
                        + "(transformed): " + Arrays.toString(m));
            }
            Mlp net = this.conditioners[c];
            int[] w = net.widths();
            if (w[0] != ones || w[w.length - 1] != 2 * (d - ones)) {
                throw new IllegalArgumentException("conditioner " + c + " must map " + ones + " kept coordinates to "
                        + 2 * (d - ones) + " outputs (log-scale and shift per transformed coordinate), got "
                        + w[0] + " → " + w[w.length - 1]);
            }
            if (net.outputActivation() != Activation.IDENTITY) {
                throw new IllegalArgumentException("conditioner " + c + " must have a linear output, got "
                        + net.outputActivation().jsonName());
            }
            if (net.activation() != activation) {
                throw new IllegalArgumentException("all conditioners must share one hidden activation: conditioner "
                        + c + " uses " + net.activation().jsonName() + ", conditioner 0 " + activation.jsonName());
            }
            this.masks[c] = m;
            kept[c] = indices(m, 1);
            transformed[c] = indices(m, 0);
            mergeRuns[c] = runs(m);
            offsets[c + 1] = offsets[c] + net.parameterCount();
        }
    }

    private static List<Mlp> conditioners(int[][] masks, int width, int depth, Activation activation) {
        List<Mlp> nets = new ArrayList<>(masks.length);
        for (int[] m : masks) {
            int ones = 0;
            for (int v : m) {
                ones += v;
            }
            nets.add(new Mlp(Mlp.widths(ones, width, depth, 2 * (m.length - ones)), activation, Activation.IDENTITY));
        }
        return nets;
    }

    /**
     * Alternating masks: coordinate i is kept (1) by coupling k iff i + k is even, so consecutive couplings
     * transform complementary coordinates; for D = 2: [1, 0], [0, 1], [1, 0], ….
     *
     * @param inputDim D ≥ 2
     * @param couplings K ≥ 1
     * @return K masks of length D
     */
    public static int[][] alternatingMasks(int inputDim, int couplings) {
        if (inputDim < 2) {
            throw new IllegalArgumentException("a flow needs at least 2 dimensions, got " + inputDim);
        }
        if (couplings < 1) {
            throw new IllegalArgumentException("a flow needs at least one coupling, got " + couplings);
        }
        int[][] m = new int[couplings][inputDim];
        for (int k = 0; k < couplings; k++) {
            for (int i = 0; i < inputDim; i++) {
                m[k][i] = (i + k) % 2 == 0 ? 1 : 0;
            }
        }
        return m;
    }

    private static int[] indices(int[] mask, int value) {
        return java.util.stream.IntStream.range(0, mask.length).filter(i -> mask[i] == value).toArray();
    }

    private static int[][] runs(int[] mask) {
        List<int[]> runs = new ArrayList<>();
        int keptPos = 0;
        int transPos = 0;
        int i = 0;
        while (i < mask.length) {
            int j = i;
            while (j + 1 < mask.length && mask[j + 1] == mask[i]) {
                j++;
            }
            int len = j - i + 1;
            if (mask[i] == 1) {
                runs.add(new int[] {1, keptPos, keptPos + len});
                keptPos += len;
            } else {
                runs.add(new int[] {0, transPos, transPos + len});
                transPos += len;
            }
            i = j + 1;
        }
        return runs.toArray(new int[0][]);
    }

    /** Columns {@code idx} (ascending) of x, as concatenated slices of consecutive runs. */
    private static Tensor take(Tensor x, int[] idx) {
        List<Tensor> parts = new ArrayList<>(2);
        int i = 0;
        while (i < idx.length) {
            int j = i;
            while (j + 1 < idx.length && idx[j + 1] == idx[j] + 1) {
                j++;
            }
            parts.add(Ops.slice(x, idx[i], idx[j] + 1));
            i = j + 1;
        }
        return Ops.concat(parts);
    }

    /** The inverse of splitting by mask k: puts the kept and transformed columns back in coordinate order. */
    private Tensor merge(int k, Tensor a, Tensor b) {
        int[][] r = mergeRuns[k];
        Tensor[] parts = new Tensor[r.length];
        for (int i = 0; i < r.length; i++) {
            parts[i] = Ops.slice(r[i][0] == 1 ? a : b, r[i][1], r[i][2]);
        }
        return Ops.concat(parts);
    }

    /**
     * The architecture a flow spec describes (θ comes from {@link #parametersFromSpec}).
     *
     * @param spec a validated spec of kind flow
     * @return the flow
     */
    public static CouplingFlow fromSpec(ModelSpec spec) {
        if (spec.kind() != ModelSpec.Kind.FLOW) {
            throw new IllegalArgumentException("expected a flow spec, got kind " + spec.kind().id());
        }
        List<ModelSpec.Coupling> cs = spec.flow().couplings();
        int[][] masks = new int[cs.size()][];
        List<Mlp> nets = new ArrayList<>(cs.size());
        for (int k = 0; k < cs.size(); k++) {
            masks[k] = cs.get(k).mask();
            nets.add(new Mlp(cs.get(k).widths(), spec.activation(), Activation.IDENTITY));
        }
        return new CouplingFlow(masks, nets, spec.flow().scaleBound());
    }

    /**
     * θ from a flow spec with this architecture: the conditioners' layers in coupling order.
     *
     * @param spec a flow spec with the same masks and conditioner widths
     * @return θ (P)
     */
    public double[] parametersFromSpec(ModelSpec spec) {
        if (spec.kind() != ModelSpec.Kind.FLOW || spec.flow().couplings().size() != masks.length) {
            throw new IllegalArgumentException("expected a flow spec with " + masks.length + " couplings, got " + spec);
        }
        double[] theta = new double[parameterCount()];
        List<ModelSpec.Coupling> cs = spec.flow().couplings();
        for (int k = 0; k < masks.length; k++) {
            if (!Arrays.equals(cs.get(k).mask(), masks[k])) {
                throw new IllegalArgumentException("couplings[" + k + "].mask: expected " + Arrays.toString(masks[k])
                        + ", found " + Arrays.toString(cs.get(k).mask()));
            }
            double[] part = conditioners[k].fromLayers(cs.get(k).layers());
            System.arraycopy(part, 0, theta, offsets[k], part.length);
        }
        return theta;
    }

    /** @return K, the number of couplings */
    public int couplingCount() {
        return masks.length;
    }

    /** @param k coupling index @return a copy of mask k (1 = kept, 0 = transformed) */
    public int[] mask(int k) {
        return masks[k].clone();
    }

    /** @param k coupling index @return conditioner k */
    public Mlp conditioner(int k) {
        return conditioners[k];
    }

    /** @return c, the bound of the log-scales s = c·tanh(ŝ/c) */
    public double scaleBound() {
        return scaleBound;
    }

    @Override
    public ModelSpec.Kind kind() {
        return ModelSpec.Kind.FLOW;
    }

    @Override
    public int inputDim() {
        return inputDim;
    }

    @Override
    public int parameterCount() {
        return offsets[masks.length];
    }

    /**
     * PyTorch's default {@code nn.Linear} initialization for the conditioners' hidden layers and zeros for their last
     * layers, so the flow starts as the identity map with q = N(0, I).
     */
    @Override
    public double[] initialParameters(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] theta = new double[parameterCount()];
        for (int k = 0; k < masks.length; k++) {
            double[] part = conditioners[k].initialParameters(rng.nextLong());
            int[] w = conditioners[k].widths();
            int last = w[w.length - 1] * w[w.length - 2] + w[w.length - 1];
            Arrays.fill(part, part.length - last, part.length, 0.0);
            System.arraycopy(part, 0, theta, offsets[k], part.length);
        }
        return theta;
    }

    /**
     * The latent point z = f(x) and the log-determinant log|det ∂f/∂x| per row.
     *
     * @param z latent points (B, D)
     * @param logDet Σ_k −Σ_b s_k, shape (B)
     */
    public record Latent(Tensor z, Tensor logDet) {
    }

    /**
     * The forward transform x → z with its log-determinant, differentiable in θ and x.
     *
     * @param theta θ (P)
     * @param x points (B, D)
     * @return z = f(x) (B, D) and log|det ∂f/∂x| (B)
     */
    public Latent toLatent(Tensor theta, Tensor x) {
        requirePoints(x, "x");
        Tensor h = x;
        Tensor logDet = null;
        for (int k = 0; k < masks.length; k++) {
            Tensor xa = take(h, kept[k]);
            Tensor[] st = scaleAndShift(theta, k, xa);
            Tensor zb = Ops.mul(Ops.sub(take(h, transformed[k]), st[1]), Ops.exp(Ops.neg(st[0])));
            Tensor ld = Ops.neg(Ops.sum(st[0], -1, false));
            logDet = logDet == null ? ld : Ops.add(logDet, ld);
            h = merge(k, xa, zb);
        }
        return new Latent(h, logDet);
    }

    /** (s, t) of coupling k at the kept coordinates: s = c·tanh(ŝ/c), both (B, |b|). */
    private Tensor[] scaleAndShift(Tensor theta, int k, Tensor xa) {
        int nb = transformed[k].length;
        Tensor out = conditioners[k].forward(Ops.slice(theta, offsets[k], offsets[k + 1]), xa);
        Tensor s = Ops.mulScalar(Ops.tanh(Ops.mulScalar(Ops.slice(out, 0, nb), 1.0 / scaleBound)), scaleBound);
        return new Tensor[] {s, Ops.slice(out, nb, 2 * nb)};
    }

    /**
     * The exact normalized log-density log q(x) = −½‖f(x)‖² − (D/2)·log 2π + log|det ∂f/∂x| per row,
     * differentiable in θ and x.
     *
     * @param theta θ (P)
     * @param x points (B, D)
     * @return (B)
     */
    @Override
    public Tensor logProb(Tensor theta, Tensor x) {
        Latent l = toLatent(theta, x);
        Tensor base = Ops.addScalar(Ops.mulScalar(Ops.sum(Ops.square(l.z()), -1, false), -0.5),
                -inputDim * HALF_LOG_2PI);
        return Ops.add(base, l.logDet());
    }

    /**
     * The inverse transform z → x = f⁻¹(z), running the couplings backwards with x_b = z_b·exp(s(z_a)) + t(z_a);
     * differentiable in θ and z. For z ~ N(0, I) the rows are samples of q.
     *
     * @param theta θ (P)
     * @param z latent points (B, D)
     * @return x (B, D)
     */
    public Tensor sample(Tensor theta, Tensor z) {
        requirePoints(z, "z");
        Tensor h = z;
        for (int k = masks.length - 1; k >= 0; k--) {
            Tensor za = take(h, kept[k]);
            Tensor[] st = scaleAndShift(theta, k, za);
            Tensor xb = Ops.add(Ops.mul(take(h, transformed[k]), Ops.exp(st[0])), st[1]);
            h = merge(k, za, xb);
        }
        return h;
    }

    /**
     * n samples of q: x = f⁻¹(z) with z ~ N(0, I) drawn row by row from {@code new Random(seed).nextGaussian()}.
     *
     * @param theta θ of length P
     * @param n number of samples, ≥ 1
     * @param seed random seed
     * @return n rows of D coordinates
     */
    public double[][] sample(double[] theta, int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("sample count must be ≥ 1, got " + n);
        }
        Tensor th = parameters(theta, false);
        Tensor z = Tensor.randn(new Random(seed), n, inputDim);
        return Grad.noGrad(() -> sample(th, z)).toArray2D();
    }

    private void requirePoints(Tensor x, String name) {
        if (x.rank() != 2 || x.dim(1) != inputDim) {
            throw new IllegalArgumentException(name + " must have shape (B, " + inputDim + "), got "
                    + Arrays.toString(x.shape()));
        }
    }

    @Override
    public ModelSpec toSpec(double[] theta) {
        if (theta.length != parameterCount()) {
            throw new IllegalArgumentException("θ has " + theta.length + " values, the flow needs " + parameterCount());
        }
        List<ModelSpec.Coupling> cs = new ArrayList<>(masks.length);
        for (int k = 0; k < masks.length; k++) {
            cs.add(new ModelSpec.Coupling(masks[k],
                    conditioners[k].toLayers(Arrays.copyOfRange(theta, offsets[k], offsets[k + 1]))));
        }
        return ModelSpec.flow(inputDim, activation, scaleBound, cs);
    }
}
