package org.scorescope.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.scorescope.analysis.ModelFields;
import org.scorescope.analysis.ProbabilityFlow;
import org.scorescope.autodiff.Activation;
import org.scorescope.field.FieldRequest;
import org.scorescope.field.FlowDensity;
import org.scorescope.model.DiffusionMlp;
import org.scorescope.model.ModelState;
import org.scorescope.model.Sde;

/**
 * The view's probability-flow density: computed on the service's own thread (never the caller's), coarse first and
 * then refined, equal at every node to {@link ProbabilityFlow#logDensity} at the service's tolerance (1e-4, so within
 * 1e-2 nats of a solve at 1e-8), and cached per snapshot: asking again for a noise level already computed solves
 * nothing.
 */
class FlowDensityServiceTest {
    private static final FieldRequest.Area AREA = new FieldRequest.Area(-3, 3, -2, 2);

    @Test
    void progressiveOffTheCallersThreadAndCached() throws Exception {
        DiffusionMlp model = new DiffusionMlp(2, 8, 1, Activation.TANH, Sde.vp());
        ModelState state = new ModelState(model, model.initialParameters(3));
        List<FlowDensity> seen = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        FlowDensityService[] holder = new FlowDensityService[1];
        try (FlowDensityService service = new FlowDensityService(() -> {
            threads.add(Thread.currentThread().getName());
            seen.add(holder[0].latest());
        })) {
            holder[0] = service;
            service.post(new FlowDensityService.Request(state, 1, 10, AREA, 0.2, 64));
            waitFor(() -> seen.size() >= 2);
            assertFalse(seen.get(0).refined(), "a coarse pass first");
            assertEquals(FlowDensityService.COARSE, seen.get(0).grid().nx(), "along the longer side");
            assertTrue(seen.get(1).refined(), "then the refined one");
            assertEquals(FlowDensityService.FINE, seen.get(1).grid().nx());
            assertTrue(seen.get(1).grid().ny() < seen.get(1).grid().nx(), "the rectangle's aspect");
            assertTrue(seen.get(1).covers(AREA, 0.2));
            assertEquals(10, seen.get(1).step());
            for (String t : threads) {
                assertEquals("scorescope-flow-density", t);
            }

            FlowDensity fine = seen.get(1);
            double[] pts = fine.grid().points();
            int[] nodes = {0, fine.grid().size() / 2, fine.grid().size() - 1};
            for (int k : nodes) {
                double[] p = {pts[2 * k], pts[2 * k + 1]};
                double ref = ProbabilityFlow.logDensity(ModelFields.diffusionWithDivergence(state, model), model.sde(),
                        p, 1, 0.2, 1e-8, 1e-8, 1).values()[0];
                assertEquals(ref, fine.logp()[k], 1e-2, "node " + k);
            }

            long solves = service.solves();
            assertEquals(2, solves);
            service.post(new FlowDensityService.Request(state, 1, 10, AREA, 0.6, 64));
            waitFor(() -> seen.size() >= 4);
            assertEquals(4, service.solves());
            service.post(new FlowDensityService.Request(state, 1, 10, AREA, 0.2, 64));
            waitFor(() -> seen.size() >= 5);
            Thread.sleep(200);
            assertEquals(4, service.solves(), "back to t = 0.2 of the same snapshot: from the cache");
            assertNotNull(service.latest());
            assertEquals(0.2, service.latest().time());
            assertTrue(service.latest().refined());
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!c.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "timed out");
            Thread.sleep(10);
        }
    }
}
