package org.scorescope.app;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyBooleanProperty;
import org.scorescope.data.AtomicFiles;
import org.scorescope.data.PointsCsv;
import org.scorescope.model.ModelSpec;
import org.scorescope.model.ModelState;
import org.scorescope.train.Series;
import org.scorescope.train.SessionFile;
import org.scorescope.train.Setting;
import org.scorescope.train.Settings;
import org.scorescope.train.TrainingConfig;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.Points;

/**
 * The file commands' view-model: import and export points, models and metrics, open a model, open
 * and save sessions. Each runs on the file thread ({@link FileJobs}) on a snapshot and hands its
 * outcome back to the owner thread; {@link #busyProperty()} is true meanwhile, and an error leaves
 * the session, the data and the model as they were. Remembers the recent session files and
 * whether there is work not yet saved.
 */
public final class FilesViewModel {
    private final MainViewModel main;
    private final FileJobs jobs;
    private final UserPrefs prefs;
    private long savedStep;
    private long savedDataVersion = 1;
    private TrainingConfig savedConfig;

    /**
     * @param main the main view-model (status, settings, worker, frames)
     * @param owner runs a task on the owner thread
     * @param prefs where recent files are remembered
     */
    FilesViewModel(MainViewModel main, Executor owner, UserPrefs prefs) {
        this.main = main;
        this.jobs = new FileJobs(owner);
        this.prefs = prefs;
        this.savedConfig = main.settings().applied();
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
                () -> Points.adopt(PointsCsv.read(file, 2)),
                pts -> {
                    if (pts.size() == 0) {
                        return "Cannot import " + name + ": it holds no points. The data are unchanged.";
                    }
                    main.recordEdit();
                    main.worker().setPoints(pts);
                    main.status("Imported " + pts.size() + " points from " + name);
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
        FrameData f = main.frameProperty().get();
        if (f == null || f.pointCount() == 0) {
            return CompletableFuture.completedFuture(main.fail("There are no points to export."));
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
                    main.status("Wrote " + written + " points to " + name);
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
        FrameData f = main.frameProperty().get();
        if (f == null || f.model() == null) {
            return CompletableFuture.completedFuture(main.fail("There is no model to export yet."));
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
                    main.status("Wrote the model of step " + written + " to " + name);
                    return null;
                },
                e -> "Cannot write " + file + ": " + reason(e));
    }

    /**
     * Writes the training history of the newest frame as CSV on the file thread: {@code step,loss,fisher,nll} per
     * recorded step (fisher and nll empty between evaluations or when unknown; a long run's history is decimated,
     * see {@link org.scorescope.train.BoundedHistory}). The frame's {@link Series.View}s are immutable
     * prefixes, so they are the snapshot; training may go on meanwhile.
     *
     * @param file target (replaced atomically)
     * @return completes on the owner thread with null on success, the error message otherwise
     */
    public CompletableFuture<String> exportMetrics(Path file) {
        FrameData f = main.frameProperty().get();
        if (f == null || f.steps().length() == 0) {
            return CompletableFuture.completedFuture(main.fail("There are no metrics yet: train first."));
        }
        String name = String.valueOf(file.getFileName());
        Series.View s = f.steps();
        Series.View l = f.losses();
        Series.View fi = f.fishers();
        Series.View nl = f.nlls();
        return fileJob("Writing " + s.length() + " steps of metrics to " + name + "…",
                () -> {
                    AtomicFiles.write(file, w -> {
                        w.write("step,loss,fisher,nll\n");
                        StringBuilder sb = new StringBuilder(64);
                        for (int i = 0; i < s.length(); i++) {
                            sb.setLength(0);
                            sb.append((long) s.get(i)).append(',').append(l.get(i)).append(',');
                            if (!Double.isNaN(fi.get(i))) {
                                sb.append(fi.get(i));
                            }
                            sb.append(',');
                            if (i < nl.length() && !Double.isNaN(nl.get(i))) {
                                sb.append(nl.get(i));
                            }
                            sb.append('\n');
                            w.write(sb.toString());
                        }
                    });
                    return s.length();
                },
                written -> {
                    main.status("Wrote " + written + " steps of metrics to " + name);
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
            next = main.settings().applied().withAll(shape);
        } catch (IllegalArgumentException e) {
            return "Cannot use " + name + ": " + e.getMessage() + ". The model is unchanged.";
        }
        main.settings().accept(next);
        main.stopped();
        main.worker().loadModel(s.model(), next);
        main.status("Loaded " + s.model().toSpec() + " from " + name);
        return null;
    }

    /** A session read and checked on the file thread; points null when the session is not 2-D. */
    private record OpenedSession(Path file, SessionFile.Session session, Points points) {
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
                    return new OpenedSession(file, s, planar ? Points.adopt(s.points()) : null);
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
        main.settings().accept(s.config());
        main.stopped();
        main.worker().loadSession(s, o.points());
        main.view().resetView();
        prefs.addRecent(o.file());
        markSaved(s.step());
        main.status("Opened " + name + ": " + s.points().length + " points"
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
        if (main.frameProperty().get() == null) {
            return CompletableFuture.completedFuture(main.fail("Nothing to save yet."));
        }
        String name = String.valueOf(file.getFileName());
        // The worker hands over its whole state at a step boundary; training may go on while it is written.
        CompletableFuture<SessionFile.Session> state = main.worker().session();
        return fileJob("Saving the session to " + name + "…",
                () -> {
                    SessionFile.Session s = state.get(30, java.util.concurrent.TimeUnit.SECONDS);
                    SessionFile.write(file, s);
                    return s;
                },
                saved -> {
                    prefs.addRecent(file);
                    markSaved(saved.step());
                    main.status("Saved the session (step " + saved.step() + ", " + saved.points().length + " points) to "
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
            return CompletableFuture.completedFuture(main.fail("ScoreScope is shutting down: nothing was read or written."));
        }
        if (jobs.busyProperty().get()) {
            return CompletableFuture.completedFuture(main.fail("Busy: " + jobs.activity()
                    + " Try again when it has finished; nothing else was read or written."));
        }
        main.status(activity);
        return jobs.submit(activity, work, r -> {
            String error = onSuccess.apply(r);
            return error == null ? null : main.fail(error);
        }, e -> main.fail(onFailure.apply(e)));
    }

    /** @return the message of a failure, or its type when it has none (e.g. an OutOfMemoryError) */
    static String reason(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** @return interleaved (x, y) as n × 2 rows (file thread: allocates a row per point) */
    static double[][] rows(double[] xy) {
        double[][] pts = new double[xy.length / 2][];
        for (int i = 0; i < pts.length; i++) {
            pts[i] = new double[] {xy[2 * i], xy[2 * i + 1]};
        }
        return pts;
    }

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

    /** @return recently opened or saved sessions, newest first */
    public java.util.List<Path> recentFiles() {
        return prefs.recentFiles();
    }

    /**
     * @return true when closing would lose work: a model trained since the last save or open, or data
     *     or settings changed since then
     */
    public boolean hasUnsavedWork() {
        FrameData f = main.frameProperty().get();
        return f != null && f.step() > 0 && (f.step() != savedStep || f.dataVersion() != savedDataVersion
                || !main.settings().applied().equals(savedConfig));
    }

    private void markSaved(long step) {
        FrameData f = main.frameProperty().get();
        savedStep = step;
        savedDataVersion = f == null ? savedDataVersion : f.dataVersion();
        savedConfig = main.settings().applied();
    }

    /** Stops the file thread. */
    void close() {
        jobs.close();
    }
}
