package org.scorescope.autodiff;

/**
 * Elementwise kernels for the activations: φ, φ', φ'' and φ''' of an {@link Activation} in one pass
 * over z, sharing the transcendental work (softplus, sigmoid and SiLU all derive from one
 * e = exp(−|z|)).
 *
 * <p>Speed: {@link Math#exp} and {@link Math#log1p} are scalar calls (≈ 6 and ≈ 24 ns) that also keep
 * C2 from vectorising the loop around them. So exp on (−∞, 0] and log1p on [0, 1] are computed here
 * by fdlibm's own reductions and polynomials (same formulas as {@code e_exp.c} / {@code e_log.c},
 * error ≤ 1 ulp, tested against {@link StrictMath}) in branch-free loops that C2 vectorises; every
 * loop indexes all its arrays by the bare loop variable (see {@link Gemm} for why). When the Vector API
 * is available ({@link Simd#available()}), exp, log1p and softplus/sigmoid run as the same operations
 * on whole vectors in {@link VectorActivationKernels} (bit-identical results); these loops then do only
 * the remainders. Work is split into index ranges;
 * each element's result never depends on the split.
 */
final class ActivationKernels {
    static final double LOG2E = 1.44269504088896338700e+00;
    static final double LN2_HI = 6.93147180369123816490e-01;
    static final double LN2_LO = 1.90821492927058770002e-10;
    /** 1.5·2⁵²: adding it rounds a double of magnitude &lt; 2⁵¹ to an integer held in the low mantissa bits. */
    static final double SHIFT = 0x1.8p52;
    static final long SHIFT_BITS = Double.doubleToRawLongBits(SHIFT);
    static final double P1 = 1.66666666666666019037e-01;
    static final double P2 = -2.77777777770155933842e-03;
    static final double P3 = 6.61375632143793436117e-05;
    static final double P4 = -1.65339022054652515390e-06;
    static final double P5 = 4.13813679705723846039e-08;
    static final double LG1 = 6.666666666666735130e-01;
    static final double LG2 = 3.999999999940941908e-01;
    static final double LG3 = 2.857142874366239149e-01;
    static final double LG4 = 2.222219843214978396e-01;
    static final double LG5 = 1.818357216161805012e-01;
    static final double LG6 = 1.531383769920937332e-01;
    static final double LG7 = 1.479819860511658591e-01;
    static final double SQRT2 = 1.41421356237309514547e+00;
    private static final double INV_SQRT_2PI = 0.39894228040143267794;
    private static final double SQRT1_2 = 0.70710678118654752440;
    /** Elements per parallel chunk (a few µs of work, so fork/join overhead stays small). */
    private static final int CHUNK = 8192;
    /** Whether {@link VectorActivationKernels} may be loaded. */
    private static final boolean VECTOR = Simd.available();

    private static final ThreadLocal<Gemm.Scratch> SCRATCH = ThreadLocal.withInitial(Gemm.Scratch::new);

    private ActivationKernels() {
    }

    /**
     * e^x for x ≤ 0, in place on [from, to) ({@code k} is scratch of the same length as x). Arguments
     * below −746 (where e^x underflows to 0) are clamped there; NaN stays NaN.
     */
    static void expNonPositive(double[] x, double[] k, int from, int to) {
        expScalar(x, k, VECTOR ? VectorActivationKernels.exp(x, from, to) : from, to);
    }

    /** {@link #expNonPositive} by plain loops, which C2 vectorises only in part. */
    static void expScalar(double[] x, double[] k, int from, int to) {
        // Vectorised: x = k·ln2 + r, |r| ≤ ln2/2, e^r by fdlibm's rational form.
        for (int i = from; i < to; i++) {
            double xi = Math.max(x[i], -746.0);
            double t = xi * LOG2E + SHIFT;
            double kf = t - SHIFT;
            double hi = xi - kf * LN2_HI;
            double lo = kf * LN2_LO;
            double r = hi - lo;
            double tt = r * r;
            double c = r - tt * (P1 + tt * (P2 + tt * (P3 + tt * (P4 + tt * P5))));
            x[i] = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
            k[i] = t;
        }
        // 2^k from the low mantissa bits of t = SHIFT + k, in two factors so that results down to the
        // subnormal range scale without underflowing the exponent field (k ≥ −1076).
        for (int i = from; i < to; i++) {
            long kk = Double.doubleToRawLongBits(k[i]) - SHIFT_BITS;
            long k1 = kk >> 1;
            long k2 = kk - k1;
            x[i] = x[i] * Double.longBitsToDouble((k1 + 1023) << 52) * Double.longBitsToDouble((k2 + 1023) << 52);
        }
    }

    /** out[i] = log(1 + e[i]) for e[i] ∈ [0, 1] (NaN stays NaN), on [from, to). */
    static void log1pUnit(double[] e, double[] out, int from, int to) {
        log1pUnitScalar(e, out, VECTOR ? VectorActivationKernels.log1pUnit(e, out, from, to) : from, to);
    }

    /** {@link #log1pUnit} by a plain loop. */
    static void log1pUnitScalar(double[] e, double[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            double x = e[i];
            // m = 1 when 1 + x > √2: then log1p(x) = ln2 + log1p((x − 1)/2), keeping |s| ≤ 0.1716.
            double m = Math.min(1.0, Math.max(0.0, (1.0 + x - SQRT2) * 0x1p60));
            double f = x * (1.0 - 0.5 * m) - 0.5 * m;
            double s = f / (2.0 + f);
            double z = s * s;
            double w = z * z;
            double t1 = w * (LG2 + w * (LG4 + w * LG6));
            double t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
            double hfsq = 0.5 * f * f;
            out[i] = m * LN2_HI - ((hfsq - (s * (hfsq + t1 + t2) + m * LN2_LO)) - f);
        }
    }

    /**
     * Any of φ, φ', φ'', φ''' of activation a at z[0..n) into the non-null outputs (each of length
     * ≥ n), in parallel chunks for large n.
     */
    static void eval(Activation a, double[] z, int n, double[] o0, double[] o1, double[] o2, double[] o3) {
        // Per-thread scratch of the caller; chunks on helper threads write disjoint ranges of it.
        double[][] scratch = SCRATCH.get().rows(2, n);
        double[] e = scratch[0];
        double[] k = scratch[1];
        int chunks = (n + CHUNK - 1) / CHUNK;
        Parallel.forChunks(chunks, q -> {
            int from = q * CHUNK;
            int to = Math.min(n, from + CHUNK);
            range(a, z, from, to, o0, o1, o2, o3, e, k);
        });
    }

    private static void range(Activation a, double[] z, int from, int to, double[] o0, double[] o1, double[] o2,
                              double[] o3, double[] e, double[] k) {
        int rest = VECTOR ? VectorActivationKernels.logistic(a, z, from, to, o0, o1, o2, o3, e) : from;
        scalarRange(a, z, rest, to, o0, o1, o2, o3, e, k);
    }

    /** The outputs on [from, to) by the plain loops (the exp inside still on vectors when available). */
    static void scalarRange(Activation a, double[] z, int from, int to, double[] o0, double[] o1, double[] o2,
                            double[] o3, double[] e, double[] k) {
        switch (a) {
            case SOFTPLUS:
            case SIGMOID:
            case SILU:
                logistic(a, z, from, to, o0, o1, o2, o3, e, k);
                break;
            case TANH:
                tanh(z, from, to, o0, o1, o2, o3, e, k);
                break;
            case ELU:
                elu(z, from, to, o0, o1, o2, o3, e, k);
                break;
            case GELU:
                gelu(z, from, to, o0, o1, o2, o3, e, k);
                break;
            default:
                if (o0 != null) {
                    System.arraycopy(z, from, o0, from, to - from);
                }
                if (o1 != null) {
                    java.util.Arrays.fill(o1, from, to, 1.0);
                }
                if (o2 != null) {
                    java.util.Arrays.fill(o2, from, to, 0.0);
                }
                if (o3 != null) {
                    java.util.Arrays.fill(o3, from, to, 0.0);
                }
        }
    }

    /**
     * Softplus, sigmoid and SiLU from e = e^{−|z|}, q = 1/(1+e): σ = (p + (1−p)e)q with p = 1[z &gt; 0],
     * σ(1−σ) = e·q², 1 − 2σ = (1 − 2p)(1 − e)q — each accurate in both tails (no 1 − σ cancellation).
     * One loop per requested output keeps every loop branch-free, so C2 vectorises it; the shared
     * subexpressions are a few vector operations, cheaper to recompute than to store.
     */
    private static void logistic(Activation a, double[] z, int from, int to, double[] o0, double[] o1, double[] o2,
                                 double[] o3, double[] e, double[] k) {
        for (int i = from; i < to; i++) {
            e[i] = -Math.abs(z[i]);
        }
        expNonPositive(e, k, from, to);
        switch (a) {
            case SOFTPLUS:
                if (o0 != null) {
                    log1pUnit(e, o0, from, to);
                    for (int i = from; i < to; i++) {
                        o0[i] += Math.max(z[i], 0.0);
                    }
                }
                sigma(z, e, o1, from, to);
                sigmaPrime(e, o2, from, to);
                sigmaSecond(z, e, o3, from, to);
                break;
            case SIGMOID:
                sigma(z, e, o0, from, to);
                sigmaPrime(e, o1, from, to);
                sigmaSecond(z, e, o2, from, to);
                if (o3 != null) {
                    for (int i = from; i < to; i++) {
                        double ei = e[i];
                        double q = 1.0 / (1.0 + ei);
                        double d = ei * q * q;
                        o3[i] = d * (1.0 - 6.0 * d);
                    }
                }
                break;
            default:
                siluOutputs(z, e, o0, o1, o2, o3, from, to);
                break;
        }
    }

    /** o = σ(z) from e = e^{−|z|}. */
    private static void sigma(double[] z, double[] e, double[] o, int from, int to) {
        if (o == null) {
            return;
        }
        for (int i = from; i < to; i++) {
            double ei = e[i];
            double p = Math.ceil(Math.min(1.0, Math.max(0.0, z[i])));
            o[i] = (p + (1.0 - p) * ei) / (1.0 + ei);
        }
    }

    /** o = σ' = σ(1−σ) = e/(1+e)². */
    private static void sigmaPrime(double[] e, double[] o, int from, int to) {
        if (o == null) {
            return;
        }
        for (int i = from; i < to; i++) {
            double ei = e[i];
            double q = 1.0 / (1.0 + ei);
            o[i] = ei * q * q;
        }
    }

    /** o = σ'' = σ(1−σ)(1−2σ). */
    private static void sigmaSecond(double[] z, double[] e, double[] o, int from, int to) {
        if (o == null) {
            return;
        }
        for (int i = from; i < to; i++) {
            double ei = e[i];
            double p = Math.ceil(Math.min(1.0, Math.max(0.0, z[i])));
            double q = 1.0 / (1.0 + ei);
            o[i] = ei * q * q * ((1.0 - 2.0 * p) * (1.0 - ei) * q);
        }
    }

    /** SiLU: φ = zσ, φ' = σ + zd, φ'' = d(2 + zr), φ''' = d(3r + zr² − 2zd) with d = σ(1−σ), r = 1 − 2σ. */
    private static void siluOutputs(double[] z, double[] e, double[] o0, double[] o1, double[] o2, double[] o3,
                                    int from, int to) {
        if (o0 != null) {
            for (int i = from; i < to; i++) {
                double ei = e[i];
                double zi = z[i];
                double p = Math.ceil(Math.min(1.0, Math.max(0.0, zi)));
                o0[i] = zi * ((p + (1.0 - p) * ei) / (1.0 + ei));
            }
        }
        if (o1 != null) {
            for (int i = from; i < to; i++) {
                double ei = e[i];
                double zi = z[i];
                double p = Math.ceil(Math.min(1.0, Math.max(0.0, zi)));
                double q = 1.0 / (1.0 + ei);
                o1[i] = (p + (1.0 - p) * ei) * q + zi * (ei * q * q);
            }
        }
        if (o2 != null) {
            for (int i = from; i < to; i++) {
                double ei = e[i];
                double zi = z[i];
                double p = Math.ceil(Math.min(1.0, Math.max(0.0, zi)));
                double q = 1.0 / (1.0 + ei);
                o2[i] = ei * q * q * (2.0 + zi * ((1.0 - 2.0 * p) * (1.0 - ei) * q));
            }
        }
        if (o3 != null) {
            for (int i = from; i < to; i++) {
                double ei = e[i];
                double zi = z[i];
                double p = Math.ceil(Math.min(1.0, Math.max(0.0, zi)));
                double q = 1.0 / (1.0 + ei);
                double d = ei * q * q;
                double r = (1.0 - 2.0 * p) * (1.0 - ei) * q;
                o3[i] = d * (3.0 * r + zi * r * r - 2.0 * zi * d);
            }
        }
    }

    /** t = tanh z; 1 − t² = 4e/(1+e)² with e = e^{−2|z|} (accurate where t → ±1); φ'' = −2t(1−t²), φ''' = −2(1−t²)(1−3t²). */
    private static void tanh(double[] z, int from, int to, double[] o0, double[] o1, double[] o2, double[] o3,
                             double[] e, double[] k) {
        for (int i = from; i < to; i++) {
            e[i] = -2.0 * Math.abs(z[i]);
        }
        expNonPositive(e, k, from, to);
        for (int i = from; i < to; i++) {
            double t = Math.tanh(z[i]);
            double ei = e[i];
            double q = 1.0 / (1.0 + ei);
            double g = 4.0 * ei * q * q;
            if (o0 != null) {
                o0[i] = t;
            }
            if (o1 != null) {
                o1[i] = g;
            }
            if (o2 != null) {
                o2[i] = -2.0 * t * g;
            }
            if (o3 != null) {
                o3[i] = -2.0 * g * (g - 2.0 * t * t);
            }
        }
    }

    /** z &gt; 0: (z, 1, 0, 0); otherwise (eᶻ − 1, eᶻ, eᶻ, eᶻ); at 0 the left-hand values. */
    private static void elu(double[] z, int from, int to, double[] o0, double[] o1, double[] o2, double[] o3,
                            double[] e, double[] k) {
        for (int i = from; i < to; i++) {
            e[i] = Math.min(z[i], 0.0);
        }
        expNonPositive(e, k, from, to);
        for (int i = from; i < to; i++) {
            double zi = z[i];
            double ei = e[i];
            boolean pos = zi > 0;
            if (o0 != null) {
                o0[i] = pos ? zi : Math.expm1(zi);
            }
            if (o1 != null) {
                o1[i] = pos ? 1.0 : ei;
            }
            if (o2 != null) {
                o2[i] = pos ? 0.0 : ei;
            }
            if (o3 != null) {
                o3[i] = pos ? 0.0 : ei;
            }
        }
    }

    /** φ = zΦ, φ' = Φ + zϕ, φ'' = ϕ(2 − z²), φ''' = ϕ·z(z² − 4), ϕ the N(0,1) density. */
    private static void gelu(double[] z, int from, int to, double[] o0, double[] o1, double[] o2, double[] o3,
                             double[] e, double[] k) {
        for (int i = from; i < to; i++) {
            e[i] = -0.5 * z[i] * z[i];
        }
        expNonPositive(e, k, from, to);
        for (int i = from; i < to; i++) {
            double zi = z[i];
            double pdf = e[i] * INV_SQRT_2PI;
            boolean needCdf = o0 != null || o1 != null;
            double cdf = needCdf ? 0.5 * Erf.erfc(-zi * SQRT1_2) : 0.0;
            if (o0 != null) {
                o0[i] = zi * cdf;
            }
            if (o1 != null) {
                o1[i] = cdf + zi * pdf;
            }
            if (o2 != null) {
                o2[i] = pdf * (2.0 - zi * zi);
            }
            if (o3 != null) {
                o3[i] = pdf * zi * (zi * zi - 4.0);
            }
        }
    }
}
