package org.scorescope.analysis;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.decomposition.eig.SymmetricQRAlgorithmDecomposition_DDRM;

/**
 * Full eigen-decomposition {@code A = V Λ Vᵀ} of a dense symmetric matrix, eigenvalues sorted ascending,
 * eigenvectors optional. Eigenvalues alone come from {@link SymmetricTridiagonal} (blocked, multi-threaded
 * Householder tridiagonalization + root-free QL/QR, several times faster than EJML for large n);
 * with eigenvectors EJML is used (Householder tridiagonalization + implicit symmetric QR).
 *
 * <p>The input is checked for symmetry (relative tolerance as given) and its symmetric part
 * {@code (A + Aᵀ)/2} is decomposed, from a copy — the caller's array is not modified. Cost
 * {@code O(n³)}: fine for hundreds to a couple of thousand; for the extreme eigenvalues of larger
 * operators use {@link Lanczos}. Immutable result.
 */
public final class SymmetricEigen {
    private final int n;
    private final double[] values;
    private final double[] vectors;
    private final double asymmetry;

    private SymmetricEigen(int n, double[] values, double[] vectors, double asymmetry) {
        this.n = n;
        this.values = values;
        this.vectors = vectors;
        this.asymmetry = asymmetry;
    }

    /**
     * Decomposes with symmetry tolerance {@code 1e-10}.
     *
     * @param n            dimension
     * @param a            row-major {@code n × n} entries (not modified)
     * @param needVectors  whether to compute eigenvectors
     * @return the decomposition
     */
    public static SymmetricEigen decompose(int n, double[] a, boolean needVectors) {
        return decompose(n, a, needVectors, 1e-10);
    }

    /**
     * Decomposes {@code (A + Aᵀ)/2}.
     *
     * @param n           dimension, {@code >= 1}
     * @param a           row-major {@code n × n} entries (not modified), finite
     * @param needVectors whether to compute eigenvectors
     * @param relTol      allowed {@code max |a_ij − a_ji| / max |a_ij|}
     * @return the decomposition
     * @throws IllegalArgumentException if the matrix is not symmetric within {@code relTol} (naming the pair)
     * @throws IllegalStateException    if EJML reports failure
     */
    public static SymmetricEigen decompose(int n, double[] a, boolean needVectors, double relTol) {
        if (n < 1 || a == null || a.length < (long) n * n) {
            throw new IllegalArgumentException("SymmetricEigen: need n >= 1 and n² = " + ((long) n * n) + " entries, got n="
                    + n + ", " + (a == null ? "null" : a.length));
        }
        double asym = DenseSymmetric.checkSymmetric(n, a, relTol, "SymmetricEigen");
        double[] sym = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                sym[i * n + j] = 0.5 * (a[i * n + j] + a[j * n + i]);
            }
        }
        return decomposeInPlace(n, sym, needVectors, asym);
    }

    /**
     * Decomposes an exactly symmetric matrix without copying it (a P = 4417 parameter Hessian is
     * 156 MB): its entries are overwritten.
     *
     * <p>Without vectors: {@link SymmetricTridiagonal#eigenvalues(int, double[])} on
     * {@link org.scorescope.autodiff.ComputeThreads#get()} threads (reads only the upper triangle).
     * With vectors: EJML. EJML's implicit symmetric QR gives up after 225 steps per deflation by default; a sloppy
     * spectrum (eigenvalues over ten or more decades with a tail at the rounding floor) can need more
     * — the P = 4417 Hessian of a 2-64-64-1 energy network did — so the cap is max(1000, 30·n).
     *
     * @param n           dimension, {@code >= 1}
     * @param a           row-major {@code n × n} symmetric entries, overwritten
     * @param needVectors whether to compute eigenvectors
     * @param asymmetry   the asymmetry to report (measured by the caller before symmetrizing)
     * @return the decomposition
     * @throws IllegalArgumentException on bad sizes, or (values only) a non-finite entry
     * @throws IllegalStateException if the QR iteration does not converge
     */
    public static SymmetricEigen decomposeInPlace(int n, double[] a, boolean needVectors, double asymmetry) {
        if (n < 1 || a == null || a.length < (long) n * n) {
            throw new IllegalArgumentException("SymmetricEigen: need n >= 1 and n² = " + ((long) n * n) + " entries, got n="
                    + n + ", " + (a == null ? "null" : a.length));
        }
        if (!needVectors) {
            return new SymmetricEigen(n, SymmetricTridiagonal.eigenvalues(n, a), null, asymmetry);
        }
        SymmetricQRAlgorithmDecomposition_DDRM eig =
                new SymmetricQRAlgorithmDecomposition_DDRM(DecompositionFactory_DDRM.tridiagonal(n), needVectors);
        eig.setMaxIterations(Math.max(1000, 30 * n));
        if (!eig.decompose(DMatrixRMaj.wrap(n, n, a))) {
            throw new IllegalStateException("SymmetricEigen: EJML's symmetric QR algorithm did not converge for n = " + n);
        }
        int cnt = eig.getNumberOfEigenvalues();
        double[] raw = new double[cnt];
        for (int i = 0; i < cnt; i++) {
            raw[i] = eig.getEigenvalue(i).real;
        }
        int[] order = argsort(raw);
        double[] values = new double[cnt];
        double[] vectors = needVectors ? new double[cnt * n] : null;
        for (int k = 0; k < cnt; k++) {
            values[k] = raw[order[k]];
            if (needVectors) {
                DMatrixRMaj v = eig.getEigenVector(order[k]);
                if (v == null) {
                    throw new IllegalStateException("SymmetricEigen: EJML returned no eigenvector for eigenvalue " + values[k]);
                }
                System.arraycopy(v.data, 0, vectors, k * n, n);
            }
        }
        return new SymmetricEigen(n, values, vectors, asymmetry);
    }

    /** Indices that sort {@code v} ascending (merge sort on primitives; no boxing). */
    static int[] argsort(double[] v) {
        int n = v.length;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        int[] tmp = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n - width; lo += 2 * width) {
                int mid = lo + width;
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    tmp[k++] = v[idx[j]] < v[idx[i]] ? idx[j++] : idx[i++];
                }
                while (i < mid) {
                    tmp[k++] = idx[i++];
                }
                while (j < hi) {
                    tmp[k++] = idx[j++];
                }
                System.arraycopy(tmp, lo, idx, lo, hi - lo);
            }
        }
        return idx;
    }

    /** @return the eigenvectors, row k for eigenvalue k, without copying (they can be P² doubles); null if not computed */
    double[] vectorsUnshared() {
        return vectors;
    }

    /** @return the dimension. */
    public int dim() {
        return n;
    }

    /** @return a copy of the eigenvalues, ascending. */
    public double[] values() {
        return values.clone();
    }

    /**
     * @param k index in ascending order
     * @return {@code λ_k}
     */
    public double value(int k) {
        return values[k];
    }

    /** @return whether eigenvectors were computed. */
    public boolean hasVectors() {
        return vectors != null;
    }

    /**
     * Copies the unit eigenvector of {@code λ_k}.
     *
     * @param k   index in ascending order
     * @param out destination, length {@code >= n}
     */
    public void vector(int k, double[] out) {
        if (vectors == null) {
            throw new IllegalStateException("SymmetricEigen: eigenvectors were not requested");
        }
        System.arraycopy(vectors, k * n, out, 0, n);
    }

    /** @return the relative asymmetry {@code max |a_ij − a_ji| / max |a_ij|} of the input. */
    public double asymmetry() {
        return asymmetry;
    }
}
