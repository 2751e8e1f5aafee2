package org.scorescope.analysis;

import java.util.SplittableRandom;

/**
 * Unadjusted Langevin algorithm (ULA) over a {@link BatchScore}, in place on a flat {@code n × 2} array:
 * <pre>  x ← x + ε·s(x) + √(2ε)·z,   z ~ N(0, I)</pre>
 * for every particle per {@link #step()}. Without a Metropolis correction the chain is biased: on
 * {@code N(μ, σ²I)} its stationary law is {@code N(μ, σ²/(1 − ε/(2σ²)) I)}, i.e. variance
 * {@code σ²(1 + ε/(2σ²) + O(ε²))}.
 *
 * <p>Seeded ({@link SplittableRandom}), so a run is reproducible given a deterministic score. Not
 * thread-safe: step it from one (background) thread and hand the UI a copy via {@link #copyPositions}.
 */
public final class LangevinSampler {
    private final BatchScore score;
    private final double[] xs;
    private final int n;
    private final double eps;
    private final double noise;
    private final double[] s;
    private final SplittableRandom rng;
    private long steps;

    /**
     * @param score    the score model
     * @param xs       particle positions (interleaved, length {@code >= 2n}); updated in place
     * @param n        number of particles, {@code >= 1}
     * @param stepSize ε, finite and {@code > 0}
     * @param seed     random seed
     */
    public LangevinSampler(BatchScore score, double[] xs, int n, double stepSize, long seed) {
        if (score == null) {
            throw new IllegalArgumentException("LangevinSampler: score must not be null");
        }
        checkParticles("LangevinSampler", xs, n);
        if (!(stepSize > 0) || !Double.isFinite(stepSize)) {
            throw new IllegalArgumentException("LangevinSampler: stepSize must be finite and > 0, got " + stepSize);
        }
        this.score = score;
        this.xs = xs;
        this.n = n;
        this.eps = stepSize;
        this.noise = Math.sqrt(2 * stepSize);
        this.s = new double[2 * n];
        this.rng = new SplittableRandom(seed);
    }

    /** One ULA step {@code x ← x + ε·s(x) + √(2ε)·z} for all particles. */
    public void step() {
        score.score(xs, n, s);
        checkScores("LangevinSampler", s, n, steps);
        for (int k = 0, m = 2 * n; k < m; k++) {
            xs[k] += eps * s[k] + noise * rng.nextGaussian();
        }
        steps++;
    }

    /**
     * Runs {@code count} steps.
     *
     * @param count number of steps, {@code >= 0}
     */
    public void run(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("LangevinSampler.run: count must be >= 0, got " + count);
        }
        for (int i = 0; i < count; i++) {
            step();
        }
    }

    /** @return the number of steps taken so far. */
    public long stepsTaken() {
        return steps;
    }

    /** @return the step size ε. */
    public double stepSize() {
        return eps;
    }

    /** @return the number of particles. */
    public int particles() {
        return n;
    }

    /** @return the live position array (the one passed in; changes on every step). */
    public double[] positions() {
        return xs;
    }

    /**
     * Copies the current positions.
     *
     * @param out destination, length {@code >= 2n}
     */
    public void copyPositions(double[] out) {
        if (out == null || out.length < 2 * n) {
            throw new IllegalArgumentException("LangevinSampler.copyPositions: out needs length >= " + 2 * n);
        }
        System.arraycopy(xs, 0, out, 0, 2 * n);
    }

    static void checkParticles(String who, double[] xs, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(who + ": particle count n must be >= 1, got " + n);
        }
        if (xs == null || xs.length < 2 * n) {
            throw new IllegalArgumentException(who + ": xs must hold 2n = " + 2 * n + " values, got "
                    + (xs == null ? "null" : xs.length));
        }
        for (int k = 0; k < 2 * n; k++) {
            if (!Double.isFinite(xs[k])) {
                throw new IllegalArgumentException(who + ": initial position of particle " + k / 2 + " is not finite ("
                        + xs[k] + ")");
            }
        }
    }

    /** A diverging model or step size shows up here rather than as silently NaN particles. */
    static void checkScores(String who, double[] s, int n, long step) {
        for (int k = 0; k < 2 * n; k++) {
            if (!Double.isFinite(s[k])) {
                throw new IllegalStateException(who + ": score of particle " + k / 2 + " is " + s[k] + " at step " + step
                        + " (model diverged or step size too large)");
            }
        }
    }
}
