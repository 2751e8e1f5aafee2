package org.scorescope.analysis;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The analysis kernels that read each matrix row once and use it twice, a scatter ({@code y += x_r·row})
 * and a gather ({@code row·v}), written with the Vector API: C2 leaves such loops scalar because of the
 * reduction. Same arithmetic as the plain-Java loops they replace, with fused multiply-adds and the row
 * sums kept in vector lanes until the end of the row. Load this class only when
 * {@link org.scorescope.autodiff.Simd#available()} is true.
 */
final class VectorKernels {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private VectorKernels() {
    }

    /**
     * For rows q of {@code rows} in [q0, q1): {@code dots[q − q0] = rows[q]·x} and
     * {@code acc += coef[q − q0]·rows[q]}, over the first {@code len} entries (the θ_j–p block product of
     * {@link FactoredEnergyHessian#apply}).
     */
    static void axpyDotRows(double[][] rows, int q0, int q1, double[] coef, double[] x, double[] acc, double[] dots,
                            int len) {
        int end = S.loopBound(len);
        for (int q = q0; q < q1; q++) {
            double[] row = rows[q];
            double c = coef[q - q0];
            DoubleVector bc = DoubleVector.broadcast(S, c);
            DoubleVector sum = DoubleVector.zero(S);
            int j = 0;
            for (; j < end; j += S.length()) {
                DoubleVector r = DoubleVector.fromArray(S, row, j);
                sum = r.fma(DoubleVector.fromArray(S, x, j), sum);
                r.fma(bc, DoubleVector.fromArray(S, acc, j)).intoArray(acc, j);
            }
            double s = 0;
            for (; j < len; j++) {
                s += row[j] * x[j];
                acc[j] += c * row[j];
            }
            dots[q - q0] = s + sum.reduceLanes(VectorOperators.ADD);
        }
    }

    /** y[yOff + i] += a·x[xOff + i] for i &lt; len (C2 keeps this scalar when both arrays are offset). */
    static void axpy(double a, double[] x, int xOff, double[] y, int yOff, int len) {
        DoubleVector va = DoubleVector.broadcast(S, a);
        int end = S.loopBound(len);
        int i = 0;
        for (; i < end; i += S.length()) {
            DoubleVector.fromArray(S, x, xOff + i).fma(va, DoubleVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < len; i++) {
            y[yOff + i] += a * x[xOff + i];
        }
    }

    /** Σ_{i<n} a[off + i]·b[i]. */
    static double dot(double[] a, int off, double[] b, int n) {
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector s1 = DoubleVector.zero(S);
        int l = S.length();
        int i = 0;
        for (; i + 2 * l <= n; i += 2 * l) {
            s0 = DoubleVector.fromArray(S, a, off + i).fma(DoubleVector.fromArray(S, b, i), s0);
            s1 = DoubleVector.fromArray(S, a, off + i + l).fma(DoubleVector.fromArray(S, b, i + l), s1);
        }
        double s = 0;
        for (; i < n; i++) {
            s += a[off + i] * b[i];
        }
        return s + s0.add(s1).reduceLanes(VectorOperators.ADD);
    }

    /** w[i] −= Σ_{r<count} c_r·q[r·n + i] for i in [i0, i1): four rows of q per sweep over w. */
    static void subtractCombination(double[] q, int count, int n, double[] c, double[] w, int i0, int i1) {
        int end = i0 + S.loopBound(i1 - i0);
        int r = 0;
        for (; r + 3 < count; r += 4) {
            DoubleVector c0 = DoubleVector.broadcast(S, c[r]);
            DoubleVector c1 = DoubleVector.broadcast(S, c[r + 1]);
            DoubleVector c2 = DoubleVector.broadcast(S, c[r + 2]);
            DoubleVector c3 = DoubleVector.broadcast(S, c[r + 3]);
            int b0 = r * n;
            int b1 = b0 + n;
            int b2 = b1 + n;
            int b3 = b2 + n;
            int i = i0;
            for (; i < end; i += S.length()) {
                DoubleVector t = DoubleVector.fromArray(S, q, b0 + i).mul(c0);
                t = DoubleVector.fromArray(S, q, b1 + i).fma(c1, t);
                t = DoubleVector.fromArray(S, q, b2 + i).fma(c2, t);
                t = DoubleVector.fromArray(S, q, b3 + i).fma(c3, t);
                DoubleVector.fromArray(S, w, i).sub(t).intoArray(w, i);
            }
            for (; i < i1; i++) {
                w[i] -= c[r] * q[b0 + i] + c[r + 1] * q[b1 + i] + c[r + 2] * q[b2 + i] + c[r + 3] * q[b3 + i];
            }
        }
        for (; r < count; r++) {
            double cr = c[r];
            int b0 = r * n;
            for (int i = i0; i < i1; i++) {
                w[i] -= cr * q[b0 + i];
            }
        }
    }

    /** y[r0…n) = contributions of upper-triangle rows r0…r1−1 of the row-major n × n matrix a to a·v. */
    static void symvUpperRows(double[] a, int n, int r0, int r1, double[] v, double[] y) {
        java.util.Arrays.fill(y, r0, n, 0.0);
        int r = r0;
        for (; r + 1 < r1; r += 2) {
            int o0 = r * n;
            int o1 = o0 + n;
            double v0 = v[r];
            double v1 = v[r + 1];
            double a01 = a[o0 + r + 1];
            double s0 = a[o0 + r] * v0 + a01 * v1;
            double s1 = a01 * v0 + a[o1 + r + 1] * v1;
            DoubleVector bv0 = DoubleVector.broadcast(S, v0);
            DoubleVector bv1 = DoubleVector.broadcast(S, v1);
            DoubleVector acc0 = DoubleVector.zero(S);
            DoubleVector acc1 = DoubleVector.zero(S);
            int j = r + 2;
            int end = j + S.loopBound(n - j);
            for (; j < end; j += S.length()) {
                DoubleVector x0 = DoubleVector.fromArray(S, a, o0 + j);
                DoubleVector x1 = DoubleVector.fromArray(S, a, o1 + j);
                DoubleVector vj = DoubleVector.fromArray(S, v, j);
                x1.fma(bv1, x0.fma(bv0, DoubleVector.fromArray(S, y, j))).intoArray(y, j);
                acc0 = x0.fma(vj, acc0);
                acc1 = x1.fma(vj, acc1);
            }
            for (; j < n; j++) {
                double x0 = a[o0 + j];
                double x1 = a[o1 + j];
                y[j] += x0 * v0 + x1 * v1;
                s0 += x0 * v[j];
                s1 += x1 * v[j];
            }
            y[r] += s0 + acc0.reduceLanes(VectorOperators.ADD);
            y[r + 1] += s1 + acc1.reduceLanes(VectorOperators.ADD);
        }
        if (r < r1) {
            SymmetricTridiagonal.symvRow(a, n, r, v, y);
        }
    }
}
