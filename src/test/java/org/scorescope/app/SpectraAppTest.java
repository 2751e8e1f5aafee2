package org.scorescope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.control.Spinner;
import javafx.scene.control.TabPane;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.SpectraResult;
import org.scorescope.worker.WorkerState;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Spectra tab of the real application, headless: while a width-8 model trains, the spectra arrive from
 * the background thread (not the FX thread) with the full ladder of P eigenvalues, the FX thread keeps
 * drawing, and the "Hessian glyphs" toggle changes the field's pixels and changes them back.
 */
class SpectraAppTest extends AppTestBase {
    @Start
    void start(Stage stage) {
        launch(stage);
    }

    @Test
    @SuppressWarnings("unchecked")
    void spectraArriveFromTheBackgroundWhileTrainingAndGlyphsDraw(FxRobot robot) throws Exception {
        MainViewModel vm = app.viewModel();
        MainController controller = app.controller();
        FieldCanvas canvas = robot.lookup("#fieldCanvas").queryAs(FieldCanvas.class);
        Spinner<Integer> width = robot.lookup("#width").queryAs(Spinner.class);
        robot.interact(() -> width.getValueFactory().setValue(8));
        Spinner<Integer> every = robot.lookup("#spectraEverySpinner").queryAs(Spinner.class);
        robot.interact(() -> every.getValueFactory().setValue(20));
        assertEquals(20, vm.spectra().spectraEveryProperty().get());
        TabPane tabs = robot.lookup("#chartTabs").queryAs(TabPane.class);
        robot.interact(() -> tabs.getSelectionModel().select(1));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> {
            FrameData f = vm.frameProperty().get();
            return f != null && f.config().model().width() == 8 && f.model() != null
                    && f.model().model().parameterCount() == 105;
        });

        // A long plan: a width-8 model runs through the default 3000 steps in seconds.
        robot.interact(() -> vm.settings().value(org.scorescope.train.Settings.STEPS).set(1_000_000));
        controller.frameStats().reset();
        robot.clickOn("#playButton");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> vm.spectra().spectraHistory().size() >= 2);
        SpectraResult r = vm.spectra().spectraResultProperty().get();
        assertTrue(r.ok(), r.error());
        assertEquals("scorescope-spectra", r.thread(), "computed on the spectra thread, not the FX thread");
        assertEquals("full", r.method());
        assertEquals(105, r.eigenvalues().length, "the whole ladder of a width-8 energy model (P = 105)");
        assertTrue(vm.spectra().spectraHistory().get(1).step() > vm.spectra().spectraHistory().get(0).step(), "recomputed while training");
        SpectraView view = robot.lookup("#spectraView").queryAs(SpectraView.class);
        assertNotNull(view.result(), "the Spectra tab shows a result");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> controller.frameStats().intervals() > 10
                && vm.spectra().spectraHistory().size() >= 3);
        assertTrue(controller.frameStats().maxIntervalMs() < 1000, "longest FX stall "
                + controller.frameStats().maxIntervalMs() + " ms");

        // Pause, hide the moving samples, then compare the field with the glyphs off, on and off again.
        robot.clickOn("#playButton");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.workerStateProperty().get() == WorkerState.PAUSED);
        robot.interact(() -> vm.view().showSamplesProperty().set(false));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !vm.spectra().spectraService().isBusy());
        Thread.sleep(600); // let the last field of the paused model arrive and be drawn
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage off = snapshot(robot, canvas);
        long done = vm.spectra().spectraService().completedCount();
        javafx.scene.control.CheckBox glyphs = robot.lookup("#showGlyphsCheck").queryAs(javafx.scene.control.CheckBox.class);
        robot.interact(glyphs::fire); // the View pane may be scrolled out of sight
        try {
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
                    () -> vm.spectra().spectraService().completedCount() > done && canvas.glyphs() != null);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no glyphs: " + vm.spectra().spectraTextProperty().get() + " (completed "
                    + vm.spectra().spectraService().completedCount() + ", before " + done + ")", e);
        }
        // The picture is rasterized off the FX thread: wait until the one with the glyphs is on screen.
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> canvas.shownGlyphs() != null);
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage on = snapshot(robot, canvas);
        double drawn = changedFraction(off, on);
        assertTrue(drawn > 0.003, "the glyphs changed the picture: " + drawn);
        robot.interact(glyphs::fire); // the View pane may be scrolled out of sight
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> canvas.shownGlyphs() == null);
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage offAgain = snapshot(robot, canvas);
        assertEquals(0.0, changedFraction(off, offAgain), 1e-3, "toggling off restores the picture");
    }

    /** @return the canvas as drawn now, taken on the FX thread */
    static WritableImage snapshot(FxRobot robot, FieldCanvas canvas) {
        AtomicReference<WritableImage> img = new AtomicReference<>();
        robot.interact(() -> img.set(canvas.snapshot(null, null)));
        return img.get();
    }

    /** @return the share of pixels that differ between two pictures (over their common size) */
    static double changedFraction(WritableImage a, WritableImage b) {
        int w = (int) Math.min(a.getWidth(), b.getWidth());
        int h = (int) Math.min(a.getHeight(), b.getHeight());
        PixelReader ra = a.getPixelReader();
        PixelReader rb = b.getPixelReader();
        long changed = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (ra.getArgb(x, y) != rb.getArgb(x, y)) {
                    changed++;
                }
            }
        }
        return changed / (double) (w * h);
    }
}
