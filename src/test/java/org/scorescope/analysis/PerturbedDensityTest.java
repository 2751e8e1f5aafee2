package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scorescope.autodiff.Activation;
import org.scorescope.data.GaussianMixture;
import org.scorescope.model.DiffusionMlp;
import org.scorescope.model.EnergyMlp;
import org.scorescope.model.NoiseConditionalMlp;
import org.scorescope.model.Sde;

/**
 * The noise-level view's p_t against closed forms: a Gaussian N(μ, diag σ²) pushed through the VP SDE to time t is
 * N(m(t)μ, diag(m(t)²σ² + s(t)²)) with m(t) = exp(−¼t²(β_max − β_min) − ½tβ_min), s(t)² = 1 − m(t)², written out
 * here from the formulas rather than through {@link Sde}; a noise-conditional model's p_t is the data convolved with
 * N(0, σ(t)²I), σ(t) geometric between its smallest and largest σ; the KDE has Scott's bandwidth. Tolerances 1e-12
 * (the same arithmetic in another order).
 */
class PerturbedDensityTest {
    private static final double[] MU = {1.5, -2};
    private static final double[] SD = {0.4, 1.2};
    private static final GaussianMixture DATA = GaussianMixture.diagonal(new double[] {1}, new double[][] {MU},
            new double[][] {SD});

    @Test
    void vpMarginalOfAGaussianIsTheClosedForm() {
        DiffusionMlp model = new DiffusionMlp(2, 8, 1, Activation.TANH, Sde.vp());
        for (double t : new double[] {1e-3, 0.1, 0.37, 1}) {
            GaussianMixture pt = PerturbedDensity.marginal(model, DATA, t);
            double m = Math.exp(-0.25 * t * t * (20 - 0.1) - 0.5 * t * 0.1);
            double s2 = 1 - m * m;
            for (double[] x : new double[][] {{0, 0}, {1.2, -1.5}, {-3, 2}}) {
                double expected = 0;
                double[] score = new double[2];
                for (int d = 0; d < 2; d++) {
                    double var = m * m * SD[d] * SD[d] + s2;
                    double c = x[d] - m * MU[d];
                    expected += -0.5 * c * c / var - 0.5 * Math.log(2 * Math.PI * var);
                    score[d] = -c / var;
                }
                assertEquals(expected, pt.logDensity(x), 1e-12, "log p_t at t = " + t);
                assertArrayEquals(score, pt.score(x), 1e-12, "∇log p_t at t = " + t);
            }
            assertEquals(Math.sqrt(s2), PerturbedDensity.sigma(model, t), 1e-12, "σ(t) = s(t)");
        }
    }

    @Test
    void noiseConditionalMarginalIsTheDataConvolvedWithSigmaOfT() {
        NoiseConditionalMlp model = new NoiseConditionalMlp(2, 8, 1, Activation.TANH, 2.0, 0.1, 5);
        double t = 0.5;
        double sigma = 0.1 * Math.pow(2.0 / 0.1, t);
        assertEquals(sigma, PerturbedDensity.sigma(model, t), 1e-12);
        GaussianMixture pt = PerturbedDensity.marginal(model, DATA, t);
        GaussianMixture convolved = DATA.convolved(sigma);
        double[] x = {0.3, -1};
        assertEquals(convolved.logDensity(x), pt.logDensity(x), 1e-12);
    }

    @Test
    void timesAreClampedToTheModelsRange() {
        DiffusionMlp model = new DiffusionMlp(2, 8, 1, Activation.TANH, Sde.vp());
        assertTrue(PerturbedDensity.applies(model));
        assertFalse(PerturbedDensity.applies(new EnergyMlp(2, 8, 1, Activation.TANH)));
        assertEquals(model.epsilon(), PerturbedDensity.time(model, Double.NaN));
        assertEquals(model.epsilon(), PerturbedDensity.time(model, 0));
        assertEquals(0.25, PerturbedDensity.time(model, 0.25));
        assertEquals(1, PerturbedDensity.time(model, 1));
    }

    @Test
    void kdeHasScottsBandwidthPerAxis() {
        int n = 300;
        double[][] pts = DATA.sample(n, 3);
        double[] flat = new double[2 * n];
        for (int i = 0; i < n; i++) {
            flat[2 * i] = pts[i][0];
            flat[2 * i + 1] = pts[i][1];
        }
        GaussianMixture kde = PerturbedDensity.kde(flat, n, 1000, 1);
        assertEquals(n, kde.components());
        double factor = Math.pow(n, -1.0 / 6);
        for (int d = 0; d < 2; d++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += flat[2 * i + d] / n;
            }
            double var = 0;
            for (int i = 0; i < n; i++) {
                var += Math.pow(flat[2 * i + d] - mean, 2) / (n - 1);
            }
            assertEquals(factor * Math.sqrt(var), kde.sigma(0)[d], 1e-12, "h along axis " + d);
        }
        assertArrayEquals(pts[7], kde.mean(7), 0, "one kernel per point");
        assertEquals(100, PerturbedDensity.kde(flat, n, 100, 1).components(), "a subsample beyond the cap");
        assertThrows(IllegalArgumentException.class, () -> PerturbedDensity.kde(new double[] {1, 1, 1, 2}, 2, 10, 1),
                "no spread along x");
    }
}
