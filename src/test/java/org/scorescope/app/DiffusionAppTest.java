package org.scorescope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.TitledPane;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.scorescope.analysis.Samplers;
import org.scorescope.data.ToyDataset;
import org.scorescope.field.FieldFrame;
import org.scorescope.model.DiffusionMlp;
import org.scorescope.model.ModelSpec;
import org.scorescope.train.Settings;
import org.scorescope.worker.FrameData;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Diffusion panel of the real application, headless, on a small untrained diffusion model of mixture2: the panel
 * shows only for a time-conditional model; moving the noise slider changes the fields' noise level and the picture
 * on screen; the probability-flow density replaces the score's integral once computed; and a reverse-SDE run
 * advances the NFE counter, draws its particles over the field, and ends.
 */
class DiffusionAppTest extends AppTestBase {
    @Start
    void start(Stage stage) {
        launch(stage);
    }

    @Test
    void noiseSliderChangesTheFrameAndASamplerRunEnds(FxRobot robot) throws Exception {
        MainViewModel vm = app.viewModel();
        FieldCanvas canvas = robot.lookup("#fieldCanvas").queryAs(FieldCanvas.class);
        TitledPane pane = robot.lookup("#diffusionPane").queryAs(TitledPane.class);
        assertFalse(pane.isVisible(), "no Diffusion panel for the default energy model");
        robot.interact(() -> {
            vm.view().showSamplesProperty().set(false);
            vm.settings().value(Settings.DATASET).set(ToyDataset.MIXTURE2);
            vm.settings().value(Settings.WIDTH).set(8);
            vm.settings().value(Settings.MODEL_KIND).set(ModelSpec.Kind.DIFFUSION);
        });
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> {
            FrameData f = vm.frameProperty().get();
            return f != null && f.model() != null && f.model().model() instanceof DiffusionMlp
                    && f.field() != null && f.field().noise() != null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(pane.isVisible(), "the Diffusion panel shows for a diffusion model");
        // The probability-flow density arrives from its own thread and replaces the score's integral.
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> {
            FieldFrame shown = canvas.shownField();
            return shown != null && shown.noise() != null && !shown.noise().flowPending();
        });
        assertTrue(canvas.shownField().densitySource().startsWith("probability-flow ODE"),
                canvas.shownField().densitySource());
        Thread.sleep(300);
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage before = SpectraAppTest.snapshot(robot, canvas);

        Slider noise = robot.lookup("#noiseSlider").queryAs(Slider.class);
        robot.interact(() -> noise.setValue(0.4));
        assertEquals(0.4, vm.view().noiseTimeProperty().get(), 1e-12, "the slider is the view option");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> {
            FieldFrame shown = canvas.shownField();
            return shown != null && shown.noise() != null && shown.noise().time() == 0.4;
        });
        WaitForAsyncUtils.waitForFxEvents();
        Label noiseValue = robot.lookup("#noiseValue").queryAs(Label.class);
        assertTrue(noiseValue.getText().startsWith("t = 0.4, σ(t) = "), noiseValue.getText());
        WritableImage after = SpectraAppTest.snapshot(robot, canvas);
        double changed = SpectraAppTest.changedFraction(before, after);
        assertTrue(changed > 0.05, "the noise level changed the picture: " + changed);

        robot.interact(() -> {
            vm.diffusion().sampler().kindProperty().set(Samplers.Kind.REVERSE_SDE);
            vm.diffusion().sampler().stepsProperty().set(60);
            vm.diffusion().sampler().particlesProperty().set(200);
        });
        Button run = robot.lookup("#samplerRunButton").queryAs(Button.class);
        robot.interact(run::fire);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> vm.diffusion().sampler().evaluationsProperty().get() > 0
                && canvas.shownFrame() != null);
        assertEquals("Stop", run.getText(), "a run in flight can be stopped");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !vm.diffusion().sampler().runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(60, vm.diffusion().sampler().evaluationsProperty().get(), "one evaluation per step");
        assertEquals("Run", run.getText());
        Label nfe = robot.lookup("#nfeLabel").queryAs(Label.class);
        assertTrue(nfe.getText().endsWith(": 60"), nfe.getText());
        assertTrue(vm.diffusion().sampler().weightsProperty().get().contains("true 0.800 / 0.200"),
                vm.diffusion().sampler().weightsProperty().get());
        WritableImage sampled = SpectraAppTest.snapshot(robot, canvas);
        assertTrue(SpectraAppTest.changedFraction(after, sampled) > 0.002, "the run's particles are drawn");
    }
}
