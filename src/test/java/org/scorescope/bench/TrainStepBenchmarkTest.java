package org.scorescope.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.ComputeThreads;
import org.scorescope.bench.TrainStepBenchmark.Config;
import org.scorescope.bench.TrainStepBenchmark.ModelKind;
import org.scorescope.bench.TrainStepBenchmark.ObjectiveKind;

/** The training-step benchmark: validation, determinism, thread independence, timing summary. */
class TrainStepBenchmarkTest {

    private static Config small(ModelKind m, ObjectiveKind o, int steps) {
        return new Config(m, o, 3, 16, 2, 64, Activation.SOFTPLUS, 0.1, 1, steps, 7);
    }

    @Test
    void everyModelAndObjectiveTrainsDeterministically() {
        for (ModelKind m : ModelKind.values()) {
            for (ObjectiveKind o : ObjectiveKind.values()) {
                TrainStepBenchmark a = new TrainStepBenchmark(small(m, o, 4));
                TrainStepBenchmark b = new TrainStepBenchmark(small(m, o, 4));
                double[] before = a.theta();
                TrainStepBenchmark.Result ra = a.run();
                TrainStepBenchmark.Result rb = b.run();
                assertTrue(Double.isFinite(ra.finalLoss()), m + " " + o);
                assertEquals(ra.finalLoss(), rb.finalLoss(), 0.0, m + " " + o + ": same seed, same loss");
                assertArrayEquals(a.theta(), b.theta(), m + " " + o + ": same seed, same θ");
                assertFalse(Arrays.equals(before, a.theta()), m + " " + o + ": Adam moved θ");
                assertEquals(4, ra.stepMs().length);
                assertTrue(ra.q1Ms() <= ra.medianMs() && ra.medianMs() <= ra.q3Ms() && ra.iqrMs() >= 0);
            }
        }
    }

    @Test
    void threadCountDoesNotChangeTheTrajectory() {
        int before = ComputeThreads.get();
        try {
            for (ObjectiveKind o : ObjectiveKind.values()) {
                // Batch and width large enough that products and activation kernels split into chunks.
                Config c = new Config(ModelKind.ENERGY, o, 2, 64, 2, 512, Activation.SOFTPLUS, 0.1, 0, 3, 3);
                ComputeThreads.set(1);
                TrainStepBenchmark one = new TrainStepBenchmark(c);
                one.run();
                ComputeThreads.set(2);
                TrainStepBenchmark two = new TrainStepBenchmark(c);
                two.run();
                assertArrayEquals(one.theta(), two.theta(), o + ": θ after 3 steps, 1 vs 2 threads");
            }
        } finally {
            ComputeThreads.set(before);
        }
    }

    @Test
    void badConfigurationsNameTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Config(ModelKind.SCORE, ObjectiveKind.EXACT, 0, 8, 1, 4, Activation.TANH, 0.1, 0, 1, 1));
        assertTrue(e.getMessage().contains("dim"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Config(ModelKind.SCORE, ObjectiveKind.EXACT, 2, 8, -1, 4, Activation.TANH, 0.1, 0, 1, 1));
        assertTrue(e.getMessage().contains("depth"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Config(ModelKind.SCORE, ObjectiveKind.DENOISING, 2, 8, 1, 4, Activation.TANH, 0, 0, 1, 1));
        assertTrue(e.getMessage().contains("sigma"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Config(ModelKind.SCORE, ObjectiveKind.EXACT, 2, 8, 1, 4, Activation.TANH, 0.1, 0, 0, 1));
        assertTrue(e.getMessage().contains("steps"), e.getMessage());
        assertEquals(ObjectiveKind.SLICED_VR, ObjectiveKind.parse(" Sliced-VR "));
        e = assertThrows(IllegalArgumentException.class, () -> ObjectiveKind.parse("ssm"));
        assertTrue(e.getMessage().contains("ssm") && e.getMessage().contains("denoising"), e.getMessage());
        assertEquals("energy exact D=2 2-64-64-1 softplus B=512",
                new Config(ModelKind.ENERGY, ObjectiveKind.EXACT, 2, 64, 2, 512, Activation.SOFTPLUS, 0.1, 0, 1, 1)
                        .describe());
    }
}
