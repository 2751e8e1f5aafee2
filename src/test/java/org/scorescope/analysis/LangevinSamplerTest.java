package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LangevinSamplerTest {

    /** Score of N(μ, σ²I): −(x − μ)/σ². */
    private static BatchScore gaussian(double mx, double my, double sigma) {
        double inv = 1 / (sigma * sigma);
        return (xs, n, out) -> {
            for (int i = 0; i < n; i++) {
                out[2 * i] = -(xs[2 * i] - mx) * inv;
                out[2 * i + 1] = -(xs[2 * i + 1] - my) * inv;
            }
        };
    }

    /**
     * Runs ULA from a far start, then accumulates per-coordinate mean and variance over time as well as
     * particles. Returns {meanX, meanY, varX, varY}.
     */
    private static double[] stationaryMoments(double mx, double my, double sigma, double eps, int n, int burn, int keep,
                                              long seed) {
        double[] xs = new double[2 * n];
        java.util.Arrays.fill(xs, 4 * sigma + mx);
        LangevinSampler ula = new LangevinSampler(gaussian(mx, my, sigma), xs, n, eps, seed);
        ula.run(burn);
        double[] sum = new double[2];
        double[] sq = new double[2];
        long cnt = 0;
        for (int t = 0; t < keep; t++) {
            ula.step();
            for (int i = 0; i < n; i++) {
                double dx = xs[2 * i] - mx;
                double dy = xs[2 * i + 1] - my;
                sum[0] += dx;
                sum[1] += dy;
                sq[0] += dx * dx;
                sq[1] += dy * dy;
            }
            cnt += n;
        }
        return new double[] {mx + sum[0] / cnt, my + sum[1] / cnt, sq[0] / cnt - (sum[0] / cnt) * (sum[0] / cnt),
                sq[1] / cnt - (sum[1] / cnt) * (sum[1] / cnt)};
    }

    @Test
    void ulaOnStandardGaussianReachesMeanZeroAndTheExactBiasedVariance() {
        double eps = 0.05;
        // the chain is AR(1) with a = 1 − ε: burn-in of 300 steps forgets the start (0.95³⁰⁰ ≈ 2e-7);
        // the integrated autocorrelation time is (1+a)/(1−a) = 39 steps, so 2000 steps × 2000 particles
        // × 2 axes give ~2e5 effective samples: standard errors ~2e-3 (mean) and ~3e-3 (variance)
        double[] m = stationaryMoments(0, 0, 1, eps, 2000, 300, 2000, 42);
        double exact = 1 / (1 - eps / 2);
        for (int c = 0; c < 2; c++) {
            assertEquals(0.0, m[c], 0.012, "mean");
            assertEquals(exact, m[2 + c], 0.015, "variance");
            assertEquals(1.0, m[2 + c], 2 * eps, "variance ≈ 1 up to O(ε)");
        }
    }

    @Test
    void ulaStationaryVarianceOnShiftedGaussianIsSigmaSquaredTimesOnePlusOrderEps() {
        double sigma = 1.5;
        double s2 = sigma * sigma;
        double[] eps = {0.02, 0.2};
        double[] rel = new double[2];
        for (int i = 0; i < 2; i++) {
            // AR(1) with a = 1 − ε/σ²; keep ~50 autocorrelation times
            int tau = (int) Math.ceil(2 * s2 / eps[i]);
            double[] m = stationaryMoments(2, -1, sigma, eps[i], 1500, 10 * tau, 40 * tau, 7 + i);
            assertEquals(2.0, m[0], 0.03);
            assertEquals(-1.0, m[1], 0.03);
            double v = 0.5 * (m[2] + m[3]);
            // exact: σ²/(1 − ε/(2σ²)) = σ²(1 + ε/(2σ²) + O(ε²))
            assertEquals(s2 / (1 - eps[i] / (2 * s2)), v, 0.012 * s2, "eps " + eps[i]);
            rel[i] = v / s2 - 1;
        }
        // the bias grows linearly in ε: 10× the step gives ~10× the excess variance (0.0044 → 0.046)
        assertTrue(rel[1] > 0.03 && rel[1] < 0.065, "excess at ε=0.2: " + rel[1]);
        assertTrue(Math.abs(rel[0]) < 0.015, "excess at ε=0.02: " + rel[0]);
    }

    @Test
    void annealedLangevinFollowsTheExactMomentRecursion() {
        // data N(μ, s²I); its σ-perturbed score is −(x − μ)/(s² + σ²), so every step is the affine map
        // x ← μ + a(x − μ) + √(2α) z, a = 1 − α/(s² + σ²): mean and variance obey
        // m ← μ + a(m − μ), v ← a²v + 2α exactly, whatever the initial distribution
        double mu = 1.5;
        double s2 = 0.25;
        NoiseConditionalScore ncs = (xs, n, sigma, out) -> {
            double inv = 1 / (s2 + sigma * sigma);
            for (int k = 0; k < 2 * n; k++) {
                out[k] = -(xs[k] - mu) * inv;
            }
        };
        int n = 20000;
        double[] xs = new double[2 * n];
        SplittableRandom r = new SplittableRandom(3);
        for (int k = 0; k < xs.length; k++) {
            xs[k] = -8 + 16 * r.nextDouble();
        }
        int levels = 8;
        int steps = 30;
        double eps = 0.02;
        AnnealedLangevinSampler als = new AnnealedLangevinSampler(ncs, xs, n, 4.0, 0.1, levels, steps, eps, 11);
        double[] sig = als.sigmas();
        assertEquals(4.0, sig[0], 0);
        assertEquals(0.1, sig[levels - 1], 0);
        for (int i = 1; i < levels; i++) {
            assertEquals(Math.pow(0.1 / 4.0, 1.0 / (levels - 1)), sig[i] / sig[i - 1], 1e-12);
        }
        assertEquals(eps * 1600, als.stepSize(0), 1e-9);
        assertEquals(levels * steps, als.totalSteps());
        double m = 0;
        double v = 256.0 / 12;
        int stepped = 0;
        while (!als.isDone()) {
            double sigma = als.sigma();
            double alpha = als.stepSize(als.level());
            assertTrue(als.step());
            stepped++;
            double a = 1 - alpha / (s2 + sigma * sigma);
            m = mu + a * (m - mu);
            v = a * a * v + 2 * alpha;
        }
        assertEquals(levels * steps, stepped);
        assertFalse(als.step());
        double[] em = moments(xs, n);
        // 40000 coordinates: standard errors ≈ √(v/N) ≈ 2.5e-3 (mean) and v·√(2/N) ≈ 2e-3 (variance)
        assertEquals(m, em[0], 0.015, "mean");
        assertEquals(v, em[1], 0.015 * Math.max(1, v), "variance");
        // and the schedule did its job: close to the data law N(1.5, 0.25 + σ_L²)
        assertEquals(0.26, v, 0.03);
        // Tweedie denoising shrinks towards μ by σ_L²/(s² + σ_L²): v' = v·(s²/(s² + σ_L²))²
        als.denoise();
        double shrink = s2 / (s2 + 0.01);
        assertEquals(v * shrink * shrink, moments(xs, n)[1], 0.015 * v);
    }

    private static double[] moments(double[] xs, int n) {
        double sum = 0;
        double sq = 0;
        for (int k = 0; k < 2 * n; k++) {
            sum += xs[k];
            sq += xs[k] * xs[k];
        }
        double mean = sum / (2 * n);
        return new double[] {mean, sq / (2 * n) - mean * mean};
    }

    @Test
    void seededRunsAreReproducibleAndBadInputIsRejected() {
        double[] a = {0.1, 0.2, -0.3, 0.4};
        double[] b = a.clone();
        new LangevinSampler(gaussian(0, 0, 1), a, 2, 0.1, 5).run(10);
        new LangevinSampler(gaussian(0, 0, 1), b, 2, 0.1, 5).run(10);
        assertArrayEquals(a, b, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LangevinSampler(gaussian(0, 0, 1), new double[3], 2, 0.1, 1));
        assertTrue(e.getMessage().contains("2n"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new LangevinSampler(gaussian(0, 0, 1), new double[4], 2, -0.1, 1));
        assertTrue(e.getMessage().contains("stepSize"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new AnnealedLangevinSampler((x, n, s, o) -> { }, new double[4], 2, new double[] {1, 2}, 5, 0.1, 1));
        assertTrue(e.getMessage().contains("decreasing"), e.getMessage());
        BatchScore broken = (xs, n, out) -> out[1] = Double.NaN;
        IllegalStateException ise = assertThrows(IllegalStateException.class,
                () -> new LangevinSampler(broken, new double[4], 2, 0.1, 1).step());
        assertTrue(ise.getMessage().contains("particle 0"), ise.getMessage());
    }
}
