package org.scorescope.worker;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.scorescope.analysis.ModeWeights;
import org.scorescope.analysis.SamplerStepper;
import org.scorescope.analysis.Samplers;
import org.scorescope.data.GaussianMixture;
import org.scorescope.field.ViewBox;
import org.scorescope.threads.BackgroundPriority;
import org.scorescope.threads.Mailbox;

/**
 * One animated sampler run, from noise to data, on its own background thread: a {@link SamplerStepper} on a model
 * snapshot, paced so that the run lasts about {@value #DURATION_MS} ms however many steps it has (never slower than
 * the computation), publishing an immutable {@link Frame} into a latest-value mailbox after every step at most every
 * {@value #FRAME_MS} ms: the particles, the trajectories of the first {@value #TRAILS} of them, the step and
 * network-evaluation counts, the sampler's time, and the weight the particles put on each mode of a known mixture
 * ({@link ModeWeights}). {@link #stop()} ends it at the next step. The FX thread only {@link #take}s frames.
 */
public final class SamplerRun implements AutoCloseable {
    /** About how long a run is drawn out for, so that its motion can be followed. */
    static final long DURATION_MS = 4000;
    /** Shortest time between two published frames. */
    static final long FRAME_MS = 30;
    /** The steps an adaptive run is paced for. */
    static final long ADAPTIVE_STEPS = 15;
    /** Particles whose trajectories are kept. */
    static final int TRAILS = 60;
    /** Most points per trajectory (older ones are thinned, keeping every other). */
    static final int TRAIL_POINTS = 256;

    /**
     * One picture of the run. Arrays are never written after publication.
     *
     * @param kind        the sampler
     * @param positions   the particles, interleaved
     * @param trails      per tracked particle its path so far, interleaved (x, y)
     * @param steps       steps taken
     * @param planned     steps of the whole run, −1 when adaptive
     * @param evaluations network evaluations (NFE) on the whole batch
     * @param time        the SDE time t, annealed Langevin's σ, or NaN (plain Langevin)
     * @param modeWeights the fraction of particles per mode of the mixture, or null without one
     * @param done        whether the run ended (finished, stopped or failed)
     * @param error       why it failed, or ""
     */
    public record Frame(Samplers.Kind kind, double[] positions, double[][] trails, long steps, long planned,
                        long evaluations, double time, double[] modeWeights, boolean done, String error) {
    }

    private final SamplerStepper stepper;
    private final GaussianMixture modes;
    private final Mailbox<Frame> out = new Mailbox<>();
    private final Runnable onFrame;
    private final long paceNanos;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile Frame last;

    // ---- run-thread state
    private final double[][] trails;
    private final int[] trailLength;

    /**
     * Starts the run at once.
     *
     * @param stepper the sampler at its start (owned by this run from now on)
     * @param modes   the mixture whose modes the readout counts, or null
     * @param paced   whether to draw the run out to about {@value #DURATION_MS} ms (false: as fast as it computes)
     * @param onFrame runs on the run's thread after each published frame (may be a no-op)
     */
    public SamplerRun(SamplerStepper stepper, GaussianMixture modes, boolean paced, Runnable onFrame) {
        this.stepper = stepper;
        this.modes = modes;
        this.onFrame = onFrame;
        // The probability flow adapts its steps: about 15 on the toy data at the default tolerances.
        long planned = stepper.plannedSteps() > 0 ? stepper.plannedSteps() : ADAPTIVE_STEPS;
        this.paceNanos = paced ? TimeUnit.MILLISECONDS.toNanos(DURATION_MS) / planned : 0;
        double[] p = stepper.positions();
        int tracked = Math.min(TRAILS, p.length / 2);
        this.trails = new double[tracked][2 * TRAIL_POINTS];
        this.trailLength = new int[tracked];
        record(p);
        publish(p, false, "");
        thread = BackgroundPriority.daemon("scorescope-sampler-" + stepper.kind().id(), this::run);
        thread.start();
    }

    /**
     * The Langevin samplers' starting points: uniform over the data's bounding box padded by a tenth of its larger
     * side ({@link ViewBox#bounds}), the dataset's default box without data.
     *
     * @param data       the data, interleaved
     * @param defaultBox the dataset's default box {xmin, xmax, ymin, ymax}
     * @param n          number of points
     * @param seed       seed
     * @return interleaved points (2n)
     */
    public static double[] uniformStart(double[] data, double[] defaultBox, int n, long seed) {
        double[] b = ViewBox.bounds(data, defaultBox);
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        double[] xs = new double[2 * n];
        for (int i = 0; i < n; i++) {
            xs[2 * i] = b[0] + r.nextDouble() * (b[1] - b[0]);
            xs[2 * i + 1] = b[2] + r.nextDouble() * (b[3] - b[2]);
        }
        return xs;
    }

    /** @return the newest frame not yet taken, or null */
    public Frame take() {
        return out.take();
    }

    /** @return the newest frame published (taken or not) */
    public Frame last() {
        return last;
    }

    /** Ends the run after the current step; the last frame says done. */
    public void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Waits for the run's thread to end (never on the FX thread).
     *
     * @param millis longest wait
     * @return whether it ended
     * @throws InterruptedException if interrupted
     */
    public boolean await(long millis) throws InterruptedException {
        thread.join(millis);
        return !thread.isAlive();
    }

    private void run() {
        long start = System.nanoTime();
        long lastPublished = start;
        String error = "";
        try {
            long k = 0;
            while (!stopped && stepper.step()) {
                k++;
                double[] p = stepper.positions();
                record(p);
                long now = System.nanoTime();
                if (now - lastPublished >= TimeUnit.MILLISECONDS.toNanos(FRAME_MS)) {
                    publish(p, false, "");
                    lastPublished = now;
                }
                long due = start + k * paceNanos;
                while (!stopped && (now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(this, due - now);
                }
            }
        } catch (IllegalStateException | IllegalArgumentException e) {
            error = e.getMessage();
        }
        publish(stepper.positions(), true, error);
    }

    private void record(double[] p) {
        for (int i = 0; i < trails.length; i++) {
            if (trailLength[i] == TRAIL_POINTS) {
                // Keep every other point: the path keeps its shape at half the resolution.
                for (int j = 0; j < TRAIL_POINTS / 2; j++) {
                    trails[i][2 * j] = trails[i][4 * j];
                    trails[i][2 * j + 1] = trails[i][4 * j + 1];
                }
                trailLength[i] = TRAIL_POINTS / 2;
            }
            trails[i][2 * trailLength[i]] = p[2 * i];
            trails[i][2 * trailLength[i] + 1] = p[2 * i + 1];
            trailLength[i]++;
        }
    }

    private void publish(double[] p, boolean done, String error) {
        double[][] t = new double[trails.length][];
        for (int i = 0; i < t.length; i++) {
            t[i] = Arrays.copyOf(trails[i], 2 * trailLength[i]);
        }
        double[] w = modes == null || p.length < 2 ? null : ModeWeights.of(modes, p, p.length / 2);
        Frame f = new Frame(stepper.kind(), p, t, stepper.steps(), stepper.plannedSteps(), stepper.evaluations(),
                stepper.time(), w, done, error == null ? "" : error);
        last = f;
        out.post(f);
        onFrame.run();
    }
}
