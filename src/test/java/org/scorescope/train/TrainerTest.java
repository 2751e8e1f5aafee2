package org.scorescope.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Probe;
import org.scorescope.autodiff.Tensor;
import org.scorescope.model.ScoreModel;
import java.util.Random;
import org.scorescope.data.ToyDataset;
import org.scorescope.model.ModelSpec;

class TrainerTest {
    static TrainingConfig small(ModelSpec.Kind kind, TrainingConfig.ObjectiveKind obj, double lr) {
        return new TrainingConfig(ToyDataset.EIGHT_GAUSSIANS, 400, Double.NaN, kind, 16, 2, Activation.SOFTPLUS, 2,
                obj, 2, Probe.RADEMACHER, 0.5, 5, 5, TrainingConfig.OptimizerKind.ADAM, lr, 0.9, 0, 64,
                TrainingConfig.Schedule.CONSTANT, 100, 0, 3);
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
            Tensor data = Tensor.of(cfg.dataset().sample(cfg.samples(), cfg.effectiveDataNoise(), cfg.seed()));
            ScoreModel m = a.model().model();
            double early = cfg.buildObjective().loss(m, m.parameters(m.initialParameters(cfg.seed()), false), data,
                    new Random(42)).item();
            double late = cfg.buildObjective().loss(m, a.model().thetaTensor(), data, new Random(42)).item();
            assertTrue(late < early, c[0] + "/" + c[1] + ": loss " + early + " → " + late);
        }
    }

    @Test
    void divergenceStopsRestoresTheLastFiniteParametersAndExplains() {
        TrainingConfig cfg = new TrainingConfig(ToyDataset.MIXTURE2, 400, Double.NaN, ModelSpec.Kind.ENERGY, 16, 2,
                Activation.SOFTPLUS, 2, TrainingConfig.ObjectiveKind.EXACT, 1, Probe.RADEMACHER, 0.1, 5, 5,
                TrainingConfig.OptimizerKind.SGD, 10, 0.99, 0, 64, TrainingConfig.Schedule.CONSTANT, 100, 0, 1);
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
        for (double v : s.model().theta()) {
            assertTrue(Double.isFinite(v));
        }
        assertFalse(t.step(), "no steps after a divergence");
        t.setConfig(cfg.withLearningRate(1e-4));
        assertTrue(t.step(), "a new learning rate allows another try");
    }

    @Test
    void liveChangesApplyAtTheNextStepAndArchitectureChangesAreRefused() {
        TrainingConfig cfg = small(ModelSpec.Kind.ENERGY, TrainingConfig.ObjectiveKind.EXACT, 1e-3);
        Trainer t = Trainer.forDataset(cfg);
        t.step();
        t.setConfig(cfg.withLearningRate(0.02));
        t.step();
        assertEquals(0.02, t.snapshot().learningRate());
        TrainingConfig wider = new TrainingConfig(cfg.dataset(), cfg.samples(), cfg.dataNoise(), cfg.modelKind(), 32,
                cfg.depth(), cfg.activation(), cfg.couplings(), cfg.objective(), cfg.projections(), cfg.probe(),
                cfg.sigma(), cfg.sigmaMax(), cfg.sigmaLevels(), cfg.optimizer(), cfg.learningRate(), cfg.momentum(),
                cfg.weightDecay(), cfg.batchSize(), cfg.schedule(), cfg.steps(), cfg.clipNorm(), cfg.seed());
        assertTrue(cfg.needsNewModel(wider));
        assertThrows(IllegalArgumentException.class, () -> t.setConfig(wider));
    }

    @Test
    void absurdSettingsAreRejectedNamingTheField() {
        TrainingConfig d = TrainingConfig.defaults();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.withLearningRate(Double.NaN));
        assertTrue(e.getMessage().startsWith("learningRate:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> small(ModelSpec.Kind.ENERGY,
                TrainingConfig.ObjectiveKind.MAX_LIKELIHOOD, 1e-3));
        assertTrue(e.getMessage().contains("needs a flow"), e.getMessage());
    }

    @Test
    void fisherDivergenceIsTrackedForMixturesOnly() {
        Trainer t = Trainer.forDataset(small(ModelSpec.Kind.ENERGY, TrainingConfig.ObjectiveKind.EXACT, 1e-3));
        assertTrue(t.fisherDivergence() > 0);
        TrainingConfig moons = new TrainingConfig(ToyDataset.MOONS, 100, Double.NaN, ModelSpec.Kind.ENERGY, 8, 1,
                Activation.TANH, 2, TrainingConfig.ObjectiveKind.EXACT, 1, Probe.RADEMACHER, 0.1, 5, 5,
                TrainingConfig.OptimizerKind.ADAM, 1e-3, 0.9, 0, 32, TrainingConfig.Schedule.CONSTANT, 10, 0, 1);
        assertTrue(Double.isNaN(Trainer.forDataset(moons).fisherDivergence()));
    }
}
