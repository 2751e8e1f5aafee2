package org.scorescope.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.scorescope.data.ToyDataset;
import org.scorescope.model.DiffusionMlp;
import org.scorescope.model.ModelSpec;
import org.scorescope.model.Sde;

class DiffusionSettingsTest {
    private static final ModelSpec.Kind DIFF = ModelSpec.Kind.DIFFUSION;

    @Test
    void defaultsAreTheMeasuredOnes() {
        TrainingConfig c = TrainingConfig.defaults(DIFF);
        assertEquals(TrainingConfig.ObjectiveKind.DENOISING_SDE, c.objective().kind());
        assertEquals(Sde.Type.VP, c.get(Settings.SDE));
        assertEquals(3, c.model().depth());
        DiffusionMlp m = (DiffusionMlp) c.buildModel(Trainer.sample(c));
        assertEquals(Sde.vp(), m.sde());
        assertTrue(Settings.SDE.appliesTo(c));
        assertFalse(Settings.SDE.appliesTo(TrainingConfig.defaults()));
        assertFalse(Settings.SIGMA.appliesTo(c), "σ is σ_min of the ve SDE only");
        assertTrue(Settings.SIGMA.appliesTo(c.with(Settings.SDE, Sde.Type.VE)));
        assertTrue(c.needsNewModel(c.with(Settings.SDE, Sde.Type.SUBVP)));
    }

    @Test
    void veTakesSigmaMaxFromTheTrainingPointsAndSigmaMinFromTheSetting() {
        TrainingConfig c = TrainingConfig.defaults(DIFF).withAll(Map.of(Settings.SDE, Sde.Type.VE, Settings.DATASET,
                ToyDataset.MIXTURE2, Settings.SAMPLES, 500));
        double[][] p = Trainer.sample(c);
        Sde sde = c.buildSde(p);
        double far = 0;
        for (double[] a : p) {
            for (double[] b : p) {
                far = Math.max(far, Math.hypot(a[0] - b[0], a[1] - b[1]));
            }
        }
        assertEquals(far, sde.max(), 1e-12);
        assertEquals(0.01, sde.min());
    }

    @Test
    void objectivesFitTheirKinds() {
        TrainingConfig c = TrainingConfig.defaults(DIFF);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> c.with(Settings.OBJECTIVE,
                TrainingConfig.ObjectiveKind.EXACT)).getMessage().contains("does not fit a diffusion model"));
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.defaults().with(Settings.OBJECTIVE,
                TrainingConfig.ObjectiveKind.DENOISING_SDE));
    }

    @Test
    void trainingLowersTheDenoisingLoss() {
        TrainingConfig c = TrainingConfig.defaults(DIFF).withAll(Map.of(Settings.DATASET, ToyDataset.MIXTURE2,
                Settings.SAMPLES, 400, Settings.WIDTH, 16, Settings.DEPTH, 2, Settings.STEPS, 300,
                Settings.FISHER_EVERY, 1000));
        Trainer t = Trainer.forDataset(c);
        double first = 0;
        double last = 0;
        for (int s = 0; s < 300; s++) {
            assertTrue(t.step());
            double loss = t.snapshot().loss();
            if (s < 30) {
                first += loss / 30;
            } else if (s >= 270) {
                last += loss / 30;
            }
        }
        // a perfect model reaches the irreducible denoising loss (about 0.3 here); an untrained one is near 1
        assertTrue(last < 0.8 * first, "loss " + first + " → " + last);
    }
}
