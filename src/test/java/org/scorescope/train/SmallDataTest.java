package org.scorescope.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.scorescope.data.ToyDataset;
import org.scorescope.model.ModelSpec;

class SmallDataTest {
    /** 70 points of moons (seed 1): h_NN = 0.191 (docs/training.md), so σ = 1.5·0.191 ≈ 0.29. */
    @Test
    void fewPointsTrainedWithoutNoiseGetDenoisingAtTheirOwnScale() {
        double[][] pts = ToyDataset.MOONS.sample(70, 1);
        SmallData.Advice a = SmallData.advice(TrainingConfig.defaults(), pts).orElseThrow();
        assertEquals(TrainingConfig.ObjectiveKind.DENOISING, a.changes().get(Settings.OBJECTIVE));
        assertEquals(0.29, (Double) a.changes().get(Settings.SIGMA), 1e-12);
        assertTrue(a.message().startsWith("70 points: training by denoising at σ = 0.29"), a.message());
        TrainingConfig sliced = TrainingConfig.defaults().with(Settings.OBJECTIVE, TrainingConfig.ObjectiveKind.SLICED_VR);
        assertTrue(SmallData.advice(sliced, pts).isPresent(), "sliced losses collapse too");
        assertTrue(SmallData.advice(TrainingConfig.defaults(ModelSpec.Kind.SCORE), pts).isPresent());
    }

    @Test
    void aFlowOnFewPointsFitsTheirBlurByMaximumLikelihood() {
        double[][] pts = ToyDataset.MOONS.sample(70, 1);
        SmallData.Advice a = SmallData.advice(TrainingConfig.defaults(ModelSpec.Kind.FLOW), pts).orElseThrow();
        assertEquals(Map.of(Settings.SMOOTHING, 0.29), a.changes(), "the loss stays maximum likelihood");
        assertTrue(a.message().startsWith("70 points: maximum likelihood of the data blurred by σ = 0.29"),
                a.message());
        TrainingConfig applied = TrainingConfig.defaults(ModelSpec.Kind.FLOW).withAll(a.changes());
        assertEquals("maximum likelihood (smoothing σ = 0.29)", applied.buildObjective().describe());
    }

    @Test
    void enoughPointsANoisyLossOrAnotherKindAreLeftAlone() {
        double[][] few = ToyDataset.MOONS.sample(70, 1);
        assertTrue(SmallData.advice(TrainingConfig.defaults(), ToyDataset.MOONS.sample(500, 1)).isEmpty());
        assertTrue(SmallData.advice(TrainingConfig.defaults().withAll(Map.of(Settings.OBJECTIVE,
                TrainingConfig.ObjectiveKind.DENOISING)), few).isEmpty());
        assertTrue(SmallData.advice(TrainingConfig.defaults(ModelSpec.Kind.FLOW).with(Settings.SMOOTHING, 0.1), few)
                .isEmpty(), "a flow already smoothed");
        assertTrue(SmallData.advice(TrainingConfig.defaults(ModelSpec.Kind.DIFFUSION), few).isEmpty());
        assertTrue(SmallData.advice(TrainingConfig.defaults(ModelSpec.Kind.NOISE_CONDITIONAL), few).isEmpty());
        assertTrue(SmallData.advice(TrainingConfig.defaults(), new double[][] {{1, 1}, {1, 1}, {1, 1}}).isEmpty(),
                "duplicates have no scale");
    }
}
