package org.scorescope.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ToyDatasetTest {

    @Test
    void namesRoundTripAndUnknownNamesAreListed() throws Exception {
        String[] expected = {"swissroll", "circles", "rings", "moons", "8gaussians", "25gaussians", "pinwheel",
            "2spirals", "checkerboard", "mixture2"};
        assertEquals(String.join(", ", expected), ToyDataset.names());
        for (ToyDataset d : ToyDataset.values()) {
            assertSame(d, ToyDataset.fromId(d.id()));
            assertSame(d, ToyDataset.fromId(" " + d.id().toUpperCase() + " "));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ToyDataset.fromId("spiral"));
        assertEquals("dataset: unknown 'spiral' (expected one of " + ToyDataset.names() + ")", e.getMessage());
        ObjectMapper json = new ObjectMapper();
        assertEquals("\"8gaussians\"", json.writeValueAsString(ToyDataset.EIGHT_GAUSSIANS));
        assertSame(ToyDataset.TWO_SPIRALS, json.readValue("\"2spirals\"", ToyDataset.class));
    }

    @Test
    void exactCountFiniteAndDeterministic() {
        for (ToyDataset d : ToyDataset.values()) {
            for (int n : new int[] {0, 1, 2, 3, 7, 101}) {
                double[][] a = d.sample(n, 42);
                assertEquals(n, a.length, d.id());
                for (double[] p : a) {
                    assertEquals(2, p.length);
                    assertTrue(Double.isFinite(p[0]) && Double.isFinite(p[1]), d.id());
                }
                double[][] b = d.sample(n, 42);
                for (int i = 0; i < n; i++) {
                    assertArrayEquals(a[i], b[i], 0.0, d.id());
                }
            }
            double[][] a = d.sample(50, 1);
            double[][] c = d.sample(50, 2);
            assertFalse(Arrays.deepEquals(a, c), d.id() + ": different seeds must differ");
            double[] flat = d.sampleFlat(50, d.defaultNoise(), 1);
            for (int i = 0; i < 50; i++) {
                assertEquals(a[i][0], flat[2 * i], 0.0);
                assertEquals(a[i][1], flat[2 * i + 1], 0.0);
            }
        }
    }

    @Test
    void defaultBoxHoldsNearlyAllMass() {
        for (ToyDataset d : ToyDataset.values()) {
            double[] box = d.defaultBox();
            assertEquals(4, box.length);
            double[][] pts = d.sample(20000, 7);
            int inside = 0;
            for (double[] p : pts) {
                if (p[0] >= box[0] && p[0] <= box[1] && p[1] >= box[2] && p[1] <= box[3]) {
                    inside++;
                }
            }
            assertTrue(inside >= 0.999 * pts.length, d.id() + ": only " + inside + " of 20000 in the box");
            // ... and the data is not lost in a needlessly large box: it spans at least 40% of each axis.
            double minX = Double.POSITIVE_INFINITY;
            double maxX = Double.NEGATIVE_INFINITY;
            for (double[] p : pts) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
            }
            assertTrue(maxX - minX > 0.4 * (box[1] - box[0]), d.id());
        }
    }

    @Test
    void rejectsBadArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ToyDataset.MOONS.sample(-1, 0.1, 0));
        assertEquals("n: must be non-negative, found -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ToyDataset.MOONS.sample(5, Double.NaN, 0));
        assertEquals("noise: must be finite and non-negative, found NaN", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ToyDataset.EIGHT_GAUSSIANS.mixture(0.0));
        assertTrue(e.getMessage().startsWith("noise:"), e.getMessage());
        assertTrue(ToyDataset.SWISSROLL.mixture().isEmpty());
    }

    @Test
    void noiselessCirclesAndRingsSitOnTheirRadii() {
        double[][] c = ToyDataset.CIRCLES.sample(1001, 0.0, 3);
        int outer = 0;
        for (double[] p : c) {
            double r = Math.hypot(p[0], p[1]);
            boolean isOuter = Math.abs(r - 3.0) < 1e-12;
            assertTrue(isOuter || Math.abs(r - 1.5) < 1e-12, "radius " + r);
            outer += isOuter ? 1 : 0;
        }
        assertEquals(500, outer, "sklearn puts floor(n/2) points on the outer circle");
        double[][] rings = ToyDataset.RINGS.sample(1003, 0.0, 3);
        int[] counts = new int[4];
        double[] radii = {3.0, 2.25, 1.5, 0.75};
        for (double[] p : rings) {
            double r = Math.hypot(p[0], p[1]);
            int hit = -1;
            for (int k = 0; k < 4; k++) {
                if (Math.abs(r - radii[k]) < 1e-12) {
                    hit = k;
                }
            }
            assertTrue(hit >= 0, "radius " + r);
            counts[hit]++;
        }
        assertArrayEquals(new int[] {250, 250, 250, 253}, counts);
    }

    @Test
    void noiselessMoonsSitOnTheirArcs() {
        for (double[] p : ToyDataset.MOONS.sample(999, 0.0, 4)) {
            double x = (p[0] + 1.0) / 2.0;
            double y = (p[1] + 0.2) / 2.0;
            double outer = Math.hypot(x, y);
            double inner = Math.hypot(x - 1.0, y - 0.5);
            boolean onOuter = Math.abs(outer - 1.0) < 1e-12 && y >= -1e-12;
            boolean onInner = Math.abs(inner - 1.0) < 1e-12 && y <= 0.5 + 1e-12;
            assertTrue(onOuter || onInner, Arrays.toString(p));
        }
    }

    @Test
    void noiselessSwissRollFollowsTheSpiral() {
        for (double[] p : ToyDataset.SWISSROLL.sample(500, 0.0, 5)) {
            double t = 5.0 * Math.hypot(p[0], p[1]);
            assertTrue(t >= 1.5 * Math.PI - 1e-9 && t <= 4.5 * Math.PI + 1e-9, "t = " + t);
            assertEquals(t * Math.cos(t), 5.0 * p[0], 1e-9);
            assertEquals(t * Math.sin(t), 5.0 * p[1], 1e-9);
        }
    }

    @Test
    void checkerboardFillsAlternateSquaresUniformly() {
        double[][] pts = ToyDataset.CHECKERBOARD.sample(40000, 0.0, 6);
        int[] perSquare = new int[16];
        for (double[] p : pts) {
            assertTrue(p[0] >= -4 && p[0] < 4 && p[1] >= -4 && p[1] < 4, Arrays.toString(p));
            int i = (int) Math.floor(p[0] / 2.0);
            int j = (int) Math.floor(p[1] / 2.0);
            assertEquals(0, Math.floorMod(i + j, 2), "point in a white square: " + Arrays.toString(p));
            perSquare[(i + 2) * 4 + (j + 2)]++;
        }
        // Eight occupied squares, 5000 expected each; binomial sd ≈ 66, allow 5 sd.
        for (int count : perSquare) {
            assertTrue(count == 0 || Math.abs(count - 5000) < 330, "count " + count);
        }
    }

    @Test
    void noiselessPinwheelPointsLieOnTheirArms() {
        for (double[] p : ToyDataset.PINWHEEL.sample(1000, 0.0, 8)) {
            // With zero tangential noise the point is 2r(cos a, −sin a), a = 2πk/5 + 0.25 e^r.
            double rho = Math.hypot(p[0], p[1]) / 2.0;
            boolean ok = false;
            for (double r : new double[] {rho, -rho}) {
                double a = Math.atan2(-p[1] / (2 * r), p[0] / (2 * r));
                double rest = a - 0.25 * Math.exp(r);
                double k = rest / (2 * Math.PI / 5);
                ok |= Math.abs(k - Math.rint(k)) < 1e-9;
            }
            assertTrue(ok, Arrays.toString(p));
        }
    }

    @Test
    void twoSpiralsArePointSymmetric() {
        // Both arms have the same law up to x → −x, so the sample mean is near 0 and half the points
        // fall on each side of the symmetric split by the arm parameter.
        double[][] pts = ToyDataset.TWO_SPIRALS.sample(20000, 0.0, 9);
        double mx = 0;
        double my = 0;
        for (double[] p : pts) {
            mx += p[0] / pts.length;
            my += p[1] / pts.length;
        }
        // Each coordinate has sd ≲ 2, so the mean's sd ≲ 0.015.
        assertEquals(0.0, mx, 0.06);
        assertEquals(0.0, my, 0.06);
    }

    @Test
    void mixtureMomentsMatchTheSampler() {
        for (ToyDataset d : new ToyDataset[] {ToyDataset.EIGHT_GAUSSIANS, ToyDataset.TWENTY_FIVE_GAUSSIANS,
            ToyDataset.MIXTURE2}) {
            for (double noise : new double[] {d.defaultNoise(), 2.5 * d.defaultNoise()}) {
                GaussianMixture g = d.mixture(noise).orElseThrow();
                int n = 200000;
                double[][] pts = d.sample(n, noise, 13);
                double[] m = new double[2];
                for (double[] p : pts) {
                    m[0] += p[0] / n;
                    m[1] += p[1] / n;
                }
                double[][] c = new double[2][2];
                for (double[] p : pts) {
                    for (int a = 0; a < 2; a++) {
                        for (int b = 0; b < 2; b++) {
                            c[a][b] += (p[a] - m[a]) * (p[b] - m[b]) / (n - 1);
                        }
                    }
                }
                double[] em = g.mean();
                double[][] ec = g.covariance();
                for (int a = 0; a < 2; a++) {
                    // 5 standard errors of the mean, sqrt(Var/n).
                    double se = Math.sqrt(ec[a][a] / n);
                    assertEquals(em[a], m[a], 5 * se, d.id() + " mean");
                    for (int b = 0; b < 2; b++) {
                        // sd of a sample covariance ≲ sqrt(E[x_a² x_b²]/n) ≤ ~2·Var/√n for these light tails.
                        double tol = 5 * 2 * Math.sqrt(ec[a][a] * ec[b][b] / n);
                        assertEquals(ec[a][b], c[a][b], tol, d.id() + " cov");
                    }
                }
            }
        }
    }

    /**
     * Under the true density, E[s] = 0 and E[s sᵀ] = −E[∇² log p] (the Fisher information identity). Both fail
     * when the mixture's σ or means do not match the sampler, which plain moments barely notice for well-separated
     * modes; the second half checks that a 5% error in σ is detected.
     */
    @Test
    void fisherIdentityHoldsOnlyForTheMatchingMixture() {
        for (ToyDataset d : new ToyDataset[] {ToyDataset.EIGHT_GAUSSIANS, ToyDataset.TWENTY_FIVE_GAUSSIANS,
            ToyDataset.MIXTURE2}) {
            int n = 100000;
            double[] flat = d.sampleFlat(n, d.defaultNoise(), 17);
            double ratio = fisherRatio(d.mixture().orElseThrow(), flat, n);
            // E[ssᵀ] per axis equals 1/σ² on average, with relative sd sqrt(2/n) ≈ 0.0045.
            assertEquals(1.0, ratio, 0.03, d.id() + ": E[ssᵀ] / −E[H]");
            double wrong = fisherRatio(d.mixture(1.05 * d.defaultNoise()).orElseThrow(), flat, n);
            assertTrue(Math.abs(wrong - 1.0) > 0.06, d.id() + ": a 5% wrong σ must be visible, ratio " + wrong);
        }
    }

    private static double fisherRatio(GaussianMixture g, double[] flat, int n) {
        double[] s = new double[2 * n];
        double[] h = new double[4 * n];
        g.scoreBatch(flat, s);
        g.hessianBatch(flat, h);
        double ss = 0;
        double hh = 0;
        double mean0 = 0;
        for (int i = 0; i < n; i++) {
            ss += s[2 * i] * s[2 * i] + s[2 * i + 1] * s[2 * i + 1];
            hh -= h[4 * i] + h[4 * i + 3];
            mean0 += s[2 * i];
        }
        // E[s] = 0: the mean score is small compared to its spread.
        assertEquals(0.0, mean0 / n, 5 * Math.sqrt(ss / (2 * n) / n), g + ": E[s]");
        return ss / hh;
    }
}
