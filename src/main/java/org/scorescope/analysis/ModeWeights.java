package org.scorescope.analysis;

import org.scorescope.data.GaussianMixture;

/**
 * The weight a set of samples puts on each component of a Gaussian mixture: the fraction of samples whose most
 * responsible component is k, argmax_k [log π_k + log N(x; μ_k, diag σ_k²)]. For well-separated modes (mixture2's
 * ⅘ N((5, 5), I) + ⅕ N((−5, −5), I)) this is the fraction of samples in each mode, which a sampler must reproduce:
 * plain Langevin dynamics gets it wrong, annealed Langevin, the reverse SDE and the probability flow get it right
 * (Song &amp; Ermon 2019). Stateless.
 */
public final class ModeWeights {
    private ModeWeights() {
    }

    /**
     * @param mixture the mixture whose components are the modes
     * @param xs      interleaved 2-D samples
     * @param n       number of samples, ≥ 1
     * @return per component the fraction of samples assigned to it (sums to 1)
     */
    public static double[] of(GaussianMixture mixture, double[] xs, int n) {
        if (mixture.dim() != 2) {
            throw new IllegalArgumentException("ModeWeights: 2-D mixtures only, got " + mixture.dim() + "-D");
        }
        if (n < 1 || xs.length < 2 * n) {
            throw new IllegalArgumentException("ModeWeights: need n ≥ 1 samples in 2n values, got n " + n);
        }
        int k = mixture.components();
        double[][] mu = new double[k][];
        double[][] sd = new double[k][];
        double[] logw = new double[k];
        for (int c = 0; c < k; c++) {
            mu[c] = mixture.mean(c);
            sd[c] = mixture.sigma(c);
            logw[c] = Math.log(mixture.weight(c)) - Math.log(sd[c][0]) - Math.log(sd[c][1]);
        }
        double[] counts = new double[k];
        for (int i = 0; i < n; i++) {
            int best = 0;
            double bestLog = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double a = (xs[2 * i] - mu[c][0]) / sd[c][0];
                double b = (xs[2 * i + 1] - mu[c][1]) / sd[c][1];
                double l = logw[c] - 0.5 * (a * a + b * b);
                if (l > bestLog) {
                    bestLog = l;
                    best = c;
                }
            }
            counts[best]++;
        }
        for (int c = 0; c < k; c++) {
            counts[c] /= n;
        }
        return counts;
    }
}
