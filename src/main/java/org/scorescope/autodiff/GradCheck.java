package org.scorescope.autodiff;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Numerical verification of derivatives of any order by central finite differences in random
 * directions.
 *
 * <p>For f with inputs xs, a random cotangent u and random directions d₁…d_k, let φ₀(xs) = ⟨u, f(xs)⟩
 * and φⱼ(xs) = Dφⱼ₋₁(xs)[dⱼ], the directional derivative computed by autodiff, each level either in
 * reverse mode (⟨∇φⱼ₋₁, dⱼ⟩ with a recorded backward pass) or in forward mode (jvp tangent). The
 * order-k check compares φ_k(xs) with the central difference (φ_{k−1}(xs + h·d_k) − φ_{k−1}(xs − h·d_k))/(2h)
 * refined by one Richardson extrapolation step (error O(h⁴), h = 2e-4), so every order is verified
 * against a numerical derivative of the order below it.
 *
 * <p>Errors are relative: |a − fd| / max(1, |a|, |fd|) (the floor of 1 makes exactly-zero higher
 * derivatives, e.g. of linear ops, compare absolutely).
 */
public final class GradCheck {
    /** How each differentiation level is computed. */
    public enum Mode {
        /** Every level by reverse mode (nested backward passes with createGraph). */
        REVERSE,
        /** Every level by forward mode (nested jvps). */
        FORWARD,
        /** Levels alternate reverse, forward, reverse, ...: mixes reverse-over-forward and forward-over-reverse. */
        MIXED
    }

    private static final double H = 2e-4;

    private GradCheck() {
    }

    /**
     * Maximum relative error of the order-{@code order} directional derivative over {@code trials}
     * random (u, d₁…d_k) draws.
     *
     * @param f function of the inputs (any output shape)
     * @param inputs the point, plain tensors
     * @param order derivative order, 1 to 3 (higher works but FD noise grows)
     * @param mode how the levels are differentiated
     * @param trials number of random draws
     * @param seed random seed for u and the directions
     * @return max over trials of |analytic − FD| / max(1, |analytic|, |FD|)
     */
    public static double check(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, int order, Mode mode,
                               int trials, long seed) {
        if (order < 1) {
            throw new IllegalArgumentException("GradCheck: order must be >= 1, got " + order);
        }
        Random rng = new Random(seed);
        List<Tensor> xs = new ArrayList<>();
        for (Tensor x : inputs) {
            xs.add(x.detach());
        }
        Tensor y0 = Grad.noGrad(() -> f.apply(xs));
        double worst = 0;
        for (int trial = 0; trial < trials; trial++) {
            Tensor u = Tensor.randn(rng, y0.shape);
            Function<List<Tensor>, Tensor> phi = z -> Ops.sum(Ops.mul(f.apply(z), u));
            List<List<Tensor>> dirs = new ArrayList<>();
            for (int j = 0; j < order; j++) {
                List<Tensor> d = new ArrayList<>();
                for (Tensor x : xs) {
                    d.add(Tensor.randn(rng, x.shape));
                }
                dirs.add(d);
            }
            Function<List<Tensor>, Tensor> lower = phi;
            for (int j = 0; j < order - 1; j++) {
                lower = directional(lower, dirs.get(j), forwardAt(mode, j));
            }
            Function<List<Tensor>, Tensor> top = directional(lower, dirs.get(order - 1), forwardAt(mode, order - 1));
            double analytic = top.apply(xs).item();
            List<Tensor> last = dirs.get(order - 1);
            Function<List<Tensor>, Tensor> base = lower;
            double fd = richardson(h -> base.apply(shifted(xs, last, h)).item());
            double err = Math.abs(analytic - fd) / Math.max(1.0, Math.max(Math.abs(analytic), Math.abs(fd)));
            if (!(err <= worst)) {
                worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
            }
        }
        return worst;
    }

    /**
     * Single-input convenience for {@link #check(Function, List, int, Mode, int, long)} with 2 trials.
     *
     * @param f function
     * @param x point
     * @param order derivative order
     * @param mode differentiation mode
     * @param seed random seed
     * @return max relative error
     */
    public static double check(Function<Tensor, Tensor> f, Tensor x, int order, Mode mode, long seed) {
        return check(xs -> f.apply(xs.get(0)), List.of(x), order, mode, 2, seed);
    }

    /**
     * Central difference D(h) = (g(h) − g(−h))/(2h) with one Richardson step (4·D(h/2) − D(h))/3,
     * truncation error O(h⁴), so that h can be large enough to keep rounding noise small.
     */
    private static double richardson(java.util.function.DoubleUnaryOperator g) {
        double d1 = (g.applyAsDouble(H) - g.applyAsDouble(-H)) / (2 * H);
        double d2 = (g.applyAsDouble(H / 2) - g.applyAsDouble(-H / 2)) / H;
        return (4 * d2 - d1) / 3;
    }

    private static boolean forwardAt(Mode mode, int level) {
        switch (mode) {
            case FORWARD:
                return true;
            case MIXED:
                return level % 2 == 1;
            default:
                return false;
        }
    }

    /** z ↦ Dg(z)[d], computed by reverse or forward mode. */
    private static Function<List<Tensor>, Tensor> directional(Function<List<Tensor>, Tensor> g, List<Tensor> d,
                                                              boolean forward) {
        if (forward) {
            return z -> Grad.jvpMulti(g, z, d).tangent();
        }
        return z -> Grad.enableGrad(() -> {
            List<Tensor> leaves = new ArrayList<>();
            for (Tensor t : z) {
                // Already-tracked inputs are used as they are so an outer reverse level stays connected.
                leaves.add(t.requiresGrad ? t : t.requiresGrad());
            }
            Tensor val = g.apply(leaves);
            List<Tensor> gs = Grad.grad(List.of(val), leaves, null, true);
            Tensor acc = null;
            for (int i = 0; i < gs.size(); i++) {
                Tensor term = Ops.sum(Ops.mul(gs.get(i), d.get(i)));
                acc = acc == null ? term : Ops.add(acc, term);
            }
            return acc;
        });
    }

    private static List<Tensor> shifted(List<Tensor> xs, List<Tensor> d, double h) {
        List<Tensor> r = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            double[] a = xs.get(i).data;
            double[] b = d.get(i).data;
            double[] o = new double[a.length];
            for (int k = 0; k < a.length; k++) {
                o[k] = a[k] + h * b[k];
            }
            r.add(Tensor.wrap(xs.get(i).shape, o));
        }
        return r;
    }

    /**
     * Forward/reverse duality uᵀ(J·v) = (uᵀJ)·v for K random directions at once: J·V from one jvp
     * with batched tangents V of shape [K, ...x.shape], uᵀJ from one vjp; both sides compared per
     * direction.
     *
     * @param f function
     * @param inputs point
     * @param k number of batched directions
     * @param seed random seed
     * @return max over directions of |uᵀ(Jv) − (uᵀJ)v| / max(1, |·|, |·|)
     */
    public static double duality(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, int k, long seed) {
        Random rng = new Random(seed);
        List<Tensor> xs = new ArrayList<>();
        List<Tensor> vs = new ArrayList<>();
        for (Tensor x : inputs) {
            xs.add(x.detach());
            vs.add(Tensor.randn(rng, Shapes.concat(new int[] {k}, x.shape)));
        }
        Grad.Jvp fwd = Grad.jvpMulti(f, xs, vs);
        Tensor u = Tensor.randn(rng, fwd.primal().shape);
        List<Tensor> leaves = new ArrayList<>();
        for (Tensor x : xs) {
            leaves.add(x.requiresGrad());
        }
        Tensor y = Grad.enableGrad(() -> f.apply(leaves));
        List<Tensor> ut = Grad.grad(List.of(y), leaves, List.of(u), false);
        int m = fwd.primal().data.length;
        double worst = 0;
        for (int kk = 0; kk < k; kk++) {
            double lhs = 0;
            double[] t = fwd.tangent().data;
            for (int i = 0; i < m; i++) {
                lhs += u.data[i] * t[kk * m + i];
            }
            double rhs = 0;
            for (int j = 0; j < xs.size(); j++) {
                int n = xs.get(j).data.length;
                double[] g = ut.get(j).data;
                double[] v = vs.get(j).data;
                for (int i = 0; i < n; i++) {
                    rhs += g[i] * v[kk * n + i];
                }
            }
            double err = Math.abs(lhs - rhs) / Math.max(1.0, Math.max(Math.abs(lhs), Math.abs(rhs)));
            worst = Math.max(worst, Double.isNaN(err) ? Double.POSITIVE_INFINITY : err);
        }
        return worst;
    }
}
