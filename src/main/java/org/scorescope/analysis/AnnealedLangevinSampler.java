package org.scorescope.analysis;

import java.util.SplittableRandom;
import org.scorescope.model.NoiseConditionalMlp;

/**
 * Annealed Langevin dynamics (Song &amp; Ermon 2019, Algorithm 1) over a {@link NoiseConditionalScore},
 * in place on a flat {@code n × 2} array. For noise levels {@code σ_1 > … > σ_L} and {@code T} steps per
 * level:
 * <pre>  α_i = ε·σ_i²/σ_L²,   x ← x + α_i·s(x, σ_i) + √(2α_i)·z,   z ~ N(0, I)</pre>
 * The default schedule is geometric, {@code σ_i = σ_1·(σ_L/σ_1)^((i−1)/(L−1))}.
 *
 * <p>{@link #step()} advances one Langevin step (so a UI can show the particles moving and the current
 * σ); {@link #run()} goes to the end. {@link #denoise()} applies the optional final Tweedie step
 * {@code x ← x + σ_L²·s(x, σ_L)}. Seeded and reproducible; not thread-safe (step from one background
 * thread, hand out copies via {@link #copyPositions}).
 */
public final class AnnealedLangevinSampler {
    private final NoiseConditionalScore score;
    private final double[] xs;
    private final int n;
    private final double[] sigmas;
    private final int stepsPerLevel;
    private final double eps;
    private final double[] s;
    private final SplittableRandom rng;
    private int level;
    private int stepInLevel;
    private long steps;

    /**
     * Sampler with a geometric schedule.
     *
     * @param score         the noise-conditional score model
     * @param xs            particle positions (interleaved, length {@code >= 2n}), updated in place; usually
     *                      drawn from a broad prior such as uniform noise
     * @param n             number of particles
     * @param sigmaMax      σ_1
     * @param sigmaMin      σ_L
     * @param levels        L
     * @param stepsPerLevel T, {@code >= 1}
     * @param eps           ε, the step size at the last level, finite, {@code > 0}
     * @param seed          random seed
     */
    public AnnealedLangevinSampler(NoiseConditionalScore score, double[] xs, int n, double sigmaMax, double sigmaMin,
                                   int levels, int stepsPerLevel, double eps, long seed) {
        this(score, xs, n, NoiseConditionalMlp.geometricSigmas(sigmaMax, sigmaMin, levels), stepsPerLevel, eps, seed);
    }

    /**
     * Sampler with an explicit schedule.
     *
     * @param score         the noise-conditional score model
     * @param xs            particle positions, updated in place
     * @param n             number of particles
     * @param sigmas        strictly decreasing positive noise levels (copied)
     * @param stepsPerLevel T, {@code >= 1}
     * @param eps           ε, finite, {@code > 0}
     * @param seed          random seed
     */
    public AnnealedLangevinSampler(NoiseConditionalScore score, double[] xs, int n, double[] sigmas, int stepsPerLevel,
                                   double eps, long seed) {
        if (score == null) {
            throw new IllegalArgumentException("AnnealedLangevinSampler: score must not be null");
        }
        LangevinSampler.checkParticles("AnnealedLangevinSampler", xs, n);
        if (sigmas == null || sigmas.length == 0) {
            throw new IllegalArgumentException("AnnealedLangevinSampler: sigmas must hold at least one level");
        }
        for (int i = 0; i < sigmas.length; i++) {
            if (!(sigmas[i] > 0) || !Double.isFinite(sigmas[i]) || (i > 0 && !(sigmas[i] < sigmas[i - 1]))) {
                throw new IllegalArgumentException("AnnealedLangevinSampler: sigmas must be finite, positive and strictly "
                        + "decreasing; sigmas[" + i + "] = " + sigmas[i]);
            }
        }
        if (stepsPerLevel < 1) {
            throw new IllegalArgumentException("AnnealedLangevinSampler: stepsPerLevel must be >= 1, got " + stepsPerLevel);
        }
        if (!(eps > 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("AnnealedLangevinSampler: eps must be finite and > 0, got " + eps);
        }
        this.score = score;
        this.xs = xs;
        this.n = n;
        this.sigmas = sigmas.clone();
        this.stepsPerLevel = stepsPerLevel;
        this.eps = eps;
        this.s = new double[2 * n];
        this.rng = new SplittableRandom(seed);
    }

    /**
     * @param i level index {@code 0 <= i < L}
     * @return {@code α_i = ε·σ_i²/σ_L²}
     */
    public double stepSize(int i) {
        double r = sigmas[i] / sigmas[sigmas.length - 1];
        return eps * r * r;
    }

    /**
     * One Langevin step at the current level; moves to the next level after {@code T} steps.
     *
     * @return {@code false} (and does nothing) if the schedule is already finished
     */
    public boolean step() {
        if (isDone()) {
            return false;
        }
        double sigma = sigmas[level];
        double alpha = stepSize(level);
        double noise = Math.sqrt(2 * alpha);
        score.score(xs, n, sigma, s);
        LangevinSampler.checkScores("AnnealedLangevinSampler", s, n, steps);
        for (int k = 0, m = 2 * n; k < m; k++) {
            xs[k] += alpha * s[k] + noise * rng.nextGaussian();
        }
        steps++;
        if (++stepInLevel == stepsPerLevel) {
            stepInLevel = 0;
            level++;
        }
        return true;
    }

    /** Runs the remaining schedule to the end. */
    public void run() {
        while (step()) {
            // each call advances one step
        }
    }

    /**
     * Tweedie denoising at the smallest level, {@code x ← x + σ_L²·s(x, σ_L)}: the posterior mean of the
     * clean sample given a sample of the σ_L-perturbed density (removes the residual σ_L noise).
     */
    public void denoise() {
        double sl = sigmas[sigmas.length - 1];
        score.score(xs, n, sl, s);
        LangevinSampler.checkScores("AnnealedLangevinSampler.denoise", s, n, steps);
        for (int k = 0, m = 2 * n; k < m; k++) {
            xs[k] += sl * sl * s[k];
        }
    }

    /** @return whether all {@code L·T} steps have been taken. */
    public boolean isDone() {
        return level >= sigmas.length;
    }

    /** @return the current level index (equals L when done). */
    public int level() {
        return level;
    }

    /** @return the σ of the current level (σ_L when done). */
    public double sigma() {
        return sigmas[Math.min(level, sigmas.length - 1)];
    }

    /** @return a copy of the schedule σ_1 … σ_L. */
    public double[] sigmas() {
        return sigmas.clone();
    }

    /** @return steps taken so far. */
    public long stepsTaken() {
        return steps;
    }

    /** @return {@code L·T}. */
    public long totalSteps() {
        return (long) sigmas.length * stepsPerLevel;
    }

    /** @return the live position array (the one passed in). */
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
            throw new IllegalArgumentException("AnnealedLangevinSampler.copyPositions: out needs length >= " + 2 * n);
        }
        System.arraycopy(xs, 0, out, 0, 2 * n);
    }
}
