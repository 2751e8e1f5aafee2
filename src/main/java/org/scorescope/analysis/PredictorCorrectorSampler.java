package org.scorescope.analysis;

import java.util.SplittableRandom;
import org.scorescope.model.Sde;

/**
 * Predictor–corrector sampling (Song et al. 2021, Algorithms 2–3): at each of N times t_i from 1 to ε, M Langevin
 * corrector steps on p_{t_i}, then one reverse-SDE Euler–Maruyama predictor step ({@link ReverseSdeSampler}). The
 * corrector's step size comes from a signal-to-noise ratio r:
 * <pre>  δ = 2α(r‖z‖/‖s‖)²,   x ← x + δ·s(x, t) + √(2δ)·z,</pre>
 * with ‖·‖ the mean over the particles of the per-particle norms and α = 1 − β(t)Δt for VP / sub-VP (the DDPM
 * α_i), 1 for VE. The last predictor step adds no noise. Two network evaluations per time with M = 1.
 * Seeded; not thread-safe; {@link #step()} does one time (correctors, then predictor).
 */
public final class PredictorCorrectorSampler {
    private final TimeScore score;
    private final Sde sde;
    private final double[] xs;
    private final int n;
    private final int steps;
    private final int correctorSteps;
    private final double snr;
    private final double eps;
    private final double[] s;
    private final SplittableRandom rng;
    private int done;
    private long evaluations;

    /**
     * @param score          the time score
     * @param sde            the forward SDE
     * @param xs             positions, updated in place
     * @param n              number of particles
     * @param steps          N ≥ 1
     * @param correctorSteps M ≥ 0
     * @param snr            r &gt; 0
     * @param eps            ε in (0, 1)
     * @param seed           random seed
     */
    public PredictorCorrectorSampler(TimeScore score, Sde sde, double[] xs, int n, int steps, int correctorSteps,
                                     double snr, double eps, long seed) {
        LangevinSampler.checkParticles("PredictorCorrectorSampler", xs, n);
        ReverseSdeSampler.check(steps, eps);
        if (correctorSteps < 0) {
            throw new IllegalArgumentException("corrector steps must be >= 0, got " + correctorSteps);
        }
        if (!(snr > 0) || !Double.isFinite(snr)) {
            throw new IllegalArgumentException("snr must be positive and finite, got " + snr);
        }
        this.score = score;
        this.sde = sde;
        this.xs = xs;
        this.n = n;
        this.steps = steps;
        this.correctorSteps = correctorSteps;
        this.snr = snr;
        this.eps = eps;
        this.s = new double[2 * n];
        this.rng = new SplittableRandom(seed);
    }

    /** @return the time of the next step */
    public double time() {
        return 1 - (1 - eps) * done / steps;
    }

    /** @return true when all N times are done */
    public boolean done() {
        return done >= steps;
    }

    /** @return network evaluations so far */
    public long evaluations() {
        return evaluations;
    }

    /**
     * The corrector steps and the predictor step of one time.
     *
     * @return false if already done
     */
    public boolean step() {
        if (done()) {
            return false;
        }
        double t = time();
        double dt = (1 - eps) / steps;
        double alpha = sde.type() == Sde.Type.VE ? 1 : Math.max(1e-3, 1 - sde.diffusionSquared(t) * dt);
        double[] z = new double[2 * n];
        for (int c = 0; c < correctorSteps; c++) {
            score.score(xs, n, t, s);
            evaluations++;
            double gradNorm = 0;
            double noiseNorm = 0;
            for (int i = 0; i < n; i++) {
                z[2 * i] = rng.nextGaussian();
                z[2 * i + 1] = rng.nextGaussian();
                gradNorm += Math.hypot(s[2 * i], s[2 * i + 1]);
                noiseNorm += Math.hypot(z[2 * i], z[2 * i + 1]);
            }
            if (!Double.isFinite(gradNorm)) {
                throw new IllegalStateException("the score is not finite (t = " + t + ")");
            }
            if (gradNorm == 0) {
                continue;
            }
            double ratio = snr * noiseNorm / gradNorm;
            double delta = 2 * alpha * ratio * ratio;
            double noise = Math.sqrt(2 * delta);
            for (int i = 0; i < 2 * n; i++) {
                xs[i] += delta * s[i] + noise * z[i];
            }
        }
        ReverseSdeSampler.reverseStep(score, sde, xs, n, t, dt, done == steps - 1, s, rng);
        evaluations++;
        done++;
        return true;
    }

    /** Runs the remaining steps. */
    public void run() {
        while (step()) {
            // one time at a time
        }
    }

    /** @return a copy of the positions */
    public double[] positions() {
        return java.util.Arrays.copyOf(xs, 2 * n);
    }
}
