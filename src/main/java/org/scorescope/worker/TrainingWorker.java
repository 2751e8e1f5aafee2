package org.scorescope.worker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.scorescope.data.GaussianMixture;
import org.scorescope.field.FieldRequest;
import org.scorescope.field.SamplerSettings;
import org.scorescope.model.ModelState;
import org.scorescope.model.ScoreModel;
import org.scorescope.threads.BackgroundPriority;
import org.scorescope.threads.Mailbox;
import org.scorescope.train.HeldOutQuality;
import org.scorescope.train.HeldOutSplit;
import org.scorescope.train.SessionFile;
import org.scorescope.train.Trainer;
import org.scorescope.train.TrainingConfig;
import org.scorescope.train.TrainingSnapshot;

/**
 * The one background thread that owns all numerical work of the desktop app: the {@link Trainer},
 * the data, the field computations and the Langevin samples. Other threads talk to it only through
 * thread-safe hand-offs and never touch its arrays:
 * <ul>
 * <li>settings: the newest {@link TrainingConfig} through a {@link Mailbox}, applied at a step
 * boundary (live when the architecture and data are unchanged, new data with the model kept, or a
 * fresh model when the architecture changed);</li>
 * <li>commands (play, pause, step, reset, data edits, model loads) through a concurrent queue, run
 * between steps, so pause and reset act within one step;</li>
 * <li>the view ({@link FieldRequest}), the sampler settings and the hover point through mailboxes
 * (only the newest matters), held by the parts that use them: {@link ViewFields}, {@link LangevinParticles}
 * and {@link HoverInspector};</li>
 * <li>out: an immutable {@link FrameData} in a mailbox, replaced about every 16 ms of work.
 * The fields are recomputed when the view changes and, while training, at most about a fifth of the
 * worker's time goes to them (the Langevin samples likewise).</li>
 * </ul>
 * The thread is a daemon and stops promptly on {@link #close()}.
 */
public final class TrainingWorker implements AutoCloseable {
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(12);
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    // ---- hand-offs (any thread)
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final Mailbox<TrainingConfig> pendingConfig = new Mailbox<>();
    private final FrameOutbox outbox = new FrameOutbox();
    private volatile boolean closed;
    private final Thread thread;

    // ---- worker-thread state
    private TrainingConfig config;
    private Trainer trainer;
    private ModelState model;
    private final RunData data = new RunData();
    private boolean running;
    private int singleSteps;
    private WorkerState state = WorkerState.IDLE;
    private String message = "";
    private int divergences;
    /** The run state a trainer built on new data or a loaded session continues from. */
    private Trainer.Checkpoint carried;
    private TrainingSnapshot snap;
    private long modelVersion;
    private boolean dirty = true;

    private final LangevinParticles samples = new LangevinParticles(LangevinParticles.scoreOf(() -> model));
    private final HoverInspector inspector = new HoverInspector();
    private final RunHistory history = new RunHistory();
    private final ViewFields viewFields = new ViewFields(this::wake);
    private final StepPacer pace = new StepPacer();

    /**
     * Starts the worker thread; it builds the data and the first model from {@code initial} on its
     * own thread and publishes the first frame.
     *
     * @param initial the first settings
     * @param sampler the first sampler settings
     */
    public TrainingWorker(TrainingConfig initial, SamplerSettings sampler) {
        pendingConfig.post(initial);
        samples.post(sampler);
        thread = BackgroundPriority.daemon("scorescope-trainer", this::run);
        thread.start();
    }

    // ================================================================ API, any thread

    /**
     * Hands over new settings; the worker applies the newest at its next step boundary: live if only
     * live settings changed, new data with the current model kept if the data settings changed, a
     * fresh model (and a paused run) if the architecture changed.
     *
     * @param next the settings
     */
    public void setConfig(TrainingConfig next) {
        pendingConfig.post(next);
        wake();
    }

    /** Starts (or resumes) training; after a divergence, resumes from the last finite parameters. */
    public void play() {
        post(() -> {
            if (trainer == null) {
                return;
            }
            if (trainer.diverged()) {
                trainer.resumeAfterDivergence();
            }
            running = true;
            pace.start(System.nanoTime());
            state = WorkerState.RUNNING;
            message = "";
        });
    }

    /**
     * Makes the run's best model (by held-out quality) the current one and pauses; see
     * {@link Trainer#restoreBest()}. Does nothing when there is none.
     */
    public void restoreBest() {
        post(() -> {
            if (trainer == null) {
                return;
            }
            stopRunning();
            if (trainer.restoreBest()) {
                snap = trainer.snapshot();
                model = snap.model();
                modelVersion++;
                history.sync(snap);
                message = snap.message();
                samples.respawn();
                dirty = true;
            }
        });
    }

    /** Stops training after the current step. */
    public void pause() {
        post(this::stopRunning);
    }

    /** Takes exactly one step (pausing first if running). */
    public void step() {
        post(() -> {
            if (trainer == null) {
                return;
            }
            stopRunning();
            if (trainer.diverged()) {
                trainer.resumeAfterDivergence();
            }
            singleSteps++;
        });
    }

    /** A fresh model from the current settings' seed, step 0, paused; the data stay. */
    public void reset() {
        post(() -> {
            stopRunning();
            freshModel();
        });
    }

    /** Replaces the data by points drawn or imported by the user (no true density), keeping the model. */
    public void setPoints(double[][] newPoints) {
        setPoints(Points.copyOf(newPoints));
    }

    /**
     * Replaces the data by checked points taken over without another copy (see {@link Points#adopt}), keeping
     * the model.
     *
     * @param newPoints the points; the worker owns their arrays from now on
     */
    public void setPoints(Points newPoints) {
        post(() -> replaceData(newPoints.rows, null, true));
    }

    /**
     * Appends points (interleaved x, y) to the data, which become user data, keeping the model.
     *
     * @param xy interleaved coordinates
     */
    public void addPoints(double[] xy) {
        double[] copy = xy.clone();
        post(() -> replaceData(data.appended(copy), null, true));
    }

    /** Draws the data again from the generator of the current settings, keeping the model. */
    public void regenerate() {
        post(() -> {
            regenerateData();
            keepModelOnNewData();
        });
    }

    /**
     * Replaces model and settings (e.g. from a model file), paused at step 0 on the current data.
     *
     * @param loaded   the model
     * @param settings settings describing it (its architecture fields should match the model)
     */
    public void loadModel(ModelState loaded, TrainingConfig settings) {
        post(() -> {
            replaceSettings(settings);
            adoptModel(loaded);
            state(WorkerState.IDLE);
            message = "";
        });
    }

    /**
     * Replaces everything by a saved session: settings, data (generated data when they equal the
     * generator's output for the settings, so the true density comes back; user data otherwise), the
     * model (or a fresh one from the seed) and its run state, so that training continues exactly as
     * if it had never stopped; paused, with the session's metric history.
     *
     * @param session the session
     * @param points  the session's points (checked, see {@link Points#adopt}); the worker owns their arrays
     *                from now on
     */
    public void loadSession(SessionFile.Session session, Points points) {
        double[][] copy = points.rows;
        post(() -> {
            replaceSettings(session.config());
            data.open(session.config(), copy);
            dataChanged();
            if (session.model() == null) {
                freshModel();
            } else {
                clearHistory();
                carried = session.run() != null ? session.run() : Trainer.Checkpoint.fresh(config, session.step());
                model = session.model();
                buildTrainer(model);
                state(currentStep() == 0 ? WorkerState.IDLE : WorkerState.PAUSED);
            }
            message = "";
        });
    }

    /**
     * The whole state at the next step boundary, as a session: settings, data, model and run state.
     *
     * @return completes on the worker thread
     */
    public CompletableFuture<SessionFile.Session> session() {
        CompletableFuture<SessionFile.Session> f = new CompletableFuture<>();
        post(() -> {
            double[][] rows = new double[data.rows().length][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = data.rows()[i].clone();
            }
            f.complete(trainer != null ? SessionFile.Session.of(trainer, rows)
                    : new SessionFile.Session(config, rows, model, currentStep(), carried));
        });
        return f;
    }

    /** @param request the view to compute fields for (the newest wins) */
    public void setView(FieldRequest request) {
        viewFields.post(request);
        wake();
    }

    /** @param settings new sampler settings (the newest wins) */
    public void setSampler(SamplerSettings settings) {
        samples.post(settings);
        wake();
    }

    /** Spawns the Langevin particles afresh, uniformly over the data's bounding box. */
    public void respawnSamples() {
        post(() -> {
            samples.respawn();
            samples.settle();
        });
    }

    /**
     * Asks for the inspector at a point; the result arrives in a later frame.
     *
     * @param x world x
     * @param y world y
     */
    public void hover(double x, double y) {
        inspector.point(x, y);
        wake();
    }

    /** Clears the inspector. */
    public void clearHover() {
        inspector.clear();
        wake();
    }

    /** @param perSecond training speed cap in steps per second; +∞ for as fast as possible */
    public void setMaxStepsPerSecond(double perSecond) {
        pace.setMax(perSecond);
        wake();
    }

    /** @return the newest frame, or null if none was published since the last call (at most once per frame) */
    public FrameData take() {
        return outbox.take();
    }

    /** Stops the thread after its current step; does not wait. */
    @Override
    public void close() {
        closed = true;
        viewFields.close();
        LockSupport.unpark(thread);
    }

    /**
     * Waits for the thread to end (never call this on the FX thread).
     *
     * @param millis longest wait
     * @return true if the thread has ended
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitTermination(long millis) throws InterruptedException {
        thread.join(millis);
        return !thread.isAlive();
    }

    /** @return whether the worker thread is still alive */
    public boolean isAlive() {
        return thread.isAlive();
    }

    private void post(Runnable command) {
        commands.add(command);
        wake();
    }

    private void wake() {
        LockSupport.unpark(thread);
    }

    // ================================================================ worker thread

    private void run() {
        while (!closed) {
            try {
                iterate();
            } catch (RuntimeException | StackOverflowError e) {
                running = false;
                singleSteps = 0;
                state = WorkerState.ERROR;
                message = "Internal error: " + e + ". Training stopped; reset or change the settings to continue.";
                dirty = true;
                publish(System.nanoTime());
            }
        }
    }

    private void iterate() {
        TrainingConfig next = pendingConfig.take();
        if (next != null) {
            applyConfig(next);
        }
        for (Runnable c; (c = commands.poll()) != null; ) {
            c.run();
            dirty = true;
        }
        // Non-short-circuit: each part takes its pending value.
        dirty |= samples.applyPending() | viewFields.applyPending() | inspector.applyPending();
        if (running) {
            outbox.yieldToLaggingView(() -> closed || !commands.isEmpty());
        }
        boolean busy = train();
        boolean changed = sample();
        changed |= viewFields.update(model, modelVersion, currentStep(), data, running);
        changed |= inspector.update(model, modelVersion, viewFields.field(), data.shownTruth());
        busy |= changed;
        dirty |= changed;
        long now = System.nanoTime();
        if (dirty && outbox.due(now, running)) {
            publish(now);
        }
        if (!busy && commands.isEmpty() && pendingConfig.isEmpty() && !viewFields.hasPending()
                && !inspector.hasPending() && !samples.hasPending() && !closed) {
            long wait = IDLE_PARK_NANOS;
            if (dirty) {
                wait = Math.min(wait, outbox.untilDue(now));
            }
            if (running && pace.capped()) {
                wait = Math.min(wait, Math.max(0, pace.nextAt() - now));
            }
            if (samples.active(running, model != null)) {
                wait = Math.min(wait, Math.max(0, samples.nextAt() - now));
            }
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
            }
        }
    }

    private void applyConfig(TrainingConfig next) {
        if (config == null) {
            config = next;
            regenerateData();
            freshModel();
            return;
        }
        TrainingConfig prev = config;
        boolean onlySeedChanged = prev.data().equals(next.data());
        boolean newData = prev.needsNewData(next) && !(data.custom() && onlySeedChanged);
        config = next;
        if (prev.needsNewModel(next)) {
            stopRunning();
            if (newData) {
                regenerateData();
            }
            freshModel();
        } else if (newData) {
            regenerateData();
            keepModelOnNewData();
        } else if (trainer != null) {
            boolean wasDiverged = trainer.diverged();
            trainer.setConfig(next);
            if (wasDiverged && !trainer.diverged()) {
                state(WorkerState.PAUSED);
                message = "";
            }
        }
        dirty = true;
    }

    private void regenerateData() {
        data.generate(config);
        dataChanged();
    }

    private void replaceData(double[][] next, GaussianMixture nextTruth, boolean isCustom) {
        data.replace(next, nextTruth, isCustom);
        dataChanged();
        keepModelOnNewData();
    }

    private void dataChanged() {
        samples.respawn();
        dirty = true;
    }

    /**
     * New data, same model: a new trainer from the current θ that continues the step count, the
     * schedule and the optimizer's moments; the metric history starts afresh, since losses and
     * Fisher divergences measured on the old data no longer apply.
     */
    private void keepModelOnNewData() {
        if (trainer != null) {
            carried = trainer.checkpoint().withoutHistory();
        } else if (carried != null) {
            carried = carried.withoutHistory();
        }
        clearHistory();
        boolean wasRunning = running;
        buildTrainer(model);
        if (trainer == null) {
            running = false;
            singleSteps = 0;
        } else if (wasRunning) {
            running = true;
            state(WorkerState.RUNNING);
        } else if (state == WorkerState.NO_DATA || state == WorkerState.DIVERGED) {
            // A new trainer starts from the last finite parameters: a divergence is behind us.
            state(currentStep() == 0 ? WorkerState.IDLE : WorkerState.PAUSED);
            message = "";
        }
    }

    /** A fresh model from the settings' seed; step 0; histories cleared. */
    private void freshModel() {
        clearHistory();
        carried = null;
        ScoreModel arch = config.buildModel(data.rows());
        model = new ModelState(arch, arch.initialParameters(config.run().seed(), data.rows()));
        buildTrainer(null);
        state(WorkerState.IDLE);
        message = "";
        samples.respawn();
    }

    /** Settings that replace the current ones outright (a loaded model or session): paused, nothing pending. */
    private void replaceSettings(TrainingConfig settings) {
        stopRunning();
        pendingConfig.clear();
        config = settings;
    }

    /** A loaded model replaces the current one: step 0, histories cleared, a new trainer from its θ. */
    private void adoptModel(ModelState loaded) {
        clearHistory();
        carried = null;
        model = loaded;
        buildTrainer(loaded);
    }

    private void clearHistory() {
        history.clear();
        snap = null;
    }

    private void buildTrainer(ModelState initial) {
        if (data.isEmpty()) {
            trainer = null;
            snap = null;
            state(WorkerState.NO_DATA);
        } else {
            // Generated data are judged on fresh points from their generator; the user's on a seeded tenth of them.
            double[][][] parts = data.custom() ? HeldOutSplit.split(data.rows(), config.run().seed())
                    : new double[][][] {data.rows(), Trainer.heldOut(config)};
            trainer = new Trainer(config, parts[0], data.truth(), initial, carried);
            trainer.holdOut(parts[1]);
            snap = trainer.snapshot();
            history.sync(snap); // a continued run brings its history
            model = snap.model();
        }
        modelVersion++;
        dirty = true;
    }

    private void state(WorkerState s) {
        state = data.isEmpty() ? WorkerState.NO_DATA : s;
    }

    private void stopRunning() {
        running = false;
        singleSteps = 0;
        if (trainer != null) {
            trainer.pause();
        }
        if (state == WorkerState.RUNNING) {
            state(WorkerState.PAUSED);
        }
        samples.settle();
        pace.stop();
        dirty = true;
    }

    /** A slice of about 12 ms of steps (or one single step). */
    private boolean train() {
        if (trainer == null || (!running && singleSteps == 0)) {
            return false;
        }
        long start = System.nanoTime();
        long end = start + SLICE_NANOS;
        long interval = pace.interval();
        int taken = 0;
        while (true) {
            long now = System.nanoTime();
            if (interval > 0 && running && singleSteps == 0 && now < pace.nextAt()) {
                break;
            }
            if (!trainer.step()) {
                running = false;
                singleSteps = 0;
                divergences++;
                state = WorkerState.DIVERGED;
                message = trainer.snapshot().message();
                samples.stop();
                break;
            }
            taken++;
            if (interval > 0) {
                pace.stepped(now, interval);
            }
            if (running && trainer.stepCount() == config.run().steps()) {
                // The plan's end: the cosine schedule has decayed; going on is the user's choice.
                running = false;
                state(WorkerState.PAUSED);
                samples.settle();
                message = "Finished the planned " + config.run().steps() + " steps"
                        + (config.optimizer().schedule() == TrainingConfig.Schedule.COSINE
                        ? " (the learning rate has decayed to 1%)" : "")
                        + ". Play goes on; raise Steps to plan a longer run.";
                break;
            }
            if (singleSteps > 0) {
                singleSteps--;
                if (!running) {
                    state(WorkerState.PAUSED);
                    samples.settle();
                    break;
                }
            }
            if (!commands.isEmpty() || !pendingConfig.isEmpty() || System.nanoTime() >= end) {
                break;
            }
        }
        pace.count(taken, System.nanoTime());
        if (taken > 0 || state == WorkerState.DIVERGED) {
            snap = trainer.snapshot();
            model = snap.model();
            modelVersion++;
            history.sync(snap);
            dirty = true;
        }
        return taken > 0 || state == WorkerState.DIVERGED;
    }

    /** Moves the Langevin samples when they are due. */
    private boolean sample() {
        boolean moved = samples.move(running, model != null,
                () -> LangevinParticles.box(data.flat(), config.data().dataset().defaultBox()));
        String why = samples.takeRespawnReason();
        if (why != null) {
            message = why;
        }
        return moved;
    }

    private FrameData.Quality quality() {
        if (trainer == null) {
            return FrameData.Quality.NONE;
        }
        HeldOutQuality.Best b = trainer.quality().best();
        String w = trainer.quality().warning();
        return new FrameData.Quality(trainer.quality().nll(), b == null ? -1 : b.step(),
                b == null ? "" : b.metric().label(), b == null ? Double.NaN : b.value(), w == null ? "" : w);
    }

    private long currentStep() {
        return trainer != null ? trainer.stepCount() : carried != null ? carried.step() : 0;
    }

    private void publish(long now) {
        history.decimate(now, running);
        TrainingSnapshot sn = snap;
        String drawError = viewFields.error();
        String text = drawError.isEmpty() ? message : message.isEmpty() ? drawError : message + " " + drawError;
        outbox.post(new FrameData(outbox.nextSerial(),
                new FrameData.Run(currentStep(), state, text, divergences, sn == null ? Double.NaN : sn.loss(),
                        sn == null ? Double.NaN : sn.fisher(), sn == null ? Double.NaN : sn.gradNorm(),
                        sn == null ? Double.NaN : sn.learningRate(), running ? pace.perSecond() : 0,
                        sn == null ? Double.NaN : sn.msPerStep()),
                new FrameData.Data(trainer != null ? trainer.config() : config, model, data.custom(), data.flat(),
                        data.version(), data.shownTruth() != null),
                new FrameData.Picture(samples.positions(), samples.steps(), viewFields.field(), inspector.info()),
                new FrameData.Charts(history.lossLine(), history.fisherLine(), history.steps(), history.losses(),
                        history.fishers(), history.nllLine(), quality(), history.nlls())), now);
        dirty = false;
    }
}
