package org.scorescope.app;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Predicate;
import javafx.application.Platform;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
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
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.scorescope.Version;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Probe;
import org.scorescope.data.AtomicFiles;
import org.scorescope.data.PointsCsv;
import org.scorescope.data.ToyDataset;
import org.scorescope.field.Colormap;
import org.scorescope.field.FieldRequest;
import org.scorescope.field.SamplerSettings;
import org.scorescope.field.ViewBox;
import org.scorescope.model.ModelSpec;
import org.scorescope.model.ModelState;
import org.scorescope.render.Fmt;
import org.scorescope.train.SessionFile;
import org.scorescope.train.Series;
import org.scorescope.train.Setting;
import org.scorescope.train.Settings;
import org.scorescope.train.TrainingConfig;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.SpectraResult;
import org.scorescope.worker.SpectraService;
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
    /** Training speed caps offered in the toolbar. */
    public enum Speed {
        /** 2 steps per second: watch single updates. */
        CRAWL("2 steps/s", 2),
        /** 10 steps per second. */
        SLOW("10 steps/s", 10),
        /** 60 steps per second. */
        MEDIUM("60 steps/s", 60),
        /** As fast as the worker can go. */
        FULL("full speed", Double.POSITIVE_INFINITY);

        private final String label;
        private final double perSecond;

        Speed(String label, double perSecond) {
            this.label = label;
            this.perSecond = perSecond;
        }

        /** @return the cap in steps per second (+∞ for none) */
        public double perSecond() {
            return perSecond;
        }

        /** @return the label shown in the UI */
        @Override
        public String toString() {
            return label;
        }
    }

    /** How the score field is drawn. */
    public enum FieldStyle {
        /** One arrow per cell, length ∝ |s| (capped), coloured by |s|. */
        ARROWS("arrows"),
        /** Evenly spaced streamlines of s. */
        STREAMLINES("streamlines");

        private final String label;

        FieldStyle(String label) {
            this.label = label;
        }

        /** @return the label shown in the UI */
        @Override
        public String toString() {
            return label;
        }
    }

    private static final int DEFAULT_PARTICLES = 400;
    private static final double ARROW_SPACING_PX = 30;

    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper("ScoreScope " + Version.get());
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("Ready");

    // ---- panels
    private final SettingsViewModel settings;
    private final SpectraViewModel spectra;

    // ---- view options
    private final BooleanProperty showData = new SimpleBooleanProperty(true);
    private final BooleanProperty showField = new SimpleBooleanProperty(true);
    private final ObjectProperty<FieldStyle> fieldStyle = new SimpleObjectProperty<>(FieldStyle.ARROWS);
    private final BooleanProperty showDensity = new SimpleBooleanProperty(true);
    private final BooleanProperty showContours = new SimpleBooleanProperty(true);
    private final BooleanProperty showSamples = new SimpleBooleanProperty(true);
    private final BooleanProperty showTruth = new SimpleBooleanProperty(true);
    private final IntegerProperty gridResolution = new SimpleIntegerProperty(64);
    private final IntegerProperty contourCount = new SimpleIntegerProperty(8);
    private final DoubleProperty densityRange = new SimpleDoubleProperty(10);
    private final ObjectProperty<Colormap> colormap = new SimpleObjectProperty<>(Colormap.VIRIDIS);
    private final DoubleProperty langevinStepLog10 = new SimpleDoubleProperty(-2);
    private final IntegerProperty particles = new SimpleIntegerProperty(DEFAULT_PARTICLES);
    private final BooleanProperty drawMode = new SimpleBooleanProperty(false);
    private final ObjectProperty<Speed> speed = new SimpleObjectProperty<>(Speed.FULL);
    private final ObjectProperty<ViewBox> viewBox = new SimpleObjectProperty<>();
    private final DoubleProperty canvasWidth = new SimpleDoubleProperty(0);
    private final DoubleProperty canvasHeight = new SimpleDoubleProperty(0);

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

    private long textAt;
    /** Shortest time between two updates of the step, loss and inspector texts while training. */
    private static final long TEXT_INTERVAL_NANOS = 100_000_000L;

    private final TrainingWorker worker;
    private final FileJobs jobs;
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
        jobs = new FileJobs(owner);
        settings = new SettingsViewModel(initial);
        viewBox.set(ViewBox.of(initial.data().dataset().defaultBox()));
        worker = new TrainingWorker(initial, samplerSettings());
        spectra = new SpectraViewModel(frame.getReadOnlyProperty(), viewBox);
        settings.setOnEdit(this::settingsEdited);
        settings.errorProperty().addListener((o, was, now) -> {
            if (!now.isEmpty()) {
                status.set("Setting not applied: " + now);
            }
        });
        // A new dataset comes with its own extent.
        settings.value(Settings.DATASET).addListener(o -> resetView());
        for (Observable o : List.of(viewBox, canvasWidth, canvasHeight, gridResolution, contourCount, densityRange,
                colormap, fieldStyle)) {
            o.addListener(x -> sendView());
        }
        for (Observable o : List.of(showSamples, langevinStepLog10, particles)) {
            o.addListener(x -> worker.setSampler(samplerSettings()));
        }
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
        running.set(true);
        worker.play();
        status.set("Training");
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
        if (f != null && !f.customData()) {
            settings.value(Settings.SEED).set(settings.applied().run().seed() + 1);
        } else {
            worker.regenerate();
        }
        status.set("New data from " + settings.applied().data().dataset().id());
    }

    /** Removes every data point (then draw new ones). */
    public void clearData() {
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
        worker.addPoints(new double[] {x, y});
    }

    /**
     * Replaces the data by the points of a CSV file, read and checked on the file thread; the points reach
     * the worker afterwards, on the owner thread. On any error the old data stay and the error (with its line)
     * is shown in the status and returned.
     *
     * @param file a CSV of x,y rows (optional header)
     * @return completes on the owner thread with null on success, the error message otherwise
     */
    public CompletableFuture<String> importPoints(Path file) {
        String name = String.valueOf(file.getFileName());
        return fileJob("Importing " + name + "…",
                () -> TrainingWorker.Points.adopt(PointsCsv.read(file, 2)),
                pts -> {
                    if (pts.size() == 0) {
                        return "Cannot import " + name + ": it holds no points. The data are unchanged.";
                    }
                    worker.setPoints(pts);
                    status.set("Imported " + pts.size() + " points from " + name);
                    return null;
                },
                e -> "Cannot import " + name + ": " + reason(e) + ". The data are unchanged.");
    }

    /**
     * Writes the data points of the newest frame as CSV (header x,y) on the file thread. The frame is the
     * snapshot: its arrays are never written after publication, so the writer reads no live state.
     *
     * @param file target (replaced atomically)
     * @return completes on the owner thread with null on success, the error message otherwise
     */
    public CompletableFuture<String> exportPoints(Path file) {
        FrameData f = frame.get();
        if (f == null || f.pointCount() == 0) {
            return CompletableFuture.completedFuture(fail("There are no points to export."));
        }
        String name = String.valueOf(file.getFileName());
        double[] xy = f.points();
        int n = f.pointCount();
        return fileJob("Writing " + n + " points to " + name + "…",
                () -> {
                    PointsCsv.write(file, rows(xy), "x", "y");
                    return n;
                },
                written -> {
                    status.set("Wrote " + written + " points to " + name);
                    return null;
                },
                e -> "Cannot write " + file + ": " + reason(e));
    }

    /**
     * Writes the model of the newest frame as a scorescope-model JSON file on the file thread (a
     * {@link ModelState} is immutable: it is its own snapshot).
     *
     * @param file target (replaced atomically)
     * @return completes on the owner thread with null on success, the error message otherwise
     */
    public CompletableFuture<String> exportModel(Path file) {
        FrameData f = frame.get();
        if (f == null || f.model() == null) {
            return CompletableFuture.completedFuture(fail("There is no model to export yet."));
        }
        String name = String.valueOf(file.getFileName());
        ModelState model = f.model();
        long modelStep = f.step();
        return fileJob("Writing the model of step " + modelStep + " to " + name + "…",
                () -> {
                    model.write(file);
                    return modelStep;
                },
                written -> {
                    status.set("Wrote the model of step " + written + " to " + name);
                    return null;
                },
                e -> "Cannot write " + file + ": " + reason(e));
    }

    /**
     * Writes the training history of the newest frame as CSV on the file thread: {@code step,loss,fisher} per
     * step (fisher empty between evaluations or when unknown). The frame's {@link Series.View}s are immutable
     * prefixes, so they are the snapshot; training may go on meanwhile.
     *
     * @param file target (replaced atomically)
     * @return completes on the owner thread with null on success, the error message otherwise
     */
    public CompletableFuture<String> exportMetrics(Path file) {
        FrameData f = frame.get();
        if (f == null || f.steps().length() == 0) {
            return CompletableFuture.completedFuture(fail("There are no metrics yet: train first."));
        }
        String name = String.valueOf(file.getFileName());
        Series.View s = f.steps();
        Series.View l = f.losses();
        Series.View fi = f.fishers();
        return fileJob("Writing " + s.length() + " steps of metrics to " + name + "…",
                () -> {
                    AtomicFiles.write(file, w -> {
                        w.write("step,loss,fisher\n");
                        StringBuilder sb = new StringBuilder(64);
                        for (int i = 0; i < s.length(); i++) {
                            sb.setLength(0);
                            sb.append((long) s.get(i)).append(',').append(l.get(i)).append(',');
                            if (!Double.isNaN(fi.get(i))) {
                                sb.append(fi.get(i));
                            }
                            sb.append('\n');
                            w.write(sb.toString());
                        }
                    });
                    return s.length();
                },
                written -> {
                    status.set("Wrote " + written + " steps of metrics to " + name);
                    return null;
                },
                e -> "Cannot write " + file + ": " + reason(e));
    }

    /**
     * Loads a model file (any kind), read and parsed on the file thread; then, on the owner thread, the
     * architecture settings follow the file, the data settings stay, and the run restarts at step 0 from the
     * loaded parameters. On error nothing changes.
     *
     * @param file a scorescope-model JSON file
     * @return completes on the owner thread with null on success, the error message otherwise
     */
    public CompletableFuture<String> openModel(Path file) {
        String name = String.valueOf(file.getFileName());
        return fileJob("Opening model " + name + "…", () -> SessionFile.read(file), s -> applyModel(s, name),
                e -> "Cannot open " + name + ": " + reason(e) + ". The model is unchanged.");
    }

    /** Owner thread: adopts a model file's architecture and parameters; returns null or the error. */
    private String applyModel(SessionFile.Session s, String name) {
        if (s.model() == null || s.points().length > 0) {
            return "Cannot open " + name + ": it is a session, not a model file; use Open session. "
                    + "The model is unchanged.";
        }
        if (s.model().model().inputDim() != 2) {
            return "Cannot open " + name + ": the model is " + s.model().model().inputDim()
                    + "-D; ScoreScope shows 2-D models. The model is unchanged.";
        }
        TrainingConfig arch = s.config();
        ModelSpec.Kind kind = arch.model().kind();
        // The architecture follows the file; data and training settings stay.
        Map<Setting<?>, Object> shape = new LinkedHashMap<>();
        for (Setting<?> setting : Settings.ALL) {
            if (setting.effect(kind) == Setting.Effect.NEW_MODEL) {
                shape.put(setting, arch.get(setting));
            }
        }
        TrainingConfig next;
        try {
            next = settings.applied().withAll(shape);
        } catch (IllegalArgumentException e) {
            return "Cannot use " + name + ": " + e.getMessage() + ". The model is unchanged.";
        }
        settings.accept(next);
        running.set(false);
        worker.loadModel(s.model(), next);
        status.set("Loaded " + s.model().toSpec() + " from " + name);
        return null;
    }

    /** A session read and checked on the file thread; points null when the session is not 2-D. */
    private record OpenedSession(SessionFile.Session session, TrainingWorker.Points points) {
    }

    /**
     * Opens a session file: it is read, parsed and its points checked on the file thread; then, on the owner
     * thread, every setting, the data, the model and its step count are replaced (training, if it runs, stops
     * there, as the worker loads the session paused). On error nothing changes.
     *
     * @param file a scorescope-session JSON file (a bare model file also works, see {@link #openModel})
     * @return completes on the owner thread with null on success, the error message otherwise
     */
    public CompletableFuture<String> openSession(Path file) {
        String name = String.valueOf(file.getFileName());
        return fileJob("Opening " + name + "…",
                () -> {
                    SessionFile.Session s = SessionFile.read(file);
                    boolean planar = s.points().length == 0 || s.points()[0].length == 2;
                    return new OpenedSession(s, planar ? TrainingWorker.Points.adopt(s.points()) : null);
                },
                o -> applySession(o, name),
                e -> "Cannot open " + name + ": " + reason(e) + ". Nothing was changed.");
    }

    /** Owner thread: replaces settings, data, model and step by an opened session; returns null or the error. */
    private String applySession(OpenedSession o, String name) {
        SessionFile.Session s = o.session();
        if (s.points().length == 0 && s.model() != null) {
            return applyModel(s, name);
        }
        if (s.model() != null && s.model().model().inputDim() != 2 || o.points() == null) {
            return "Cannot open " + name + ": ScoreScope shows 2-D sessions. Nothing was changed.";
        }
        settings.accept(s.config());
        running.set(false);
        worker.loadSession(s, o.points());
        resetView();
        status.set("Opened " + name + ": " + s.points().length + " points"
                + (s.model() == null ? ", a fresh model" : ", model at step " + s.step()));
        return null;
    }

    /**
     * Saves the session of the newest frame on the file thread: its settings, data, model and step count. The
     * frame (immutable) is the snapshot, so training may go on while the file is written.
     *
     * @param file target (replaced atomically)
     * @return completes on the owner thread with null on success, the error message otherwise
     */
    public CompletableFuture<String> saveSession(Path file) {
        if (frame.get() == null) {
            return CompletableFuture.completedFuture(fail("Nothing to save yet."));
        }
        String name = String.valueOf(file.getFileName());
        // The worker hands over its whole state at a step boundary; training may go on while it is written.
        CompletableFuture<SessionFile.Session> state = worker.session();
        return fileJob("Saving the session to " + name + "…",
                () -> {
                    SessionFile.Session s = state.get(30, java.util.concurrent.TimeUnit.SECONDS);
                    SessionFile.write(file, s);
                    return s;
                },
                saved -> {
                    status.set("Saved the session (step " + saved.step() + ", " + saved.points().length + " points) to "
                            + name);
                    return null;
                },
                e -> "Cannot write " + file + ": " + reason(e));
    }

    /**
     * Runs a file job through the view-model's {@link FileJobs} (the one mechanism for every file operation,
     * the PNG export included): the status says what runs, {@link #busyProperty()} is true until its outcome
     * has been applied, and an error message (from {@code onSuccess} or {@code onFailure}) becomes the status.
     * Refused, with a message, while another job runs or after {@link #shutdown()}. Owner thread only.
     *
     * @param <T>       the work's result
     * @param activity  the status while it runs, e.g. "Opening s.json…"
     * @param work      the background part (reads only snapshots, never FX properties or live training state)
     * @param onSuccess applies the result on the owner thread and returns null, or returns an error message
     * @param onFailure turns a failure of the work into the error message
     * @return completes on the owner thread with null on success, the error message otherwise
     */
    <T> CompletableFuture<String> fileJob(String activity, FileJobs.Work<T> work, Function<T, String> onSuccess,
                                          Function<Throwable, String> onFailure) {
        if (jobs.isClosed()) {
            return CompletableFuture.completedFuture(fail("ScoreScope is shutting down: nothing was read or written."));
        }
        if (jobs.busyProperty().get()) {
            return CompletableFuture.completedFuture(fail("Busy: " + jobs.activity()
                    + " Try again when it has finished; nothing else was read or written."));
        }
        status.set(activity);
        return jobs.submit(activity, work, r -> {
            String error = onSuccess.apply(r);
            return error == null ? null : fail(error);
        }, e -> fail(onFailure.apply(e)));
    }

    /** @return the message of a failure, or its type when it has none (e.g. an OutOfMemoryError) */
    static String reason(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** @return interleaved (x, y) as n × 2 rows (file thread: allocates a row per point) */
    private static double[][] rows(double[] xy) {
        double[][] pts = new double[xy.length / 2][];
        for (int i = 0; i < pts.length; i++) {
            pts[i] = new double[] {xy[2 * i], xy[2 * i + 1]};
        }
        return pts;
    }

    /**
     * Zooms the view keeping a world point fixed.
     *
     * @param factor &gt; 1 zooms in
     * @param x      world x under the cursor
     * @param y      world y under the cursor
     */
    public void zoom(double factor, double x, double y) {
        viewBox.set(viewBox.get().zoom(factor, x, y));
    }

    /**
     * Moves the view content.
     *
     * @param dx world units right
     * @param dy world units up
     */
    public void pan(double dx, double dy) {
        viewBox.set(viewBox.get().pan(dx, dy));
    }

    /** Shows the dataset's default box. */
    public void resetView() {
        viewBox.set(ViewBox.of(settings.applied().data().dataset().defaultBox()));
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
        dataSource.set(f.pointCount() == 0 ? "No data: draw points (Draw) or import a CSV."
                : f.customData() ? "Custom data: " + f.pointCount() + " drawn or imported points. Regenerate or "
                        + "pick a dataset to go back to generated data." : "");
        long now = System.nanoTime();
        // While training, the numbers change every frame; a new text costs a CSS, layout and text-render pass, and
        // nobody reads a counter at 60 Hz: texts follow at most every TEXT_INTERVAL (at once in any other state).
        boolean textDue = f.state() != WorkerState.RUNNING || workerState.get() != WorkerState.RUNNING
                || now - textAt >= TEXT_INTERVAL_NANOS || (f.hover() == null) != hoverText.get().isEmpty();
        workerState.set(f.state());
        if (f.divergences() > seenDivergences) {
            seenDivergences = f.divergences();
            running.set(false);
            notification.set(f.message());
            notificationCount.set(notificationCount.get() + 1);
            status.set(f.message());
        } else if ((f.state() == WorkerState.NO_DATA || f.state() == WorkerState.ERROR) && running.get()) {
            running.set(false);
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

    /**
     * Shows a message in the status bar (e.g. the outcome of an export done by the view).
     *
     * @param message the text
     */
    public void reportStatus(String message) {
        status.set(message);
    }

    /**
     * Stops the worker, the spectra thread and the file thread; called when the application exits (does not
     * wait for them). The outcome of a file job still running is not applied (its future is cancelled); a
     * write in progress is not interrupted.
     */
    public void shutdown() {
        jobs.close();
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

    /** @return the spectra panel */
    public SpectraViewModel spectra() {
        return spectra;
    }

    /** @return the worker (for tests and the frame-time harness) */
    TrainingWorker worker() {
        return worker;
    }

    // ================================================================ internals

    /**
     * An edit of the settings: a change that needs a new model discards a trained one only after the
     * user confirms; a declined confirmation puts the controls back to the running settings.
     */
    private void settingsEdited(TrainingConfig next) {
        TrainingConfig applied = settings.applied();
        boolean newModel = applied.needsNewModel(next);
        if (newModel && step.get() > 0) {
            String question = "Changing the model to " + describe(next) + " starts a new model from seed "
                    + next.run().seed() + ". The current model (step " + step.get() + ") will be discarded.";
            if (!confirmation.test(question)) {
                settings.revert();
                status.set("Kept the current model");
                return;
            }
        }
        settings.accept(next);
        if (newModel) {
            running.set(false);
            status.set("New model: " + describe(next));
        }
        worker.setConfig(next);
    }

    private static String describe(TrainingConfig c) {
        TrainingConfig.ModelConfig m = c.model();
        return m.kind().id() + (m.kind() == ModelSpec.Kind.FLOW ? " " + m.couplings() + " couplings of" : "")
                + " " + m.width() + "×" + m.depth() + " " + m.activation().jsonName();
    }

    private SamplerSettings samplerSettings() {
        return new SamplerSettings(showSamples.get(), Math.pow(10, langevinStepLog10.get()), particles.get(), 2);
    }

    private void sendView() {
        double w = canvasWidth.get();
        double h = canvasHeight.get();
        if (w < 2 || h < 2 || viewBox.get() == null) {
            return;
        }
        double[] r = viewBox.get().visible(w, h);
        worker.setView(new FieldRequest(r[0], r[1], r[2], r[3], (int) Math.ceil(w), (int) Math.ceil(h),
                gridResolution.get(), contourCount.get(), densityRange.get(),
                fieldStyle.get() == FieldStyle.STREAMLINES, ARROW_SPACING_PX, colormap.get()));
    }

    private String fail(String message) {
        status.set(message);
        return message;
    }

    // ================================================================ properties

    /**
     * @return true while a file job (import, open, save, export, PNG) runs, from the call until its outcome
     *         has been applied on the owner thread, after an error too; the view disables conflicting commands
     */
    public ReadOnlyBooleanProperty busyProperty() {
        return jobs.busyProperty();
    }

    /** @return the file thread's jobs (tests) */
    FileJobs fileJobs() {
        return jobs;
    }

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


    /** @return whether the data points are drawn */
    public BooleanProperty showDataProperty() {
        return showData;
    }

    /** @return whether the score field is drawn */
    public BooleanProperty showFieldProperty() {
        return showField;
    }

    /** @return arrows or streamlines */
    public ObjectProperty<FieldStyle> fieldStyleProperty() {
        return fieldStyle;
    }

    /** @return whether the density heat map is drawn */
    public BooleanProperty showDensityProperty() {
        return showDensity;
    }

    /** @return whether the labelled contour lines are drawn */
    public BooleanProperty showContoursProperty() {
        return showContours;
    }

    /** @return whether the Langevin samples are drawn (and moved) */
    public BooleanProperty showSamplesProperty() {
        return showSamples;
    }

    /** @return whether the true density/score overlay is drawn (where the dataset has one) */
    public BooleanProperty showTruthProperty() {
        return showTruth;
    }

    /** @return grid nodes along the longer side of the view */
    public IntegerProperty gridResolutionProperty() {
        return gridResolution;
    }

    /** @return approximate number of contour levels */
    public IntegerProperty contourCountProperty() {
        return contourCount;
    }

    /** @return the log-density range shown, nats below the maximum */
    public DoubleProperty densityRangeProperty() {
        return densityRange;
    }

    /** @return the heat-map colormap */
    public ObjectProperty<Colormap> colormapProperty() {
        return colormap;
    }

    /** @return Langevin step size as log10 ε */
    public DoubleProperty langevinStepLog10Property() {
        return langevinStepLog10;
    }

    /** @return number of Langevin samples */
    public IntegerProperty particlesProperty() {
        return particles;
    }

    /** @return whether clicks on the view add data points */
    public BooleanProperty drawModeProperty() {
        return drawMode;
    }

    /** @return the training speed cap */
    public ObjectProperty<Speed> speedProperty() {
        return speed;
    }

    /** @return the visible part of the plane */
    public ObjectProperty<ViewBox> viewBoxProperty() {
        return viewBox;
    }

    /** @return the canvas width in pixels (set by the view) */
    public DoubleProperty canvasWidthProperty() {
        return canvasWidth;
    }

    /** @return the canvas height in pixels (set by the view) */
    public DoubleProperty canvasHeightProperty() {
        return canvasHeight;
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

    /** @return the Langevin step size as text */
    public StringBinding langevinStepText() {
        return Bindings.createStringBinding(() -> Fmt.sci(Math.pow(10, langevinStepLog10.get())), langevinStepLog10);
    }
}
