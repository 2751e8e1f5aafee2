package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.scorescope.data.GaussianMixture;
import org.scorescope.model.DiffusionMlp;
import org.scorescope.model.Sde;

/**
 * Every sampler on data N(μ, diag(0.5², 1.5²)) whose marginals p_t are known exactly, so the score is exact and the
 * only errors are the sampler's (discretization, finite steps) and the Monte Carlo error of the moments. The samples
 * must have the moments of the target p_ε: means within 0.05 (about 5 standard errors for 20000 particles) and standard
 * deviations within 3%.
 */
class DiffusionSamplersTest {
    private static final double[] MU = {1.0, -0.5};
    private static final double[] SD = {0.5, 1.5};
    private static final GaussianMixture DATA = GaussianMixture.diagonal(new double[] {1}, new double[][] {MU},
            new double[][] {SD});
    private static final int N = 20_000;
    private static final double EPS = 1e-3;

    static Sde sde(Sde.Type type) {
        return type == Sde.Type.VE ? Sde.ve(0.01, 50) : new Sde(type, Sde.BETA_MIN, Sde.BETA_MAX);
    }

    /** The exact score of the marginal p_t. */
    static TimeScore exact(Sde sde) {
        return (xs, n, t, out) -> {
            GaussianMixture pt = DiffusionMlp.marginal(sde, DATA, t);
            pt.scoreBatch(java.util.Arrays.copyOf(xs, 2 * n), out);
        };
    }

    /** The exact score and divergence −Σ_d 1/var_d(t) of the marginal. */
    static TimeScore.WithDivergence exactWithDivergence(Sde sde) {
        TimeScore s = exact(sde);
        return (xs, n, t, out, div) -> {
            s.score(xs, n, t, out);
            GaussianMixture pt = DiffusionMlp.marginal(sde, DATA, t);
            double[] sd = pt.sigma(0);
            double d = -1 / (sd[0] * sd[0]) - 1 / (sd[1] * sd[1]);
            java.util.Arrays.fill(div, 0, n, d);
        };
    }

    static void assertMoments(String what, double[] xs, GaussianMixture target) {
        double[] m = new double[2];
        double[] v = new double[2];
        int n = xs.length / 2;
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < 2; d++) {
                m[d] += xs[2 * i + d] / n;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < 2; d++) {
                double c = xs[2 * i + d] - m[d];
                v[d] += c * c / (n - 1);
            }
        }
        double[] mu = target.mean(0);
        double[] sd = target.sigma(0);
        for (int d = 0; d < 2; d++) {
            assertEquals(mu[d], m[d], 0.05, what + ": mean[" + d + "]");
            assertEquals(1, Math.sqrt(v[d]) / sd[d], 0.03, what + ": std[" + d + "] " + Math.sqrt(v[d]) + " vs "
                    + sd[d]);
        }
    }

    @ParameterizedTest
    @EnumSource(Sde.Type.class)
    void reverseSdeSamplesTheMarginal(Sde.Type type) {
        Sde sde = sde(type);
        double[] xs = ReverseSdeSampler.priorSample(sde, N, 1);
        ReverseSdeSampler s = new ReverseSdeSampler(exact(sde), sde, xs, N, 1000, EPS, 2);
        s.run();
        assertEquals(1000, s.evaluations());
        assertMoments("reverse SDE " + type, s.positions(), DiffusionMlp.marginal(sde, DATA, EPS));
    }

    @ParameterizedTest
    @EnumSource(Sde.Type.class)
    void probabilityFlowSamplesTheMarginal(Sde.Type type) {
        Sde sde = sde(type);
        double[] xs = ReverseSdeSampler.priorSample(sde, N, 3);
        ProbabilityFlow.Result r = ProbabilityFlow.sample(exact(sde), sde, xs, N, EPS, 1e-5, 1e-5);
        assertTrue(r.evaluations() > 6 && r.evaluations() < 2000, "evaluations " + r.evaluations());
        assertMoments("PF-ODE " + type, r.values(), DiffusionMlp.marginal(sde, DATA, EPS));
    }

    @ParameterizedTest
    @EnumSource(Sde.Type.class)
    void predictorCorrectorSamplesTheMarginal(Sde.Type type) {
        Sde sde = sde(type);
        double[] xs = ReverseSdeSampler.priorSample(sde, N, 4);
        PredictorCorrectorSampler s = new PredictorCorrectorSampler(exact(sde), sde, xs, N, 500, 1, 0.05, EPS, 5);
        s.run();
        assertEquals(1000, s.evaluations());
        assertMoments("PC " + type, s.positions(), DiffusionMlp.marginal(sde, DATA, EPS));
    }

    @Test
    void langevinAtTheSmallestTimeSamplesTheMarginal() {
        Sde sde = sde(Sde.Type.VP);
        TimeScore ts = exact(sde);
        double[] xs = uniform(N, 4, 6);
        LangevinSampler s = new LangevinSampler((x, n, out) -> ts.score(x, n, EPS, out), xs, N, 0.01, 7);
        s.run(3000);
        assertMoments("Langevin", s.positions(), DiffusionMlp.marginal(sde, DATA, EPS));
    }

    @Test
    void annealedLangevinOverTheVeLadderSamplesTheMarginal() {
        // a ladder from σ_1 = 3 (the starting box's scale) down to σ_L = s(ε), 20 levels of 400 steps; α_i = ε·σ_i²/σ_L²
        // with ε = 5e-6 keeps the Langevin bias of the levels near the data's scale (α/(2 var)) below 1%
        Sde sde = Sde.ve(0.01, 3);
        TimeScore ts = exact(sde);
        double[] xs = uniform(N, 4, 8);
        double[] sigmas = org.scorescope.model.NoiseConditionalMlp.geometricSigmas(sde.std(1), sde.std(EPS), 20);
        AnnealedLangevinSampler s = new AnnealedLangevinSampler((x, n, sigma, out) -> ts.score(x, n,
                sde.timeOfStd(sigma), out), xs, N, sigmas, 400, 5e-6, 9);
        s.run();
        assertMoments("annealed Langevin", s.positions(), DiffusionMlp.marginal(sde, DATA, EPS));
    }

    @ParameterizedTest
    @EnumSource(Sde.Type.class)
    void probabilityFlowLikelihoodIsTheExactDensity(Sde.Type type) {
        // a wide VE prior: N(0, σ_max²I) differs from the true p_1 = N(μ, Σ + σ_max²I) by O(|μ|/σ_max) nats
        Sde sde = type == Sde.Type.VE ? Sde.ve(0.01, 1000) : sde(type);
        double[] pts = {1, -0.5, 0, 0, 1.8, 2.5, -0.3, -3, 2, 1};
        int n = pts.length / 2;
        ProbabilityFlow.Result r = ProbabilityFlow.logDensity(exactWithDivergence(sde), sde, pts, n, EPS, 1e-7, 1e-7,
                3);
        GaussianMixture pe = DiffusionMlp.marginal(sde, DATA, EPS);
        for (int i = 0; i < n; i++) {
            double exact = pe.logDensity(new double[] {pts[2 * i], pts[2 * i + 1]});
            // the remaining error is the prior's: p_1 is not exactly N(0, priorStd²I) (m(1) ≈ 0.0066 for VP)
            assertEquals(exact, r.values()[i], 0.02, type + " point " + i);
        }
    }

    @Test
    void timeOfStdInvertsStd() {
        for (Sde.Type type : Sde.Type.values()) {
            Sde sde = sde(type);
            for (double t : new double[] {0.001, 0.1, 0.5, 0.97}) {
                assertEquals(t, sde.timeOfStd(sde.std(t)), 1e-9, type + " t = " + t);
            }
        }
    }

    @Test
    void marginalVarianceFollowsTheForwardSde() {
        // d/dt var = 2 f var + g² for every t, the consistency the reverse SDE and PF-ODE rely on
        for (Sde.Type type : Sde.Type.values()) {
            Sde sde = sde(type);
            for (double t : new double[] {0.01, 0.3, 0.8}) {
                double h = 1e-6;
                double var0 = 0.25;
                java.util.function.DoubleUnaryOperator var = u -> {
                    double m = sde.mean(u);
                    double s = sde.std(u);
                    return m * m * var0 + s * s;
                };
                double lhs = (var.applyAsDouble(t + h) - var.applyAsDouble(t - h)) / (2 * h);
                double rhs = 2 * sde.drift(t) * var.applyAsDouble(t) + sde.diffusionSquared(t);
                assertEquals(rhs, lhs, 1e-5 * Math.max(1, Math.abs(rhs)), type + " t = " + t);
            }
        }
    }

    private static double[] uniform(int n, double r, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[2 * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (2 * rng.nextDouble() - 1) * r;
        }
        return x;
    }
}
