package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SymmetricEigenTest {

    @Test
    void knownSpectrumComesBackAscendingWithOrthonormalEigenvectors() {
        int n = 60;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            // deliberately unsorted, with negatives
            lambda[i] = Math.sin(7.0 * i) * 10 + 0.1 * i;
        }
        double[] a = SpectralFixtures.withSpectrum(lambda, 3);
        SymmetricEigen eig = SymmetricEigen.decompose(n, a, true);
        double[] sorted = lambda.clone();
        java.util.Arrays.sort(sorted);
        double[] got = eig.values();
        for (int i = 0; i < n; i++) {
            // backward-stable: error ~ n·ε·‖A‖ ≈ 60·2e-16·16
            assertEquals(sorted[i], got[i], 1e-12);
        }
        double[] v = new double[n];
        double[] w = new double[n];
        double[] av = new double[n];
        DenseSymmetric op = new DenseSymmetric(n, a);
        for (int k = 0; k < n; k++) {
            eig.vector(k, v);
            op.apply(v, av);
            for (int i = 0; i < n; i++) {
                assertEquals(got[k] * v[i], av[i], 1e-11);
            }
            eig.vector((k + 1) % n, w);
            assertEquals(0.0, Lanczos.dot(v, 0, w, n), 1e-12);
            assertEquals(1.0, Lanczos.dot(v, 0, v, n), 1e-12);
        }
    }

    @Test
    void symmetrizationCheck() {
        double[] a = {1, 2, 2.0000001, 3};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.decompose(2, a, false));
        assertTrue(e.getMessage().contains("(0,1)"), e.getMessage());
        // within a looser tolerance the symmetric part is decomposed: [[1, 2+δ/2], [2+δ/2, 3]]
        SymmetricEigen eig = SymmetricEigen.decompose(2, a, false, 1e-6);
        double b = 2.00000005;
        double r = Math.hypot(1, b);
        assertEquals(2 - r, eig.value(0), 1e-14);
        assertEquals(2 + r, eig.value(1), 1e-14);
        assertEquals(1e-7 / 3, eig.asymmetry(), 1e-12);
        assertThrows(IllegalStateException.class, () -> eig.vector(0, new double[2]));
        assertThrows(IllegalArgumentException.class, () -> new DenseSymmetric(2, a));
        double[] copy = a.clone();
        DenseSymmetric.symmetrize(2, copy);
        assertEquals(0.0, new DenseSymmetric(2, copy).asymmetry(), 0);
    }

    @Test
    void argsortIsStableAscending() {
        double[] v = {3, -1, 2, -1, 0, 5, 2};
        int[] idx = SymmetricEigen.argsort(v);
        int[] expected = {1, 3, 4, 2, 6, 0, 5};
        for (int i = 0; i < v.length; i++) {
            assertEquals(expected[i], idx[i]);
        }
    }
}
