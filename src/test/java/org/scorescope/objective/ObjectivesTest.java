package org.scorescope.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Probe;
import org.scorescope.autodiff.Tensor;
import org.scorescope.model.EnergyMlp;
import org.scorescope.model.ScoreMlp;
import org.scorescope.model.ScoreModel;

class ObjectivesTest {
    private static final Tensor X = Tensor.randn(11, 16, 2);
    private static final ScoreModel ENERGY = new EnergyMlp(2, 8, 2, Activation.SOFTPLUS);
    private static final ScoreModel SCORE = new ScoreMlp(2, 8, 2, Activation.TANH);

    /** Naive per-sample, per-dimension reference of the Jacobian of s at one point (central differences). */
    private static double[][] jacobianFd(ScoreModel m, Tensor theta, double[] x) {
        double h = 1e-5;
        double[][] j = new double[2][2];
        for (int d = 0; d < 2; d++) {
            double[] p = x.clone();
            double[] q = x.clone();
            p[d] += h;
            q[d] -= h;
            double[] sp = m.score(theta, Tensor.of(new double[][] {p})).toArray();
            double[] sq = m.score(theta, Tensor.of(new double[][] {q})).toArray();
            for (int i = 0; i < 2; i++) {
                j[i][d] = (sp[i] - sq[i]) / (2 * h);
            }
        }
        return j;
    }

    @Test
    void exactLossEqualsTheNaiveFormula() {
        for (ScoreModel m : new ScoreModel[] {ENERGY, SCORE}) {
            Tensor theta = m.parameters(m.initialParameters(2), false);
            double[][] xs = X.toArray2D();
            double[][] s = m.score(theta, X).toArray2D();
            double ref = 0;
            for (int b = 0; b < xs.length; b++) {
                double[][] j = jacobianFd(m, theta, xs[b]);
                ref += j[0][0] + j[1][1] + 0.5 * (s[b][0] * s[b][0] + s[b][1] * s[b][1]);
            }
            ref /= xs.length;
            assertEquals(ref, new ExactScoreMatching().loss(m, theta, X, null).item(), 1e-7);
        }
    }

    @Test
    void slicedLossEqualsPerProjectionLoop() {
        for (boolean vr : new boolean[] {false, true}) {
            ScoreModel m = ENERGY;
            Tensor theta = m.parameters(m.initialParameters(4), false);
            int n = 3;
            double got = new SlicedScoreMatching(n, Probe.GAUSSIAN, vr).loss(m, theta, X, new Random(7)).item();
            Tensor v = Tensor.randn(new Random(7), n, 16, 2);
            double[][] xs = X.toArray2D();
            double[][] s = m.score(theta, X).toArray2D();
            double ref = 0;
            for (int b = 0; b < xs.length; b++) {
                double[][] j = jacobianFd(m, theta, xs[b]);
                for (int k = 0; k < n; k++) {
                    double v0 = v.get(k, b, 0);
                    double v1 = v.get(k, b, 1);
                    double vjv = v0 * (j[0][0] * v0 + j[0][1] * v1) + v1 * (j[1][0] * v0 + j[1][1] * v1);
                    double vs = v0 * s[b][0] + v1 * s[b][1];
                    double second = vr ? s[b][0] * s[b][0] + s[b][1] * s[b][1] : vs * vs;
                    ref += vjv + 0.5 * second;
                }
            }
            ref /= xs.length * n;
            assertEquals(ref, got, 1e-7, "vr=" + vr);
        }
    }

    @Test
    void denoisingLossEqualsTheFormula() {
        ScoreModel m = SCORE;
        Tensor theta = m.parameters(m.initialParameters(6), false);
        double sigma = 0.3;
        double got = new DenoisingScoreMatching(sigma).loss(m, theta, X, new Random(3)).item();
        double[][] eps = Tensor.randn(new Random(3), 16, 2).toArray2D();
        double[][] xs = X.toArray2D();
        double ref = 0;
        for (int b = 0; b < xs.length; b++) {
            double[] noisy = {xs[b][0] + sigma * eps[b][0], xs[b][1] + sigma * eps[b][1]};
            double[] s = m.score(theta, Tensor.of(new double[][] {noisy})).toArray();
            double r0 = s[0] + eps[b][0] / sigma;
            double r1 = s[1] + eps[b][1] / sigma;
            ref += 0.5 * (r0 * r0 + r1 * r1);
        }
        assertEquals(ref / xs.length, got, 1e-12);
    }

    @Test
    void thetaGradientsMatchFiniteDifferencesForEveryObjective() {
        Objective[] objectives = {new ExactScoreMatching(), new SlicedScoreMatching(2, Probe.RADEMACHER, false),
            new SlicedScoreMatching(2, Probe.GAUSSIAN, true), new DenoisingScoreMatching(0.5)};
        for (ScoreModel m : new ScoreModel[] {ENERGY, SCORE}) {
            double[] theta = m.initialParameters(8);
            for (Objective o : objectives) {
                double[] g = o.lossAndGradient(m, theta, X, new Random(5)).gradient();
                Random pick = new Random(1);
                for (int t = 0; t < 6; t++) {
                    int i = pick.nextInt(theta.length);
                    double h = 1e-6;
                    double[] p = theta.clone();
                    double[] q = theta.clone();
                    p[i] += h;
                    q[i] -= h;
                    double fd = (o.loss(m, m.parameters(p, false), X, new Random(5)).item()
                            - o.loss(m, m.parameters(q, false), X, new Random(5)).item()) / (2 * h);
                    assertEquals(fd, g[i], 1e-6 * Math.max(1, Math.abs(fd)), o.describe() + " " + m.kind() + " θ" + i);
                }
            }
        }
    }

    /**
     * On one fixed model, the three estimators target the same quantity: sliced score matching is
     * unbiased for the exact loss, and denoising at small σ minus its constant D/(2σ²) tends to it.
     * Averages over many independent draws, compared within ~4 standard errors.
     */
    @Test
    void exactSlicedAndDenoisingAgreeInExpectation() {
        ScoreModel m = ENERGY;
        Tensor theta = m.parameters(m.initialParameters(12), false);
        Tensor x = Tensor.randn(21, 64, 2);
        double exact = new ExactScoreMatching().loss(m, theta, x, null).item();

        Random rng = new Random(99);
        int draws = 200;
        double[] sliced = new double[draws];
        double[] slicedVr = new double[draws];
        double[] dsm = new double[draws];
        double sigma = 0.01;
        Objective sl = new SlicedScoreMatching(4, Probe.RADEMACHER, false);
        Objective slVr = new SlicedScoreMatching(4, Probe.GAUSSIAN, true);
        Objective dn = new DenoisingScoreMatching(sigma);
        AntitheticRandom noise = new AntitheticRandom(7);
        Grad.noGrad(() -> {
            for (int k = 0; k < draws; k++) {
                sliced[k] = sl.loss(m, theta, x, rng).item();
                slicedVr[k] = slVr.loss(m, theta, x, rng).item();
                noise.record();
                double plus = dn.loss(m, theta, x, noise).item();
                noise.replayNegated();
                double minus = dn.loss(m, theta, x, noise).item();
                // ½‖ε‖²/σ² has mean D/(2σ²) but dominates the variance: subtract its drawn value
                // (a control variate with the same expectation) instead of the constant.
                dsm[k] = (plus + minus) / 2 - noise.sumOfSquares() / (2 * sigma * sigma * x.dim(0));
            }
            return null;
        });
        assertWithin(exact, sliced, "sliced");
        assertWithin(exact, slicedVr, "sliced VR");
        assertWithin(exact, dsm, "denoising σ=0.01");
    }

    /**
     * Gaussian draws that can be replayed with flipped signs: averaging the denoising loss over ε
     * and −ε cancels its O(1/σ) noise term, so a small σ can be tested with few draws; the drawn ε
     * also give the control variate ½‖ε‖²/σ².
     */
    private static final class AntitheticRandom extends Random {
        private final java.util.ArrayList<Double> drawn = new java.util.ArrayList<>();
        private int replay = -1;

        AntitheticRandom(long seed) {
            super(seed);
        }

        void record() {
            drawn.clear();
            replay = -1;
        }

        double sumOfSquares() {
            return drawn.stream().mapToDouble(g -> g * g).sum();
        }

        void replayNegated() {
            replay = 0;
        }

        @Override
        public synchronized double nextGaussian() {
            if (replay >= 0) {
                return -drawn.get(replay++);
            }
            double g = super.nextGaussian();
            drawn.add(g);
            return g;
        }
    }

    private static void assertWithin(double target, double[] draws, String what) {
        double mean = 0;
        for (double d : draws) {
            mean += d;
        }
        mean /= draws.length;
        double var = 0;
        for (double d : draws) {
            var += (d - mean) * (d - mean);
        }
        double se = Math.sqrt(var / (draws.length - 1) / draws.length);
        assertTrue(Math.abs(mean - target) < 4 * se + 1e-3 * Math.abs(target),
                what + ": mean " + mean + " ± " + se + " vs exact " + target);
    }
}
