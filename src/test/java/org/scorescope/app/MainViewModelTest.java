package org.scorescope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorescope.autodiff.Activation;
import org.scorescope.data.PointsCsv;
import org.scorescope.model.ModelSpec;
import org.scorescope.model.ModelState;
import org.scorescope.render.Fmt;
import org.scorescope.train.SessionFile;
import org.scorescope.train.Setting;
import org.scorescope.train.Settings;
import org.scorescope.train.TrainingConfig;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.WorkerState;

/**
 * The view-model without JavaFX started: its properties, the settings it builds, live versus
 * reset changes, the worker round trip (play, pause, step, reset, data edits, imports, exports) and
 * divergence handling. The test thread plays the FX thread: it alone calls the view-model.
 */
class MainViewModelTest {
    /** A small model so that the worker takes many steps per second even on a busy machine. */
    private static final TrainingConfig SMALL = TrainingConfig.defaults().withAll(Map.of(Settings.SAMPLES, 500,
            Settings.WIDTH, 16, Settings.COUPLINGS, 2, Settings.BATCH_SIZE, 64,
            Settings.SCHEDULE, TrainingConfig.Schedule.CONSTANT, Settings.STEPS, 1_000_000));

    /** File-job outcomes wait here until the test thread, playing the FX thread, runs them. */
    private final OwnerQueue owner = new OwnerQueue();
    private MainViewModel vm;

    private <T> void set(Setting<T> s, T value) {
        vm.settings().value(s).set(value);
    }

    private MainViewModel start(TrainingConfig c) {
        vm = new MainViewModel(c, owner);
        vm.view().canvasWidthProperty().set(240);
        vm.view().canvasHeightProperty().set(180);
        vm.view().gridResolutionProperty().set(24);
        return vm;
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (vm != null) {
            vm.shutdown();
            assertTrue(vm.worker().awaitTermination(5000), "the worker stops promptly after shutdown");
            assertTrue(vm.files().fileJobs().awaitTermination(5000), "and the file thread");
        }
    }

    /** Polls frames (as the animation timer would) until the condition holds. */
    private FrameData await(String what, Predicate<FrameData> condition) throws InterruptedException {
        long end = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < end) {
            owner.runPending();
            vm.pollFrame();
            FrameData f = vm.frameProperty().get();
            if (f != null && condition.test(f)) {
                return f;
            }
            Thread.sleep(5);
        }
        fail("timed out waiting for " + what + "; last frame: " + describe(vm.frameProperty().get()));
        return null;
    }

    private static String describe(FrameData f) {
        return f == null ? "none" : "step " + f.step() + ", state " + f.state() + ", message '" + f.message() + "'";
    }

    @Test
    void propertiesStartFromTheSettingsAndBuildThemBack() {
        start(SMALL);
        for (Setting<?> s : Settings.ALL) {
            assertEquals(SMALL.get(s), vm.settings().value(s).get(), s.id() + " shows the running value");
            assertFalse(vm.settings().pendingProperty(s).get(), s.id());
        }
        assertTrue(Double.isNaN(vm.settings().value(Settings.DATA_NOISE).get()), "noise: automatic");
        set(Settings.LEARNING_RATE, 1e-2);
        assertEquals(1e-2, vm.appliedConfig().optimizer().learningRate(), "a live setting runs at once");
        assertEquals("1.0e-3", Fmt.sci(1e-3));
    }

    @Test
    void playTrainsPauseStopsResetReturnsToStepZero() throws InterruptedException {
        start(SMALL);
        FrameData first = await("the first frame with fields", f -> f.field() != null);
        assertEquals(0, first.step());
        assertEquals(WorkerState.IDLE, first.state());
        assertEquals(500, first.pointCount());
        assertTrue(first.hasTruth());
        vm.play();
        assertTrue(vm.runningProperty().get());
        // The chart line is decimated at most every 100 ms, so wait for one as well.
        FrameData trained = await("60 steps and a chart", f -> f.step() >= 60 && f.lossLine().size() > 0);
        assertEquals(WorkerState.RUNNING, trained.state());
        assertTrue(trained.lossLine().size() <= 3 * 200, "decimated");
        vm.pause();
        FrameData paused = await("the paused state", f -> f.state() == WorkerState.PAUSED);
        Thread.sleep(300);
        vm.pollFrame();
        assertEquals(paused.step(), vm.stepProperty().get(), "no steps after pause");
        vm.stepOnce();
        await("one more step", f -> f.step() == paused.step() + 1);
        vm.reset();
        FrameData reset = await("step 0", f -> f.step() == 0 && f.state() == WorkerState.IDLE);
        assertEquals(0, reset.steps().length(), "histories cleared");
        assertFalse(vm.runningProperty().get());
    }

    @Test
    void liveSettingsReachTheTrainerWithoutResettingTheModel() throws InterruptedException {
        start(SMALL);
        vm.play();
        await("20 steps", f -> f.step() >= 20);
        set(Settings.LEARNING_RATE, Math.pow(10, -2.5));
        set(Settings.BATCH_SIZE, 32);
        FrameData f = await("the new learning rate in the trainer",
                fr -> fr.config().optimizer().learningRate() == Math.pow(10, -2.5)
                        && fr.config().optimizer().batchSize() == 32);
        assertTrue(f.step() >= 20, "a live change keeps the model and the step count: " + f.step());
        FrameData later = await("training continues", fr -> fr.step() > f.step() + 5);
        assertEquals(Math.pow(10, -2.5), later.learningRate(), 1e-15, "the step used the new rate");
    }

    @Test
    void spectraAreRecomputedWhileTrainingOnlyWhenShown() throws InterruptedException {
        start(SMALL);
        vm.spectra().spectraEveryProperty().set(10);
        vm.play();
        FrameData f = await("100 steps without spectra", fr -> {
            vm.spectra().pollSpectra();
            return fr.step() >= 100;
        });
        assertFalse(vm.spectra().spectraService().isBusy());
        assertEquals(0, vm.spectra().spectraService().completedCount(), "nothing computed for a hidden view at step " + f.step());
        vm.spectra().spectraShownProperty().set(true);
        assertTrue(vm.spectra().spectraService().isBusy() || vm.spectra().spectraService().completedCount() > 0,
                "showing the view asks for the newest spectra at once");
        await("two spectra while training", fr -> {
            vm.spectra().pollSpectra();
            return vm.spectra().spectraHistory().size() >= 2;
        });
        assertTrue(vm.spectra().spectraHistory().get(1).step() > vm.spectra().spectraHistory().get(0).step(), "recomputed while shown");
        vm.spectra().spectraShownProperty().set(false);
        await("a finished computation", fr -> {
            vm.spectra().pollSpectra();
            return !vm.spectra().spectraService().isBusy();
        });
        long done = vm.spectra().spectraService().completedCount();
        long step = vm.frameProperty().get().step();
        await("100 more steps", fr -> {
            vm.spectra().pollSpectra();
            return fr.step() >= step + 100;
        });
        assertEquals(done, vm.spectra().spectraService().completedCount(), "hidden again: no more computations");
        vm.spectra().showGlyphsProperty().set(true);
        await("spectra for the glyphs", fr -> {
            vm.spectra().pollSpectra();
            return vm.spectra().spectraService().completedCount() > done;
        });
    }

    @Test
    void architectureChangeAsksAndRevertsWhenDeclined() throws InterruptedException {
        start(SMALL);
        AtomicReference<String> asked = new AtomicReference<>();
        vm.setConfirmation(q -> {
            asked.set(q);
            return false;
        });
        vm.play();
        await("10 steps", f -> f.step() >= 10);
        vm.pause();
        await("paused", f -> f.state() == WorkerState.PAUSED);
        long step = vm.stepProperty().get();
        set(Settings.WIDTH, 24);
        assertNotNull(asked.get(), "a trained model is not discarded without asking");
        assertTrue(asked.get().contains("discarded"), asked.get());
        assertEquals(16, vm.settings().value(Settings.WIDTH).get(), "declined: the control shows the running value");
        assertFalse(vm.settings().pendingProperty(Settings.WIDTH).get());
        assertEquals(16, vm.appliedConfig().model().width());
        asked.set(null);
        set(Settings.MODEL_KIND, ModelSpec.Kind.NOISE_CONDITIONAL);
        assertNotNull(asked.get());
        assertEquals(ModelSpec.Kind.ENERGY, vm.settings().value(Settings.MODEL_KIND).get(), "declined: the kind reverts");
        assertEquals(TrainingConfig.ObjectiveKind.EXACT, vm.settings().value(Settings.OBJECTIVE).get(),
                "declined: the objective that followed the kind reverts too");
        Thread.sleep(100);
        vm.pollFrame();
        assertEquals(step, vm.stepProperty().get(), "declined: the model stays");

        vm.setConfirmation(q -> true);
        set(Settings.ACTIVATION, Activation.TANH);
        FrameData f = await("the new architecture", fr -> fr.config().model().activation() == Activation.TANH);
        assertEquals(0, f.step(), "a new architecture is a new model");
        assertEquals(Activation.TANH, ((org.scorescope.model.EnergyMlp) f.model().model()).mlp().activation());
    }

    @Test
    void invalidSettingsAreReportedAndNotApplied() {
        start(SMALL);
        set(Settings.WIDTH, 0);
        assertTrue(vm.configErrorProperty().get().contains("width"), vm.configErrorProperty().get());
        assertTrue(vm.statusProperty().get().contains("width"));
        assertTrue(vm.settings().pendingProperty(Settings.WIDTH).get(), "an edit that cannot run is marked pending");
        assertEquals(16, vm.appliedConfig().model().width());
        set(Settings.WIDTH, 16);
        assertEquals("", vm.configErrorProperty().get());
        assertFalse(vm.settings().pendingProperty(Settings.WIDTH).get());
    }

    @Test
    void dataEditsKeepTheModelAndBadImportsKeepTheData(@TempDir Path dir) throws Exception {
        start(SMALL);
        vm.play();
        await("15 steps", f -> f.step() >= 15);
        vm.pause();
        FrameData before = await("paused", f -> f.state() == WorkerState.PAUSED);

        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "x,y\n1.0,2.0\n3.0,oops\n");
        CompletableFuture<String> badJob = vm.files().importPoints(bad);
        assertTrue(vm.files().busyProperty().get(), "busy while the file is read");
        String err = owner.finish(badJob, 10);
        assertNotNull(err);
        assertTrue(err.contains("line 3") && err.contains("unchanged"), err);
        assertEquals(err, vm.statusProperty().get());
        assertFalse(vm.files().busyProperty().get(), "not busy after an error either");
        Thread.sleep(100);
        vm.pollFrame();
        FrameData after = vm.frameProperty().get();
        assertEquals(before.dataVersion(), after.dataVersion(), "the old data stay");
        assertEquals(500, after.pointCount());

        Path good = dir.resolve("good.csv");
        Files.writeString(good, "x,y\n1.0,2.0\n-1.5,0.25\n0,0\n");
        assertNull(owner.finish(vm.files().importPoints(good), 10));
        FrameData imported = await("the imported points", f -> f.pointCount() == 3);
        assertTrue(imported.customData());
        assertFalse(imported.hasTruth(), "user data have no closed-form density");
        assertEquals(before.step(), imported.step(), "the model and step count continue on new data");

        vm.addPoint(2, 2);
        FrameData added = await("the drawn point", f -> f.pointCount() == 4);
        assertEquals(2, added.points()[6], 0);

        vm.clearData();
        FrameData empty = await("no data", f -> f.state() == WorkerState.NO_DATA);
        assertEquals(0, empty.pointCount());
        vm.play();
        assertFalse(vm.runningProperty().get(), "nothing to train on");
        assertTrue(vm.statusProperty().get().startsWith("No data"));

        vm.regenerate();
        FrameData regenerated = await("generated data again", f -> f.pointCount() == 500 && !f.customData());
        assertTrue(regenerated.hasTruth());
    }

    @Test
    void exportsWriteReadableFiles(@TempDir Path dir) throws Exception {
        start(SMALL);
        vm.play();
        await("12 steps", f -> f.step() >= 12);
        vm.pause();
        FrameData f = await("paused", fr -> fr.state() == WorkerState.PAUSED);

        Path model = dir.resolve("m.json");
        assertNull(owner.finish(vm.files().exportModel(model), 10));
        ModelState read = ModelState.read(model);
        assertEquals(f.model().toSpec(), read.toSpec(), "bit-exact round trip of the current model");

        Path metrics = dir.resolve("metrics.csv");
        assertNull(owner.finish(vm.files().exportMetrics(metrics), 10));
        List<String> lines = Files.readAllLines(metrics);
        assertEquals("step,loss,fisher", lines.get(0));
        assertEquals(f.steps().length() + 1, lines.size());
        String[] row = lines.get(1).split(",", -1);
        assertEquals(1, Long.parseLong(row[0]));
        assertEquals(f.losses().get(0), Double.parseDouble(row[1]), 0);

        Path pts = dir.resolve("p.csv");
        assertNull(owner.finish(vm.files().exportPoints(pts), 10));
        double[][] back = PointsCsv.read(pts, 2);
        assertEquals(f.pointCount(), back.length);
        assertEquals(f.points()[1], back[0][1], 0);

        String err = owner.finish(vm.files().exportModel(dir.resolve("missing-dir").resolve("m.json")), 10);
        assertNotNull(err);
        assertTrue(err.contains("does not exist"), err);
        assertFalse(vm.files().busyProperty().get());

        // While training runs, an export writes the frame taken when it was asked for, not what the trainer
        // holds by the time the file thread writes.
        vm.play();
        FrameData asked = await("training again", fr -> fr.state() == WorkerState.RUNNING && fr.step() > f.step());
        Path during = dir.resolve("during.json");
        Path sessionDuring = dir.resolve("during-session.json");
        CompletableFuture<String> job = vm.files().exportModel(during);
        await("more steps", fr -> fr.step() > asked.step() + 10);
        assertNull(owner.finish(job, 10));
        FrameData savedAt = vm.frameProperty().get();
        CompletableFuture<String> save = vm.files().saveSession(sessionDuring);
        await("steps while saving", fr -> fr.step() > savedAt.step() + 10);
        assertNull(owner.finish(save, 10));
        vm.pause();
        assertEquals(asked.model().toSpec(), ModelState.read(during).toSpec(), "the model of the frame at the call");
        SessionFile.Session s = SessionFile.read(sessionDuring);
        assertTrue(s.step() >= savedAt.step(), "the worker's state at a step boundary after the call");
        assertNotNull(s.run(), "the run state is saved with the model");
        double[] steps = s.run().history().steps();
        assertEquals(s.step(), (long) steps[steps.length - 1], "the history runs to the saved step");
    }

    @Test
    void openModelAdoptsItsArchitectureAndRejectsBadFiles(@TempDir Path dir) throws Exception {
        start(SMALL);
        await("first frame", fr -> fr.model() != null);
        org.scorescope.model.ScoreMlp arch = new org.scorescope.model.ScoreMlp(2, 20, 3, Activation.GELU);
        ModelState m = new ModelState(arch, arch.initialParameters(5));
        Path file = dir.resolve("score.json");
        m.write(file);
        assertNull(owner.finish(vm.files().openModel(file), 10));
        assertEquals(ModelSpec.Kind.SCORE, vm.settings().value(Settings.MODEL_KIND).get());
        assertEquals(20, vm.settings().value(Settings.WIDTH).get());
        assertEquals(3, vm.settings().value(Settings.DEPTH).get());
        assertEquals(Activation.GELU, vm.settings().value(Settings.ACTIVATION).get());
        FrameData f = await("the loaded model", fr -> fr.model() != null && fr.model().model().kind() == ModelSpec.Kind.SCORE);
        assertEquals(m.toSpec(), f.model().toSpec());

        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"format\": \"scorescope-model\", \"version\": 1, \"kind\": \"energy\"}");
        String err = owner.finish(vm.files().openModel(bad), 10);
        assertNotNull(err);
        assertTrue(err.contains("bad.json") && err.contains("unchanged"), err);
        assertEquals(ModelSpec.Kind.SCORE, vm.settings().value(Settings.MODEL_KIND).get(), "settings untouched by a bad file");
    }

    @Test
    void divergencePausesNotifiesAndKeepsAFiniteModel() throws InterruptedException {
        TrainingConfig wild = SMALL.withAll(Map.of(Settings.OPTIMIZER, TrainingConfig.OptimizerKind.SGD,
                Settings.LEARNING_RATE, 10.0));
        start(wild);
        vm.play();
        FrameData f = await("the divergence", fr -> fr.state() == WorkerState.DIVERGED);
        assertFalse(vm.runningProperty().get(), "a diverged run pauses itself");
        assertEquals(1, vm.notificationCountProperty().get());
        assertTrue(vm.notificationProperty().get().startsWith("Diverged"), vm.notificationProperty().get());
        assertTrue(vm.statusProperty().get().contains("lower the learning rate"), vm.statusProperty().get());
        for (double t : f.model().theta()) {
            assertTrue(Double.isFinite(t), "the last finite parameters are kept");
        }
        // New settings are the user's answer: the run is paused (ready to try again), not diverged.
        set(Settings.LEARNING_RATE, 1e-3);
        await("paused after the new setting", fr -> fr.state() == WorkerState.PAUSED
                && fr.config().optimizer().learningRate() < 0.01);
        // Parameters blown up by lr = 10 stay finite but useless; a reset starts over at the new rate.
        vm.reset();
        await("a fresh model", fr -> fr.step() == 0 && fr.state() == WorkerState.IDLE);
        vm.play();
        FrameData again = await("steps after the reset", fr -> fr.step() > 5 && fr.state() == WorkerState.RUNNING);
        assertTrue(Double.isFinite(again.loss()));
    }

    @Test
    void viewChangesRecomputeFieldsAndHoverReportsThePoint() throws InterruptedException {
        start(SMALL);
        FrameData f = await("fields", fr -> fr.field() != null);
        double x0 = f.field().request().xmin();
        vm.view().zoom(2, 0, 0);
        FrameData z = await("zoomed fields", fr -> fr.field() != null && fr.field().request().xmin() > x0 / 2 - 1e-9
                && fr.field().request().xmin() < x0 / 2 + 1e-9);
        assertEquals(x0 / 2, z.field().request().xmin(), 1e-9);
        vm.hover(0.5, -0.25);
        FrameData h = await("the inspector", fr -> fr.hover() != null);
        assertEquals(0.5, h.hover().x(), 0);
        assertTrue(vm.hoverTextProperty().get().contains("x = (0.500, -0.250)"), vm.hoverTextProperty().get());
        assertTrue(vm.hoverTextProperty().get().contains("true:"), "8gaussians has a true density");
        vm.hoverExit();
        assertEquals("", vm.hoverTextProperty().get());
        vm.view().showSamplesProperty().set(true);
        FrameData s = await("samples", fr -> fr.samples().length == 2 * vm.view().particlesProperty().get());
        assertTrue(s.samplerSteps() >= 0);
    }

    @Test
    void sessionRoundTripRestoresSettingsDataModelAndStep(@TempDir Path dir) throws Exception {
        start(SMALL);
        vm.addPoint(3, 3);
        vm.play();
        await("10 steps on user data", f -> f.step() >= 10 && f.customData());
        vm.pause();
        FrameData saved = await("paused", f -> f.state() == WorkerState.PAUSED);
        Path file = dir.resolve("s.json");
        assertNull(owner.finish(vm.files().saveSession(file), 10));
        vm.shutdown();

        start(TrainingConfig.defaults());
        assertNull(owner.finish(vm.files().openSession(file), 10));
        assertEquals(16, vm.settings().value(Settings.WIDTH).get(), "settings restored");
        FrameData f = await("the session", fr -> fr.step() == saved.step() && fr.pointCount() == 501);
        assertEquals(saved.model().toSpec(), f.model().toSpec(), "model restored bit-exactly");
        assertTrue(f.customData(), "edited data stay user data");
        assertEquals(WorkerState.PAUSED, f.state());

        Path bad = dir.resolve("broken.json");
        Files.writeString(bad, "{\"format\": \"scorescope-session\", \"version\": 1, \"config\": {\"width\": -3}}");
        CompletableFuture<String> job = vm.files().openSession(bad);
        assertTrue(vm.files().busyProperty().get());
        assertEquals("Opening broken.json…", vm.statusProperty().get(), "the status says what runs");
        String err = owner.finish(job, 10);
        assertNotNull(err);
        assertTrue(err.contains("broken.json") && err.contains("Nothing was changed"), err);
        assertFalse(vm.files().busyProperty().get(), "not busy after the error");
        assertEquals(16, vm.settings().value(Settings.WIDTH).get());
        Thread.sleep(100);
        vm.pollFrame();
        FrameData still = vm.frameProperty().get();
        assertEquals(f.dataVersion(), still.dataVersion(), "the data stay");
        assertEquals(f.model().toSpec(), still.model().toSpec(), "the model stays");
        assertEquals(f.step(), still.step());
    }

    @Test
    void otherModelKindsSelectTheirObjectiveAndTrain() throws InterruptedException {
        start(SMALL);
        for (ModelSpec.Kind kind : new ModelSpec.Kind[] {ModelSpec.Kind.FLOW, ModelSpec.Kind.NOISE_CONDITIONAL,
            ModelSpec.Kind.SCORE}) {
            vm.pause();
            set(Settings.MODEL_KIND, kind);
            assertEquals("", vm.configErrorProperty().get(), kind + ": the objective follows the kind");
            FrameData f = await(kind + " model with fields", fr -> fr.model() != null && fr.model().model().kind() == kind
                    && fr.field() != null && fr.field().modelStep() == 0 && fr.step() == 0);
            assertEquals(Settings.OBJECTIVE.defaultFor(kind), f.config().objective().kind(), "the kind's own defaults");
            vm.play();
            FrameData t = await(kind + " training", fr -> fr.step() >= 5);
            assertTrue(Double.isFinite(t.loss()), kind + " loss " + t.loss());
        }
    }

    @Test
    void fileJobsRunInTheBackgroundAndApplyTheirOutcomeOnTheOwnerThread(@TempDir Path dir) throws Exception {
        start(SMALL);
        FrameData before = await("first frame", f -> f.model() != null);
        Path good = dir.resolve("good.csv");
        Files.writeString(good, "x,y\n1.0,2.0\n-1.5,0.25\n0,0\n");
        CompletableFuture<String> job = vm.files().importPoints(good);
        assertTrue(vm.files().busyProperty().get(), "busy from the call on");
        assertEquals("Importing good.csv…", vm.statusProperty().get());
        assertFalse(job.isDone(), "the call returns before the outcome is applied");

        // One job at a time: a second one is refused at once, with a message, and writes nothing.
        Path other = dir.resolve("other.json");
        CompletableFuture<String> refused = vm.files().saveSession(other);
        assertTrue(refused.isDone());
        assertTrue(refused.join().startsWith("Busy: Importing good.csv…"), refused.join());
        assertFalse(Files.exists(other));
        assertTrue(vm.files().busyProperty().get(), "the running job is not disturbed");

        // The file is read and checked in the background; its outcome waits for the owner thread.
        owner.awaitTask(10);
        assertTrue(vm.files().busyProperty().get(), "still busy until the owner thread has applied the outcome");
        Thread.sleep(100);
        vm.pollFrame();
        assertEquals(before.dataVersion(), vm.frameProperty().get().dataVersion(), "nothing applied yet");
        assertEquals(1, owner.runPending());
        assertTrue(job.isDone());
        assertNull(job.join());
        assertFalse(vm.files().busyProperty().get());
        assertEquals("Imported 3 points from good.csv", vm.statusProperty().get());
        await("the imported points", f -> f.pointCount() == 3);
    }

    @Test
    void aFileThatBlocksDoesNotBlockTheOwnerThread(@TempDir Path dir) throws Exception {
        // A named pipe blocks its reader until a writer comes, like a file on a stalled network drive.
        Path fifo = dir.resolve("slow.csv");
        boolean made;
        try {
            made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
        } catch (java.io.IOException e) {
            made = false;
        }
        assumeTrue(made, "mkfifo is not available here");
        start(SMALL);
        double x0 = await("first fields", f -> f.field() != null).field().request().xmin();
        // Should the read ever run on the calling thread, this unblocks it after 5 s so the test fails, not hangs.
        Thread rescue = new Thread(() -> {
            try {
                Thread.sleep(5000);
                Files.writeString(fifo, "x,y\n1,2\n");
            } catch (InterruptedException | java.io.IOException e) {
                // the test went on as it should
            }
        }, "fifo-rescue");
        rescue.setDaemon(true);
        rescue.start();
        long t0 = System.nanoTime();
        CompletableFuture<String> job = vm.files().importPoints(fifo);
        double ms = (System.nanoTime() - t0) / 1e6;
        rescue.interrupt();
        assertTrue(ms < 2000, "importPoints returned after " + ms + " ms");
        assertFalse(job.isDone(), "the read is still blocked in the background");
        assertTrue(vm.files().busyProperty().get());
        // The owner thread carries on meanwhile: frames and view changes are handled.
        vm.view().zoom(2, 0, 0);
        await("zoomed fields while the read is blocked",
                f -> f.field() != null && Math.abs(f.field().request().xmin() - x0 / 2) < 1e-9);
        assertFalse(job.isDone());

        Thread writer = new Thread(() -> {
            try {
                Files.writeString(fifo, "x,y\n0.5,0.5\n-0.5,1.5\n");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "fifo-writer");
        writer.setDaemon(true);
        writer.start();
        assertNull(owner.finish(job, 10));
        assertEquals("Imported 2 points from slow.csv", vm.statusProperty().get());
        await("the two points", f -> f.pointCount() == 2 && f.points()[3] == 1.5);
    }

    @Test
    void shutdownDuringAFileJobDropsItsOutcome(@TempDir Path dir) throws Exception {
        start(SMALL);
        FrameData before = await("first frame", f -> f.model() != null);
        Path good = dir.resolve("good.csv");
        Files.writeString(good, "x,y\n1.0,2.0\n");
        CompletableFuture<String> job = vm.files().importPoints(good);
        vm.shutdown();
        assertTrue(job.isCancelled(), "the outcome of a job cut short by shutdown is not applied");
        assertFalse(vm.files().busyProperty().get());
        assertTrue(vm.files().fileJobs().awaitTermination(5000), "the file thread ends after its job");
        owner.runPending(); // the finished job's hand-back finds its future cancelled and does nothing
        assertEquals(before.dataVersion(), vm.frameProperty().get().dataVersion());
        assertTrue(vm.files().importPoints(good).join().contains("shutting down"), "no jobs after shutdown");
    }

    @Test
    void aLessonAppliesItsSettingsOverTheDefaultsAndStartsFresh() throws InterruptedException {
        start(SMALL);
        vm.play();
        await("some steps", f -> f.step() >= 5);
        java.util.concurrent.atomic.AtomicReference<String> asked = new java.util.concurrent.atomic.AtomicReference<>();
        vm.setConfirmation(q -> {
            asked.set(q);
            return false;
        });
        org.scorescope.train.Preset lesson = org.scorescope.train.Preset.byName("denoising-large-sigma").orElseThrow();
        vm.startLesson(lesson);
        assertNotNull(asked.get(), "a trained model is not discarded without asking");
        assertNull(vm.lessonProperty().get(), "declined: no lesson");
        vm.setConfirmation(q -> true);
        vm.startLesson(lesson);
        assertEquals(lesson, vm.lessonProperty().get());
        assertEquals(lesson.config(), vm.appliedConfig(), "the lesson's settings over the defaults");
        assertEquals(1.0, vm.settings().value(Settings.SIGMA).get(), "the controls show it");
        FrameData f = await("a fresh model under the lesson", fr -> fr.config().equals(lesson.config()) && fr.step() == 0
                && fr.model() != null && fr.model().model().parameterCount() > 1000);
        assertEquals(2000, f.pointCount());
        assertTrue(vm.canUndoProperty().get());
        vm.undo();
        assertEquals(SMALL, vm.appliedConfig(), "undo returns to the settings before the lesson");
    }

    @Test
    void undoAndRedoWalkSettingsAndDataEdits() throws InterruptedException {
        start(SMALL);
        await("first frame", f -> f.model() != null);
        assertFalse(vm.canUndoProperty().get());
        set(Settings.LEARNING_RATE, 1e-2);
        set(Settings.BATCH_SIZE, 32);
        vm.clearData();
        await("no data", f -> f.pointCount() == 0);
        vm.addPoint(1, 2);
        await("one drawn point", f -> f.pointCount() == 1);
        vm.addPoint(3, 4);
        await("two drawn points", f -> f.pointCount() == 2 && f.customData());
        vm.undo();
        await("one point after undo", f -> f.pointCount() == 1 && f.customData());
        vm.undo();
        vm.undo();
        FrameData back = await("the generated data again", f -> f.pointCount() == 500 && !f.customData());
        assertEquals(32, back.config().optimizer().batchSize());
        vm.undo();
        assertEquals(64, vm.appliedConfig().optimizer().batchSize());
        assertEquals(64, vm.settings().value(Settings.BATCH_SIZE).get(), "the control follows the undo");
        vm.redo();
        assertEquals(32, vm.appliedConfig().optimizer().batchSize());
        assertTrue(vm.canRedoProperty().get());
        set(Settings.WIDTH, 16);
        set(Settings.SEED, 9L);
        assertFalse(vm.canRedoProperty().get(), "a new edit clears what could be redone");
    }

    @Test
    void newDataClearTheChartsButKeepTheModelAndTheStepCount() throws InterruptedException {
        start(SMALL);
        vm.play();
        FrameData before = await("Fisher history", f -> f.step() >= 30 && f.fishers().length() >= 30);
        vm.pause();
        vm.addPoint(0.5, 0.5);
        FrameData after = await("the drawn point", f -> f.customData() && f.pointCount() == 501);
        assertEquals(0, after.fishers().length(), "the Fisher curve of the old data is gone");
        assertTrue(after.step() >= before.step(), "the step count continues");
        assertFalse(after.hasTruth(), "user data have no true density");
        assertTrue(vm.dataSourceProperty().get().contains("501"), vm.dataSourceProperty().get());
    }

    @Test
    void theRunStopsAtThePlannedStepsAndSaysSo() throws InterruptedException {
        start(SMALL.with(Settings.STEPS, 30).with(Settings.SCHEDULE, TrainingConfig.Schedule.COSINE));
        vm.play();
        FrameData end = await("the plan's end", f -> f.state() == WorkerState.PAUSED && f.step() == 30);
        assertTrue(end.message().startsWith("Finished the planned 30 steps"), end.message());
        assertTrue(end.message().contains("1%"), end.message());
        assertFalse(vm.runningProperty().get(), "the Play button shows Play again");
        vm.play();
        await("Play goes on past the plan", f -> f.step() > 35);
    }

    @Test
    void fewDrawnPointsAreTrainedByDenoisingOnceAndTheUsersChoiceIsKept() throws InterruptedException {
        start(SMALL);
        vm.clearData();
        await("no data", f -> f.pointCount() == 0);
        for (int i = 0; i < 40; i++) {
            vm.addPoint(i % 8 * 0.5 - 2, i / 8 * 0.5 - 1);
        }
        await("40 drawn points", f -> f.pointCount() == 40 && f.customData());
        vm.play();
        assertEquals(TrainingConfig.ObjectiveKind.DENOISING, vm.appliedConfig().objective().kind());
        assertEquals(0.75, vm.appliedConfig().objective().sigma(), 1e-12, "1.5 × the grid's spacing 0.5");
        assertTrue(vm.statusProperty().get().startsWith("40 points: training by denoising"), vm.statusProperty().get());
        vm.pause();
        set(Settings.OBJECTIVE, TrainingConfig.ObjectiveKind.EXACT);
        vm.play();
        assertEquals(TrainingConfig.ObjectiveKind.EXACT, vm.appliedConfig().objective().kind(), "chosen after: kept");
    }

    @Test
    void aConfirmedLessonOnAnotherDatasetShowsThatDatasetsExtent() throws InterruptedException {
        start(SMALL);
        vm.play();
        await("some steps", f -> f.step() >= 5);
        vm.setConfirmation(q -> true);
        org.scorescope.train.Preset lesson = org.scorescope.train.Preset.byName("mixture2-weights").orElseThrow();
        vm.startLesson(lesson);
        assertEquals(org.scorescope.field.ViewBox.of(org.scorescope.data.ToyDataset.MIXTURE2.defaultBox()),
                vm.view().viewBoxProperty().get(), "the view follows the dataset that runs");
    }
}
