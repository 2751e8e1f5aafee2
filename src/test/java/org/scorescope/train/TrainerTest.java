package org.scorescope.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scorescope.autodiff.Tensor;
import org.scorescope.model.ScoreModel;
import java.util.Map;
import java.util.Random;
import org.scorescope.data.ToyDataset;
import org.scorescope.model.ModelSpec;

class TrainerTest {
    static TrainingConfig small(ModelSpec.Kind kind, TrainingConfig.ObjectiveKind obj, double lr) {
        return TrainingConfig.defaults(kind).withAll(Map.ofEntries(Map.entry(Settings.SAMPLES, 400),
                Map.entry(Settings.WIDTH, 16), Map.entry(Settings.COUPLINGS, 2), Map.entry(Settings.OBJECTIVE, obj),
                Map.entry(Settings.PROJECTIONS, 2), Map.entry(Settings.SIGMA, 0.5), Map.entry(Settings.SIGMA_LEVELS, 5),
                Map.entry(Settings.LEARNING_RATE, lr), Map.entry(Settings.BATCH_SIZE, 64),
                Map.entry(Settings.SCHEDULE, TrainingConfig.Schedule.CONSTANT), Map.entry(Settings.STEPS, 100),
                Map.entry(Settings.SEED, 3L)));
    }

    @Test
    void everyModelAndObjectiveTrainsDeterministicallyAndLowersTheLoss() {
        Object[][] combos = {
            {ModelSpec.Kind.ENERGY, TrainingConfig.ObjectiveKind.EXACT},
            {ModelSpec.Kind.ENERGY, TrainingConfig.ObjectiveKind.SLICED_VR},
            {ModelSpec.Kind.SCORE, TrainingConfig.ObjectiveKind.SLICED},
            {ModelSpec.Kind.SCORE, TrainingConfig.ObjectiveKind.DENOISING},
            {ModelSpec.Kind.NOISE_CONDITIONAL, TrainingConfig.ObjectiveKind.DENOISING_MULTI},
            {ModelSpec.Kind.FLOW, TrainingConfig.ObjectiveKind.MAX_LIKELIHOOD},
            {ModelSpec.Kind.FLOW, TrainingConfig.ObjectiveKind.EXACT},
        };
        for (Object[] c : combos) {
            TrainingConfig cfg = small((ModelSpec.Kind) c[0], (TrainingConfig.ObjectiveKind) c[1], 1e-2);
            Trainer a = Trainer.forDataset(cfg);
            Trainer b = Trainer.forDataset(cfg);
            for (int i = 0; i < 60; i++) {
                assertTrue(a.step(), c[0] + "/" + c[1] + " " + a.snapshot().message());
                b.step();
            }
            assertArrayEquals(a.model().theta(), b.model().theta(), "deterministic " + c[0] + "/" + c[1]);
            TrainingSnapshot s = a.snapshot();
            assertEquals(60, s.step());
            assertEquals(60, s.losses().length());
            // Compare the objective on all the data with the same noise draws, before and after.
            Tensor data = Tensor.of(Trainer.sample(cfg));
            ScoreModel m = a.model().model();
            double early = cfg.buildObjective().loss(m, m.parameters(m.initialParameters(cfg.run().seed()), false), data,
                    new Random(42)).item();
            double late = cfg.buildObjective().loss(m, a.model().thetaTensor(), data, new Random(42)).item();
            assertTrue(late < early, c[0] + "/" + c[1] + ": loss " + early + " → " + late);
        }
    }

    @Test
    void divergenceStopsRestoresTheLastFiniteParametersAndExplains() {
        TrainingConfig cfg = TrainingConfig.defaults().withAll(Map.ofEntries(Map.entry(Settings.DATASET, ToyDataset.MIXTURE2),
                Map.entry(Settings.SAMPLES, 400), Map.entry(Settings.WIDTH, 16),
                Map.entry(Settings.OPTIMIZER, TrainingConfig.OptimizerKind.SGD), Map.entry(Settings.LEARNING_RATE, 10.0),
                Map.entry(Settings.MOMENTUM, 0.99), Map.entry(Settings.BATCH_SIZE, 64),
                Map.entry(Settings.SCHEDULE, TrainingConfig.Schedule.CONSTANT), Map.entry(Settings.STEPS, 100)));
        Trainer t = Trainer.forDataset(cfg);
        int taken = 0;
        while (t.step()) {
            taken++;
            assertTrue(taken < 500, "expected a divergence");
        }
        TrainingSnapshot s = t.snapshot();
        assertEquals(TrainingSnapshot.Status.DIVERGED, s.status());
        assertTrue(s.message().contains("lower the learning rate"), s.message());
        assertTrue(s.message().contains("Restored the parameters of step 2,"), s.message());
        assertEquals(2, s.step(), "the restored step is the step");
        assertEquals(2, t.checkpoint().history().losses().length, "the blown-up steps leave the history");
        for (double v : s.model().theta()) {
            assertTrue(Double.isFinite(v));
        }
        assertFalse(t.step(), "no steps after a divergence");
        t.setConfig(cfg.with(Settings.LEARNING_RATE, 1e-4));
        assertTrue(t.step(), "a new learning rate allows another try");
    }

    @Test
    void liveChangesApplyAtTheNextStepAndArchitectureChangesAreRefused() {
        TrainingConfig cfg = small(ModelSpec.Kind.ENERGY, TrainingConfig.ObjectiveKind.EXACT, 1e-3);
        Trainer t = Trainer.forDataset(cfg);
        t.step();
        t.setConfig(cfg.with(Settings.LEARNING_RATE, 0.02));
        t.step();
        assertEquals(0.02, t.snapshot().learningRate());
        TrainingConfig wider = cfg.with(Settings.WIDTH, 32);
        assertTrue(cfg.needsNewModel(wider));
        assertFalse(cfg.needsNewModel(cfg.with(Settings.MOMENTUM, 0.5)), "momentum acts live");
        assertFalse(cfg.needsNewModel(cfg.with(Settings.COUPLINGS, 7)), "couplings do not shape an energy model");
        TrainingConfig nc = small(ModelSpec.Kind.NOISE_CONDITIONAL, TrainingConfig.ObjectiveKind.DENOISING_MULTI, 1e-3);
        assertTrue(nc.needsNewModel(nc.with(Settings.SIGMA, 0.2)), "σ shapes a noise-conditional model's ladder");
        assertFalse(cfg.needsNewModel(cfg.with(Settings.SIGMA, 0.2)), "σ of denoising acts live");
        assertThrows(IllegalArgumentException.class, () -> t.setConfig(wider));
    }

    @Test
    void absurdSettingsAreRejectedNamingTheField() {
        TrainingConfig d = TrainingConfig.defaults();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.with(Settings.LEARNING_RATE, Double.NaN));
        assertTrue(e.getMessage().startsWith("learningRate:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> small(ModelSpec.Kind.ENERGY,
                TrainingConfig.ObjectiveKind.MAX_LIKELIHOOD, 1e-3));
        assertTrue(e.getMessage().contains("needs a flow"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.with(Settings.BATCH_SIZE, 0));
        assertEquals("batchSize: 0 is outside [1, 65536]", e.getMessage(), "integers print as integers");
    }

    @Test
    void theFisherDivergenceIsEvaluatedEveryFisherEverySteps() {
        Trainer t = Trainer.forDataset(small(ModelSpec.Kind.ENERGY, TrainingConfig.ObjectiveKind.EXACT, 1e-3)
                .with(Settings.FISHER_EVERY, 4).with(Settings.STEPS, 10));
        for (int i = 0; i < 12; i++) {
            t.step();
        }
        double[] f = t.checkpoint().history().fishers();
        for (int i = 0; i < f.length; i++) {
            assertEquals((i + 1) % 4 == 0 || i + 1 == 10, !Double.isNaN(f[i]), "step " + (i + 1) + ": every 4th, and "
                    + "the plan's last");
        }
    }

    @Test
    void aNoiseConditionalModelIsMeasuredAgainstTheTruthBlurredByItsSmallestSigma() {
        TrainingConfig cfg = small(ModelSpec.Kind.NOISE_CONDITIONAL, TrainingConfig.ObjectiveKind.DENOISING_MULTI, 1e-3);
        Trainer t = Trainer.forDataset(cfg);
        org.scorescope.data.GaussianMixture truth = cfg.data().dataset().mixture(cfg.data().effectiveNoise())
                .orElseThrow();
        assertEquals(org.scorescope.analysis.FisherTarget.fisherDivergence(t.model(), truth, 512, cfg.run().seed() + 1),
                t.fisherDivergence(), 1e-12);
    }

    @Test
    void fisherDivergenceIsTrackedForMixturesOnly() {
        Trainer t = Trainer.forDataset(small(ModelSpec.Kind.ENERGY, TrainingConfig.ObjectiveKind.EXACT, 1e-3));
        assertTrue(t.fisherDivergence() > 0);
        TrainingConfig moons = TrainingConfig.defaults().withAll(Map.of(Settings.DATASET, ToyDataset.MOONS,
                Settings.SAMPLES, 100, Settings.WIDTH, 8, Settings.DEPTH, 1));
        assertTrue(Double.isNaN(Trainer.forDataset(moons).fisherDivergence()));
    }

    @Test
    void aCheckpointedRunContinuesBitIdenticallyThroughTheSessionFormat() throws Exception {
        for (TrainingConfig.ObjectiveKind obj : new TrainingConfig.ObjectiveKind[] {
            TrainingConfig.ObjectiveKind.SLICED, TrainingConfig.ObjectiveKind.DENOISING}) {
            // A cosine schedule and a noisy objective: the schedule position, Adam's moments and the random
            // state must all come back for the two halves to equal one run.
            TrainingConfig cfg = small(ModelSpec.Kind.ENERGY, obj, 1e-2)
                    .with(Settings.SCHEDULE, TrainingConfig.Schedule.COSINE).with(Settings.STEPS, 40);
            Trainer whole = Trainer.forDataset(cfg);
            Trainer first = Trainer.forDataset(cfg);
            for (int i = 0; i < 40; i++) {
                whole.step();
                if (i < 17) {
                    first.step();
                }
            }
            double[][] points = Trainer.sample(cfg);
            SessionFile.Session saved = SessionFile.parse(SessionFile.toJson(SessionFile.Session.of(first, points)));
            Trainer second = new Trainer(saved.config(), saved.points(), Trainer.truthOf(saved.config(), saved.points()),
                    saved.model(), saved.run());
            while (second.stepCount() < 40) {
                assertTrue(second.step());
            }
            assertArrayEquals(whole.model().theta(), second.model().theta(), obj + ": bit-identical parameters");
            assertArrayEquals(whole.checkpoint().history().losses(), second.checkpoint().history().losses());
            assertArrayEquals(whole.checkpoint().history().fishers(), second.checkpoint().history().fishers());
            assertTrue(second.planComplete());
        }
    }
}
