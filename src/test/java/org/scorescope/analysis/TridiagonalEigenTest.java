package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TridiagonalEigenTest {

    @Test
    void discreteLaplacianHasClosedFormEigenpairs() {
        // tridiag(−1, 2, −1) of order m: λ_k = 2 − 2cos(kπ/(m+1)), v_k(j) = √(2/(m+1)) sin(jkπ/(m+1)), j,k = 1..m
        int m = 40;
        double[] d = new double[m];
        double[] e = new double[m - 1];
        java.util.Arrays.fill(d, 2);
        java.util.Arrays.fill(e, -1);
        double[] z = new double[2 * m];
        TridiagonalEigen.decompose(m, d, e, new int[] {0, m - 1}, z);
        for (int k = 1; k <= m; k++) {
            double ang = k * Math.PI / (m + 1);
            assertEquals(2 - 2 * Math.cos(ang), d[k - 1], 1e-13);
            double v1 = Math.sqrt(2.0 / (m + 1)) * Math.sin(ang);
            double vm = Math.sqrt(2.0 / (m + 1)) * Math.sin(m * ang);
            // eigenvectors are defined up to sign
            assertEquals(v1 * v1, z[k - 1] * z[k - 1], 1e-14);
            assertEquals(vm * vm, z[m + k - 1] * z[m + k - 1], 1e-14);
        }
    }

    @Test
    void randomTridiagonalMatchesEjmlAndTrackedRowsMatchFullVectors() {
        SplittableRandom r = new SplittableRandom(1);
        int m = 60;
        double[] d = new double[m];
        double[] e = new double[m - 1];
        double[] dense = new double[m * m];
        for (int i = 0; i < m; i++) {
            d[i] = r.nextGaussian() * Math.pow(10, r.nextInt(4));
            dense[i * m + i] = d[i];
            if (i < m - 1) {
                e[i] = r.nextGaussian();
                dense[i * m + i + 1] = e[i];
                dense[(i + 1) * m + i] = e[i];
            }
        }
        double[] dFull = d.clone();
        double[] zFull = TridiagonalEigen.decomposeWithVectors(m, dFull, e);
        double[] ref = SymmetricEigen.decompose(m, dense, false).values();
        double scale = Math.abs(ref[0]) + Math.abs(ref[m - 1]);
        for (int i = 0; i < m; i++) {
            assertEquals(ref[i], dFull[i], 1e-13 * scale);
        }
        // T z_j = θ_j z_j and ZᵀZ = I
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < m; i++) {
                double tz = dense[i * m + i] * zFull[i * m + j];
                if (i > 0) {
                    tz += e[i - 1] * zFull[(i - 1) * m + j];
                }
                if (i < m - 1) {
                    tz += e[i] * zFull[(i + 1) * m + j];
                }
                assertEquals(dFull[j] * zFull[i * m + j], tz, 1e-12 * scale);
            }
            for (int k = 0; k < m; k++) {
                double s = 0;
                for (int i = 0; i < m; i++) {
                    s += zFull[i * m + j] * zFull[i * m + k];
                }
                assertEquals(j == k ? 1 : 0, s, 1e-13);
            }
        }
        double[] dRows = d.clone();
        double[] z = new double[2 * m];
        TridiagonalEigen.decompose(m, dRows, e, new int[] {0, m - 1}, z);
        for (int j = 0; j < m; j++) {
            assertEquals(dFull[j], dRows[j], 0);
            assertEquals(zFull[j], z[j], 0);
            assertEquals(zFull[(m - 1) * m + j], z[m + j], 0);
        }
    }

    @Test
    void orderOneAndBadInput() {
        double[] d = {3.5};
        double[] z = new double[1];
        TridiagonalEigen.decompose(1, d, new double[0], new int[] {0}, z);
        assertEquals(3.5, d[0], 0);
        assertEquals(1.0, z[0], 0);
        assertThrows(IllegalArgumentException.class,
                () -> TridiagonalEigen.decompose(2, new double[] {1, Double.NaN}, new double[] {0}, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> TridiagonalEigen.decompose(2, new double[] {1, 2}, new double[] {0}, new int[] {2}, new double[4]));
    }
}
