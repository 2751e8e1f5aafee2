package org.scorescope.worker;

import org.scorescope.field.ViewBox;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.scorescope.analysis.BatchScore;
import org.scorescope.analysis.LangevinSampler;
import org.scorescope.field.FieldComputer;
import org.scorescope.field.SamplerSettings;
import org.scorescope.field.ViewBox;
import org.scorescope.model.ModelState;
import org.scorescope.threads.Mailbox;

/**
 * The Langevin samples of the training worker: particles moved by unadjusted Langevin steps on the current
 * model's score, a few steps at most every 16 ms (and, while training, at most a fifth of the worker's time),
 * spawned uniformly over the data's box and respawned when they escape far from it. They keep moving for a
 * while after training stops so they settle on the final model. Settings arrive from any thread through a
 * mailbox ({@link #post}); everything else runs on the worker thread.
 */
final class LangevinParticles {
    private static final long FRAME_NANOS = TimeUnit.MILLISECONDS.toNanos(16);
    /** Sampler frames to keep moving after training stops, so the samples settle on the final model. */
    private static final int SETTLE_FRAMES = 240;
    /** Particles farther than this many box sizes from the data are respawned. */
    private static final double ESCAPE_FACTOR = 20;

    private final Mailbox<SamplerSettings> pending = new Mailbox<>();
    private final BatchScore score;
    private final SplittableRandom rng = new SplittableRandom(12345);
    private SamplerSettings settings;
    private double[] particles;
    private LangevinSampler ula;
    private long steps;
    private int settleFrames;
    private long nextAt;
    private String respawnReason;

    /**
     * @param model the model to follow, read each time the score is evaluated
     * @return its score s(x) as a batch function
     */
    static BatchScore scoreOf(Supplier<ModelState> model) {
        return (xs, n, out) -> {
            ModelState m = model.get();
            System.arraycopy(FieldComputer.score(m.model(), m.thetaTensor(), xs, n), 0, out, 0, 2 * n);
        };
    }

    /** @param score the current model's score (read on the worker thread when the particles move) */
    LangevinParticles(BatchScore score) {
        this.score = score;
    }

    /** @param s new settings, applied at the worker's next iteration (the newest wins); any thread */
    void post(SamplerSettings s) {
        pending.post(s);
    }

    /** @return whether settings are waiting to be applied */
    boolean hasPending() {
        return !pending.isEmpty();
    }

    /** @return true if new settings were applied (a new frame is due) */
    boolean applyPending() {
        SamplerSettings s = pending.take();
        if (s == null) {
            return false;
        }
        boolean rebuild = settings == null || settings.stepSize() != s.stepSize() || settings.particles() != s.particles();
        if (settings == null || settings.particles() != s.particles()) {
            particles = null;
        }
        settings = s;
        if (rebuild) {
            ula = null;
        }
        settleFrames = SETTLE_FRAMES;
        return true;
    }

    /** Spawns afresh at the next move (new data, a fresh model, or asked for). */
    void respawn() {
        particles = null;
    }

    /** Keeps the particles moving for a while although training stopped, so they settle on the model. */
    void settle() {
        settleFrames = SETTLE_FRAMES;
    }

    /** Stops them at once (the model diverged: its score is not worth following). */
    void stop() {
        settleFrames = 0;
    }

    /**
     * @param running  whether training is running
     * @param hasModel whether there is a model to sample
     * @return whether the particles move now or soon
     */
    boolean active(boolean running, boolean hasModel) {
        return settings != null && settings.enabled() && hasModel && (running || settleFrames > 0);
    }

    /** @return when the particles are next due to move, System.nanoTime() */
    long nextAt() {
        return nextAt;
    }

    /**
     * Moves the particles a few steps if they are due.
     *
     * @param running  whether training is running
     * @param hasModel whether there is a model
     * @param dataBox  the data's box {x0, x1, y0, y1} for spawning and escapes, asked for only when they move
     * @return whether they moved
     */
    boolean move(boolean running, boolean hasModel, Supplier<double[]> dataBox) {
        if (!active(running, hasModel)) {
            return false;
        }
        long now = System.nanoTime();
        if (now < nextAt) {
            return false;
        }
        double[] box = dataBox.get();
        if (particles == null) {
            spawn(box);
        }
        if (ula == null) {
            ula = new LangevinSampler(score, particles, settings.particles(), settings.stepSize(), rng.nextLong());
        }
        try {
            ula.run(settings.stepsPerFrame());
            steps += settings.stepsPerFrame();
        } catch (IllegalStateException e) {
            respawnReason = "Langevin samples respawned: " + e.getMessage();
            spawn(box);
        }
        respawnEscaped(box);
        if (!running) {
            settleFrames--;
        }
        long cost = System.nanoTime() - now;
        nextAt = now + Math.max(FRAME_NANOS, running ? 5 * cost : cost);
        return true;
    }

    /** @return why the particles were last respawned, once, or null */
    String takeRespawnReason() {
        String r = respawnReason;
        respawnReason = null;
        return r;
    }

    /** @return a copy of the positions (interleaved x, y) when samples are shown, else an empty array */
    double[] positions() {
        return settings != null && settings.enabled() && particles != null ? particles.clone() : new double[0];
    }

    /** @return Langevin steps since the particles were last spawned */
    long steps() {
        return steps;
    }

    /** @return the points' bounding box padded by a tenth of its larger side (see {@link ViewBox#bounds}) */
    static double[] box(double[] flat, double[] fallback) {
        return ViewBox.bounds(flat, fallback);
    }

    private void spawn(double[] b) {
        int n = settings.particles();
        if (particles == null || particles.length != 2 * n) {
            particles = new double[2 * n];
        }
        for (int i = 0; i < n; i++) {
            particles[2 * i] = b[0] + rng.nextDouble() * (b[1] - b[0]);
            particles[2 * i + 1] = b[2] + rng.nextDouble() * (b[3] - b[2]);
        }
        steps = 0;
        ula = new LangevinSampler(score, particles, n, settings.stepSize(), rng.nextLong());
    }

    private void respawnEscaped(double[] b) {
        double cx = 0.5 * (b[0] + b[1]);
        double cy = 0.5 * (b[2] + b[3]);
        double limit = ESCAPE_FACTOR * Math.max(b[1] - b[0], b[3] - b[2]);
        for (int i = 0; i < particles.length; i += 2) {
            if (!(Math.abs(particles[i] - cx) <= limit && Math.abs(particles[i + 1] - cy) <= limit)) {
                particles[i] = b[0] + rng.nextDouble() * (b[1] - b[0]);
                particles[i + 1] = b[2] + rng.nextDouble() * (b[3] - b[2]);
            }
        }
    }
}
