package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LanczosTest {

    private static void assertRelative(double expected, double actual, double rel, String what) {
        assertTrue(Math.abs(actual - expected) <= rel * Math.abs(expected),
                what + ": expected " + expected + " got " + actual + " (rel err " + Math.abs(actual - expected) / Math.abs(expected) + ")");
    }

    @Test
    void topFiveOfATwelveDecadeSpectrumMatchTheFullDecomposition() {
        int n = 400;
        // a "sloppy" parameter-Hessian-like spectrum: 10⁻¹² … 10⁰, log-spaced
        double[] lambda = SpectralFixtures.logSpaced(n, -12, 0);
        double[] a = SpectralFixtures.withSpectrum(lambda, 11);
        DenseSymmetric op = new DenseSymmetric(n, a);
        double[] full = SymmetricEigen.decompose(n, a, false).values();
        Lanczos.Result res = new Lanczos(200, 1e-10, 5).largest(op, 5, true);
        assertTrue(res.converged(), "not converged after " + res.iterations());
        assertTrue(res.iterations() < 200);
        double[] y = new double[n];
        double[] ay = new double[n];
        for (int t = 0; t < 5; t++) {
            assertRelative(full[n - 1 - t], res.top()[t], 1e-8, "top " + t);
            assertRelative(lambda[n - 1 - t], res.top()[t], 1e-8, "top vs construction " + t);
            // the Ritz vector's true residual agrees with the cheap estimate's bound
            System.arraycopy(res.topVectors(), t * n, y, 0, n);
            op.apply(y, ay);
            double r = 0;
            for (int i = 0; i < n; i++) {
                double d = ay[i] - res.top()[t] * y[i];
                r += d * d;
            }
            assertTrue(Math.sqrt(r) <= 1e-9 * res.top()[t], "true residual " + Math.sqrt(r));
            assertEquals(1.0, Lanczos.dot(y, 0, y, n), 1e-12);
        }
    }

    @Test
    void bottomOfAnIndefiniteSpectrumAndBothEndsAtOnce() {
        int n = 300;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            // negative directions spread over decades (saddle-point Hessian), then a positive bulk
            lambda[i] = i < 10 ? -Math.pow(10, 1 - 0.3 * i) : 1e-3 + 5.0 * (i - 10) / n;
        }
        double[] a = SpectralFixtures.withSpectrum(lambda, 12);
        DenseSymmetric op = new DenseSymmetric(n, a);
        double[] full = SymmetricEigen.decompose(n, a, false).values();
        Lanczos lz = new Lanczos(250, 1e-10, 9);
        Lanczos.Result bottom = lz.smallest(op, 4, false);
        assertTrue(bottom.converged());
        for (int t = 0; t < 4; t++) {
            assertRelative(full[t], bottom.bottom()[t], 1e-8, "bottom " + t);
            assertTrue(bottom.bottomResiduals()[t] <= 1e-10 * Math.abs(full[t]) + 1e-13);
        }
        Lanczos.Result both = lz.extremes(op, 2, 3, false);
        assertTrue(both.converged());
        assertRelative(full[n - 1], both.top()[0], 1e-8, "top");
        assertRelative(full[n - 2], both.top()[1], 1e-8, "top 2");
        for (int t = 0; t < 3; t++) {
            assertRelative(full[t], both.bottom()[t], 1e-8, "bottom " + t);
        }
    }

    @Test
    void smallProblemsAreSolvedExactlyAndBreakdownRestarts() {
        // n <= maxIterations: the Krylov space is the whole space
        double[] lambda = {-2, 0.5, 1, 3, 7, 8};
        double[] a = SpectralFixtures.withSpectrum(lambda, 2);
        Lanczos.Result r = new Lanczos(50, 1e-12, 1).extremes(new DenseSymmetric(6, a), 3, 3, false);
        assertTrue(r.converged());
        assertEquals(6, r.iterations());
        for (int t = 0; t < 3; t++) {
            assertEquals(lambda[5 - t], r.top()[t], 1e-13);
            assertEquals(lambda[t], r.bottom()[t], 1e-13);
        }
        // the identity breaks down at every step; restarts still deliver 1 with multiplicity 4
        int n = 30;
        double[] id = new double[n * n];
        for (int i = 0; i < n; i++) {
            id[i * n + i] = 1;
        }
        Lanczos.Result ones = new Lanczos(40, 1e-10, 3).largest(new DenseSymmetric(n, id), 4, true);
        assertTrue(ones.converged());
        // one step per copy: each step is an invariant subspace, found and left at once
        assertEquals(4, ones.iterations());
        for (int t = 0; t < 4; t++) {
            assertEquals(1.0, ones.top()[t], 1e-14);
        }
        // the four Ritz vectors are orthonormal
        for (int s = 0; s < 4; s++) {
            for (int t = 0; t < 4; t++) {
                double d = 0;
                for (int i = 0; i < n; i++) {
                    d += ones.topVectors()[s * n + i] * ones.topVectors()[t * n + i];
                }
                assertEquals(s == t ? 1 : 0, d, 1e-12);
            }
        }
    }

    @Test
    void fiveThousandParameterOperatorTopFive() {
        // P = 5000 matrix-free (Householder-rotated diagonal), 12 decades: the scale the app needs
        int n = 5000;
        double[] lambda = SpectralFixtures.logSpaced(n, -12, 0);
        LinearOperator op = SpectralFixtures.householderOperator(lambda, 4);
        Lanczos.Result res = new Lanczos(300, 1e-10, 8).largest(op, 5, false);
        assertTrue(res.converged(), "iterations " + res.iterations());
        for (int t = 0; t < 5; t++) {
            assertRelative(lambda[n - 1 - t], res.top()[t], 1e-8, "top " + t);
        }
    }

    @Test
    void reorthogonalizationLeavesWOrthogonalToTheBasisOnBothKernels() {
        // 9 orthonormal rows (QR of Gaussians by Gram–Schmidt twice) in dimension 101, w with a large
        // component in their span: both the Vector API and the plain loops remove it to rounding.
        int n = 101;
        int count = 9;
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        double[] q = new double[count * n];
        for (int k = 0; k < count; k++) {
            double[] g = new double[n];
            for (int i = 0; i < n; i++) {
                g[i] = r.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < k; j++) {
                    double c = Lanczos.dot(q, j * n, g, n);
                    for (int i = 0; i < n; i++) {
                        g[i] -= c * q[j * n + i];
                    }
                }
            }
            double norm = Math.sqrt(Lanczos.dot(g, 0, g, n));
            for (int i = 0; i < n; i++) {
                q[k * n + i] = g[i] / norm;
            }
        }
        double[] w0 = new double[n];
        for (int i = 0; i < n; i++) {
            w0[i] = 1e-3 * r.nextGaussian();
            for (int k = 0; k < count; k++) {
                w0[i] += (k + 1) * q[k * n + i];
            }
        }
        double[] wVec = w0.clone();
        double[] wPlain = w0.clone();
        Lanczos.reorthogonalize(q, count, n, wVec, true);
        Lanczos.reorthogonalize(q, count, n, wPlain, false);
        for (int k = 0; k < count; k++) {
            assertEquals(0, Lanczos.dot(q, k * n, wVec, n), 1e-15, "vector kernels: q_" + k + "·w");
            assertEquals(0, Lanczos.dot(q, k * n, wPlain, n), 1e-15, "plain loops: q_" + k + "·w");
        }
        for (int i = 0; i < n; i++) {
            assertEquals(wPlain[i], wVec[i], 1e-15, "w_" + i);
        }
    }
}
