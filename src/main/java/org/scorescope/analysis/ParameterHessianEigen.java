package org.scorescope.analysis;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.eig.SymmetricQRAlgorithmDecomposition_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;

/**
 * The dense eigen-decomposition H = V Λ Vᵀ of an already symmetric parameter Hessian: EJML's Householder
 * tridiagonalization followed by its implicit symmetric QR algorithm (what {@link SymmetricEigen} runs), with
 * the QR step cap raised from EJML's default of 225 steps per deflation to max(1000, 30·n).
 *
 * <p>Why not {@link SymmetricEigen} directly: a sloppy spectrum — eigenvalues spread over ten or more decades
 * with a long tail at the rounding floor — can need more than 225 implicit QR steps before the trailing
 * off-diagonal deflates. On the P = 4417 Hessian of a 2-64-64-1 energy network EJML's default gave up
 * ({@code decompose} returned false) while 1000 steps converged in about 150 ms. The matrix is used in place
 * (no copy: a P = 4417 Hessian is 156 MB), so it must already be exactly symmetric, as
 * {@link ParameterHessian#assemble} leaves it.
 */
final class ParameterHessianEigen {
    private ParameterHessianEigen() {
    }

    /**
     * Eigenvalues ascending and, when asked, unit eigenvectors.
     *
     * @param values  eigenvalues, ascending
     * @param vectors row-major n × n, row k the eigenvector of {@code values[k]}; null unless requested
     */
    record Result(double[] values, double[] vectors) {
    }

    /**
     * Decomposes a symmetric matrix.
     *
     * @param n       dimension ≥ 1
     * @param a       row-major n × n symmetric entries; EJML may overwrite them
     * @param vectors whether to compute the eigenvectors (several times the cost of the values)
     * @return the decomposition
     * @throws IllegalStateException if the QR iteration still fails to converge
     */
    static Result decompose(int n, double[] a, boolean vectors) {
        if (n < 1 || a == null || a.length < (long) n * n) {
            throw new IllegalArgumentException("ParameterHessianEigen: need n >= 1 and n² entries");
        }
        DMatrixRMaj m = DMatrixRMaj.wrap(n, n, a);
        SymmetricQRAlgorithmDecomposition_DDRM eig =
                new SymmetricQRAlgorithmDecomposition_DDRM(DecompositionFactory_DDRM.tridiagonal(n), vectors);
        eig.setMaxIterations(Math.max(1000, 30 * n));
        if (!eig.decompose(m)) {
            throw new IllegalStateException("ParameterHessianEigen: EJML's symmetric QR algorithm did not converge for n = "
                    + n);
        }
        int cnt = eig.getNumberOfEigenvalues();
        double[] raw = new double[cnt];
        for (int i = 0; i < cnt; i++) {
            raw[i] = eig.getEigenvalue(i).real;
        }
        int[] order = SymmetricEigen.argsort(raw);
        double[] values = new double[cnt];
        double[] vecs = vectors ? new double[cnt * n] : null;
        for (int k = 0; k < cnt; k++) {
            values[k] = raw[order[k]];
            if (vectors) {
                DMatrixRMaj v = eig.getEigenVector(order[k]);
                if (v == null) {
                    throw new IllegalStateException("ParameterHessianEigen: EJML returned no eigenvector for eigenvalue "
                            + values[k]);
                }
                System.arraycopy(v.data, 0, vecs, k * n, n);
            }
        }
        return new Result(values, vecs);
    }
}
