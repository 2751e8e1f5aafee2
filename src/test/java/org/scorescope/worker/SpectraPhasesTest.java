package org.scorescope.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scorescope.analysis.ParameterHessian;
import org.scorescope.data.ToyDataset;
import org.scorescope.model.ModelState;
import org.scorescope.model.ScoreModel;
import org.scorescope.train.Settings;
import org.scorescope.train.TrainingConfig;

/** Above the synchronous limit: the Lanczos ends first, then all P; above the dense limit: ends and SLQ. */
class SpectraPhasesTest {
    private static FrameData frame(int width) {
        TrainingConfig c = TrainingConfig.defaults().withAll(java.util.Map.of(Settings.SAMPLES, 200, Settings.WIDTH, width,
                Settings.SEED, 7L));
        ScoreModel arch = c.buildModel(new double[0][]);
        ModelState model = new ModelState(arch, arch.initialParameters(3));
        double[] pts = ToyDataset.EIGHT_GAUSSIANS.sampleFlat(200, 0.1, 5);
        return new FrameData(1,
                new FrameData.Run(5, WorkerState.PAUSED, "", 0, 1.0, Double.NaN, 0, 1e-3, 0, 0),
                new FrameData.Data(c, model, false, pts, 1, true),
                new FrameData.Picture(new double[0], 0, null, null),
                new FrameData.Charts(null, null, null, null, null));
    }

    @Test
    void theEndsArePublishedFirstThenAllPEigenvalues() {
        FrameData f = frame(40); // P = 80 + 40 + 1600 + 40 + 40 + 1 = 1801
        int p = f.model().model().parameterCount();
        assertEquals(1801, p);
        List<SpectraResult> out = new ArrayList<>();
        SpectraComputer.compute(f, null, SpectraComputer.Options.defaults(), out::add);
        assertEquals(2, out.size(), "two publications");
        SpectraResult ends = out.get(0);
        assertTrue(ends.ok(), ends.error());
        assertTrue(ends.pending());
        assertEquals(SpectraComputer.LANCZOS_TOP + SpectraComputer.LANCZOS_BOTTOM, ends.eigenvalues().length);
        assertEquals(p, ends.companion().eigenvalues().length, "Gauss–Newton is complete at once");
        SpectraResult all = out.get(1);
        assertFalse(all.pending());
        assertEquals("full", all.method());
        double[] expected = new ParameterHessian(f.model().model(), f.config().buildObjective(),
                SpectraComputer.evaluationBatch(f.points()), SpectraComputer.SEED).full(f.model().theta(), false)
                .eigenvalues();
        assertArrayEquals(expected, all.eigenvalues(), 1e-9 * Math.abs(expected[p - 1]));
        assertEquals(ends.eigenvalues()[ends.eigenvalues().length - 1], expected[p - 1], 1e-6 * Math.abs(expected[p - 1]),
                "the Lanczos top is the top of all P");
        assertTrue(all.outcome().detail().contains("then Hessian all P"), all.outcome().detail());
        // without the full request: one publication, not pending
        List<SpectraResult> once = new ArrayList<>();
        SpectraComputer.compute(f, null, new SpectraComputer.Options(SpectraResult.Curvature.GAUSS_NEWTON, false),
                once::add);
        assertEquals(1, once.size());
        assertEquals(SpectraResult.Curvature.GAUSS_NEWTON, once.get(0).curvature());
        assertFalse(once.get(0).companion().pending());
    }

    @Test
    void aboveTheDenseLimitTheEndsComeWithTheSlqDensity() {
        FrameData f = frame(72); // P = 144 + 72 + 5184 + 72 + 72 + 1 = 5545
        int p = f.model().model().parameterCount();
        assertTrue(p > SpectraComputer.DENSE_LIMIT);
        List<SpectraResult> out = new ArrayList<>();
        SpectraComputer.compute(f, null, SpectraComputer.Options.defaults(), out::add);
        assertEquals(1, out.size());
        SpectraResult r = out.get(0);
        assertTrue(r.ok(), r.error());
        assertEquals("Lanczos + SLQ", r.method());
        assertNotNull(r.ladder().density());
        double mass = 0;
        for (double w : r.ladder().density().weights()) {
            mass += w;
        }
        assertEquals(p, mass, 1e-6 * p, "the SLQ weights sum to P");
    }
}
