package org.scorescope.analysis;

import org.ejml.data.DMatrixRMaj;

/**
 * A dense symmetric matrix as a {@link LinearOperator}: {@code out_i = Σ_j a_ij v_j} over a row-major
 * {@code n × n} array, which is wrapped, not copied (a 5000 × 5000 Hessian is 200 MB).
 *
 * <p>The constructor verifies symmetry, {@code max |a_ij − a_ji| <= relTol · max |a_ij|}; use
 * {@link #symmetrize} first for a matrix assembled with rounding-level asymmetry (e.g. by finite
 * differences). Thread-safe for concurrent {@code apply} calls as long as nobody writes the array.
 */
public final class DenseSymmetric implements LinearOperator {
    private final int n;
    private final double[] a;
    private final double asymmetry;

    /**
     * Wraps a row-major symmetric matrix, checking symmetry to relative tolerance {@code 1e-10}.
     *
     * @param n dimension, {@code >= 1}
     * @param a row-major entries, length {@code >= n²}, finite
     */
    public DenseSymmetric(int n, double[] a) {
        this(n, a, 1e-10);
    }

    /**
     * Wraps a row-major symmetric matrix.
     *
     * @param n      dimension, {@code >= 1}
     * @param a      row-major entries, length {@code >= n²}, finite
     * @param relTol allowed {@code max |a_ij − a_ji| / max |a_ij|}, {@code >= 0}
     * @throws IllegalArgumentException on bad sizes, non-finite entries or asymmetry above tolerance
     *                                  (naming the worst pair)
     */
    public DenseSymmetric(int n, double[] a, double relTol) {
        if (n < 1) {
            throw new IllegalArgumentException("DenseSymmetric: n must be >= 1, got " + n);
        }
        if (a == null || a.length < (long) n * n) {
            throw new IllegalArgumentException("DenseSymmetric: need " + ((long) n * n) + " entries for n = " + n + ", got "
                    + (a == null ? "null" : a.length));
        }
        if (!(relTol >= 0)) {
            throw new IllegalArgumentException("DenseSymmetric: relTol must be >= 0, got " + relTol);
        }
        this.n = n;
        this.a = a;
        this.asymmetry = checkSymmetric(n, a, relTol, "DenseSymmetric");
    }

    /**
     * Wraps an EJML matrix's backing array (row-major).
     *
     * @param m a square symmetric matrix
     * @return the operator
     */
    public static DenseSymmetric of(DMatrixRMaj m) {
        if (m.numRows != m.numCols) {
            throw new IllegalArgumentException("DenseSymmetric: matrix is " + m.numRows + "x" + m.numCols + ", not square");
        }
        return new DenseSymmetric(m.numRows, m.data);
    }

    /**
     * Replaces {@code a} in place by its symmetric part {@code (A + Aᵀ)/2}.
     *
     * @param n dimension
     * @param a row-major entries, length {@code >= n²}
     * @return the asymmetry that was removed, {@code max |a_ij − a_ji| / max |a_ij|} (0 for a zero matrix)
     */
    public static double symmetrize(int n, double[] a) {
        if (n < 1 || a == null || a.length < (long) n * n) {
            throw new IllegalArgumentException("DenseSymmetric.symmetrize: need n >= 1 and n² entries");
        }
        double asym = checkSymmetric(n, a, Double.POSITIVE_INFINITY, "DenseSymmetric.symmetrize");
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double m = 0.5 * (a[i * n + j] + a[j * n + i]);
                a[i * n + j] = m;
                a[j * n + i] = m;
            }
        }
        return asym;
    }

    /**
     * @return {@code max |a_ij − a_ji| / max |a_ij|} measured by the symmetry check, or NaN if unchecked
     *         (0 for a zero matrix)
     */
    static double checkSymmetric(int n, double[] a, double relTol, String who) {
        double amax = 0;
        double worst = 0;
        int wi = -1;
        int wj = -1;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = a[i * n + j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(who + ": entry (" + i + ", " + j + ") is " + v);
                }
                amax = Math.max(amax, Math.abs(v));
                if (j > i) {
                    double d = Math.abs(v - a[j * n + i]);
                    if (d > worst) {
                        worst = d;
                        wi = i;
                        wj = j;
                    }
                }
            }
        }
        double rel = amax == 0 ? 0 : worst / amax;
        if (rel > relTol) {
            throw new IllegalArgumentException(who + ": matrix is not symmetric: |a(" + wi + "," + wj + ") - a(" + wj + ","
                    + wi + ")| = " + worst + " is " + rel + " of max|a|, above tolerance " + relTol
                    + " (symmetrize it first if this is rounding)");
        }
        return rel;
    }

    /** @return the dimension n. */
    @Override
    public int dim() {
        return n;
    }

    /** {@code out_i = Σ_j a_ij v_j}. */
    @Override
    public void apply(double[] v, double[] out) {
        for (int i = 0; i < n; i++) {
            double s = 0;
            int row = i * n;
            for (int j = 0; j < n; j++) {
                s += a[row + j] * v[j];
            }
            out[i] = s;
        }
    }

    /**
     * @param i row
     * @param j column
     * @return {@code a_ij}
     */
    public double get(int i, int j) {
        return a[i * n + j];
    }

    /** @return the wrapped row-major array (not a copy). */
    public double[] data() {
        return a;
    }

    /** @return the relative asymmetry measured at construction. */
    public double asymmetry() {
        return asymmetry;
    }
}
