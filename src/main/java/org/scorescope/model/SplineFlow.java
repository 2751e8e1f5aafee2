package org.scorescope.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Ops;
import org.scorescope.autodiff.Tensor;

/**
 * A neural spline flow on R² (Durkan et al. 2019, "Neural Spline Flows"): K couplings with alternating masks,
 * each transforming one coordinate by a monotone rational-quadratic spline whose knots come from a conditioner MLP
 * of the other coordinate. Far more flexible per layer than an affine coupling: a spline can pinch density into
 * separate modes without the thin bridges an affine flow leaves between them.
 *
 * <p>Coupling k keeps coordinate a = k mod 2 and maps the other, b, by z_b = g(x_b; x_a). On [−B, B]
 * ({@link #tailBound()}) g is a spline of M bins ({@link #bins()}): the conditioner outputs 3M − 1 raw numbers
 * (u^w, u^h, u^d), and
 * <pre>
 *   w = m + (1 − M·m)·softmax(u^w),  h = m + (1 − M·m)·softmax(u^h)     (bin widths, heights; sum 1, each ≥ m)
 *   x_j = −B + 2B·Σ_{i&lt;j} w_i,      y_j = −B + 2B·Σ_{i&lt;j} h_i            (knots, j = 0..M)
 *   δ_0 = δ_M = 1,  δ_j = m + softplus(u^d_j + c) (j = 1..M−1, c such that δ_j = 1 at u^d = 0)
 * </pre>
 * with m = 10⁻³. In the bin x_j ≤ x &lt; x_{j+1}, with ξ = (x − x_j)/W, W = x_{j+1} − x_j, H = y_{j+1} − y_j,
 * s = H/W:
 * <pre>
 *   g(x)  = y_j + H·(s ξ² + δ_j ξ(1−ξ)) / (s + (δ_{j+1} + δ_j − 2s) ξ(1−ξ))
 *   g'(x) = s²·(δ_{j+1} ξ² + 2s ξ(1−ξ) + δ_j (1−ξ)²) / (s + (δ_{j+1} + δ_j − 2s) ξ(1−ξ))²
 * </pre>
 * (Durkan et al. eq. 4 and 5; g' &gt; 0, so g is a bijection of [−B, B]). Outside [−B, B] g is the identity; the
 * boundary derivatives δ_0 = δ_M = 1 make g continuously differentiable there. With the base N(0, I),
 * <pre>  log q(x) = −½‖f(x)‖² − log 2π + Σ_k log g_k'(x_b).</pre>
 *
 * <p>The bin a point falls in is found numerically and enters the graph as a constant one-hot mask (it is
 * piecewise constant in x and θ, so it has no derivative); everything else is engine ops, so the score, its
 * divergence and the exact Hessian of log q come from the engine as for {@link CouplingFlow}.
 *
 * <p>θ layout: the conditioners in coupling order, each in {@link Mlp} layout. Initialization: hidden layers as
 * PyTorch's {@code nn.Linear}, last layers zero, so every spline is the identity and q = N(0, I). In a model file
 * ({@link ModelSpec#splineFlow}) coupling k has the mask [1, 0] for even k and [0, 1] for odd k, and its last
 * layer's 3M − 1 rows are u^w, u^h, u^d in that order.
 */
public final class SplineFlow implements NormalizingFlow {
    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private static final double MIN = 1e-3;
    /** softplus(DERIVATIVE_SHIFT) = 1 − MIN, so a zero raw output gives the identity's derivative 1. */
    private static final double DERIVATIVE_SHIFT = Math.log(Math.expm1(1 - MIN));

    private final int couplings;
    private final int bins;
    private final double tailBound;
    private final Mlp[] conditioners;
    private final int[] offsets;
    /** (M × (M+1)) constant: row i has ones in columns j &gt; i, so u·C is the exclusive-then-full cumulative sum. */
    private final Tensor cumulative;

    /**
     * @param couplings K ≥ 1
     * @param bins M ≥ 2 spline bins per coupling
     * @param tailBound B &gt; 0: the spline acts on [−B, B], the identity outside
     * @param width conditioner hidden width
     * @param depth conditioner hidden layers
     * @param activation conditioner hidden activation
     */
    public SplineFlow(int couplings, int bins, double tailBound, int width, int depth, Activation activation) {
        if (couplings < 1) {
            throw new IllegalArgumentException("a flow needs at least one coupling, got " + couplings);
        }
        if (bins < 2) {
            throw new IllegalArgumentException("a spline needs at least 2 bins, got " + bins);
        }
        if (!(tailBound > 0) || !Double.isFinite(tailBound)) {
            throw new IllegalArgumentException("tailBound must be a positive finite number, got " + tailBound);
        }
        this.couplings = couplings;
        this.bins = bins;
        this.tailBound = tailBound;
        this.conditioners = new Mlp[couplings];
        this.offsets = new int[couplings + 1];
        for (int k = 0; k < couplings; k++) {
            conditioners[k] = new Mlp(Mlp.widths(1, width, depth, 3 * bins - 1), activation, Activation.IDENTITY);
            offsets[k + 1] = offsets[k] + conditioners[k].parameterCount();
        }
        double[] c = new double[bins * (bins + 1)];
        for (int i = 0; i < bins; i++) {
            for (int j = i + 1; j <= bins; j++) {
                c[i * (bins + 1) + j] = 1;
            }
        }
        cumulative = Tensor.of(new int[] {bins, bins + 1}, c);
    }

    /**
     * B = 1.2·max_i max(|x_i1|, |x_i2|) (at least 1, and 1 for no points): the splines act on a square a fifth larger
     * than the data, so every data point is inside and the identity tails only meet outliers.
     *
     * @param points training points (2 finite coordinates each)
     * @return the tail bound B
     */
    public static double tailBoundFor(double[][] points) {
        double m = 0;
        for (double[] p : points) {
            if (p.length != 2 || !Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
                throw new IllegalArgumentException("tailBoundFor: expected 2 finite coordinates, got "
                        + Arrays.toString(p));
            }
            m = Math.max(m, Math.max(Math.abs(p[0]), Math.abs(p[1])));
        }
        return Math.max(1.0, 1.2 * m);
    }

    /** @return K */
    public int couplingCount() {
        return couplings;
    }

    /** @return M, bins per spline */
    public int bins() {
        return bins;
    }

    /** @return B: splines act on [−B, B] */
    public double tailBound() {
        return tailBound;
    }

    @Override
    public ModelSpec.Kind kind() {
        return ModelSpec.Kind.FLOW;
    }

    @Override
    public int inputDim() {
        return 2;
    }

    @Override
    public int parameterCount() {
        return offsets[couplings];
    }

    @Override
    public double[] initialParameters(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] theta = new double[parameterCount()];
        for (int k = 0; k < couplings; k++) {
            double[] part = conditioners[k].initialParameters(rng.nextLong());
            int[] w = conditioners[k].widths();
            int last = w[w.length - 1] * w[w.length - 2] + w[w.length - 1];
            Arrays.fill(part, part.length - last, part.length, 0.0);
            System.arraycopy(part, 0, theta, offsets[k], part.length);
        }
        return theta;
    }

    /** Knots and derivatives of one coupling's splines, per row: x-knots, y-knots (B, M+1), δ (B, M+1). */
    private Tensor[] knots(Tensor theta, int k, Tensor xa) {
        Tensor out = conditioners[k].forward(Ops.slice(theta, offsets[k], offsets[k + 1]), xa);
        Tensor xs = knotPositions(Ops.slice(out, 0, bins));
        Tensor ys = knotPositions(Ops.slice(out, bins, 2 * bins));
        Tensor inner = Ops.addScalar(Ops.softplus(Ops.addScalar(Ops.slice(out, 2 * bins, 3 * bins - 1),
                DERIVATIVE_SHIFT)), MIN);
        Tensor one = Tensor.ones(xa.dim(0), 1);
        return new Tensor[] {xs, ys, Ops.concat(one, inner, one)};
    }

    /** −B + 2B·cumsum(m + (1 − M·m)·softmax(u)), with the leading 0: (B, M+1), first −B, last B. */
    private Tensor knotPositions(Tensor u) {
        // softmax is shift-invariant: subtracting the row maximum (a constant) only guards exp against overflow
        double[] raw = u.toArray();
        int n = u.dim(0);
        double[] shift = new double[n];
        for (int i = 0; i < n; i++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < bins; j++) {
                m = Math.max(m, raw[i * bins + j]);
            }
            shift[i] = m;
        }
        Tensor e = Ops.exp(Ops.sub(u, Tensor.of(new int[] {n, 1}, shift)));
        Tensor w = Ops.addScalar(Ops.mulScalar(Ops.div(e, Ops.sum(e, -1, true)), 1 - bins * MIN), MIN);
        return Ops.addScalar(Ops.mulScalar(Ops.matmul(w, cumulative), 2 * tailBound), -tailBound);
    }

    /** The one-hot bin of each row's value among its knots (bin 0 for values outside [−B, B]), and the inside flag. */
    private Tensor[] binMask(double[] value, double[] knots) {
        int n = value.length;
        double[] mask = new double[n * bins];
        double[] inside = new double[n];
        for (int i = 0; i < n; i++) {
            double v = value[i];
            int bin = 0;
            if (v >= -tailBound && v <= tailBound) {
                inside[i] = 1;
                bin = bins - 1;
                for (int j = 1; j < bins; j++) {
                    if (v < knots[i * (bins + 1) + j]) {
                        bin = j - 1;
                        break;
                    }
                }
            }
            mask[i * bins + bin] = 1;
        }
        return new Tensor[] {Tensor.of(new int[] {n, bins}, mask), Tensor.of(new int[] {n, 1}, inside)};
    }

    /** Σ_j mask_j·v_j over the first (left) or last (right) M of M+1 columns: (B, 1). */
    private Tensor pick(Tensor mask, Tensor v, boolean right) {
        return Ops.sum(Ops.mul(mask, Ops.slice(v, right ? 1 : 0, right ? bins + 1 : bins)), -1, true);
    }

    /** g(x_b) and log g'(x_b) of coupling k, both (B, 1). */
    private Tensor[] spline(Tensor theta, int k, Tensor xa, Tensor xb) {
        Tensor[] kn = knots(theta, k, xa);
        Tensor[] mi = binMask(xb.toArray(), kn[0].toArray());
        Tensor mask = mi[0];
        Tensor inside = mi[1];
        Tensor outside = Ops.addScalar(Ops.neg(inside), 1);
        Tensor x0 = pick(mask, kn[0], false);
        Tensor width = Ops.sub(pick(mask, kn[0], true), x0);
        Tensor y0 = pick(mask, kn[1], false);
        Tensor height = Ops.sub(pick(mask, kn[1], true), y0);
        Tensor d0 = pick(mask, kn[2], false);
        Tensor d1 = pick(mask, kn[2], true);
        // Outside [−B, B] the formula is evaluated at the bin's midpoint instead (finite, then multiplied by 0), so
        // no NaN from ξ outside [0, 1] can leak into the sum or its derivatives.
        Tensor mid = Ops.add(x0, Ops.mulScalar(width, 0.5));
        Tensor xin = Ops.add(Ops.mul(inside, xb), Ops.mul(outside, mid));
        Tensor xi = Ops.div(Ops.sub(xin, x0), width);
        Tensor s = Ops.div(height, width);
        Tensor xi1 = Ops.mul(xi, Ops.addScalar(Ops.neg(xi), 1));
        Tensor den = Ops.add(s, Ops.mul(Ops.sub(Ops.add(d1, d0), Ops.mulScalar(s, 2)), xi1));
        Tensor num = Ops.mul(height, Ops.add(Ops.mul(s, Ops.square(xi)), Ops.mul(d0, xi1)));
        Tensor g = Ops.add(y0, Ops.div(num, den));
        Tensor oneMinus = Ops.addScalar(Ops.neg(xi), 1);
        Tensor dnum = Ops.mul(Ops.square(s), Ops.add(Ops.add(Ops.mul(d1, Ops.square(xi)),
                Ops.mulScalar(Ops.mul(s, xi1), 2)), Ops.mul(d0, Ops.square(oneMinus))));
        Tensor logDeriv = Ops.sub(Ops.log(dnum), Ops.mulScalar(Ops.log(den), 2));
        Tensor z = Ops.add(Ops.mul(inside, g), Ops.mul(outside, xb));
        return new Tensor[] {z, Ops.mul(inside, logDeriv)};
    }

    /**
     * The forward transform x → z = f(x) and log|det ∂f/∂x| per row, differentiable in θ and x.
     *
     * @param theta θ (P)
     * @param x points (B, 2)
     * @return z (B, 2) and the log-determinant (B)
     */
    public CouplingFlow.Latent toLatent(Tensor theta, Tensor x) {
        if (x.rank() != 2 || x.dim(1) != 2) {
            throw new IllegalArgumentException("x must have shape (B, 2), got " + Arrays.toString(x.shape()));
        }
        Tensor c0 = Ops.slice(x, 0, 1);
        Tensor c1 = Ops.slice(x, 1, 2);
        Tensor logDet = null;
        for (int k = 0; k < couplings; k++) {
            boolean keepFirst = k % 2 == 0;
            Tensor[] r = spline(theta, k, keepFirst ? c0 : c1, keepFirst ? c1 : c0);
            if (keepFirst) {
                c1 = r[0];
            } else {
                c0 = r[0];
            }
            logDet = logDet == null ? r[1] : Ops.add(logDet, r[1]);
        }
        return new CouplingFlow.Latent(Ops.concat(c0, c1), Ops.reshape(logDet, x.dim(0)));
    }

    /**
     * log q(x) = −½‖f(x)‖² − log 2π + log|det ∂f/∂x| per row, exact and normalized.
     *
     * @param theta θ (P)
     * @param x points (B, 2)
     * @return (B)
     */
    @Override
    public Tensor logProb(Tensor theta, Tensor x) {
        CouplingFlow.Latent l = toLatent(theta, x);
        Tensor base = Ops.addScalar(Ops.mulScalar(Ops.sum(Ops.square(l.z()), -1, false), -0.5), -LOG_2PI);
        return Ops.add(base, l.logDet());
    }

    /**
     * n samples of q: z ~ N(0, I) from {@code new Random(seed).nextGaussian()}, then the couplings inverted in
     * reverse order (per bin, the root in [0, 1] of the quadratic of Durkan et al. eq. 6–8).
     *
     * @param theta θ of length P
     * @param n number of samples, ≥ 1
     * @param seed random seed
     * @return n × 2 points
     */
    public double[][] sample(double[] theta, int n, long seed) {
        Random rng = new Random(seed);
        double[] c0 = new double[n];
        double[] c1 = new double[n];
        for (int i = 0; i < n; i++) {
            c0[i] = rng.nextGaussian();
            c1[i] = rng.nextGaussian();
        }
        Tensor th = parameters(theta, false);
        for (int k = couplings - 1; k >= 0; k--) {
            boolean keepFirst = k % 2 == 0;
            double[] keep = keepFirst ? c0 : c1;
            double[] move = keepFirst ? c1 : c0;
            int kk = k;
            Tensor[] kn = Grad.noGrad(() -> knots(th, kk, Tensor.of(new int[] {n, 1}, keep.clone())));
            double[] xs = kn[0].toArray();
            double[] ys = kn[1].toArray();
            double[] ds = kn[2].toArray();
            for (int i = 0; i < n; i++) {
                move[i] = invert(move[i], i, xs, ys, ds);
            }
        }
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = new double[] {c0[i], c1[i]};
        }
        return out;
    }

    private double invert(double y, int row, double[] xs, double[] ys, double[] ds) {
        if (y < -tailBound || y > tailBound) {
            return y;
        }
        int o = row * (bins + 1);
        int j = bins - 1;
        for (int b = 1; b < bins; b++) {
            if (y < ys[o + b]) {
                j = b - 1;
                break;
            }
        }
        double w = xs[o + j + 1] - xs[o + j];
        double h = ys[o + j + 1] - ys[o + j];
        double s = h / w;
        double d0 = ds[o + j];
        double d1 = ds[o + j + 1];
        double dy = y - ys[o + j];
        double t = d1 + d0 - 2 * s;
        double a = h * (s - d0) + dy * t;
        double b = h * d0 - dy * t;
        double c = -s * dy;
        double disc = Math.max(0, b * b - 4 * a * c);
        double xi = 2 * c / (-b - Math.sqrt(disc));
        return xs[o + j] + xi * w;
    }

    @Override
    public ModelSpec toSpec(double[] theta) {
        if (theta.length != parameterCount()) {
            throw new IllegalArgumentException("θ has " + theta.length + " values, the flow needs " + parameterCount());
        }
        List<ModelSpec.Coupling> cs = new ArrayList<>(couplings);
        for (int k = 0; k < couplings; k++) {
            cs.add(new ModelSpec.Coupling(mask(k),
                    conditioners[k].toLayers(Arrays.copyOfRange(theta, offsets[k], offsets[k + 1]))));
        }
        return ModelSpec.splineFlow(2, conditioners[0].activation(), new ModelSpec.Spline(bins, tailBound), cs);
    }

    /**
     * The architecture a spline-flow spec describes (θ comes from {@link #parametersFromSpec}).
     *
     * @param spec a validated spline-flow spec (its conditioners share one shape, its masks alternate)
     * @return the flow
     */
    public static SplineFlow fromSpec(ModelSpec spec) {
        if (spec.kind() != ModelSpec.Kind.FLOW || spec.flow().spline() == null) {
            throw new IllegalArgumentException("expected a spline-flow spec, got " + spec);
        }
        List<ModelSpec.Coupling> cs = spec.flow().couplings();
        int[] w = cs.get(0).widths();
        ModelSpec.Spline shape = spec.flow().spline();
        int depth = w.length - 2;
        return new SplineFlow(cs.size(), shape.bins(), shape.tailBound(), depth > 0 ? w[1] : 1, depth,
                spec.activation());
    }

    /**
     * θ from a spline-flow spec with this architecture: the conditioners' layers in coupling order.
     *
     * @param spec a spec with the same couplings, masks and widths
     * @return θ (P)
     */
    public double[] parametersFromSpec(ModelSpec spec) {
        List<ModelSpec.Coupling> cs = spec.flow().couplings();
        if (cs.size() != couplings) {
            throw new IllegalArgumentException("expected " + couplings + " couplings, found " + cs.size());
        }
        double[] theta = new double[parameterCount()];
        for (int k = 0; k < couplings; k++) {
            if (!Arrays.equals(cs.get(k).mask(), mask(k))) {
                throw new IllegalArgumentException("couplings[" + k + "].mask: expected " + Arrays.toString(mask(k))
                        + " (masks alternate, starting with [1, 0]), found " + Arrays.toString(cs.get(k).mask()));
            }
            double[] part = conditioners[k].fromLayers(cs.get(k).layers());
            System.arraycopy(part, 0, theta, offsets[k], part.length);
        }
        return theta;
    }

    /** Coupling k keeps x₁ (mask [1, 0]) for even k and x₂ for odd k. */
    private static int[] mask(int k) {
        return k % 2 == 0 ? new int[] {1, 0} : new int[] {0, 1};
    }
}
