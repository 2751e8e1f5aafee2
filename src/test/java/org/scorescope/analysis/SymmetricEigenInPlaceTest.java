package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SymmetricEigenInPlaceTest {

    @Test
    void agreesWithSymmetricEigenOnATwelveDecadeSpectrum() {
        int n = 150;
        double[] lambda = SpectralFixtures.logSpaced(n, -12, 0);
        for (int i = 0; i < n; i += 3) {
            lambda[i] = -lambda[i]; // indefinite, like an untrained model's Hessian
        }
        double[] a = SpectralFixtures.withSpectrum(lambda, 21);
        SymmetricEigen ref = SymmetricEigen.decompose(n, a, false);
        SymmetricEigen r = SymmetricEigen.decomposeInPlace(n, a.clone(), true, 0);
        double[] got = r.values();
        for (int k = 0; k < n; k++) {
            // both are backward stable: eigenvalues agree to a few ε·‖A‖ (‖A‖ = 1 here)
            assertEquals(ref.value(k), got[k], 1e-13, "eigenvalue " + k);
            if (k > 0) {
                assertEquals(true, got[k - 1] <= got[k], "ascending at " + k);
            }
        }
        double[] av = new double[n];
        double[] v = new double[n];
        DenseSymmetric op = new DenseSymmetric(n, a);
        for (int k = 0; k < n; k++) {
            r.vector(k, v);
            op.apply(v, av);
            double norm = 0;
            for (int i = 0; i < n; i++) {
                assertEquals(got[k] * v[i], av[i], 1e-13, "A v = λ v, pair " + k + ", entry " + i);
                norm += v[i] * v[i];
            }
            assertEquals(1.0, norm, 1e-12);
        }
    }

    @Test
    void valuesOnlyLeavesVectorsNullAndRejectsBadSizes() {
        double[] a = {2, 1, 1, 2};
        SymmetricEigen r = SymmetricEigen.decomposeInPlace(2, a, false, 0);
        assertEquals(null, r.vectorsUnshared());
        assertEquals(1.0, r.values()[0], 1e-15);
        assertEquals(3.0, r.values()[1], 1e-15);
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.decomposeInPlace(3, new double[4], false, 0));
    }
}
