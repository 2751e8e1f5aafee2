package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KernelDensityTest {
    private static final double[][] POINTS = {{0.0, 0.0}, {1.0, 0.5}, {-0.5, 2.0}, {2.0, -1.0}, {0.3, 0.7}};

    /** Reference values from scipy.stats.gaussian_kde(POINTS.T) (SciPy 1.17.1, bw_method "scott"). */
    @Test
    void matchesScipy() {
        KernelDensity kde = KernelDensity.scott(POINTS);
        assertEquals(Math.pow(5, -1.0 / 6), kde.bandwidthFactor(), 1e-15);
        double[] cov = kde.kernelCovariance();
        double[] expectedCov = {0.5514697454269466, -0.5149195236992857, -0.5149195236992856, 0.69767063233759};
        for (int i = 0; i < 4; i++) {
            assertEquals(expectedCov[i], cov[i], 1e-13, "H[" + i + "]");
        }
        double[][] q = {{0.2, 0.1}, {3.0, 3.0}, {-10.0, 4.0}};
        double[] expected = {-2.208092787295269, -49.9832065936676, -158.72478362574768};
        double[] got = kde.logDensity(q);
        for (int i = 0; i < q.length; i++) {
            assertEquals(expected[i], got[i], 1e-11 * Math.max(1, Math.abs(expected[i])), "log p̂ at query " + i);
        }
        assertEquals(-(expected[0] + expected[1] + expected[2]) / 3, kde.meanNegLogLikelihood(q), 1e-10);
    }

    /** The estimate is a density: its integral over a box that holds all kernels is 1 (trapezoidal rule). */
    @Test
    void integratesToOne() {
        KernelDensity kde = KernelDensity.scott(POINTS);
        Grid2D g = new Grid2D(-8, 9, -8, 9, 401, 401);
        double[] f = new double[g.size()];
        for (int iy = 0; iy < g.ny(); iy++) {
            for (int ix = 0; ix < g.nx(); ix++) {
                f[g.index(ix, iy)] = kde.logDensity(new double[] {g.x(ix), g.y(iy)});
            }
        }
        assertEquals(0.0, DensityNormalizer.logZ(g, f), 1e-6);
    }

    @Test
    void degenerateInputIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelDensity.scott(new double[][] {{0, 0}, {1, 1}, {2, 2}}));
        assertTrue(e.getMessage().contains("singular"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KernelDensity.scott(new double[][] {{0, 0}}));
    }
}
