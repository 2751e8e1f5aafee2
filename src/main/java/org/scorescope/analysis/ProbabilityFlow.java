package org.scorescope.analysis;

import java.util.Arrays;
import org.scorescope.model.Sde;

/**
 * The probability-flow ODE of a forward {@link Sde} (Song et al. 2021, eq. 13),
 * <pre>  dx/dt = v(x, t) = f(t)x − ½g(t)² s(x, t),</pre>
 * whose solutions carry p_1 to p_ε exactly when s is the true score: deterministic sampling (integrate from t = 1 to
 * ε, starting from prior draws) and an exact likelihood by the instantaneous change of variables (Chen et al. 2018),
 * <pre>  log p_ε(x(ε)) = log p_1(x(1)) + ∫_ε^1 ∇ₓ·v(x(t), t) dt,   ∇ₓ·v = D·f(t) − ½g(t)² ∇ₓ·s(x, t),</pre>
 * integrated from ε to 1 together with x. Both use the adaptive {@link DormandPrince} method on all points at once
 * (one step size for the batch, the error the RMS over every coordinate) and report the number of network
 * evaluations. With the exact 2 × 2 divergence the only errors are the ODE solver's (set by rtol, atol) and the
 * prior's (p_1 is taken to be the SDE's prior). Stateless.
 */
public final class ProbabilityFlow {
    private static final int D = 2;

    private ProbabilityFlow() {
    }

    /**
     * Samples, or the likelihood, with the solver's work.
     *
     * @param values      the samples (interleaved) or log p_ε per point
     * @param evaluations network evaluations (one per point batch and RK stage)
     * @param steps       accepted solver steps
     */
    public record Result(double[] values, long evaluations, long steps) {
    }

    /**
     * A stepper from t = 1 to ε for animation: {@link DormandPrince#step()} advances one accepted step, its state is
     * the interleaved positions.
     *
     * @param score the time score
     * @param sde   the SDE
     * @param start interleaved starting points (usually prior draws; copied)
     * @param n     number of points
     * @param eps   ε in (0, 1)
     * @param rtol  relative tolerance
     * @param atol  absolute tolerance
     * @return the integrator
     */
    public static DormandPrince sampler(TimeScore score, Sde sde, double[] start, int n, double eps, double rtol,
                                        double atol) {
        LangevinSampler.checkParticles("ProbabilityFlow", start, n);
        if (!(eps > 0 && eps < 1)) {
            throw new IllegalArgumentException("eps must be in (0, 1), got " + eps);
        }
        double[] s = new double[D * n];
        return new DormandPrince((t, y, dy) -> {
            score.score(y, n, t, s);
            double f = sde.drift(t);
            double g2 = sde.diffusionSquared(t);
            for (int i = 0; i < D * n; i++) {
                dy[i] = f * y[i] - 0.5 * g2 * s[i];
            }
        }, Arrays.copyOf(start, D * n), 1, eps, rtol, atol);
    }

    /**
     * Integrates the probability-flow ODE from t = 1 to ε.
     *
     * @param score the time score
     * @param sde   the SDE
     * @param start interleaved starting points (copied)
     * @param n     number of points
     * @param eps   ε
     * @param rtol  relative tolerance
     * @param atol  absolute tolerance
     * @return the samples and the work
     */
    public static Result sample(TimeScore score, Sde sde, double[] start, int n, double eps, double rtol, double atol) {
        DormandPrince dp = sampler(score, sde, start, n, eps, rtol, atol);
        dp.run();
        return new Result(dp.state().clone(), dp.evaluations(), dp.acceptedSteps());
    }

    /**
     * log p_ε(x) at each point by the probability-flow ODE from ε to 1 with the divergence the field gives (exact or
     * Hutchinson). Points are integrated in chunks of {@code chunk} (each chunk its own step sizes).
     *
     * @param field  the time score with its divergence
     * @param sde    the SDE
     * @param points interleaved points
     * @param n      number of points
     * @param eps    ε
     * @param rtol   relative tolerance
     * @param atol   absolute tolerance
     * @param chunk  points per integration, ≥ 1
     * @return log p_ε per point (nats) and the work summed over chunks
     */
    public static Result logDensity(TimeScore.WithDivergence field, Sde sde, double[] points, int n, double eps,
                                    double rtol, double atol, int chunk) {
        LangevinSampler.checkParticles("ProbabilityFlow", points, n);
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
        }
        double[] out = new double[n];
        long evals = 0;
        long steps = 0;
        for (int start = 0; start < n; start += chunk) {
            int m = Math.min(chunk, n - start);
            double[] y0 = new double[(D + 1) * m];
            System.arraycopy(points, D * start, y0, 0, D * m);
            double[] s = new double[D * m];
            double[] div = new double[m];
            double[] x = new double[D * m];
            // state: the m points, then the m running integrals of ∇·v
            DormandPrince dp = new DormandPrince((t, y, dy) -> {
                System.arraycopy(y, 0, x, 0, D * m);
                field.scoreAndDivergence(x, m, t, s, div);
                double f = sde.drift(t);
                double g2 = sde.diffusionSquared(t);
                for (int i = 0; i < D * m; i++) {
                    dy[i] = f * y[i] - 0.5 * g2 * s[i];
                }
                for (int j = 0; j < m; j++) {
                    dy[D * m + j] = D * f - 0.5 * g2 * div[j];
                }
            }, y0, eps, 1, rtol, atol);
            dp.run();
            double[] y = dp.state();
            for (int j = 0; j < m; j++) {
                out[start + j] = sde.priorLogDensity(y, j, D) + y[D * m + j];
            }
            evals += dp.evaluations();
            steps += dp.acceptedSteps();
        }
        return new Result(out, evals, steps);
    }
}
