package org.scorescope.analysis;

import java.util.SplittableRandom;
import org.scorescope.model.Sde;

/**
 * Euler–Maruyama on the reverse-time SDE of a forward {@link Sde} (Anderson 1982; Song et al. 2021, eq. 6),
 * dx = [f(t)x − g(t)²∇ₓ log p_t(x)] dt + g(t) dW̄, from t = 1 to ε over N equal steps Δt = (1 − ε)/N, in place on a
 * flat {@code n × 2} array:
 * <pre>  x ← x − [f(t)x − g(t)² s(x, t)]Δt + g(t)√Δt·z,   z ~ N(0, I),   t ← t − Δt.</pre>
 * The last step adds no noise (it returns the step's mean, as Song et al.'s samplers do), so the result is not blurred
 * by a final g(ε)√Δt. Starting points are usually {@link #priorSample drawn from the prior}. {@link #step()} advances
 * one step (a UI can animate and count network evaluations, one per step); {@link #run()} goes to the end. Seeded;
 * not thread-safe.
 */
public final class ReverseSdeSampler {
    private final TimeScore score;
    private final Sde sde;
    private final double[] xs;
    private final int n;
    private final int steps;
    private final double eps;
    private final double[] s;
    private final SplittableRandom rng;
    private int done;

    /**
     * @param score the time score
     * @param sde   the forward SDE
     * @param xs    positions (interleaved, length ≥ 2n), updated in place
     * @param n     number of particles
     * @param steps N ≥ 1
     * @param eps   ε in (0, 1), the final time
     * @param seed  random seed
     */
    public ReverseSdeSampler(TimeScore score, Sde sde, double[] xs, int n, int steps, double eps, long seed) {
        LangevinSampler.checkParticles("ReverseSdeSampler", xs, n);
        check(steps, eps);
        this.score = score;
        this.sde = sde;
        this.xs = xs;
        this.n = n;
        this.steps = steps;
        this.eps = eps;
        this.s = new double[2 * n];
        this.rng = new SplittableRandom(seed);
    }

    static void check(int steps, double eps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (!(eps > 0 && eps < 1)) {
            throw new IllegalArgumentException("eps must be in (0, 1), got " + eps);
        }
    }

    /**
     * Fills xs with n draws from the SDE's prior N(0, priorStd²·I).
     *
     * @param sde  the SDE
     * @param n    number of points
     * @param seed random seed
     * @return interleaved points (2n)
     */
    public static double[] priorSample(Sde sde, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[2 * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = sde.priorStd() * r.nextGaussian();
        }
        return x;
    }

    /** @return the time of the next step (ε when done) */
    public double time() {
        return 1 - (1 - eps) * done / steps;
    }

    /** @return true when all N steps have been taken */
    public boolean done() {
        return done >= steps;
    }

    /** @return network evaluations so far (one per step) */
    public long evaluations() {
        return done;
    }

    /**
     * One Euler–Maruyama step of the reverse SDE.
     *
     * @return false if already done
     * @throws IllegalStateException if a score is not finite
     */
    public boolean step() {
        if (done()) {
            return false;
        }
        double t = time();
        double dt = (1 - eps) / steps;
        boolean last = done == steps - 1;
        reverseStep(score, sde, xs, n, t, dt, last, s, rng);
        done++;
        return true;
    }

    /** One reverse-diffusion step at t of size dt (shared with the predictor–corrector sampler). */
    static void reverseStep(TimeScore score, Sde sde, double[] xs, int n, double t, double dt, boolean noiseless,
                            double[] s, SplittableRandom rng) {
        score.score(xs, n, t, s);
        double f = sde.drift(t);
        double g2 = sde.diffusionSquared(t);
        double noise = Math.sqrt(g2 * dt);
        for (int i = 0; i < 2 * n; i++) {
            if (!Double.isFinite(s[i])) {
                throw new IllegalStateException("the score is not finite at particle " + i / 2 + " (t = " + t + ")");
            }
            xs[i] += (g2 * s[i] - f * xs[i]) * dt + (noiseless ? 0 : noise * rng.nextGaussian());
        }
    }

    /** Runs the remaining steps. */
    public void run() {
        while (step()) {
            // one step at a time
        }
    }

    /** @return a copy of the positions */
    public double[] positions() {
        return java.util.Arrays.copyOf(xs, 2 * n);
    }
}
