package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.scorescope.autodiff.Activation;
import org.scorescope.model.EnergyMlp;
import org.scorescope.model.ScoreModel;
import org.scorescope.objective.ExactScoreMatching;

/**
 * Eigenvectors on demand from the kept Householder reflectors: for random indices, ‖Av − λv‖ ≤ tol·‖A‖ and ‖v‖ = 1
 * against matrices with a known spectrum, agreement with EJML's eigenvectors where the eigenvalue is separated, and
 * orthogonal vectors inside a cluster of equal eigenvalues.
 */
class HouseholderEigenvectorsTest {

    /** ‖A v − λ v‖₂ with A row-major n × n. */
    private static double residual(int n, double[] a, double[] v, double lambda) {
        double[] av = new double[n];
        new DenseSymmetric(n, a).apply(v, av);
        for (int i = 0; i < n; i++) {
            av[i] -= lambda * v[i];
        }
        return norm(av);
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double c : v) {
            s += c * c;
        }
        return Math.sqrt(s);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /**
     * Checks every index in {@code ks}: the eigenvalue against {@code lambda} (ascending), the residual and the norm of
     * v; returns the vectors.
     */
    private static double[][] checkPairs(int n, double[] a, double[] lambda, int[] ks, double tol, String what) {
        HouseholderEigenvectors src = HouseholderEigenvectors.decompose(n, a.clone(), 2);
        double[] values = src.eigenvalues();
        double norm = maxAbs(lambda);
        double[][] out = new double[ks.length][];
        for (int q = 0; q < ks.length; q++) {
            int k = ks[q];
            EigenvectorSource.Eigenpair e = src.eigenpair(k);
            assertEquals(lambda[k], values[k], 1e-12 * norm, what + ": λ_" + k);
            assertEquals(values[k], e.value(), 0, what + ": the pair's λ is the listed one");
            assertEquals(1.0, norm(e.vector()), 1e-12, what + ": ‖v_" + k + "‖");
            double r = residual(n, a, e.vector(), e.value());
            assertTrue(r <= tol * norm, what + ": ‖Av − λv‖ = " + r + " for k = " + k + " (‖A‖ = " + norm + ")");
            assertTrue(e.residual() <= tol * norm, what + ": reported residual " + e.residual());
            out[q] = e.vector();
        }
        return out;
    }

    @Test
    void randomIndicesOfAKnownSpectrumSatisfyAvEqualsLambdaV() {
        // sizes around the panel width and the parallel thresholds of the reduction
        for (int n : new int[] {1, 2, 3, 33, 170, 301}) {
            double[] lambda = new double[n];
            SplittableRandom r = new SplittableRandom(n);
            for (int i = 0; i < n; i++) {
                lambda[i] = 4 * r.nextDouble() - 1;
            }
            java.util.Arrays.sort(lambda);
            double[] a = SpectralFixtures.withSpectrum(lambda, 7 + n);
            int[] ks = new int[Math.min(n, 12)];
            for (int q = 0; q < ks.length; q++) {
                ks[q] = q < 2 ? (q == 0 ? 0 : n - 1) : r.nextInt(n);
            }
            checkPairs(n, a, lambda, ks, 1e-13 * Math.max(n, 10), "uniform n = " + n);
        }
    }

    @Test
    void fourteenDecadesWithBothSignsAndAClusterOfEqualEigenvalues() {
        int n = 240;
        double[] mags = SpectralFixtures.logSpaced(n, -14, 0);
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = i % 2 == 0 ? -mags[i] : mags[i];
        }
        // five equal eigenvalues in the middle of the range
        for (int i = 0; i < 5; i++) {
            lambda[100 + 2 * i + 1] = 0.25;
        }
        java.util.Arrays.sort(lambda);
        double[] a = SpectralFixtures.withSpectrum(lambda, 99);
        int first = -1;
        for (int i = 0; i < n; i++) {
            if (lambda[i] == 0.25) {
                first = i;
                break;
            }
        }
        int[] cluster = {first, first + 1, first + 2, first + 3, first + 4};
        double[][] v = checkPairs(n, a, lambda, cluster, 1e-13 * n, "cluster");
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < i; j++) {
                assertEquals(0, dot(v[i], v[j]), 1e-10, "vectors " + i + ", " + j + " of the cluster are orthogonal");
            }
        }
        Random r = new Random(5);
        int[] ks = new int[20];
        for (int q = 0; q < ks.length; q++) {
            ks[q] = r.nextInt(n);
        }
        checkPairs(n, a, lambda, ks, 1e-13 * n, "14 decades");
    }

    @Test
    void separatedEigenvectorsAgreeWithEjmlAndTheNoteFollowsTheGap() {
        int n = 120;
        double[] lambda = SpectralFixtures.logSpaced(n, -16, 1);
        double[] a = SpectralFixtures.withSpectrum(lambda, 3);
        SymmetricEigen ref = SymmetricEigen.decompose(n, a, true);
        HouseholderEigenvectors src = HouseholderEigenvectors.decompose(n, a.clone());
        double[] w = new double[n];
        int checked = 0;
        for (int k = 0; k < n; k++) {
            EigenvectorSource.Eigenpair e = src.eigenpair(k);
            ref.vector(k, w);
            double cos = Math.abs(dot(e.vector(), w));
            // Davis–Kahan with both solvers' backward errors: angle ≲ 2δ/gap
            double bound = 2 * e.noiseFloor() / e.gap();
            if (bound < 1e-3) {
                assertEquals(1, cos, Math.max(1e-12, bound * bound), "λ_" + k + " = " + e.value());
                assertFalse(e.noiseDominated(), "λ_" + k + " is above the floor with a wide gap");
                checked++;
            }
            if (Math.abs(lambda[k]) < 1e-3 * e.noiseFloor()) {
                assertTrue(e.noiseDominated(), "λ_" + k + " = " + lambda[k] + " is below the floor");
                assertTrue(e.belowFloor());
            }
        }
        assertTrue(checked > n / 2, "most of the ladder is above the floor: " + checked);
    }

    @Test
    void aTinyOrHugeMatrixIsScaledAndGivesTheSameVectors() {
        int n = 60;
        double[] lambda = SpectralFixtures.logSpaced(n, -6, 0);
        double[] a = SpectralFixtures.withSpectrum(lambda, 11);
        HouseholderEigenvectors plain = HouseholderEigenvectors.decompose(n, a.clone());
        for (double f : new double[] {0x1p-140, 0x1p140}) {
            double[] b = a.clone();
            for (int i = 0; i < b.length; i++) {
                b[i] *= f;
            }
            HouseholderEigenvectors scaled = HouseholderEigenvectors.decompose(n, b);
            for (int k : new int[] {0, 17, n - 1}) {
                assertArrayEquals(plain.eigenpair(k).vector(), scaled.eigenpair(k).vector(), 1e-12, "k = " + k);
                assertEquals(lambda[k] * f, scaled.eigenpair(k).value(), 1e-12 * f);
            }
        }
    }

    @Test
    void vectorsDoNotDependOnTheThreadCount() {
        int n = 260;
        double[] a = SpectralFixtures.withSpectrum(SpectralFixtures.logSpaced(n, -8, 0), 21);
        HouseholderEigenvectors one = HouseholderEigenvectors.decompose(n, a.clone(), 1);
        HouseholderEigenvectors two = HouseholderEigenvectors.decompose(n, a.clone(), 2);
        for (int k : new int[] {0, 130, n - 1}) {
            assertArrayEquals(one.eigenpair(k).vector(), two.eigenpair(k).vector(), 0, "k = " + k);
        }
    }

    @Test
    void aSmallModelsHessianAgreesWithEjmlsEigenvectors() {
        ScoreModel m = new EnergyMlp(2, 8, 2, Activation.SOFTPLUS);
        double[][] x = new double[24][2];
        Random r = new Random(8);
        for (double[] row : x) {
            row[0] = 1.5 * r.nextGaussian();
            row[1] = r.nextGaussian();
        }
        double[] theta = m.initialParameters(3);
        ParameterHessian ph = new ParameterHessian(m, new ExactScoreMatching(), x, 0);
        ParameterHessian.Dense dense = ph.assemble(theta);
        int p = dense.n();
        double[] h = dense.entries().clone();
        SymmetricEigen ref = SymmetricEigen.decompose(p, h, true);
        ParameterHessian.OnDemand od = ph.fullOnDemand(theta);
        assertArrayEquals(ref.values(), od.result().eigenvalues(), 1e-12 * maxAbs(ref.values()));
        assertEquals(dense.trace(), od.result().trace(), 1e-12 * Math.abs(dense.trace()));
        double norm = maxAbs(ref.values());
        double[] w = new double[p];
        int separated = 0;
        for (int k = 0; k < p; k += 3) {
            EigenvectorSource.Eigenpair e = od.vectors().eigenpair(k);
            assertEquals(1.0, norm(e.vector()), 1e-12);
            assertTrue(residual(p, h, e.vector(), e.value()) <= 1e-12 * norm, "‖Hv − λv‖ for k = " + k);
            if (2 * e.noiseFloor() / e.gap() < 1e-4) {
                ref.vector(k, w);
                assertEquals(1, Math.abs(dot(e.vector(), w)), 1e-8, "the same direction as EJML's for k = " + k);
                separated++;
            }
        }
        assertTrue(separated > 5, "enough separated eigenvalues to compare: " + separated);
    }
}
