package org.scorescope.analysis;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;

/** Test matrices with known spectra. */
final class SpectralFixtures {
    private SpectralFixtures() {
    }

    /** A random orthogonal matrix: Q of the QR factorization of a Gaussian matrix. */
    static DMatrixRMaj randomOrthogonal(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        DMatrixRMaj g = new DMatrixRMaj(n, n);
        for (int i = 0; i < n * n; i++) {
            g.data[i] = r.nextGaussian();
        }
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(n, n);
        if (!qr.decompose(g)) {
            throw new IllegalStateException("QR failed");
        }
        return qr.getQ(null, false);
    }

    /** Row-major A = Q diag(λ) Qᵀ, symmetrized so rounding leaves it exactly symmetric. */
    static double[] withSpectrum(double[] lambda, long seed) {
        int n = lambda.length;
        DMatrixRMaj q = randomOrthogonal(n, seed);
        DMatrixRMaj ql = q.copy();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                ql.data[i * n + j] *= lambda[j];
            }
        }
        DMatrixRMaj a = new DMatrixRMaj(n, n);
        CommonOps_DDRM.multTransB(ql, q, a);
        DenseSymmetric.symmetrize(n, a.data);
        return a.data;
    }

    /** λ_i = 10^(lo + (hi − lo)·i/(n−1)), ascending. */
    static double[] logSpaced(int n, double lo, double hi) {
        double[] l = new double[n];
        for (int i = 0; i < n; i++) {
            l[i] = Math.pow(10, lo + (hi - lo) * i / (n - 1));
        }
        return l;
    }

    /**
     * A = H diag(λ) H with the Householder reflection H = I − 2uuᵀ (|u| = 1): symmetric with spectrum λ,
     * applied in O(n) without forming the matrix — large "Hessians" for scale tests.
     */
    static LinearOperator householderOperator(double[] lambda, long seed) {
        int n = lambda.length;
        SplittableRandom r = new SplittableRandom(seed);
        double[] u = new double[n];
        double s = 0;
        for (int i = 0; i < n; i++) {
            u[i] = r.nextGaussian();
            s += u[i] * u[i];
        }
        double inv = 1 / Math.sqrt(s);
        for (int i = 0; i < n; i++) {
            u[i] *= inv;
        }
        double[] tmp = new double[n];
        return new LinearOperator() {
            @Override
            public int dim() {
                return n;
            }

            @Override
            public void apply(double[] v, double[] out) {
                double c = 0;
                for (int i = 0; i < n; i++) {
                    c += u[i] * v[i];
                }
                for (int i = 0; i < n; i++) {
                    tmp[i] = lambda[i] * (v[i] - 2 * c * u[i]);
                }
                double d = 0;
                for (int i = 0; i < n; i++) {
                    d += u[i] * tmp[i];
                }
                for (int i = 0; i < n; i++) {
                    out[i] = tmp[i] - 2 * d * u[i];
                }
            }
        };
    }
}
