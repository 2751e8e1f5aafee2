package org.scorescope.app;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
    /** Default training steps between background spectra computations. */
    static final int DEFAULT_SPECTRA_EVERY = 200;
    /**
     * While training, the next scheduled spectra computation waits at least this many times as long as
     * the last one took, so that the spectra thread takes at most 1/(1 + factor) of a core: a large
     * model's Lanczos run takes seconds of CPU, and back to back it would starve the FX and render
     * threads of a small machine.
     */
    static final double SPECTRA_IDLE_FACTOR = 3;
    /** Spectra computations kept for the ladder history chart. */
    private static final int MAX_SPECTRA_HISTORY = 300;
    private static final double ARROW_SPACING_PX = 30;

    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper("ScoreScope " + Version.get());
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("Ready");

    // ---- settings
    private final ObservableList<ToyDataset> datasets = FXCollections.observableArrayList(ToyDataset.values());
    private final ObjectProperty<ToyDataset> dataset = new SimpleObjectProperty<>();
    private final IntegerProperty samples = new SimpleIntegerProperty();
    private final DoubleProperty dataNoise = new SimpleDoubleProperty();
    private final ObservableList<ModelSpec.Kind> modelKinds = FXCollections.observableArrayList(ModelSpec.Kind.values());
    private final ObjectProperty<ModelSpec.Kind> modelKind = new SimpleObjectProperty<>();
    private final IntegerProperty width = new SimpleIntegerProperty();
    private final IntegerProperty depth = new SimpleIntegerProperty();
    private final ObservableList<Activation> activations = FXCollections.observableArrayList(
            Arrays.stream(Activation.values()).filter(a -> a != Activation.IDENTITY).toList());
    private final ObjectProperty<Activation> activation = new SimpleObjectProperty<>();
    private final IntegerProperty couplings = new SimpleIntegerProperty();
    private final ObservableList<TrainingConfig.ObjectiveKind> objectives =
            FXCollections.observableArrayList(TrainingConfig.ObjectiveKind.values());
    private final ObjectProperty<TrainingConfig.ObjectiveKind> objective = new SimpleObjectProperty<>();
    private final IntegerProperty projections = new SimpleIntegerProperty();
    private final ObjectProperty<Probe> probe = new SimpleObjectProperty<>();
    private final DoubleProperty sigmaLog10 = new SimpleDoubleProperty();
    private final DoubleProperty sigmaMaxLog10 = new SimpleDoubleProperty();
    private final IntegerProperty sigmaLevels = new SimpleIntegerProperty();
    private final ObjectProperty<TrainingConfig.OptimizerKind> optimizer = new SimpleObjectProperty<>();
    private final DoubleProperty learningRateLog10 = new SimpleDoubleProperty();
    private final DoubleProperty momentum = new SimpleDoubleProperty();
    private final DoubleProperty weightDecay = new SimpleDoubleProperty();
    private final IntegerProperty batchSize = new SimpleIntegerProperty();
    private final ObjectProperty<TrainingConfig.Schedule> schedule = new SimpleObjectProperty<>();
    private final IntegerProperty scheduleSteps = new SimpleIntegerProperty();
    private final DoubleProperty clipNorm = new SimpleDoubleProperty();
    private final IntegerProperty seed = new SimpleIntegerProperty();
    private final ReadOnlyStringWrapper configError = new ReadOnlyStringWrapper("");

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

    // ---- spectra (issue 6)
    private final IntegerProperty spectraEvery = new SimpleIntegerProperty(DEFAULT_SPECTRA_EVERY);
    private final BooleanProperty showGlyphs = new SimpleBooleanProperty(false);
    private final BooleanProperty spectraShown = new SimpleBooleanProperty(false);
    private final ReadOnlyObjectWrapper<SpectraResult> spectraResult = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper spectraText = new ReadOnlyStringWrapper("no spectra yet: press Compute now or train");
    private final java.util.ArrayList<SpectraResult> spectraHistory = new java.util.ArrayList<>();
    private final SpectraService spectra = new SpectraService();
    private long spectraRequestedStep = -1;
    private long spectraNotBefore = System.nanoTime();
    private long textAt;
    /** Shortest time between two updates of the step, loss and inspector texts while training. */
    private static final long TEXT_INTERVAL_NANOS = 100_000_000L;

    private final TrainingWorker worker;
    private final FileJobs jobs;
    private TrainingConfig applied;
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
        setAll(initial);
        // The properties show the dataset's default noise explicitly; start from exactly what they say.
        applied = buildConfig();
        viewBox.set(ViewBox.of(initial.dataset().defaultBox()));
        worker = new TrainingWorker(applied, samplerSettings());

        // These two run before the generic listener below (same kind of listener, registered first), so
        // that the worker receives one consistent config per user action.
        dataset.addListener(o -> {
            if (!updating && dataset.get() != null) {
                // A new dataset comes with its own noise scale and extent.
                updating = true;
                dataNoise.set(dataset.get().defaultNoise());
                updating = false;
                resetView();
            }
        });
        modelKind.addListener(o -> {
            if (!updating && modelKind.get() != null) {
                updating = true;
                objective.set(naturalObjective(modelKind.get(), objective.get()));
                updating = false;
            }
        });
        List<Observable> settings = List.of(dataset, samples, dataNoise, modelKind, width, depth, activation,
                couplings, objective, projections, probe, sigmaLog10, sigmaMaxLog10, sigmaLevels, optimizer,
                learningRateLog10, momentum, weightDecay, batchSize, schedule, scheduleSteps, clipNorm, seed);
        for (Observable o : settings) {
            o.addListener(x -> settingsChanged());
        }
        for (Observable o : List.of(viewBox, canvasWidth, canvasHeight, gridResolution, contourCount, densityRange,
                colormap, fieldStyle)) {
            o.addListener(x -> sendView());
        }
        for (Observable o : List.of(showSamples, langevinStepLog10, particles)) {
            o.addListener(x -> worker.setSampler(samplerSettings()));
        }
        speed.addListener((o, was, now) -> worker.setMaxStepsPerSecond(now.perSecond()));
        worker.setMaxStepsPerSecond(speed.get().perSecond());
        spectraShown.addListener((o, was, now) -> {
            FrameData f = frame.get();
            SpectraResult r = spectraResult.get();
            if (now && f != null && f.model() != null && f.pointCount() > 0 && !spectra.isBusy()
                    && (r == null ? spectraRequestedStep != f.step() : r.step() != f.step())) {
                requestSpectra(f);
            }
        });
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
        status.set("Reset: a fresh model from seed " + seed.get());
    }

    /**
     * Back to generated data: draws the dataset again. If the data are already the generator's,
     * draws a new sample by moving to the next seed.
     */
    public void regenerate() {
        FrameData f = frame.get();
        if (f != null && !f.customData()) {
            seed.set(seed.get() + 1);
        } else {
            worker.regenerate();
        }
        status.set("New data from " + dataset.get().id());
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
        TrainingConfig before = applied;
        updating = true;
        try {
            modelKind.set(arch.modelKind());
            width.set(arch.width());
            depth.set(arch.depth());
            activation.set(arch.activation());
            couplings.set(arch.couplings());
            sigmaLog10.set(Math.log10(arch.sigma()));
            sigmaMaxLog10.set(Math.log10(arch.sigmaMax()));
            sigmaLevels.set(arch.sigmaLevels());
            objective.set(naturalObjective(arch.modelKind(), objective.get()));
        } finally {
            updating = false;
        }
        TrainingConfig next;
        try {
            next = buildConfig();
        } catch (IllegalArgumentException e) {
            setAll(before);
            return "Cannot use " + name + ": " + e.getMessage() + ". The model is unchanged.";
        }
        applied = next;
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
        setAll(s.config());
        applied = buildConfig();
        running.set(false);
        worker.loadSession(applied, o.points(), s.model(), s.step());
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
        FrameData f = frame.get();
        if (f == null) {
            return CompletableFuture.completedFuture(fail("Nothing to save yet."));
        }
        String name = String.valueOf(file.getFileName());
        return fileJob("Saving the session to " + name + "…",
                () -> {
                    SessionFile.write(file, new SessionFile.Session(f.config(), rows(f.points()), f.model(), f.step()));
                    return f;
                },
                saved -> {
                    status.set("Saved the session (step " + saved.step() + ", " + saved.pointCount() + " points) to "
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
        viewBox.set(ViewBox.of(dataset.get().defaultBox()));
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
        frame.set(f);
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
     * Per animation frame: asks the {@link SpectraService} for the spectra of the newest snapshot when they are
     * on screen (the Spectra tab or the glyphs), training has advanced {@link #spectraEveryProperty()} steps since
     * the last request, no computation is under way and the thread has rested {@link #SPECTRA_IDLE_FACTOR} times
     * the last computation's duration, then takes a finished result (if any) into {@link #spectraResultProperty()}
     * and the history. Never computes on the calling thread.
     *
     * @return the new result, or null if none arrived since the last call
     */
    public SpectraResult pollSpectra() {
        FrameData f = frame.get();
        if (f != null && f.state() == WorkerState.RUNNING && f.model() != null && f.pointCount() > 0
                && (spectraShown.get() || showGlyphs.get()) && !spectra.isBusy() && System.nanoTime() - spectraNotBefore >= 0
                && (spectraRequestedStep < 0 || f.step() < spectraRequestedStep
                || f.step() - spectraRequestedStep >= Math.max(1, spectraEvery.get()))) {
            requestSpectra(f);
        }
        SpectraResult r = spectra.take();
        if (r == null) {
            return null;
        }
        spectraNotBefore = System.nanoTime() + (long) (SPECTRA_IDLE_FACTOR * r.millis() * 1e6);
        if (r.ok()) {
            if (!spectraHistory.isEmpty() && r.step() < spectraHistory.get(spectraHistory.size() - 1).step()) {
                spectraHistory.clear(); // a reset: the old ladders belong to another run
            }
            spectraHistory.add(r);
            if (spectraHistory.size() > MAX_SPECTRA_HISTORY) {
                spectraHistory.remove(0);
            }
            spectraText.set(String.format(Locale.ROOT, "step %,d · %s · P = %,d · B = %d · %.1f decades · %d negative · %,d ms",
                    r.step(), r.method(), r.parameters(), r.batch(), r.span(), r.negatives(), r.millis()));
        } else {
            spectraText.set("spectra failed at step " + r.step() + ": " + r.error());
        }
        spectraResult.set(r);
        return r;
    }

    /** Computes the spectra of the newest snapshot now (in the background); a pending older request is dropped. */
    public void computeSpectraNow() {
        FrameData f = frame.get();
        if (f == null || f.model() == null || f.pointCount() == 0) {
            spectraText.set("no model or no data to analyse yet");
            return;
        }
        requestSpectra(f);
    }

    private void requestSpectra(FrameData f) {
        spectraRequestedStep = f.step();
        spectraText.set(String.format(Locale.ROOT, "computing spectra of step %,d …", f.step()));
        spectra.request(f, viewBox.get());
    }

    /** @return the ladder history, oldest first (FX thread only) */
    public java.util.List<SpectraResult> spectraHistory() {
        return java.util.Collections.unmodifiableList(spectraHistory);
    }

    /** @return the newest spectra result, or null before the first */
    public ReadOnlyObjectProperty<SpectraResult> spectraResultProperty() {
        return spectraResult.getReadOnlyProperty();
    }

    /** @return a one-line summary of the newest spectra (span, P, method, time) or the computation's state */
    public ReadOnlyStringProperty spectraTextProperty() {
        return spectraText.getReadOnlyProperty();
    }

    /** @return every how many training steps the spectra are recomputed while running */
    public IntegerProperty spectraEveryProperty() {
        return spectraEvery;
    }

    /**
     * Whether the spectra view is on screen (the controller binds it to the Spectra tab). Spectra are
     * recomputed while training only when they are shown here or as glyphs: on a two-core machine a hidden
     * ladder would take a quarter of a core from training and drawing. Showing it asks at once for the spectra
     * of the newest snapshot if the last ones are of an older step.
     *
     * @return the property
     */
    public BooleanProperty spectraShownProperty() {
        return spectraShown;
    }

    /** @return whether the local-Hessian glyphs are drawn over the field */
    public BooleanProperty showGlyphsProperty() {
        return showGlyphs;
    }

    /** @return the background spectra service (for tests and shutdown) */
    public SpectraService spectraService() {
        return spectra;
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

    /**
     * Builds the settings from the properties.
     *
     * @return the settings
     * @throws IllegalArgumentException naming the field whose value is out of range
     */
    public TrainingConfig buildConfig() {
        return new TrainingConfig(dataset.get(), samples.get(), dataNoise.get(), modelKind.get(), width.get(),
                depth.get(), activation.get(), couplings.get(), objective.get(), projections.get(), probe.get(),
                Math.pow(10, sigmaLog10.get()), Math.pow(10, sigmaMaxLog10.get()), sigmaLevels.get(),
                optimizer.get(), Math.pow(10, learningRateLog10.get()), momentum.get(), weightDecay.get(),
                batchSize.get(), schedule.get(), scheduleSteps.get(), clipNorm.get(), seed.get());
    }

    /** @return the last settings handed to the worker */
    public TrainingConfig appliedConfig() {
        return applied;
    }

    /** @return the worker (for tests and the frame-time harness) */
    TrainingWorker worker() {
        return worker;
    }

    // ================================================================ internals

    private void setAll(TrainingConfig c) {
        updating = true;
        try {
            dataset.set(c.dataset());
            samples.set(c.samples());
            dataNoise.set(c.effectiveDataNoise());
            modelKind.set(c.modelKind());
            width.set(c.width());
            depth.set(c.depth());
            activation.set(c.activation());
            couplings.set(c.couplings());
            objective.set(c.objective());
            projections.set(c.projections());
            probe.set(c.probe());
            sigmaLog10.set(Math.log10(c.sigma()));
            sigmaMaxLog10.set(Math.log10(c.sigmaMax()));
            sigmaLevels.set(c.sigmaLevels());
            optimizer.set(c.optimizer());
            learningRateLog10.set(Math.log10(c.learningRate()));
            momentum.set(c.momentum());
            weightDecay.set(c.weightDecay());
            batchSize.set(c.batchSize());
            schedule.set(c.schedule());
            scheduleSteps.set(c.steps());
            clipNorm.set(c.clipNorm());
            seed.set((int) c.seed());
        } finally {
            updating = false;
        }
    }

    private void settingsChanged() {
        if (updating) {
            return;
        }
        TrainingConfig next;
        try {
            next = buildConfig();
        } catch (IllegalArgumentException e) {
            configError.set(e.getMessage());
            status.set("Setting not applied: " + e.getMessage());
            return;
        }
        configError.set("");
        if (next.equals(applied)) {
            return;
        }
        if (applied.needsNewModel(next) && step.get() > 0) {
            String question = "Changing the model to " + describe(next) + " starts a new model from seed "
                    + next.seed() + ". The current model (step " + step.get() + ") will be discarded.";
            if (!confirmation.test(question)) {
                setAll(applied);
                status.set("Kept the current model");
                return;
            }
        }
        boolean newModel = applied.needsNewModel(next);
        applied = next;
        if (newModel) {
            running.set(false);
            status.set("New model: " + describe(next));
        }
        worker.setConfig(next);
    }

    private static String describe(TrainingConfig c) {
        return c.modelKind().id() + (c.modelKind() == ModelSpec.Kind.FLOW ? " " + c.couplings() + " couplings of" : "")
                + " " + c.width() + "×" + c.depth() + " " + c.activation().jsonName();
    }

    /**
     * The objective to use after switching to a model kind: a flow trains by maximum likelihood and a
     * noise-conditional model by multi-σ denoising; other kinds keep a score-matching objective
     * (leaving those two, which they cannot use, for the exact loss).
     *
     * @param kind    the new model kind
     * @param current the objective selected now
     * @return the objective to select
     */
    static TrainingConfig.ObjectiveKind naturalObjective(ModelSpec.Kind kind, TrainingConfig.ObjectiveKind current) {
        return switch (kind) {
            case FLOW -> TrainingConfig.ObjectiveKind.MAX_LIKELIHOOD;
            case NOISE_CONDITIONAL -> TrainingConfig.ObjectiveKind.DENOISING_MULTI;
            default -> current == TrainingConfig.ObjectiveKind.MAX_LIKELIHOOD
                    || current == TrainingConfig.ObjectiveKind.DENOISING_MULTI
                    ? TrainingConfig.ObjectiveKind.EXACT : current;
        };
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
        return configError.getReadOnlyProperty();
    }

    /** @return the datasets offered */
    public ObservableList<ToyDataset> datasets() {
        return datasets;
    }

    /** @return the selected dataset (changing it resets the noise to the dataset's default) */
    public ObjectProperty<ToyDataset> datasetProperty() {
        return dataset;
    }

    /** @return number of generated points */
    public IntegerProperty samplesProperty() {
        return samples;
    }

    /** @return the dataset's noise parameter */
    public DoubleProperty dataNoiseProperty() {
        return dataNoise;
    }

    /** @return the model kinds offered (every kind the model format knows) */
    public ObservableList<ModelSpec.Kind> modelKinds() {
        return modelKinds;
    }

    /** @return the selected model kind */
    public ObjectProperty<ModelSpec.Kind> modelKindProperty() {
        return modelKind;
    }

    /** @return hidden width */
    public IntegerProperty widthProperty() {
        return width;
    }

    /** @return number of hidden layers */
    public IntegerProperty depthProperty() {
        return depth;
    }

    /** @return the activations offered (smooth ones: score matching differentiates twice) */
    public ObservableList<Activation> activations() {
        return activations;
    }

    /** @return hidden activation */
    public ObjectProperty<Activation> activationProperty() {
        return activation;
    }

    /** @return flow: number of coupling layers */
    public IntegerProperty couplingsProperty() {
        return couplings;
    }

    /** @return multi-σ denoising and noise-conditional models: the largest σ, as log10 σ_max */
    public DoubleProperty sigmaMaxLog10Property() {
        return sigmaMaxLog10;
    }

    /** @return multi-σ denoising and noise-conditional models: the number of σ levels */
    public IntegerProperty sigmaLevelsProperty() {
        return sigmaLevels;
    }

    /** @return the objectives offered */
    public ObservableList<TrainingConfig.ObjectiveKind> objectives() {
        return objectives;
    }

    /** @return the selected objective */
    public ObjectProperty<TrainingConfig.ObjectiveKind> objectiveProperty() {
        return objective;
    }

    /** @return sliced score matching: projections per sample */
    public IntegerProperty projectionsProperty() {
        return projections;
    }

    /** @return sliced score matching: projection distribution */
    public ObjectProperty<Probe> probeProperty() {
        return probe;
    }

    /** @return denoising σ (multi-σ: the smallest σ) as log10 σ (the slider's scale) */
    public DoubleProperty sigmaLog10Property() {
        return sigmaLog10;
    }

    /** @return the optimizer */
    public ObjectProperty<TrainingConfig.OptimizerKind> optimizerProperty() {
        return optimizer;
    }

    /** @return the learning rate as log10 lr (the slider's scale) */
    public DoubleProperty learningRateLog10Property() {
        return learningRateLog10;
    }

    /** @return SGD momentum */
    public DoubleProperty momentumProperty() {
        return momentum;
    }

    /** @return weight decay */
    public DoubleProperty weightDecayProperty() {
        return weightDecay;
    }

    /** @return minibatch size */
    public IntegerProperty batchSizeProperty() {
        return batchSize;
    }

    /** @return learning-rate schedule */
    public ObjectProperty<TrainingConfig.Schedule> scheduleProperty() {
        return schedule;
    }

    /** @return schedule length in steps (cosine) */
    public IntegerProperty scheduleStepsProperty() {
        return scheduleSteps;
    }

    /** @return global gradient-norm clip, 0 for none */
    public DoubleProperty clipNormProperty() {
        return clipNorm;
    }

    /** @return random seed of data, initialization and batches */
    public IntegerProperty seedProperty() {
        return seed;
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

    /** @return the status-bar metrics: step, loss, Fisher, speed, worker state */
    public ReadOnlyStringProperty metricsTextProperty() {
        return metricsText.getReadOnlyProperty();
    }

    /** @return the learning rate as text, e.g. "1.0e-3" */
    public StringBinding learningRateText() {
        return Bindings.createStringBinding(() -> Fmt.sci(Math.pow(10, learningRateLog10.get())), learningRateLog10);
    }

    /** @return σ as text */
    public StringBinding sigmaText() {
        return Bindings.createStringBinding(() -> Fmt.sci(Math.pow(10, sigmaLog10.get())), sigmaLog10);
    }

    /** @return the Langevin step size as text */
    public StringBinding langevinStepText() {
        return Bindings.createStringBinding(() -> Fmt.sci(Math.pow(10, langevinStepLog10.get())), langevinStepLog10);
    }
}
