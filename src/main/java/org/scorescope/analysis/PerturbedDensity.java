package org.scorescope.analysis;

import java.util.SplittableRandom;
import org.scorescope.data.GaussianMixture;
import org.scorescope.model.DiffusionMlp;
import org.scorescope.model.NoiseConditionalMlp;
import org.scorescope.model.Sde;
import org.scorescope.model.ScoreModel;

/**
 * The perturbed densities p_t that a time-conditional model's s_θ(·, t) estimates the score of, for the noise-level
 * view. A forward {@link Sde} with kernel N(m(t)x₀, s(t)²I) maps a Gaussian mixture to a Gaussian mixture:
 * <pre>  p_t = Σ_k π_k N(m(t)μ_k, diag(m(t)²σ_k² + s(t)²)),</pre>
 * exact for the mixture datasets ({@link DiffusionMlp#marginal}). Data without a closed-form density are first
 * replaced by their Gaussian kernel density estimate (Scott's bandwidth h per axis, diagonal), itself a mixture
 * of N(x_i, diag h²), so p_t ≈ (1/n) Σ_i N(m(t)x_i, diag(m(t)²h² + s(t)²)), which tends to the exact p_t of the
 * empirical distribution as t grows (s(t) ≫ h). A noise-conditional model is seen as the VE SDE through its
 * σ ladder ({@link Samplers#sdeOf}), where p_t is the data convolved with N(0, σ(t)²I). Stateless.
 */
public final class PerturbedDensity {
    private PerturbedDensity() {
    }

    /**
     * @param model a model
     * @return whether it has a score at every noise level: a diffusion model, or a noise-conditional model with
     *         at least two levels
     */
    public static boolean applies(ScoreModel model) {
        return model instanceof DiffusionMlp || model instanceof NoiseConditionalMlp nc && nc.sigmas().length > 1;
    }

    /**
     * @param model     a model that {@link #applies}
     * @param requested a time in [0, 1], or NaN for the smallest
     * @return the time shown: the requested one clamped to [ε, 1], ε for NaN
     */
    public static double time(ScoreModel model, double requested) {
        double eps = Samplers.epsilonOf(model);
        return Double.isNaN(requested) ? eps : Math.max(eps, Math.min(1, requested));
    }

    /**
     * @param model a model that {@link #applies}
     * @param t     time in [0, 1]
     * @return s(t), the standard deviation of the noise added by time t (σ(t) for VE)
     */
    public static double sigma(ScoreModel model, double t) {
        return Samplers.sdeOf(model).std(t);
    }

    /**
     * p_t of the model's SDE started from p₀.
     *
     * @param model a model that {@link #applies}
     * @param p0    the data density (exact, or a {@link #kde})
     * @param t     time in [0, 1]
     * @return p_t
     */
    public static GaussianMixture marginal(ScoreModel model, GaussianMixture p0, double t) {
        return DiffusionMlp.marginal(Samplers.sdeOf(model), p0, t);
    }

    /**
     * The diagonal Gaussian KDE of 2-D points with Scott's bandwidth h_d = n^(−1/6)·std_d, over at most
     * {@code maxPoints} of them (a seeded subsample beyond that, with h from the subsample's n).
     *
     * @param xs        interleaved points
     * @param n         number of points, ≥ 2
     * @param maxPoints largest number of kernels, ≥ 2
     * @param seed      seed of the subsample
     * @return the estimate as an equal-weight mixture
     * @throws IllegalArgumentException if there are fewer than two points or a coordinate has no spread
     */
    public static GaussianMixture kde(double[] xs, int n, int maxPoints, long seed) {
        if (n < 2 || xs.length < 2 * n || maxPoints < 2) {
            throw new IllegalArgumentException("kde: need at least two points, got " + n);
        }
        int m = Math.min(n, maxPoints);
        int[] pick = new int[m];
        if (m == n) {
            for (int i = 0; i < m; i++) {
                pick[i] = i;
            }
        } else {
            // Partial Fisher–Yates over the indices: m distinct points.
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = 0; i < m; i++) {
                int j = i + r.nextInt(n - i);
                int tmp = idx[i];
                idx[i] = idx[j];
                idx[j] = tmp;
                pick[i] = idx[i];
            }
        }
        double[] mean = new double[2];
        double[] sq = new double[2];
        for (int i : pick) {
            for (int d = 0; d < 2; d++) {
                mean[d] += xs[2 * i + d] / m;
            }
        }
        for (int i : pick) {
            for (int d = 0; d < 2; d++) {
                double c = xs[2 * i + d] - mean[d];
                sq[d] += c * c / (m - 1);
            }
        }
        double factor = KernelDensity.scottFactor(m, 2);
        double[] h = new double[2];
        for (int d = 0; d < 2; d++) {
            h[d] = factor * Math.sqrt(sq[d]);
            if (!(h[d] > 0) || !Double.isFinite(h[d])) {
                throw new IllegalArgumentException("kde: coordinate " + d + " of the points has no spread");
            }
        }
        double[] w = new double[m];
        double[][] mu = new double[m][];
        double[][] sd = new double[m][];
        for (int k = 0; k < m; k++) {
            w[k] = 1.0 / m;
            mu[k] = new double[] {xs[2 * pick[k]], xs[2 * pick[k] + 1]};
            sd[k] = h.clone();
        }
        return GaussianMixture.diagonal(w, mu, sd);
    }
}
