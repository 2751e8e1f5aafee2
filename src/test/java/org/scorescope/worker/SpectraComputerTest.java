package org.scorescope.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.scorescope.analysis.LocalHessians;
import org.scorescope.analysis.ParameterHessian;
import org.scorescope.data.ToyDataset;
import org.scorescope.field.ViewBox;
import org.scorescope.model.ModelState;
import org.scorescope.model.ScoreModel;
import org.scorescope.train.Settings;
import org.scorescope.train.TrainingConfig;

/** Plain JUnit (no FX): the spectra of a small model against the core analysis, and the background service. */
public class SpectraComputerTest {

    /** A frame with a width-8 energy model (P = 2·8 + 8 + 8·8 + 8 + 8 + 1 = 105) on 300 points of 8gaussians. */
    public static FrameData frame(long step) {
        TrainingConfig c = TrainingConfig.defaults().withAll(java.util.Map.of(Settings.SAMPLES, 300, Settings.WIDTH, 8,
                Settings.SEED, 7L));
        ScoreModel arch = c.buildModel(new double[0][]);
        ModelState model = new ModelState(arch, arch.initialParameters(3));
        double[] pts = ToyDataset.EIGHT_GAUSSIANS.sampleFlat(300, 0.1, 5);
        return new FrameData(1,
                new FrameData.Run(step, WorkerState.RUNNING, "", 0, 1.0, Double.NaN, 0, 1e-3, 0, 0),
                new FrameData.Data(c, model, false, pts, 1, true),
                new FrameData.Picture(new double[0], 0, null, null),
                new FrameData.Charts(null, null, null, null, null));
    }

    @Test
    void ladderEqualsTheFullParameterHessianSpectrum() {
        FrameData f = frame(42);
        SpectraResult r = SpectraComputer.compute(f, new ViewBox(0, 0, 3));
        assertTrue(r.ok(), r.error());
        assertEquals("full", r.method());
        assertEquals(42, r.step());
        ScoreModel model = f.model().model();
        int p = model.parameterCount();
        assertEquals(105, p);
        assertEquals(p, r.parameters());
        // 300 points, stride ⌈300/128⌉ = 3: points 0, 3, …, 297
        double[][] batch = SpectraComputer.evaluationBatch(f.points());
        assertEquals(100, batch.length);
        assertEquals(100, r.batch());
        assertEquals(f.points()[2 * 297], batch[99][0]);

        double[] expected = new ParameterHessian(model, f.config().buildObjective(), batch, SpectraComputer.SEED)
                .full(f.model().theta(), false).eigenvalues();
        double[] ladder = r.eigenvalues();
        assertEquals(expected.length, ladder.length);
        double max = Math.max(Math.abs(expected[0]), Math.abs(expected[expected.length - 1]));
        for (int i = 0; i < expected.length; i++) {
            // Same deterministic computation: equal up to the summation order of threads (1e-12 relative to max|λ|).
            assertEquals(expected[i], ladder[i], 1e-12 * max, "eigenvalue " + i);
        }
        int negatives = 0;
        for (double v : expected) {
            negatives += v < 0 ? 1 : 0;
        }
        assertEquals(negatives, r.negatives());
    }

    @Test
    void sliceIsTheLossAlongTheTopEigenvectorAndCurvesLikeItsEigenvalue() {
        SpectraResult r = SpectraComputer.compute(frame(0), null);
        assertTrue(r.ok(), r.error());
        double[] a = r.alphas();
        double[] l = r.sliceLoss();
        assertEquals(SpectraComputer.SLICE_POINTS, a.length);
        int mid = a.length / 2;
        assertEquals(0.0, a[mid], 1e-15);
        assertEquals(r.lossAtTheta(), l[mid], 1e-12 * Math.max(1, Math.abs(l[mid])));
        // Second difference at α = 0 over the smallest step h: (L(h) − 2L(0) + L(−h))/h² ≈ u'Hu = λ_max.
        double h = a[mid + 1];
        double curvature = (l[mid + 1] - 2 * l[mid] + l[mid - 1]) / (h * h);
        double lambda = r.eigenvalues()[r.eigenvalues().length - 1];
        assertEquals(lambda, curvature, 0.05 * Math.abs(lambda) + 1e-9,
                "finite-difference curvature along u vs λ_max (step " + h + ")");
        assertNull(r.glyphs(), "no view, no glyphs");
    }

    @Test
    void localHistogramAndGlyphsMatchTheCoreLocalHessians() {
        FrameData f = frame(0);
        ViewBox view = new ViewBox(0.5, -0.5, 2);
        SpectraResult r = SpectraComputer.compute(f, view);
        assertTrue(r.ok(), r.error());
        LocalHessians.Histogram h = r.local();
        assertNotNull(h);
        assertEquals(2 * r.batch(), h.total(), "two eigenvalues per evaluation point");
        assertEquals(LocalHessians.Kind.LOG_DENSITY_HESSIAN, r.localKind());
        SpectraResult.Glyphs g = r.glyphs();
        int n = SpectraComputer.GLYPH_GRID * SpectraComputer.GLYPH_GRID;
        assertEquals(n, g.count());
        assertEquals(-1.5, g.xy()[0], 1e-12, "grid starts at the view's left edge");
        assertEquals(2.5, g.xy()[2 * n - 2], 1e-12, "and ends at its right edge");
        LocalHessians direct = LocalHessians.compute(f.model().model(), f.model().theta(), g.xy(), n);
        double[] want = direct.eigenvalues();
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], g.values()[i], 1e-12 * Math.max(1, Math.abs(want[i])), "glyph eigenvalue " + i);
        }
    }

    @Test
    void badInputIsReportedNotThrown() {
        FrameData f = frame(5);
        FrameData empty = new FrameData(1,
                new FrameData.Run(5, WorkerState.NO_DATA, "", 0, Double.NaN, Double.NaN, 0, 0, 0, 0),
                new FrameData.Data(f.config(), f.model(), false, new double[0], 1, false),
                new FrameData.Picture(new double[0], 0, null, null),
                new FrameData.Charts(null, null, null, null, null));
        SpectraResult r = SpectraComputer.compute(empty, null);
        assertFalse(r.ok());
        assertEquals("no data", r.error());
        assertFalse(SpectraComputer.compute(null, null).ok());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SpectraComputer.evaluationBatch(new double[0]));
        assertTrue(e.getMessage().contains("no points"), e.getMessage());
    }

    @Test
    void serviceComputesOnItsOwnDaemonThreadAndANewerRequestSupersedesAPendingOne() throws Exception {
        java.util.concurrent.CountDownLatch firstRunning = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (SpectraService s = new SpectraService((frame, view) -> {
            if (frame.step() == 1) {
                // Hold the first computation until the next two requests are in.
                firstRunning.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return SpectraComputer.compute(frame, view);
        })) {
            // Three requests in a row: the first starts at once, the second is replaced by the third before it starts.
            s.request(frame(1), null);
            assertTrue(firstRunning.await(30, TimeUnit.SECONDS));
            s.request(frame(2), null);
            s.request(frame(3), null);
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            SpectraResult last = null;
            while (System.nanoTime() < deadline && (s.isBusy() || last == null || last.step() != 3)) {
                SpectraResult r = s.take();
                if (r != null) {
                    last = r;
                    assertNotEquals(2, r.step(), "the superseded request never ran");
                    assertEquals("scorescope-spectra", r.thread());
                }
                Thread.sleep(20);
            }
            assertNotNull(last);
            assertEquals(3, last.step(), "the newest request is computed last");
            assertTrue(s.completedCount() <= 2, "at most the first and the newest ran: " + s.completedCount());
            assertNull(s.take(), "a result is taken once");
        }
    }

    @Test
    void aNewerRequestInterruptsTheRefinementOfTheRunningOneAndInvalidateDropsResults() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean refinedFirst = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CountDownLatch refining = new java.util.concurrent.CountDownLatch(1);
        try (SpectraService s = new SpectraService((SpectraService.Task) (frame, view, options, publish) -> {
            publish.accept(SpectraResult.failed(frame.step(), "ends of " + frame.step(), "t"));
            if (frame.step() == 1) {
                refining.countDown();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
                    Thread.onSpinWait();
                }
                if (!Thread.currentThread().isInterrupted()) {
                    refinedFirst.set(true);
                    publish.accept(SpectraResult.failed(frame.step(), "all P of 1", "t"));
                }
            }
        })) {
            s.request(frame(1), null);
            assertTrue(refining.await(30, TimeUnit.SECONDS));
            s.request(frame(2), null);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            SpectraResult last = null;
            while (System.nanoTime() < deadline && (s.isBusy() || last == null || last.step() != 2)) {
                SpectraResult r = s.take();
                if (r != null) {
                    last = r;
                }
                Thread.sleep(10);
            }
            assertFalse(refinedFirst.get(), "the refinement of request 1 was abandoned");
            assertEquals(2, last.step());
            assertEquals("ends of 2", last.error(), "request 2 ran without the interrupt meant for request 1");
            s.request(frame(3), null);
            s.invalidate();
            Thread.sleep(300);
            SpectraResult r = s.take();
            assertTrue(r == null || r.step() != 3, "a result of a request made before invalidate() is dropped");
        }
    }
}
