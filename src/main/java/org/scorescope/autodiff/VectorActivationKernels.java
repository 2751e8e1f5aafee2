package org.scorescope.autodiff;

import static org.scorescope.autodiff.ActivationKernels.LG1;
import static org.scorescope.autodiff.ActivationKernels.LG2;
import static org.scorescope.autodiff.ActivationKernels.LG3;
import static org.scorescope.autodiff.ActivationKernels.LG4;
import static org.scorescope.autodiff.ActivationKernels.LG5;
import static org.scorescope.autodiff.ActivationKernels.LG6;
import static org.scorescope.autodiff.ActivationKernels.LG7;
import static org.scorescope.autodiff.ActivationKernels.LN2_HI;
import static org.scorescope.autodiff.ActivationKernels.LN2_LO;
import static org.scorescope.autodiff.ActivationKernels.LOG2E;
import static org.scorescope.autodiff.ActivationKernels.P1;
import static org.scorescope.autodiff.ActivationKernels.P2;
import static org.scorescope.autodiff.ActivationKernels.P3;
import static org.scorescope.autodiff.ActivationKernels.P4;
import static org.scorescope.autodiff.ActivationKernels.P5;
import static org.scorescope.autodiff.ActivationKernels.SHIFT;
import static org.scorescope.autodiff.ActivationKernels.SHIFT_BITS;
import static org.scorescope.autodiff.ActivationKernels.SQRT2;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ActivationKernels}' exp, log1p and logistic-family loops on the JDK's Vector API, one vector
 * of doubles per step: e^x for x ≤ 0, log(1 + x) on [0, 1], and softplus and sigmoid with their first
 * three derivatives from one e = e^{−|z|}, all requested derivatives of σ in one pass:
 * <pre>
 *   e = exp(−|z|), q = 1/(1+e), p = 1[z &gt; 0]
 *   σ = (p + (1−p)e)·q,  σ' = e·q²,  σ'' = σ'·(1−2p)(1−e)q,  softplus = log1p(e) + max(z, 0)
 * </pre>
 *
 * <p>Every lane runs exactly the scalar code's operations in the same order (fdlibm's exp and log1p
 * reductions and polynomials, no fused multiply-add), so the results are bit-identical to the plain
 * loops — hence within 1 ulp of {@link StrictMath} for exp and log1p, with the same NaN, ±∞,
 * underflow and subnormal behaviour; the tests check both. Each method handles whole vectors of
 * [from, to) and returns where it stopped; the caller's scalar loop does the rest.
 *
 * <p>Why: C2 (JDK 17) does not vectorise the exponent-field arithmetic (double ↔ long bits) of the
 * plain loops. This class must be loaded only when {@link Simd#available()}.
 */
final class VectorActivationKernels {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorActivationKernels() {
    }

    /** x[i] = e^{x[i]} (x ≤ 0) for the whole vectors of [from, to); returns the first index not done. */
    static int exp(double[] x, int from, int to) {
        int i = from;
        for (int upper = to - L; i <= upper; i += L) {
            exp(DoubleVector.fromArray(S, x, i)).intoArray(x, i);
        }
        return i;
    }

    /** out[i] = log(1 + e[i]) (e ∈ [0, 1]) for the whole vectors of [from, to); returns the first index not done. */
    static int log1pUnit(double[] e, double[] out, int from, int to) {
        int i = from;
        for (int upper = to - L; i <= upper; i += L) {
            log1pUnit(DoubleVector.fromArray(S, e, i)).intoArray(out, i);
        }
        return i;
    }

    /**
     * The non-null outputs among φ, φ', φ'', φ''' of softplus or sigmoid at z, for the whole vectors of
     * [from, to), with {@code e} as scratch; returns the first index not done (from itself for other
     * activations, whose plain loops still get this class's exp).
     */
    static int logistic(Activation a, double[] z, int from, int to, double[] o0, double[] o1, double[] o2,
                        double[] o3, double[] e) {
        if (a != Activation.SOFTPLUS && a != Activation.SIGMOID) {
            return from;
        }
        int end = from + (to - from) / L * L;
        // Separate short loops: one loop holding exp, log1p and the σ family exceeds C2's inlining budget,
        // and a vector op that is not inlined boxes its result on the heap.
        expNegAbs(z, e, from, end);
        if (a == Activation.SOFTPLUS) {
            if (o0 != null) {
                softplus(z, e, o0, from, end);
            }
            sigmaFamily(z, e, o1, o2, o3, from, end);
        } else {
            sigmaFamily(z, e, o0, o1, o2, from, end);
            if (o3 != null) {
                sigmoidThird(e, o3, from, end);
            }
        }
        return end;
    }

    /** e = e^{−|z|}. */
    private static void expNegAbs(double[] z, double[] e, int from, int end) {
        for (int i = from; i < end; i += L) {
            exp(DoubleVector.fromArray(S, z, i).abs().neg()).intoArray(e, i);
        }
    }

    /** o = log1p(e) + max(z, 0). */
    private static void softplus(double[] z, double[] e, double[] o, int from, int end) {
        for (int i = from; i < end; i += L) {
            log1pUnit(DoubleVector.fromArray(S, e, i)).add(DoubleVector.fromArray(S, z, i).max(0.0)).intoArray(o, i);
        }
    }

    /**
     * σ, σ' = e·q² and σ'' = σ'·(1 − 2p)(1 − e)q with q = 1/(1+e), p = 1[z &gt; 0], into the non-null
     * arrays. p + (1 − p)e is exactly e or 1, and 1 − 2p is ±1, so these are the scalar expressions' values.
     */
    private static void sigmaFamily(double[] z, double[] e, double[] s0, double[] s1, double[] s2, int from, int end) {
        if (s0 == null && s1 == null && s2 == null) {
            return;
        }
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        for (int i = from; i < end; i += L) {
            DoubleVector ev = DoubleVector.fromArray(S, e, i);
            VectorMask<Double> pos = DoubleVector.fromArray(S, z, i).compare(VectorOperators.GT, 0.0);
            DoubleVector onePlusE = ev.add(1.0);
            if (s0 != null) {
                ev.blend(1.0, pos).div(onePlusE).intoArray(s0, i);
            }
            DoubleVector q = one.div(onePlusE);
            DoubleVector d = ev.mul(q).mul(q);
            if (s1 != null) {
                d.intoArray(s1, i);
            }
            if (s2 != null) {
                d.mul(one.blend(-1.0, pos).mul(one.sub(ev)).mul(q)).intoArray(s2, i);
            }
        }
    }

    /** Sigmoid's φ''' = d(1 − 6d) with d = e·q². */
    private static void sigmoidThird(double[] e, double[] o, int from, int end) {
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        for (int i = from; i < end; i += L) {
            DoubleVector ev = DoubleVector.fromArray(S, e, i);
            DoubleVector q = one.div(ev.add(1.0));
            DoubleVector d = ev.mul(q).mul(q);
            d.mul(one.sub(d.mul(6.0))).intoArray(o, i);
        }
    }

    /**
     * e^x for x ≤ 0 lane by lane, as {@code ActivationKernels.expScalar}: x clamped at −746, x = k·ln2 + r
     * with |r| ≤ ln2/2, e^r by fdlibm's rational form, then 2^k applied in two factors (k ≥ −1076 reaches
     * the subnormals without underflowing the exponent field).
     */
    static DoubleVector exp(DoubleVector x0) {
        DoubleVector x = x0.max(-746.0);
        DoubleVector t = x.mul(LOG2E).add(SHIFT);
        DoubleVector kf = t.sub(SHIFT);
        DoubleVector hi = x.sub(kf.mul(LN2_HI));
        DoubleVector lo = kf.mul(LN2_LO);
        DoubleVector r = hi.sub(lo);
        DoubleVector tt = r.mul(r);
        DoubleVector c = r.sub(tt.mul(tt.mul(tt.mul(tt.mul(tt.mul(P5).add(P4)).add(P3)).add(P2)).add(P1)));
        DoubleVector y = DoubleVector.broadcast(S, 1.0).sub(lo.sub(r.mul(c).div(DoubleVector.broadcast(S, 2.0).sub(c))).sub(hi));
        LongVector kk = t.reinterpretAsLongs().sub(SHIFT_BITS);
        LongVector k1 = kk.lanewise(VectorOperators.ASHR, 1);
        LongVector k2 = kk.sub(k1);
        DoubleVector f1 = k1.add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        DoubleVector f2 = k2.add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        return y.mul(f1).mul(f2);
    }

    /** log(1 + x) for x ∈ [0, 1] lane by lane, as {@code ActivationKernels.log1pUnitScalar}. */
    static DoubleVector log1pUnit(DoubleVector x) {
        DoubleVector m = x.add(1.0).sub(SQRT2).mul(0x1p60).max(0.0).min(1.0);
        DoubleVector halfM = m.mul(0.5);
        DoubleVector f = x.mul(DoubleVector.broadcast(S, 1.0).sub(halfM)).sub(halfM);
        DoubleVector s = f.div(f.add(2.0));
        DoubleVector z = s.mul(s);
        DoubleVector w = z.mul(z);
        DoubleVector t1 = w.mul(w.mul(w.mul(LG6).add(LG4)).add(LG2));
        DoubleVector t2 = z.mul(w.mul(w.mul(w.mul(LG7).add(LG5)).add(LG3)).add(LG1));
        DoubleVector hfsq = f.mul(0.5).mul(f);
        return m.mul(LN2_HI).sub(hfsq.sub(s.mul(hfsq.add(t1).add(t2)).add(m.mul(LN2_LO))).sub(f));
    }
}
