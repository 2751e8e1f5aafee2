package org.scorescope.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.scorescope.autodiff.Activation;
import org.scorescope.field.Colormap;
import org.scorescope.field.FieldRequest;
import org.scorescope.model.DiffusionMlp;
import org.scorescope.model.ModelState;
import org.scorescope.model.Sde;
import org.scorescope.train.TrainingConfig;

/** The worker's view fields: a diffusion model's probability-flow density is computed only while it is shown. */
class ViewFieldsTest {
    private static FieldRequest view(boolean density) {
        return new FieldRequest(new FieldRequest.Area(-4, 4, -4, 4), new FieldRequest.Canvas(100, 100),
                new FieldRequest.Options(16, 4, 10, false, 30, Colormap.VIRIDIS, density),
                new FieldRequest.NoiseLevel(0.3, false));
    }

    /** Fields for one frame of a small diffusion model; true when the flow-density thread reported within the wait. */
    private static boolean flowReported(boolean density, long waitMillis) throws InterruptedException {
        CountDownLatch reported = new CountDownLatch(1);
        RunData data = new RunData();
        data.generate(TrainingConfig.defaults());
        DiffusionMlp model = new DiffusionMlp(2, 8, 1, Activation.TANH, Sde.vp());
        try (ViewFields fields = new ViewFields(reported::countDown)) {
            fields.post(view(density));
            assertTrue(fields.applyPending());
            assertTrue(fields.update(new ModelState(model, model.initialParameters(1)), 1, 0, data, false));
            assertFalse(fields.field().noise().flowPending() && !density, "nothing is pending that is not shown");
            return reported.await(waitMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void theProbabilityFlowDensityRunsOnlyWhileTheDensityIsShown() throws InterruptedException {
        assertTrue(flowReported(true, 60_000), "shown: the flow density arrives");
        assertFalse(flowReported(false, 1_500), "hidden: no ODE solves are started");
    }
}
