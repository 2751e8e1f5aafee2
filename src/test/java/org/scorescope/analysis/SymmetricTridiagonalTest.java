package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.eig.SymmetricQRAlgorithmDecomposition_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.junit.jupiter.api.Test;
import org.scorescope.autodiff.Simd;

class SymmetricTridiagonalTest {

    /** EJML's eigenvalues (the reference the issue asks to match), ascending. */
    private static double[] ejml(int n, double[] a) {
        SymmetricQRAlgorithmDecomposition_DDRM eig =
                new SymmetricQRAlgorithmDecomposition_DDRM(DecompositionFactory_DDRM.tridiagonal(n), false);
        eig.setMaxIterations(Math.max(1000, 30 * n));
        assertTrue(eig.decompose(DMatrixRMaj.wrap(n, n, a.clone())), "EJML failed");
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = eig.getEigenvalue(i).real;
        }
        Arrays.sort(v);
        return v;
    }

    private static double[] randomSymmetric(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double x = r.nextGaussian();
                a[i * n + j] = x;
                a[j * n + i] = x;
            }
        }
        return a;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /** Issue #6 acceptance: |λ_k − λ_k(EJML)| ≤ 1e-12·max|λ| for every k, and ascending order. */
    private static void assertMatchesEjml(int n, double[] a, String what) {
        double[] ref = ejml(n, a);
        double[] got = SymmetricTridiagonal.eigenvalues(n, a.clone(), 2);
        double tol = 1e-12 * maxAbs(ref);
        for (int k = 0; k < n; k++) {
            assertEquals(ref[k], got[k], tol, what + ": eigenvalue " + k + " of " + n);
            if (k > 0) {
                assertTrue(got[k - 1] <= got[k], what + ": ascending at " + k);
            }
        }
    }

    @Test
    void randomSymmetricMatricesMatchEjml() {
        // sizes around the panel width (32) and both parallel thresholds (96 trailing-update, 160 symv rows)
        for (int n : new int[] {4, 5, 31, 32, 33, 65, 97, 200, 301}) {
            assertMatchesEjml(n, randomSymmetric(n, 100 + n), "random");
        }
    }

    @Test
    void fourteenDecadeSpectrumWithBothSignsMatchesEjmlAndTheTrueSpectrum() {
        int n = 240;
        double[] lambda = SpectralFixtures.logSpaced(n, -14, 0);
        for (int i = 0; i < n; i += 2) {
            lambda[i] = -lambda[i];
        }
        double[] a = SpectralFixtures.withSpectrum(lambda, 7);
        assertMatchesEjml(n, a, "14 decades");
        double[] got = SymmetricTridiagonal.eigenvalues(n, a.clone(), 1);
        double[] sorted = lambda.clone();
        Arrays.sort(sorted);
        for (int k = 0; k < n; k++) {
            // backward stable: |Δλ| ≲ n·ε·‖A‖ = 240·1.1e-16·1; building A = QΛQᵀ itself costs about as much
            assertEquals(sorted[k], got[k], 1e-13, "true eigenvalue " + k);
        }
    }

    @Test
    void smallMatricesHaveClosedFormEigenvalues() {
        assertArrayEquals(new double[] {-3.5}, SymmetricTridiagonal.eigenvalues(1, new double[] {-3.5}, 1));
        // [[2, 1], [1, 2]]: 1 and 3
        assertArrayEquals(new double[] {1, 3}, SymmetricTridiagonal.eigenvalues(2, new double[] {2, 1, 1, 2}, 1), 1e-15);
        // [[2, −1, 0], [−1, 2, −1], [0, −1, 2]]: 2 − √2, 2, 2 + √2
        double[] three = {2, -1, 0, -1, 2, -1, 0, -1, 2};
        double r2 = Math.sqrt(2);
        assertArrayEquals(new double[] {2 - r2, 2, 2 + r2}, SymmetricTridiagonal.eigenvalues(3, three, 1), 1e-15);
        // full 3×3 (the reflector is non-trivial): against EJML
        assertMatchesEjml(3, new double[] {4, 1, -2, 1, 2, 0.5, -2, 0.5, -3}, "3x3");
    }

    @Test
    void diagonalAndZeroMatricesAreExact() {
        int n = 70;
        double[] a = new double[n * n];
        double[] diag = new double[n];
        for (int i = 0; i < n; i++) {
            diag[i] = Math.sin(3.0 * i) * Math.pow(10, i % 7 - 3);
            a[i * n + i] = diag[i];
        }
        double[] sorted = diag.clone();
        Arrays.sort(sorted);
        // no reflector is needed (τ = 0 throughout), so nothing is rounded
        assertArrayEquals(sorted, SymmetricTridiagonal.eigenvalues(n, a, 2));
        assertArrayEquals(new double[n], SymmetricTridiagonal.eigenvalues(n, new double[n * n], 2));
    }

    @Test
    void repeatedEigenvaluesAreResolved() {
        int n = 120;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = i < 50 ? 1.0 : i < 90 ? -2.0 : 3.0; // multiplicities 50, 40, 30
        }
        double[] a = SpectralFixtures.withSpectrum(lambda, 11);
        assertMatchesEjml(n, a, "repeated");
        double[] got = SymmetricTridiagonal.eigenvalues(n, a.clone(), 2);
        double[] sorted = lambda.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, got, 1e-13);
    }

    @Test
    void vectorAndScalarProductsGiveTheSameEigenvalues() {
        // The test JVM resolves jdk.incubator.vector (pom argLine), so eigenvalues() above ran the
        // Vector API product; here the plain-Java loop is checked against it and against EJML.
        assertTrue(Simd.available(), "tests must run with --add-modules jdk.incubator.vector");
        for (int n : new int[] {5, 33, 161, 301}) {
            double[] a = randomSymmetric(n, 900 + n);
            double[] ref = ejml(n, a);
            double[] vector = SymmetricTridiagonal.eigenvalues(n, a.clone(), 2, true);
            double[] scalar = SymmetricTridiagonal.eigenvalues(n, a.clone(), 2, false);
            double tol = 1e-12 * maxAbs(ref);
            for (int k = 0; k < n; k++) {
                assertEquals(ref[k], scalar[k], tol, "scalar: eigenvalue " + k + " of " + n);
                assertEquals(ref[k], vector[k], tol, "vector: eigenvalue " + k + " of " + n);
            }
        }
    }

    @Test
    void resultsAreBitIdenticalForAnyThreadCount() {
        int n = 333; // parallel symv and trailing update for most columns, odd n, partial last panel
        double[] a = randomSymmetric(n, 5);
        double[] d1 = new double[n];
        double[] e1 = new double[n - 1];
        SymmetricTridiagonal.reduce(n, a.clone(), d1, e1, 1);
        for (int threads : new int[] {2, 3}) {
            double[] d = new double[n];
            double[] e = new double[n - 1];
            SymmetricTridiagonal.reduce(n, a.clone(), d, e, threads);
            assertArrayEquals(d1, d, "diagonal at " + threads + " threads");
            assertArrayEquals(e1, e, "off-diagonal at " + threads + " threads");
        }
    }

    @Test
    void reductionIsAnOrthogonalSimilarity() {
        // Qᵀ A Q = T preserves the trace and the Frobenius norm: Σ d_i = tr A, Σ d_i² + 2 Σ e_i² = ‖A‖_F²
        int n = 150;
        double[] a = randomSymmetric(n, 9);
        double trace = 0;
        double frob = 0;
        for (int i = 0; i < n; i++) {
            trace += a[i * n + i];
            for (int j = 0; j < n; j++) {
                frob += a[i * n + j] * a[i * n + j];
            }
        }
        double[] d = new double[n];
        double[] e = new double[n - 1];
        SymmetricTridiagonal.reduce(n, a.clone(), d, e, 2);
        double t = 0;
        double f = 0;
        for (int i = 0; i < n; i++) {
            t += d[i];
            f += d[i] * d[i] + (i < n - 1 ? 2 * e[i] * e[i] : 0);
        }
        assertEquals(trace, t, 1e-11 * Math.sqrt(frob));
        assertEquals(frob, f, 1e-12 * frob);
    }

    @Test
    void onlyTheUpperTriangleIsRead() {
        int n = 90;
        double[] a = randomSymmetric(n, 13);
        double[] ref = SymmetricTridiagonal.eigenvalues(n, a.clone(), 1);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                a[i * n + j] = Double.NaN;
            }
        }
        assertArrayEquals(ref, SymmetricTridiagonal.eigenvalues(n, a, 1));
    }

    @Test
    void hugeAndTinyScalesAreHandledByExactRescaling() {
        int n = 60;
        double[] a = randomSymmetric(n, 17);
        double[] ref = SymmetricTridiagonal.eigenvalues(n, a.clone(), 1);
        for (double s : new double[] {0x1p900, 0x1p-900}) {
            double[] b = a.clone();
            for (int i = 0; i < b.length; i++) {
                b[i] *= s;
            }
            double[] got = SymmetricTridiagonal.eigenvalues(n, b, 1);
            for (int k = 0; k < n; k++) {
                // the power-of-two pre-scaling undoes s exactly
                assertEquals(ref[k] * s, got[k], 1e-15 * maxAbs(ref) * s, "scale " + s + ", eigenvalue " + k);
            }
        }
    }

    @Test
    void tridiagonalToeplitzMatchesItsClosedForm() {
        // T = tridiag(b, a, b): λ_k = a + 2b cos(kπ/(n+1)), k = 1…n
        int n = 400;
        double a0 = 0.3;
        double b0 = -1.7;
        double[] d = new double[n];
        double[] e = new double[n - 1];
        Arrays.fill(d, a0);
        Arrays.fill(e, b0);
        SymmetricTridiagonal.tridiagonalEigenvalues(n, d, e);
        double[] exact = new double[n];
        for (int k = 1; k <= n; k++) {
            exact[k - 1] = a0 + 2 * b0 * Math.cos(k * Math.PI / (n + 1));
        }
        Arrays.sort(exact);
        assertArrayEquals(exact, d, 1e-13);
    }

    @Test
    void tridiagonalValuesAgreeWithTheTql2Implementation() {
        int n = 257;
        SplittableRandom r = new SplittableRandom(3);
        double[] d = new double[n];
        double[] e = new double[n - 1];
        for (int i = 0; i < n; i++) {
            d[i] = r.nextGaussian() * Math.pow(10, r.nextInt(-6, 3));
            if (i < n - 1) {
                e[i] = i % 17 == 5 ? 0 : r.nextGaussian(); // some exact splits
            }
        }
        double[] d2 = d.clone();
        double[] e2 = e.clone();
        SymmetricTridiagonal.tridiagonalEigenvalues(n, d, e);
        TridiagonalEigen.decompose(n, d2, e2, null, null);
        assertArrayEquals(d2, d, 1e-13 * maxAbs(d2));
    }

    @Test
    void twoByTwoKernelMatchesTheQuadraticFormula() {
        double[] rt = SymmetricTridiagonal.eig2(1e8, 1.0, 1.0);
        // λ = (a + c)/2 ± √(((a − c)/2)² + b²); the small root from λ₁λ₂ = ac − b² without cancellation
        double big = 0.5 * (1e8 + 1) + Math.sqrt(0.25 * (1e8 - 1) * (1e8 - 1) + 1);
        assertEquals(big, rt[0], 1e-16 * big);
        assertEquals((1e8 - 1) / big, rt[1], 1e-16);
        double[] sym = SymmetricTridiagonal.eig2(0, 2, 0);
        assertEquals(2, sym[0], 1e-15);
        assertEquals(-2, sym[1], 1e-15);
    }

    @Test
    void badInputIsRejectedWithAReason() {
        double[] a = {1, 2, 2, Double.NaN};
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> SymmetricTridiagonal.eigenvalues(2, a, 1));
        assertTrue(ex.getMessage().contains("(1, 1)"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SymmetricTridiagonal.eigenvalues(3, new double[8], 1));
        assertThrows(IllegalArgumentException.class, () -> SymmetricTridiagonal.eigenvalues(0, new double[0], 1));
        assertThrows(IllegalArgumentException.class, () -> SymmetricTridiagonal.eigenvalues(2, new double[4], 0));
        assertThrows(IllegalArgumentException.class,
                () -> SymmetricTridiagonal.tridiagonalEigenvalues(2, new double[] {1, Double.POSITIVE_INFINITY}, new double[] {0}));
        assertThrows(IllegalArgumentException.class,
                () -> SymmetricTridiagonal.tridiagonalEigenvalues(3, new double[3], new double[1]));
    }

    @Test
    void symmetricEigenValuesOnlyPathAgreesWithItsEjmlVectorPath() {
        int n = 180;
        double[] a = randomSymmetric(n, 23);
        SymmetricEigen fast = SymmetricEigen.decomposeInPlace(n, a.clone(), false, 0.25);
        SymmetricEigen full = SymmetricEigen.decomposeInPlace(n, a.clone(), true, 0);
        assertEquals(0.25, fast.asymmetry());
        assertEquals(n, fast.dim());
        assertTrue(!fast.hasVectors());
        double tol = 1e-12 * maxAbs(full.values());
        assertArrayEquals(full.values(), fast.values(), tol);
    }
}
