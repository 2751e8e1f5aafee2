package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DensityNormalizerTest {

    /** erf by its all-positive series erf(x) = 2/√π e^{−x²} Σ 2ⁿx^{2n+1}/(1·3·…·(2n+1)); ~1e-15 for |x| < 5. */
    static double erf(double x) {
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++) {
            term *= 2 * x * x / (2 * n + 1);
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x) * sum;
    }

    private static double[] gaussianLog(Grid2D g, double mx, double my, double sigma, double offset) {
        double[] f = new double[g.size()];
        for (int iy = 0; iy < g.ny(); iy++) {
            for (int ix = 0; ix < g.nx(); ix++) {
                double dx = g.x(ix) - mx;
                double dy = g.y(iy) - my;
                f[g.index(ix, iy)] = -(dx * dx + dy * dy) / (2 * sigma * sigma) + offset;
            }
        }
        return f;
    }

    @Test
    void logZOfAHugeEnergyGaussianMatchesClosedForm() {
        // E = r²/(2σ²) + 5000, so Z = 2πσ² e^{-5000}; naive exp() would underflow to 0.
        Grid2D g = new Grid2D(-8, 9, -7, 8, 121, 111);
        double sigma = 1.1;
        double[] f = gaussianLog(g, 0.3, 0.4, sigma, -5000);
        double lz = DensityNormalizer.logZ(g, f);
        // trapezoid on a Gaussian with the box at > 6σ is accurate to ~1e-12 relative
        assertEquals(Math.log(2 * Math.PI * sigma * sigma) - 5000, lz, 1e-9);
        double[] fUp = gaussianLog(g, 0.3, 0.4, sigma, 5000);
        assertEquals(Math.log(2 * Math.PI * sigma * sigma) + 5000, DensityNormalizer.logZ(g, fUp), 1e-9);
    }

    @Test
    void normalizedDensityIntegratesToOneAndMatchesGaussian() {
        Grid2D g = new Grid2D(-8, 8, -8, 8, 161, 161);
        double[] f = gaussianLog(g, 0, 0, 1, 1234.5);
        double[] p = new double[g.size()];
        double[] lp = new double[g.size()];
        DensityNormalizer.density(g, f, p);
        DensityNormalizer.logDensity(g, f, lp);
        double total = 0;
        for (int iy = 0; iy < g.ny(); iy++) {
            for (int ix = 0; ix < g.nx(); ix++) {
                total += g.quadratureWeight(ix, iy) * p[g.index(ix, iy)];
            }
        }
        assertEquals(1.0, total, 1e-12);
        int c = g.index(80, 80);
        assertEquals(-Math.log(2 * Math.PI), lp[c], 1e-10);
        assertEquals(1 / (2 * Math.PI), p[c], 1e-11);
    }

    @Test
    void massInBoxMatchesErfProduct() {
        // standard normal on [-1.5, 2] x [-1, 1]: mass = (Φ(2)−Φ(−1.5))(Φ(1)−Φ(−1))
        Grid2D g = new Grid2D(-1.5, 2, -1, 1, 351, 201);
        double[] lp = gaussianLog(g, 0, 0, 1, -Math.log(2 * Math.PI));
        double s2 = Math.sqrt(2);
        double expected = 0.5 * (erf(2 / s2) + erf(1.5 / s2)) * erf(1 / s2);
        // trapezoid error ~ h²/12·∫f'' ≈ 1e-5 here
        assertEquals(expected, DensityNormalizer.massInBox(g, lp), 2e-5);
        assertTrue(DensityNormalizer.massInBox(g, lp) < 0.8);
    }

    @Test
    void minusInfinityIsZeroDensityButNaNIsRejected() {
        Grid2D g = Grid2D.square(1, 3);
        double[] f = new double[9];
        java.util.Arrays.fill(f, Double.NEGATIVE_INFINITY);
        f[4] = 0;
        // only the centre node (weight dx·dy = 1) carries density
        assertEquals(0.0, DensityNormalizer.logZ(g, f), 1e-15);
        f[7] = Double.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DensityNormalizer.logZ(g, f));
        assertTrue(e.getMessage().contains("node 7"), e.getMessage());
        double[] allNeg = new double[9];
        java.util.Arrays.fill(allNeg, Double.NEGATIVE_INFINITY);
        assertThrows(IllegalArgumentException.class, () -> DensityNormalizer.density(g, allNeg, new double[9]));
    }
}
