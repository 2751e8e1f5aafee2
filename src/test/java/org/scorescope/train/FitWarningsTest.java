package org.scorescope.train;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scorescope.model.ModelSpec;

class FitWarningsTest {
    /**
     * A synthetic history of 100 steps: loss(step) and NLL every 10 steps.
     */
    private static Trainer.History history(java.util.function.IntToDoubleFunction loss,
            java.util.function.IntToDoubleFunction nll) {
        int n = 100;
        double[] steps = new double[n];
        double[] losses = new double[n];
        double[] fishers = new double[n];
        double[] grads = new double[n];
        double[] nlls = new double[n];
        for (int i = 0; i < n; i++) {
            int s = i + 1;
            steps[i] = s;
            losses[i] = loss.applyAsDouble(s);
            fishers[i] = Double.NaN;
            grads[i] = 1;
            nlls[i] = s % 10 == 0 ? nll.applyAsDouble(s) : Double.NaN;
        }
        return new Trainer.History(Double.NaN, steps, losses, fishers, grads, nlls);
    }

    @Test
    void lossFallingWhileHeldOutNllRisesIsDegenerate() {
        // exact score matching on a few points: the loss heads for −∞, the held-out NLL climbs after step 20
        Trainer.History h = history(s -> -s * s / 10.0, s -> s <= 20 ? 3.0 - s / 100.0 : 2.8 + (s - 20) / 20.0);
        String w = FitWarnings.degenerate(h, SmallData.remedy(ModelSpec.Kind.ENERGY, 0.08));
        assertNotNull(w);
        assertTrue(w.startsWith("degenerate fit:"), w);
        assertTrue(w.contains("since step 20") && w.contains("σ ≈ 0.08") && w.contains("denoising"), w);
        String flow = FitWarnings.degenerate(h, SmallData.remedy(ModelSpec.Kind.FLOW, 0.08));
        assertTrue(flow.contains("blur the data with Smoothing σ ≈ 0.08 (1.5 ×") && !flow.contains("denoising"), flow);
    }

    @Test
    void nllRisingWhileTheLossRisesTooIsNotDegenerate() {
        // a learning rate too high: both get worse; that is "degraded", not a collapse onto the points
        Trainer.History h = history(s -> s / 10.0, s -> 2.8 + s / 20.0);
        assertNull(FitWarnings.degenerate(h, SmallData.remedy(ModelSpec.Kind.ENERGY, 0.08)));
    }

    @Test
    void aFallingLossWithAFallingNllIsHealthy() {
        Trainer.History h = history(s -> -s, s -> 4 - s / 100.0);
        assertNull(FitWarnings.degenerate(h, SmallData.remedy(ModelSpec.Kind.ENERGY, Double.NaN)));
    }

    @Test
    void aSmallNllRiseIsNoise() {
        Trainer.History h = history(s -> -s, s -> s <= 50 ? 3.0 : 3.0 + 0.4 * (s - 50) / 50.0);
        assertNull(FitWarnings.degenerate(h, SmallData.remedy(ModelSpec.Kind.ENERGY, Double.NaN)), "0.4 nats is below the 0.5 threshold");
    }

    @Test
    void tooFewEvaluationsAreNotJudged() {
        Trainer.History h = history(s -> -s * s, s -> s <= 10 ? 3.0 : 9.0);
        Trainer.History two = new Trainer.History(Double.NaN, java.util.Arrays.copyOf(h.steps(), 25),
                java.util.Arrays.copyOf(h.losses(), 25), java.util.Arrays.copyOf(h.fishers(), 25),
                java.util.Arrays.copyOf(h.gradNorms(), 25), java.util.Arrays.copyOf(h.nlls(), 25));
        assertNull(FitWarnings.degenerate(two, SmallData.remedy(ModelSpec.Kind.ENERGY, Double.NaN)), "two NLL evaluations");
    }

    @Test
    void degradedComparesWithTheBestInItsOwnMetric() {
        HeldOutQuality.Best nll = new HeldOutQuality.Best(100, HeldOutQuality.Metric.NLL, 2.9, new double[1]);
        assertNull(FitWarnings.degraded(nll, 3.3, 500), "0.4 nats worse");
        String w = FitWarnings.degraded(nll, 3.5, 500);
        assertNotNull(w);
        assertTrue(w.contains("3.5 at step 500") && w.contains("2.9 at step 100"), w);
        HeldOutQuality.Best fisher = new HeldOutQuality.Best(2710, HeldOutQuality.Metric.FISHER, 0.72, new double[1]);
        assertNull(FitWarnings.degraded(fisher, 1.4, 5000));
        assertNotNull(FitWarnings.degraded(fisher, 2300, 230_000));
        assertNull(FitWarnings.degraded(null, 5, 10));
        assertNull(FitWarnings.degraded(fisher, Double.NaN, 5000));
    }
}
