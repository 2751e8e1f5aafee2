package org.scorescope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.scorescope.train.Settings;
import org.scorescope.train.TrainingConfig;
import org.scorescope.worker.FrameData;

/** The app side of held-out quality: the NLL in the frames, going back to the best model, the degenerate-fit notice. */
class QualityAppTest {
    private final OwnerQueue owner = new OwnerQueue();
    private MainViewModel vm;

    private MainViewModel start(TrainingConfig c) {
        vm = new MainViewModel(c, owner);
        vm.view().canvasWidthProperty().set(120);
        vm.view().canvasHeightProperty().set(90);
        vm.view().gridResolutionProperty().set(12);
        return vm;
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (vm != null) {
            vm.shutdown();
            assertTrue(vm.worker().awaitTermination(5000));
            assertTrue(vm.files().fileJobs().awaitTermination(5000));
        }
    }

    private void await(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            owner.runPending();
            vm.pollFrame();
            if (vm.frameProperty().get() != null && condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(5);
        }
        FrameData f = vm.frameProperty().get();
        fail("timed out waiting for " + what + (f == null ? "" : "; step " + f.step() + ", " + f.quality()));
    }

    @Test
    void theNllIsChartedAndTheBestModelCanBeRestored() throws InterruptedException {
        start(TrainingConfig.defaults().withAll(Map.of(Settings.SAMPLES, 300, Settings.WIDTH, 8, Settings.BATCH_SIZE,
                32, Settings.NLL_EVERY, 20, Settings.STEPS, 1_000_000)));
        assertNull(vm.confirmRestoreBest(), "no best model before training");
        vm.play();
        await("two NLL evaluations", 60, () -> vm.frameProperty().get().nllLine().size() >= 2
                && vm.frameProperty().get().quality().hasBest());
        vm.pause();
        String question = vm.confirmRestoreBest();
        assertNotNull(question);
        assertTrue(question.contains("best model of this run (step "), question);
        FrameData.Quality q = vm.frameProperty().get().quality();
        vm.restoreBest();
        await("the restore", 30, () -> vm.frameProperty().get().message().startsWith("Restored the best model"));
        FrameData f = vm.frameProperty().get();
        assertTrue(f.quality().bestStep() >= q.bestStep());
        assertEquals(f.quality().bestValue(), f.quality().nll(), 1e-12,
                "the current model is the best one: its held-out NLL is the best NLL");
        assertEquals("held-out NLL", f.quality().bestLabel());
    }

    @Test
    void aCollapseOntoAFewDrawnPointsRaisesANotice() throws InterruptedException {
        start(TrainingConfig.defaults().withAll(Map.of(Settings.NLL_EVERY, 100, Settings.STEPS, 1_000_000,
                Settings.SCHEDULE, TrainingConfig.Schedule.CONSTANT)));
        // 70 points of two noisy half moons, as if drawn: exact score matching collapses onto them
        SplittableRandom r = new SplittableRandom(3);
        double[][] pts = new double[70][];
        for (int i = 0; i < pts.length; i++) {
            double t = Math.PI * r.nextDouble();
            pts[i] = i % 2 == 0 ? new double[] {Math.cos(t), Math.sin(t)} : new double[] {1 - Math.cos(t), 0.5 - Math.sin(t)};
            pts[i][0] += 0.08 * (r.nextDouble() - 0.5);
            pts[i][1] += 0.08 * (r.nextDouble() - 0.5);
        }
        vm.worker().setPoints(pts);
        await("the drawn points", 30, () -> vm.frameProperty().get().customData());
        vm.play();
        // Play moved these few points to denoising (SmallData); a user who insists on the exact loss gets the notice
        assertEquals(org.scorescope.train.TrainingConfig.ObjectiveKind.DENOISING,
                vm.settings().value(Settings.OBJECTIVE).get());
        vm.settings().value(Settings.OBJECTIVE).set(org.scorescope.train.TrainingConfig.ObjectiveKind.EXACT);
        await("the degenerate-fit notice", 120, () -> vm.notificationProperty().get().contains("degenerate fit"));
        String notice = vm.notificationProperty().get();
        // the frame that raised the notice also put the warning on the Best button's tooltip (later frames may not
        // have it: the warning is judged again at every evaluation)
        String best = vm.quality().bestTextProperty().get();
        assertTrue(best.startsWith("best model: step ") && best.contains("\nnow, step ") && best.contains("degenerate fit"),
                "the Best button's tooltip says the warning: " + best);
        assertTrue(notice.contains("denoising objective with σ ≈ ") && notice.contains("Go back to best model"), notice);
        int count = vm.notificationCountProperty().get();
        Thread.sleep(500);
        owner.runPending();
        vm.pollFrame();
        // raised once, not every frame; a warning of the other kind (quality degraded) may follow in the meantime
        int after = vm.notificationCountProperty().get();
        assertTrue(after == count || after == count + 1 && !vm.notificationProperty().get().contains("degenerate fit"),
                "raised once, not every frame: " + (after - count) + " more, last " + vm.notificationProperty().get());
    }
}
