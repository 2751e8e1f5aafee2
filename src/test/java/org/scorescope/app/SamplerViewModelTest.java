package org.scorescope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.junit.jupiter.api.Test;
import org.scorescope.analysis.SamplerStepper;
import org.scorescope.analysis.Samplers;
import org.scorescope.data.ToyDataset;
import org.scorescope.field.FieldRequest;
import org.scorescope.field.ViewBox;
import org.scorescope.model.ModelSpec;
import org.scorescope.train.Settings;
import org.scorescope.train.Trainer;
import org.scorescope.train.TrainingConfig;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.SamplerRunTest;
import org.scorescope.worker.StillFrame;

/**
 * The Diffusion panel's view-models without JavaFX started (the test thread plays the FX thread): on a diffusion
 * model of mixture2, the samplers offered and their defaults; runs driven on mixture2's exact score (so the readout
 * numbers are the samplers', binomial standard error 0.009 at 2000 particles, tolerance 0.04) advance the NFE counter,
 * end, and read out 0.8/0.2 for the reverse SDE and the probability flow but not for plain Langevin, one line per
 * sampler; and the noise slider's text gives t and σ(t) = s(t) of the VP SDE.
 */
class SamplerViewModelTest {
    private static final TrainingConfig CONFIG = TrainingConfig.defaults().withAll(Map.of(
            Settings.DATASET, ToyDataset.MIXTURE2, Settings.MODEL_KIND, ModelSpec.Kind.DIFFUSION, Settings.WIDTH, 8));
    private static final Pattern SAMPLED = Pattern.compile("sampled ([0-9.]+) / ([0-9.]+) · true 0\\.800 / 0\\.200");

    private static FrameData frame() {
        FieldRequest req = new FieldRequest(new FieldRequest.Area(-9, 9, -9, 9), new FieldRequest.Canvas(100, 100),
                new FieldRequest.Options(16, 4, 10, false, 20, org.scorescope.field.Colormap.VIRIDIS));
        return StillFrame.of(CONFIG, Trainer.sample(CONFIG), null, 0, req, 0, 0.01, 0);
    }

    private static SamplerViewModel exact(FrameData f) {
        SamplerViewModel vm = new SamplerViewModel(() -> f, (k, s, box, n, o, seed) -> SamplerStepper.start(k,
                SamplerRunTest.exactFields(), box, n, o, seed), false);
        vm.modelChanged(f.model().model());
        vm.particlesProperty().set(2000);
        return vm;
    }

    /** Polls as the animation timer would until the run ends; returns the major mode's sampled weight. */
    private static double runToEnd(SamplerViewModel vm) throws InterruptedException {
        vm.runOrStop();
        assertTrue(vm.runningProperty().get());
        long end = System.nanoTime() + 120_000_000_000L;
        while (vm.runningProperty().get()) {
            assertTrue(System.nanoTime() < end, "the run ends");
            vm.poll();
            Thread.sleep(5);
        }
        Matcher m = SAMPLED.matcher(vm.weightsProperty().get());
        assertTrue(m.find(), vm.weightsProperty().get());
        return Double.parseDouble(m.group(1));
    }

    @Test
    void offersTheDiffusionSamplersWithTheirDefaults() {
        FrameData f = frame();
        SamplerViewModel vm = exact(f);
        assertFalse(vm.offered().contains(Samplers.Kind.ANNEALED_LANGEVIN), "not for a VP model");
        assertEquals(4, vm.offered().size());
        assertEquals(Samplers.Kind.PROBABILITY_FLOW, vm.kindProperty().get(), "the diffusion model's own");
        assertFalse(vm.stepsApplyProperty().get(), "the PF-ODE adapts its steps");
        vm.kindProperty().set(Samplers.Kind.PREDICTOR_CORRECTOR);
        assertEquals(500, vm.stepsProperty().get());
        assertTrue(vm.snrAppliesProperty().get());
        assertEquals(Samplers.DEFAULT_SNR, vm.snrProperty().get());
    }

    @Test
    void samplersAdvanceTheCounterAndReadOutTheModeWeights() throws InterruptedException {
        FrameData f = frame();
        SamplerViewModel vm = exact(f);
        vm.kindProperty().set(Samplers.Kind.REVERSE_SDE);
        vm.stepsProperty().set(400);
        assertEquals(0.8, runToEnd(vm), 0.04, "reverse SDE");
        assertEquals(400, vm.evaluationsProperty().get(), "one network evaluation per step");
        assertTrue(vm.progressProperty().get().contains("done"), vm.progressProperty().get());

        vm.kindProperty().set(Samplers.Kind.PROBABILITY_FLOW);
        assertEquals(0.8, runToEnd(vm), 0.04, "probability flow");
        assertTrue(vm.evaluationsProperty().get() > 0);

        vm.kindProperty().set(Samplers.Kind.LANGEVIN);
        vm.stepsProperty().set(500);
        assertTrue(runToEnd(vm) < 0.7, "plain Langevin keeps the mass where it started: " + vm.weightsProperty().get());
        String[] lines = vm.resultsProperty().get().split("\n");
        assertEquals(3, lines.length, vm.resultsProperty().get());
        assertTrue(lines[0].startsWith("langevin: "), lines[0]);
        assertTrue(lines[1].startsWith("reverse-sde: 0.") && lines[1].endsWith("(400 NFE)"), lines[1]);
        assertTrue(lines[2].startsWith("pf-ode: "), lines[2]);
    }

    @Test
    void stopEndsARun() throws InterruptedException {
        FrameData f = frame();
        SamplerViewModel vm = new SamplerViewModel(() -> f, (k, s, box, n, o, seed) -> SamplerStepper.start(k,
                SamplerRunTest.exactFields(), box, n, o, seed), true);
        vm.modelChanged(f.model().model());
        vm.kindProperty().set(Samplers.Kind.REVERSE_SDE);
        vm.stepsProperty().set(100_000);
        vm.runOrStop();
        vm.runOrStop();
        long end = System.nanoTime() + 10_000_000_000L;
        while (vm.runningProperty().get()) {
            assertTrue(System.nanoTime() < end, "the stopped run ends");
            vm.poll();
            Thread.sleep(5);
        }
        assertTrue(vm.evaluationsProperty().get() < 100_000);
    }

    @Test
    void theViewsNoiseLevelFollowsARun() throws InterruptedException {
        FrameData f = frame();
        ReadOnlyObjectWrapper<FrameData> frame = new ReadOnlyObjectWrapper<>(f);
        ViewOptionsViewModel view = new ViewOptionsViewModel(ViewBox.of(new double[] {-9, 9, -9, 9}), frame::get,
                () -> new double[] {-9, 9, -9, 9});
        DiffusionViewModel vm = new DiffusionViewModel(frame.getReadOnlyProperty(), view, exact(f));
        vm.sampler().kindProperty().set(Samplers.Kind.REVERSE_SDE);
        vm.sampler().stepsProperty().set(3000);
        java.util.Set<Double> seen = new java.util.TreeSet<>();
        view.noiseTimeProperty().addListener((o, was, now) -> seen.add(now.doubleValue()));
        vm.sampler().runOrStop();
        long end = System.nanoTime() + 120_000_000_000L;
        while (vm.sampler().runningProperty().get()) {
            assertTrue(System.nanoTime() < end, "the run ends");
            vm.poll();
            Thread.sleep(5);
        }
        assertEquals(0, view.noiseTimeProperty().get(), "t = ε at the end, shown as 0");
        assertTrue(seen.size() >= 3, "the view went through the run's times: " + seen);
        for (double t : seen) {
            assertEquals(0, Math.abs(Math.round(t / DiffusionViewModel.FOLLOW_STEP) * DiffusionViewModel.FOLLOW_STEP
                    - t), 1e-9, "in steps of " + DiffusionViewModel.FOLLOW_STEP + ": " + t);
        }
        vm.followRunProperty().set(false);
        view.noiseTimeProperty().set(0.4);
        vm.sampler().runOrStop();
        while (vm.sampler().runningProperty().get()) {
            vm.poll();
            Thread.sleep(5);
        }
        assertEquals(0.4, view.noiseTimeProperty().get(), "not followed when switched off");
    }

    @Test
    void noiseTextGivesTAndSigmaOfT() {
        FrameData f = frame();
        ReadOnlyObjectWrapper<FrameData> frame = new ReadOnlyObjectWrapper<>(f);
        ViewOptionsViewModel view = new ViewOptionsViewModel(ViewBox.of(new double[] {-9, 9, -9, 9}), frame::get,
                () -> new double[] {-9, 9, -9, 9});
        DiffusionViewModel vm = new DiffusionViewModel(frame.getReadOnlyProperty(), view, exact(f));
        assertTrue(vm.appliesProperty().get());
        assertEquals("t = 0.001, σ(t) = 0.01049", vm.noiseTextProperty().get(), "0 is the model's ε");
        vm.noiseTimeProperty().set(0.5);
        double m = Math.exp(-0.25 * 0.25 * 19.9 - 0.5 * 0.5 * 0.1);
        String sigma = org.scorescope.render.Fmt.num(Math.sqrt(1 - m * m));
        assertEquals("t = 0.5, σ(t) = " + sigma, vm.noiseTextProperty().get());
        assertTrue(vm.densityTextProperty().get().contains("computing"),
                "the still frame has no probability-flow density: " + vm.densityTextProperty().get());
    }
}
