package org.scorescope.app;

import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import javafx.application.Platform;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import org.scorescope.Version;
import org.scorescope.field.ViewBox;
import org.scorescope.render.Fmt;
import org.scorescope.train.Preset;
import org.scorescope.train.Settings;
import org.scorescope.train.TrainingConfig;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.TrainingWorker;
import org.scorescope.worker.WorkerState;

/**
 * State and behaviour of the main window as JavaFX properties; the controller only binds controls to
 * these and forwards gestures. The view-model owns the {@link TrainingWorker} and talks to the core
 * only through it: every settings change becomes an immutable {@link TrainingConfig} handed to the
 * worker (live settings act at the next step; an architecture change needs a confirmation when the
 * current model has been trained, see {@link #setConfirmation}); the view calls {@link #pollFrame()}
 * once per animation frame to take the newest published frame. Property values change only on the
 * owner thread, the one that calls the view-model's methods (the FX thread in the app, the test thread in
 * tests), so it is testable without starting JavaFX. File work (imports, opens, saves, exports) runs on a
 * file thread of its own ({@link FileJobs}): the owner thread snapshots what is to be written, never waits,
 * and applies each outcome when the job hands it back through the owner executor; {@link #busyProperty()}
 * is true meanwhile.
 */
public final class MainViewModel {
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper("ScoreScope " + Version.get());
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("Ready");

    // ---- panels
    private final SettingsViewModel settings;
    private final SpectraViewModel spectra;
    private final ViewOptionsViewModel view;
    private final FilesViewModel files;
    private final DiffusionViewModel diffusion;
    private final QualityViewModel quality = new QualityViewModel();

    private final ObjectProperty<Speed> speed = new SimpleObjectProperty<>(Speed.FULL);
    // ---- run state (written from frames)
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyLongWrapper step = new ReadOnlyLongWrapper(0);
    private final ReadOnlyDoubleWrapper loss = new ReadOnlyDoubleWrapper(Double.NaN);
    private final ReadOnlyDoubleWrapper fisher = new ReadOnlyDoubleWrapper(Double.NaN);
    private final ReadOnlyDoubleWrapper stepsPerSecond = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyObjectWrapper<WorkerState> workerState = new ReadOnlyObjectWrapper<>(WorkerState.IDLE);
    private final ReadOnlyObjectWrapper<FrameData> frame = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper notification = new ReadOnlyStringWrapper("");
    private final ReadOnlyIntegerWrapper notificationCount = new ReadOnlyIntegerWrapper(0);
    private final ReadOnlyStringWrapper hoverText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper metricsText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper dataSource = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Preset> lesson = new ReadOnlyObjectWrapper<>();
    private final UndoViewModel edits = new UndoViewModel();

    private long textAt;
    /** Shortest time between two updates of the step, loss and inspector texts while training. */
    private static final long TEXT_INTERVAL_NANOS = 100_000_000L;

    private final TrainingWorker worker;
    private boolean updating;
    private int seenDivergences;
    private String lastMessage = "";
    private Predicate<String> confirmation = question -> true;

    /** Creates the view-model with the default settings and starts its worker. */
    public MainViewModel() {
        this(TrainingConfig.defaults());
    }

    /**
     * Creates the view-model with the given settings and starts its worker; the outcomes of file jobs are
     * applied on the FX thread ({@link Platform#runLater}).
     *
     * @param initial the first settings
     */
    public MainViewModel(TrainingConfig initial) {
        this(initial, Platform::runLater);
    }

    /**
     * Creates the view-model with the given settings and starts its worker and its file thread.
     *
     * @param initial the first settings
     * @param owner   runs a task on the owner thread, the one that calls this view-model and owns its
     *                properties: file jobs hand their outcomes back through it ({@code Platform::runLater} in
     *                the app; tests pass a queue that the test thread drains)
     */
    public MainViewModel(TrainingConfig initial, Executor owner) {
        this(initial, owner, UserPrefs.forApp());
    }

    /**
     * @param initial the first settings
     * @param owner   runs a task on the owner thread
     * @param prefs   where the recent files are remembered
     */
    MainViewModel(TrainingConfig initial, Executor owner, UserPrefs prefs) {
        settings = new SettingsViewModel(initial);
        view = new ViewOptionsViewModel(ViewBox.of(initial.data().dataset().defaultBox()), frame::get,
                () -> settings.applied().data().dataset().defaultBox());
        worker = new TrainingWorker(initial, view.samplerSettings());
        view.attach(worker);
        spectra = new SpectraViewModel(frame.getReadOnlyProperty(), view.viewBoxProperty());
        files = new FilesViewModel(this, owner, prefs);
        diffusion = new DiffusionViewModel(frame.getReadOnlyProperty(), view);
        settings.setOnEdit(this::settingsEdited);
        settings.errorProperty().addListener((o, was, now) -> {
            if (!now.isEmpty()) {
                status.set("Setting not applied: " + now);
            }
        });
        // A new dataset comes with its own extent, once it runs (a lesson's dataset waits for a confirmation).
        settings.appliedProperty().addListener((o, was, now) -> {
            if (was == null || was.data().dataset() != now.data().dataset()) {
                view.resetView();
            }
        });
        speed.addListener((o, was, now) -> worker.setMaxStepsPerSecond(now.perSecond()));
        worker.setMaxStepsPerSecond(speed.get().perSecond());
    }

    // ================================================================ commands

    /** Starts or resumes training. */
    public void play() {
        if (workerState.get() == WorkerState.NO_DATA) {
            status.set("No data to train on: draw points, import a CSV or pick a dataset.");
            return;
        }
        FrameData f = frame.get();
        String note = f == null || !f.customData() ? null
                : settings.smallDataDefault(f.dataVersion(), () -> FilesViewModel.rows(f.points()));
        running.set(true);
        worker.play();
        status.set(note != null ? note : "Training");
    }

    /** Pauses training after the current step. */
    public void pause() {
        running.set(false);
        worker.pause();
        status.set("Paused");
    }

    /** Play when paused, pause when playing. */
    public void togglePlay() {
        if (running.get()) {
            pause();
        } else {
            play();
        }
    }

    /** @return the question to confirm before {@link #restoreBest()}, or null when there is no best model */
    public String confirmRestoreBest() {
        FrameData f = frame.get();
        return quality.confirmRestore(f == null ? 0 : f.step());
    }

    /** Makes the run's best model (by held-out quality) the current one; training pauses. */
    public void restoreBest() {
        running.set(false);
        worker.restoreBest();
    }

    /** Takes one step (pausing first). */
    public void stepOnce() {
        running.set(false);
        worker.step();
    }

    /** A fresh model from the seed, step 0, paused; the data stay. */
    public void reset() {
        running.set(false);
        worker.reset();
        status.set("Reset: a fresh model from seed " + settings.applied().run().seed());
    }

    /**
     * Back to generated data: draws the dataset again. If the data are already the generator's,
     * draws a new sample by moving to the next seed.
     */
    public void regenerate() {
        FrameData f = frame.get();
        recordEdit();
        if (f != null && !f.customData()) {
            settings.value(Settings.SEED).set(settings.applied().run().seed() + 1);
        } else {
            worker.regenerate();
        }
        status.set("New data from " + settings.applied().data().dataset().id());
    }

    /** Removes every data point (then draw new ones). */
    public void clearData() {
        recordEdit();
        running.set(false);
        worker.pause();
        worker.setPoints(new double[0][]);
        status.set("Data cleared: click on the view (Draw mode) to add points");
    }

    /**
     * Adds a data point (draw mode).
     *
     * @param x world x
     * @param y world y
     */
    public void addPoint(double x, double y) {
        recordEdit();
        worker.addPoints(new double[] {x, y});
    }

    /** Spawns the Langevin samples afresh. */
    public void respawnSamples() {
        worker.respawnSamples();
    }

    /**
     * Asks the worker for the inspector values at a point.
     *
     * @param x world x
     * @param y world y
     */
    public void hover(double x, double y) {
        worker.hover(x, y);
    }

    /** Clears the inspector (the cursor left the view). */
    public void hoverExit() {
        worker.clearHover();
        hoverText.set("");
    }

    /**
     * Takes the newest frame the worker published, if any, and updates the run properties from it (while
     * training, the step, loss and inspector texts at most every 100 ms).
     * Call once per animation frame.
     *
     * @return the new frame, or null if none arrived since the last call
     */
    public FrameData pollFrame() {
        FrameData f = worker.take();
        if (f == null) {
            return null;
        }
        FrameData before = frame.get();
        frame.set(f);
        if (before != null && (before.dataVersion() != f.dataVersion() || f.model() == null || before.model() == null
                || before.model().model() != f.model().model())) {
            spectra.spectraStale();
        }
        if (before == null || before.dataVersion() != f.dataVersion()) {
            dataSource.set(f.pointCount() == 0 ? "No data: draw points (Draw) or import a CSV."
                    : f.customData() ? "Custom data: " + f.pointCount() + " drawn or imported points. Regenerate "
                            + "to go back to the dataset." : "");
            settings.setCustomData(f.customData());
        }
        long now = System.nanoTime();
        // While training, the numbers change every frame; a new text costs a CSS, layout and text-render pass, and
        // nobody reads a counter at 60 Hz: texts follow at most every TEXT_INTERVAL (at once in any other state).
        boolean textDue = f.state() != WorkerState.RUNNING || workerState.get() != WorkerState.RUNNING
                || now - textAt >= TEXT_INTERVAL_NANOS || (f.hover() == null) != hoverText.get().isEmpty();
        workerState.set(f.state());
        if (f.divergences() > seenDivergences) {
            seenDivergences = f.divergences();
            running.set(false);
            notify(f.message());
        } else if ((f.state() == WorkerState.NO_DATA || f.state() == WorkerState.ERROR
                || f.state() == WorkerState.PAUSED && f.step() == f.config().run().steps()) && running.get()) {
            running.set(false);
        }
        String notice = quality.update(f);
        if (notice != null) {
            notify(notice);
        }
        if (!f.message().isEmpty() && !f.message().equals(lastMessage)) {
            status.set(f.message());
        }
        lastMessage = f.message();
        if (!textDue) {
            return f;
        }
        textAt = now;
        step.set(f.step());
        loss.set(f.loss());
        fisher.set(f.fisher());
        stepsPerSecond.set(f.stepsPerSecond());
        metricsText.set(String.format(Locale.ROOT, "step %,d   loss %s   Fisher %s   %s   %s", f.step(),
                Fmt.num(f.loss()), Fmt.num(f.fisher()), f.state() == WorkerState.RUNNING
                        ? String.format(Locale.ROOT, "%,.0f steps/s", f.stepsPerSecond()) : "", f.state().label()));
        hoverText.set(f.hover() == null ? "" : Fmt.hover(f.hover()));
        return f;
    }

    /** Raises a notice; the notice bar shows one line, the status bar has the room for the rest. */
    private void notify(String message) {
        notification.set(message);
        notificationCount.set(notificationCount.get() + 1);
        status.set(message);
    }

    /** @param message shown in the status bar (e.g. the outcome of an export done by the view) */
    public void reportStatus(String message) {
        status.set(message);
    }

    /**
     * Stops the worker, the spectra thread and the file thread; called when the application exits (does not
     * wait for them). The outcome of a file job still running is not applied (its future is cancelled); a
     * write in progress is not interrupted.
     */
    public void shutdown() {
        files.close();
        spectra.close();
        worker.close();
        status.set("Stopped");
    }

    /**
     * Sets how the view-model asks before discarding a trained model (an architecture change). The
     * app shows a dialog; tests may answer directly.
     *
     * @param ask receives the question, returns true to go ahead
     */
    public void setConfirmation(Predicate<String> ask) {
        confirmation = ask == null ? q -> true : ask;
    }

    /** @return the last settings handed to the worker */
    public TrainingConfig appliedConfig() {
        return settings.applied();
    }

    /** @return the training settings */
    public SettingsViewModel settings() {
        return settings;
    }

    /** @return the view options panel */
    public ViewOptionsViewModel view() {
        return view;
    }

    /** @return the file commands */
    public FilesViewModel files() {
        return files;
    }

    /**
     * Starts a lesson: its settings over the defaults, a fresh model at step 0, fresh data, the view
     * fitted, and its explanation shown. A trained model is discarded only after the user confirms.
     *
     * @param lesson the preset
     */
    public void startLesson(Preset lesson) {
        if (step.get() > 0 && !confirmation.test("Starting the lesson \"" + lesson.title()
                + "\" starts a new model. The current model (step " + step.get() + ") will be discarded.")) {
            status.set("Kept the current model");
            return;
        }
        recordEdit();
        settings.accept(lesson.config());
        running.set(false);
        worker.setConfig(lesson.config());
        worker.regenerate();
        worker.reset();
        this.lesson.set(lesson);
        view.resetView();
        status.set("Lesson: " + lesson.title() + ". Press Play.");
    }

    /** Closes the lesson's explanation. */
    public void closeLesson() {
        lesson.set(null);
    }

    /** @return the lesson whose explanation is shown, or null */
    public ReadOnlyObjectProperty<Preset> lessonProperty() {
        return lesson.getReadOnlyProperty();
    }

    /** Undoes the last edit of the settings or the data (Ctrl+Z). */
    public void undo() {
        restore(edits.undo(currentEdit()), "Undid the last edit", "Nothing to undo");
    }

    /** Redoes the last undone edit (Ctrl+Shift+Z). */
    public void redo() {
        restore(edits.redo(currentEdit()), "Redid the last edit", "Nothing to redo");
    }

    /** @return whether there is an edit to undo */
    public ReadOnlyBooleanProperty canUndoProperty() {
        return edits.canUndoProperty();
    }

    /** @return whether there is an undone edit to redo */
    public ReadOnlyBooleanProperty canRedoProperty() {
        return edits.canRedoProperty();
    }

    /** Records the state before a data edit (files report imports through it). */
    void recordEdit() {
        edits.record(currentEdit());
    }

    private EditHistory.State currentEdit() {
        return new EditHistory.State(settings.applied(), currentPoints());
    }

    /** @return the user's points now, or null when the data are generated by the settings */
    private double[][] currentPoints() {
        FrameData f = frame.get();
        return f == null || !f.customData() ? null : FilesViewModel.rows(f.points());
    }

    private void restore(EditHistory.State s, String done, String nothing) {
        if (s == null) {
            status.set(nothing);
            return;
        }
        boolean custom = frame.get() != null && frame.get().customData();
        if (settings.applied().needsNewModel(s.config())) {
            running.set(false);
        }
        settings.accept(s.config());
        worker.setConfig(s.config());
        if (s.points() != null) {
            worker.setPoints(s.points());
        } else if (custom) {
            worker.regenerate();
        }
        status.set(done);
    }

    /** Shows a status line (panels report through it). */
    void status(String message) {
        status.set(message);
    }

    /** Training stopped for a file command (an opened model or session replaces the run). */
    void stopped() {
        running.set(false);
    }

    /** @return the spectra panel */
    public SpectraViewModel spectra() {
        return spectra;
    }

    /** @return the Diffusion panel's view-model (noise level, samplers) */
    public DiffusionViewModel diffusion() {
        return diffusion;
    }

    /** @return the held-out quality: best model and warnings */
    public QualityViewModel quality() {
        return quality;
    }

    /** @return the worker (for tests and the frame-time harness) */
    TrainingWorker worker() {
        return worker;
    }

    // ================================================================ internals

    /** A settings edit: a new model discards a trained one only once the user confirms (else the controls go back). */
    private void settingsEdited(TrainingConfig next) {
        TrainingConfig applied = settings.applied();
        boolean newModel = applied.needsNewModel(next);
        if (newModel && step.get() > 0) {
            String question = "Changing the model to " + next.model().describe() + " starts a new model from seed "
                    + next.run().seed() + ". The current model (step " + step.get() + ") will be discarded.";
            if (!confirmation.test(question)) {
                settings.revert();
                status.set("Kept the current model");
                return;
            }
        }
        edits.record(new EditHistory.State(applied, currentPoints()));
        settings.accept(next);
        if (newModel) {
            running.set(false);
            status.set("New model: " + next.model().describe());
        }
        worker.setConfig(next);
    }

    String fail(String message) {
        status.set(message);
        return message;
    }

    // ================================================================ properties

    /** @return the window title, "ScoreScope" and the version */
    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** @return the one-line status: the last action, notice or error */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** @return the current settings error (empty when the settings are valid) */
    public ReadOnlyStringProperty configErrorProperty() {
        return settings.errorProperty();
    }


    /** @return the training speed cap */
    public ObjectProperty<Speed> speedProperty() {
        return speed;
    }

    /** @return whether training is (requested to be) running */
    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** @return steps taken since the last reset */
    public ReadOnlyLongProperty stepProperty() {
        return step.getReadOnlyProperty();
    }

    /** @return loss of the last step */
    public ReadOnlyDoubleProperty lossProperty() {
        return loss.getReadOnlyProperty();
    }

    /** @return last Fisher divergence, NaN when unknown */
    public ReadOnlyDoubleProperty fisherProperty() {
        return fisher.getReadOnlyProperty();
    }

    /** @return measured training speed */
    public ReadOnlyDoubleProperty stepsPerSecondProperty() {
        return stepsPerSecond.getReadOnlyProperty();
    }

    /** @return what the worker is doing */
    public ReadOnlyObjectProperty<WorkerState> workerStateProperty() {
        return workerState.getReadOnlyProperty();
    }

    /** @return the newest frame taken by {@link #pollFrame()} */
    public ReadOnlyObjectProperty<FrameData> frameProperty() {
        return frame.getReadOnlyProperty();
    }

    /** @return the text of the last notification (a divergence diagnosis) */
    public ReadOnlyStringProperty notificationProperty() {
        return notification.getReadOnlyProperty();
    }

    /** @return how many notifications were raised (a change means: show {@link #notificationProperty()}) */
    public ReadOnlyIntegerProperty notificationCountProperty() {
        return notificationCount.getReadOnlyProperty();
    }

    /** @return the inspector text for the point under the cursor, empty when none */
    public ReadOnlyStringProperty hoverTextProperty() {
        return hoverText.getReadOnlyProperty();
    }

    /** @return where the data come from when not from the dataset setting (drawn, imported, none); else empty */
    public ReadOnlyStringProperty dataSourceProperty() {
        return dataSource.getReadOnlyProperty();
    }

    /** @return the status-bar metrics: step, loss, Fisher, speed, worker state */
    public ReadOnlyStringProperty metricsTextProperty() {
        return metricsText.getReadOnlyProperty();
    }

}
