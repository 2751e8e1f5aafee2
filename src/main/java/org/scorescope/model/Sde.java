package org.scorescope.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A forward noising SDE dx = f(t)·x dt + g(t) dW on t ∈ [0, 1] with a linear drift, in the three parameterizations
 * of Song et al. 2021 ("Score-based generative modeling through stochastic differential equations"). Its perturbation
 * kernel is Gaussian, p_{0t}(x_t | x_0) = N(m(t)·x_0, s(t)²I):
 * <ul>
 *   <li><b>VP</b> (variance preserving): β(t) = β_min + t(β_max − β_min), f = −½β(t), g² = β(t),
 *       m(t) = exp(−¼t²(β_max − β_min) − ½tβ_min), s(t)² = 1 − m(t)²; prior N(0, I).</li>
 *   <li><b>sub-VP</b>: f = −½β(t), g² = β(t)(1 − m(t)⁴), s(t) = 1 − m(t)²; prior N(0, I).</li>
 *   <li><b>VE</b> (variance exploding): σ(t) = σ_min(σ_max/σ_min)^t, f = 0, g² = dσ²/dt = 2σ(t)² ln(σ_max/σ_min),
 *       m = 1, s(t) = σ(t) (the data count as already perturbed by σ_min at t = 0, as in Song et al.'s code);
 *       prior N(0, σ_max²I).</li>
 * </ul>
 * The marginal of Gaussian data N(μ, Σ) is therefore N(m(t)μ, m(t)²Σ + s(t)²I) for every t, which the tests use as
 * the exact reference. Immutable.
 *
 * @param type which SDE
 * @param min  β_min (VP, sub-VP) or σ_min (VE), positive
 * @param max  β_max (VP, sub-VP) or σ_max (VE), &gt; min
 */
public record Sde(Type type, double min, double max) {

    /** The three SDEs of Song et al. 2021. */
    public enum Type {
        /** Variance preserving (DDPM's continuous limit). */
        VP("vp"),
        /** Variance exploding (NCSN's continuous limit). */
        VE("ve"),
        /** Sub-variance preserving. */
        SUBVP("subvp");

        private final String id;

        Type(String id) {
            this.id = id;
        }

        /** @return the name in model files and on the command line, e.g. {@code vp} */
        public String id() {
            return id;
        }

        /**
         * @param id {@code vp}, {@code ve} or {@code subvp}
         * @return the type
         * @throws IllegalArgumentException listing the valid names
         */
        public static Type fromId(String id) {
            for (Type t : values()) {
                if (t.id.equals(id)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown SDE '" + id + "' (expected one of "
                    + Arrays.stream(values()).map(Type::id).collect(Collectors.joining(", ")) + ")");
        }
    }

    /** β_min of Song et al. 2021's VP and sub-VP SDEs. */
    public static final double BETA_MIN = 0.1;
    /** β_max of Song et al. 2021's VP and sub-VP SDEs. */
    public static final double BETA_MAX = 20;

    /** Checks the parameters. */
    public Sde {
        java.util.Objects.requireNonNull(type, "type");
        if (!(min > 0) || !Double.isFinite(max) || !(max > min)) {
            throw new IllegalArgumentException("sde: expected 0 < " + minName(type) + " < " + maxName(type)
                    + " < ∞, found " + min + ", " + max);
        }
    }

    /** @return the VP SDE with β linear from 0.1 to 20 */
    public static Sde vp() {
        return new Sde(Type.VP, BETA_MIN, BETA_MAX);
    }

    /** @return the sub-VP SDE with β linear from 0.1 to 20 */
    public static Sde subVp() {
        return new Sde(Type.SUBVP, BETA_MIN, BETA_MAX);
    }

    /**
     * @param sigmaMin σ_min
     * @param sigmaMax σ_max (Song et al.'s rule: the largest distance between two data points)
     * @return the VE SDE
     */
    public static Sde ve(double sigmaMin, double sigmaMax) {
        return new Sde(Type.VE, sigmaMin, sigmaMax);
    }

    /** @return the name of {@link #min()} in files: betaMin or sigmaMin */
    public static String minName(Type type) {
        return type == Type.VE ? "sigmaMin" : "betaMin";
    }

    /** @return the name of {@link #max()} in files: betaMax or sigmaMax */
    public static String maxName(Type type) {
        return type == Type.VE ? "sigmaMax" : "betaMax";
    }

    /** @return β(t) (VP, sub-VP) */
    private double beta(double t) {
        return min + t * (max - min);
    }

    /** @return log m(t) */
    public double logMean(double t) {
        return type == Type.VE ? 0 : -0.25 * t * t * (max - min) - 0.5 * t * min;
    }

    /** @return m(t), the factor of x_0 in the perturbation kernel's mean */
    public double mean(double t) {
        return Math.exp(logMean(t));
    }

    /** @return s(t), the perturbation kernel's standard deviation */
    public double std(double t) {
        return switch (type) {
            case VP -> Math.sqrt(-Math.expm1(2 * logMean(t)));
            case SUBVP -> -Math.expm1(2 * logMean(t));
            case VE -> sigma(t);
        };
    }

    /** @return σ(t) = σ_min(σ_max/σ_min)^t (VE) */
    private double sigma(double t) {
        return min * Math.exp(t * Math.log(max / min));
    }

    /** @return f(t), the drift is f(t)·x */
    public double drift(double t) {
        return type == Type.VE ? 0 : -0.5 * beta(t);
    }

    /** @return g(t)², the squared diffusion coefficient */
    public double diffusionSquared(double t) {
        return switch (type) {
            case VP -> beta(t);
            case SUBVP -> beta(t) * -Math.expm1(4 * logMean(t));
            case VE -> {
                double s = sigma(t);
                yield 2 * s * s * Math.log(max / min);
            }
        };
    }

    /** @return the prior's per-coordinate standard deviation at t = 1: σ_max for VE, 1 otherwise */
    public double priorStd() {
        return type == Type.VE ? max : 1;
    }

    /**
     * The prior's log-density log N(z; 0, priorStd²·I) at a D-dimensional point.
     *
     * @param z  flat points
     * @param i  index of the point
     * @param d  D
     * @return log density
     */
    public double priorLogDensity(double[] z, int i, int d) {
        double v = priorStd() * priorStd();
        double q = 0;
        for (int k = 0; k < d; k++) {
            double c = z[i * d + k];
            q += c * c;
        }
        return -0.5 * q / v - 0.5 * d * Math.log(2 * Math.PI * v);
    }

    /**
     * The input scale c(t) = 1/√(m(t)² + s(t)²): x_t has about unit scale after it when the data have (exactly 1 for
     * VP; VE inputs would otherwise grow to σ_max).
     *
     * @param t time
     * @return c(t)
     */
    public double inputScale(double t) {
        double m = mean(t);
        double s = std(t);
        return 1 / Math.sqrt(m * m + s * s);
    }

    /**
     * The time at which the perturbation's standard deviation is s, the inverse of {@link #std} (bisection: s(t)
     * increases on (0, 1]).
     *
     * @param s a standard deviation in (s(0), s(1)]
     * @return t
     */
    public double timeOfStd(double s) {
        double lo = 0;
        double hi = 1;
        for (int i = 0; i < 100; i++) {
            double mid = 0.5 * (lo + hi);
            if (std(mid) < s) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /** @return e.g. {@code vp (β 0.1 → 20)} */
    public String describe() {
        return String.format(Locale.ROOT, "%s (%s %s → %s)", type.id(), type == Type.VE ? "σ" : "β", num(min),
                num(max));
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }
}
