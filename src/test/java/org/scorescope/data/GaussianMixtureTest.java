package org.scorescope.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GaussianMixtureTest {

    /** A 3-D anisotropic mixture with unequal weights, to exercise the general diagonal code path. */
    private static GaussianMixture diagonal3d() {
        return GaussianMixture.diagonal(
                new double[] {0.5, 0.3, 0.2},
                new double[][] {{0, 0, 0}, {1.5, -1, 0.5}, {-1, 2, -0.5}},
                new double[][] {{1.0, 0.5, 2.0}, {0.3, 0.7, 0.4}, {0.8, 0.2, 1.1}});
    }

    private static List<GaussianMixture> mixtures() {
        List<GaussianMixture> all = new ArrayList<>();
        for (ToyDataset d : ToyDataset.values()) {
            d.mixture().ifPresent(all::add);
        }
        all.add(diagonal3d());
        return all;
    }

    @Test
    void singleGaussianMatchesClosedForm() {
        GaussianMixture g = GaussianMixture.diagonal(new double[] {1.0}, new double[][] {{1.0, -2.0}},
                new double[][] {{0.5, 2.0}});
        double[] x = {0.3, 1.1};
        double z0 = (0.3 - 1.0) / 0.5;
        double z1 = (1.1 + 2.0) / 2.0;
        double expected = -0.5 * (z0 * z0 + z1 * z1) - Math.log(0.5) - Math.log(2.0) - Math.log(2 * Math.PI);
        assertEquals(expected, g.logDensity(x), 1e-14);
        double[] s = g.score(x);
        assertEquals(-(0.3 - 1.0) / 0.25, s[0], 1e-13);
        assertEquals(-(1.1 + 2.0) / 4.0, s[1], 1e-13);
        double[][] h = g.hessianLogDensity(x);
        assertEquals(-4.0, h[0][0], 1e-12);
        assertEquals(-0.25, h[1][1], 1e-12);
        assertEquals(0.0, h[0][1], 1e-12);
    }

    @Test
    void scoreMatchesFiniteDifferencesOfLogDensity() {
        for (GaussianMixture g : mixtures()) {
            int d = g.dim();
            double minSigma = Double.POSITIVE_INFINITY;
            for (int k = 0; k < g.components(); k++) {
                for (double s : g.sigma(k)) {
                    minSigma = Math.min(minSigma, s);
                }
            }
            // Points from the distribution itself plus wider ones between the modes.
            double[][] pts = g.sample(40, 11);
            double[][] wide = GaussianMixture.isotropic(new double[] {1.0}, new double[][] {g.mean()},
                    new double[] {2.0}).sample(20, 12);
            double h = 1e-4 * minSigma;
            for (double[][] set : new double[][][] {pts, wide}) {
                for (double[] x : set) {
                    double[] s = g.score(x);
                    for (int j = 0; j < d; j++) {
                        double[] xp = x.clone();
                        double[] xm = x.clone();
                        xp[j] += h;
                        xm[j] -= h;
                        double fd = (g.logDensity(xp) - g.logDensity(xm)) / (2 * h);
                        assertEquals(fd, s[j], 1e-6 * Math.max(1.0, Math.abs(s[j])),
                                () -> g + " at " + java.util.Arrays.toString(x));
                    }
                }
            }
        }
    }

    @Test
    void hessianMatchesFiniteDifferencesOfScore() {
        for (GaussianMixture g : mixtures()) {
            int d = g.dim();
            double minSigma = Double.POSITIVE_INFINITY;
            for (int k = 0; k < g.components(); k++) {
                for (double s : g.sigma(k)) {
                    minSigma = Math.min(minSigma, s);
                }
            }
            double h = 1e-4 * minSigma;
            for (double[] x : g.sample(30, 21)) {
                double[][] hess = g.hessianLogDensity(x);
                double scale = 1.0;
                for (double[] row : hess) {
                    for (double v : row) {
                        scale = Math.max(scale, Math.abs(v));
                    }
                }
                for (int b = 0; b < d; b++) {
                    double[] xp = x.clone();
                    double[] xm = x.clone();
                    xp[b] += h;
                    xm[b] -= h;
                    double[] sp = g.score(xp);
                    double[] sm = g.score(xm);
                    for (int a = 0; a < d; a++) {
                        double fd = (sp[a] - sm[a]) / (2 * h);
                        assertEquals(fd, hess[a][b], 1e-6 * scale, g.toString());
                        assertEquals(hess[a][b], hess[b][a], 1e-12 * scale, "symmetric");
                    }
                }
            }
        }
    }

    @Test
    void densityIntegratesToOne() {
        // Midpoint rule on [-9, 9]² with step 0.02 for mixture2 (σ = 1, means ±5): error ≪ 1e-6.
        GaussianMixture g = ToyDataset.MIXTURE2.mixture().orElseThrow();
        double step = 0.02;
        int m = (int) Math.round(24.0 / step);
        double[] x = new double[2];
        double sum = 0.0;
        for (int i = 0; i < m; i++) {
            x[0] = -12 + (i + 0.5) * step;
            for (int j = 0; j < m; j++) {
                x[1] = -12 + (j + 0.5) * step;
                sum += Math.exp(g.logDensity(x));
            }
        }
        assertEquals(1.0, sum * step * step, 1e-6);
    }

    @Test
    void farTailsStayFinite() {
        GaussianMixture g = ToyDataset.TWENTY_FIVE_GAUSSIANS.mixture().orElseThrow();
        double[] x = {1000.0, -700.0};
        double lp = g.logDensity(x);
        assertTrue(Double.isFinite(lp), "log p finite in the far tail: " + lp);
        // The nearest component dominates completely: score = −(x − μ)/σ².
        double sigma = 0.05 / 2.828;
        double[] mu = {4.0 / 2.828, -4.0 / 2.828};
        double[] s = g.score(x);
        assertEquals(-(x[0] - mu[0]) / (sigma * sigma), s[0], 1e-9 * Math.abs(s[0]));
        assertEquals(-(x[1] - mu[1]) / (sigma * sigma), s[1], 1e-9 * Math.abs(s[1]));
        double[][] h = g.hessianLogDensity(x);
        assertEquals(-1.0 / (sigma * sigma), h[0][0], 1e-9 / (sigma * sigma));
    }

    @Test
    void batchFormsMatchSinglePointForms() {
        GaussianMixture g = diagonal3d();
        double[][] pts = g.sample(17, 5);
        double[] flat = new double[17 * 3];
        for (int i = 0; i < 17; i++) {
            System.arraycopy(pts[i], 0, flat, 3 * i, 3);
        }
        double[] lp = new double[17];
        double[] sc = new double[17 * 3];
        double[] he = new double[17 * 9];
        g.logDensityBatch(flat, lp);
        g.scoreBatch(flat, sc);
        g.hessianBatch(flat, he);
        for (int i = 0; i < 17; i++) {
            assertEquals(g.logDensity(pts[i]), lp[i], 0.0);
            double[] s = g.score(pts[i]);
            double[][] h = g.hessianLogDensity(pts[i]);
            for (int a = 0; a < 3; a++) {
                assertEquals(s[a], sc[3 * i + a], 0.0);
                for (int b = 0; b < 3; b++) {
                    assertEquals(h[a][b], he[9 * i + 3 * a + b], 0.0);
                }
            }
        }
    }

    @Test
    void fisherDivergenceIsHalfMeanSquaredScoreError() {
        GaussianMixture g = ToyDataset.EIGHT_GAUSSIANS.mixture().orElseThrow();
        double[][] pts = g.sample(100, 3);
        double[][] exact = new double[100][];
        double[][] shifted = new double[100][];
        double[] flatPts = new double[200];
        double[] flatShift = new double[200];
        for (int i = 0; i < 100; i++) {
            exact[i] = g.score(pts[i]);
            shifted[i] = new double[] {exact[i][0] + 0.3, exact[i][1] - 0.4};
            flatPts[2 * i] = pts[i][0];
            flatPts[2 * i + 1] = pts[i][1];
            flatShift[2 * i] = shifted[i][0];
            flatShift[2 * i + 1] = shifted[i][1];
        }
        assertEquals(0.0, g.fisherDivergence(pts, exact), 0.0);
        // ½ ‖(0.3, −0.4)‖² = 0.125 at every point.
        assertEquals(0.125, g.fisherDivergence(pts, shifted), 1e-12);
        assertEquals(0.125, g.fisherDivergence(flatPts, flatShift), 1e-12);
    }

    @Test
    void momentsMatchClosedFormForIsotropicPair() {
        GaussianMixture g = GaussianMixture.isotropic(new double[] {0.25, 0.75},
                new double[][] {{0, 0}, {4, 0}}, new double[] {1.0, 2.0});
        assertArrayEquals(new double[] {3.0, 0.0}, g.mean(), 1e-15);
        double[][] c = g.covariance();
        // Var x = Σ π σ² + Σ π (μ − m)² = (0.25 + 3) + (0.25·9 + 0.75·1) = 6.25.
        assertEquals(6.25, c[0][0], 1e-12);
        assertEquals(0.25 + 3.0, c[1][1], 1e-12);
        assertEquals(0.0, c[0][1], 1e-12);
    }

    @Test
    void rejectsBadParameters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GaussianMixture.isotropic(new double[] {0.5, 0.6}, new double[][] {{0, 0}, {1, 1}},
                        new double[] {1, 1}));
        assertTrue(e.getMessage().startsWith("weights: must sum to 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GaussianMixture.isotropic(new double[] {1.0}, new double[][] {{0, 0}}, new double[] {0.0}));
        assertTrue(e.getMessage().startsWith("sigmas[0][0]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GaussianMixture.diagonal(new double[] {0.5, 0.5}, new double[][] {{0, 0}, {1}},
                        new double[][] {{1, 1}, {1}}));
        assertTrue(e.getMessage().startsWith("means[1]"), e.getMessage());
        GaussianMixture g = ToyDataset.MIXTURE2.mixture().orElseThrow();
        e = assertThrows(IllegalArgumentException.class, () -> g.score(new double[3]));
        assertTrue(e.getMessage().startsWith("x: expected 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.scoreBatch(new double[5], new double[5]));
        assertTrue(e.getMessage().contains("not a multiple"), e.getMessage());
    }

    /**
     * p_σ = p ∗ N(0, σ²I) checked against the convolution integral itself, ∫ p(y) N(x − y; 0, σ²I) dy by a
     * 2-D trapezoidal rule (step 0.01 over ±8 standard deviations of the kernel around x: the integrand is
     * smooth and decays like a Gaussian, so the rule is accurate far below the 1e-6 relative tolerance).
     */
    @Test
    void convolvedDensityIsTheConvolutionIntegral() {
        GaussianMixture p = ToyDataset.EIGHT_GAUSSIANS.mixture().orElseThrow();
        double sigma = 0.3;
        GaussianMixture ps = p.convolved(sigma);
        double[][] xs = {{0.0, 0.0}, {2.83, 0.1}, {1.5, 1.9}, {-3.5, 2.0}};
        double h = 0.01;
        double half = 8 * sigma;
        int n = (int) Math.round(2 * half / h);
        for (double[] x : xs) {
            double sum = 0;
            for (int i = 0; i <= n; i++) {
                for (int j = 0; j <= n; j++) {
                    double u = -half + i * h;
                    double v = -half + j * h;
                    double w = (i == 0 || i == n ? 0.5 : 1) * (j == 0 || j == n ? 0.5 : 1);
                    double kernel = Math.exp(-0.5 * (u * u + v * v) / (sigma * sigma)) / (2 * Math.PI * sigma * sigma);
                    sum += w * kernel * Math.exp(p.logDensity(new double[] {x[0] - u, x[1] - v}));
                }
            }
            double expected = sum * h * h;
            double actual = Math.exp(ps.logDensity(x));
            assertEquals(expected, actual, 1e-6 * expected + 1e-12, "p_σ at (" + x[0] + ", " + x[1] + ")");
        }
    }

    /** The perturbed mixture's score equals central differences (step 1e-5) of its log-density, to 1e-6. */
    @Test
    void convolvedScoreMatchesFiniteDifferences() {
        GaussianMixture ps = diagonal3d().convolved(0.25);
        double[][] pts = ps.sample(20, 5);
        double eps = 1e-5;
        for (double[] x : pts) {
            double[] s = ps.score(x);
            for (int j = 0; j < x.length; j++) {
                double[] a = x.clone();
                double[] b = x.clone();
                a[j] += eps;
                b[j] -= eps;
                double fd = (ps.logDensity(a) - ps.logDensity(b)) / (2 * eps);
                assertEquals(fd, s[j], 1e-6 * Math.max(1, Math.abs(fd)), "∂/∂x" + j);
            }
        }
    }

    @Test
    void convolvedAddsVariancesAndKeepsWeightsAndMeans() {
        GaussianMixture g = diagonal3d();
        GaussianMixture c = g.convolved(0.5);
        for (int k = 0; k < g.components(); k++) {
            assertEquals(g.weight(k), c.weight(k), 0.0);
            assertArrayEquals(g.mean(k), c.mean(k), 0.0);
            for (int j = 0; j < g.dim(); j++) {
                double s = g.sigma(k)[j];
                assertEquals(s * s + 0.25, c.sigma(k)[j] * c.sigma(k)[j], 1e-14);
            }
        }
        assertArrayEquals(g.sigma(1), g.convolved(0.0).sigma(1), 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.convolved(-1));
        assertTrue(e.getMessage().startsWith("sigma:"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.convolved(Double.NaN));
    }

    /** Two separated modes, 0.8 / 0.2: their own density gives back the weights, an equal-weight one 0.5 / 0.5. */
    @Test
    void massByModeReadsTheWeightsADensityGivesTheModes() {
        GaussianMixture truth = GaussianMixture.isotropic(new double[] {0.8, 0.2}, new double[][] {{-5, 0}, {5, 0}},
                new double[] {1, 1});
        GaussianMixture even = GaussianMixture.isotropic(new double[] {0.5, 0.5}, new double[][] {{-5, 0}, {5, 0}},
                new double[] {1, 1});
        int m = 121;
        double[] pts = new double[2 * m * m];
        for (int j = 0, i = 0; j < m; j++) {
            for (int k = 0; k < m; k++, i += 2) {
                pts[i] = -12 + 24.0 * k / (m - 1);
                pts[i + 1] = -7 + 14.0 * j / (m - 1);
            }
        }
        double[] lt = new double[m * m];
        double[] le = new double[m * m];
        truth.logDensityBatch(pts, lt);
        even.logDensityBatch(pts, le);
        for (int i = 0; i < le.length; i++) {
            le[i] += 40;   // any normalization
        }
        assertArrayEquals(new double[] {0.8, 0.2}, truth.massByMode(pts, lt), 1e-6);
        assertArrayEquals(new double[] {0.5, 0.5}, truth.massByMode(pts, le), 1e-6);
    }
}
