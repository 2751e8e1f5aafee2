package org.scorescope.data;

import java.util.Arrays;

/**
 * An exact Gaussian mixture with diagonal (or isotropic) components,
 * p(x) = Σ_k π_k N(x; μ_k, diag(σ_k²)), in any dimension d ≥ 1.
 *
 * <p>Everything is computed in log space with log-sum-exp responsibilities
 * r_k(x) = π_k N_k(x) / p(x), so densities far in the tails (where every N_k underflows) still give
 * finite log-densities, scores and Hessians. Instances are immutable and thread-safe.
 */
public final class GaussianMixture {
    private static final double LOG_2PI = Math.log(2.0 * Math.PI);

    private final int dim;
    private final int count;
    private final double[] weights;
    /** k·d row-major means. */
    private final double[] means;
    /** k·d row-major standard deviations. */
    private final double[] sigmas;
    /** k·d row-major 1/σ². */
    private final double[] precisions;
    /** log π_k − Σ_j log σ_kj − (d/2) log 2π. */
    private final double[] logConst;

    private GaussianMixture(double[] weights, double[][] means, double[][] sigmas) {
        count = weights.length;
        if (count == 0) {
            throw new IllegalArgumentException("weights: a mixture needs at least one component");
        }
        if (means.length != count || sigmas.length != count) {
            throw new IllegalArgumentException("means/sigmas: expected " + count
                    + " components (one per weight), found " + means.length + " means and "
                    + sigmas.length + " sigmas");
        }
        dim = means[0].length;
        if (dim == 0) {
            throw new IllegalArgumentException("means[0]: dimension must be at least 1");
        }
        double sum = 0.0;
        for (int k = 0; k < count; k++) {
            double w = weights[k];
            if (!(w > 0.0) || !Double.isFinite(w)) {
                throw new IllegalArgumentException("weights[" + k + "]: must be positive and finite, found " + w);
            }
            sum += w;
        }
        if (Math.abs(sum - 1.0) > 1e-9) {
            throw new IllegalArgumentException("weights: must sum to 1, found " + sum);
        }
        this.weights = new double[count];
        this.means = new double[count * dim];
        this.sigmas = new double[count * dim];
        this.precisions = new double[count * dim];
        this.logConst = new double[count];
        for (int k = 0; k < count; k++) {
            // Renormalise so that tiny rounding in user-given weights cannot bias log p by ~1e-10.
            this.weights[k] = weights[k] / sum;
            if (means[k].length != dim) {
                throw new IllegalArgumentException("means[" + k + "]: expected " + dim + " coordinates, found "
                        + means[k].length);
            }
            if (sigmas[k].length != dim) {
                throw new IllegalArgumentException("sigmas[" + k + "]: expected " + dim + " entries, found "
                        + sigmas[k].length);
            }
            double c = Math.log(this.weights[k]) - 0.5 * dim * LOG_2PI;
            for (int j = 0; j < dim; j++) {
                double m = means[k][j];
                double s = sigmas[k][j];
                if (!Double.isFinite(m)) {
                    throw new IllegalArgumentException("means[" + k + "][" + j + "]: not finite: " + m);
                }
                if (!(s > 0.0) || !Double.isFinite(s)) {
                    throw new IllegalArgumentException("sigmas[" + k + "][" + j + "]: must be positive and finite, found "
                            + s);
                }
                this.means[k * dim + j] = m;
                this.sigmas[k * dim + j] = s;
                this.precisions[k * dim + j] = 1.0 / (s * s);
                c -= Math.log(s);
            }
            logConst[k] = c;
        }
    }

    /**
     * A mixture of isotropic components N(μ_k, σ_k² I).
     *
     * @param weights mixture weights π_k, positive, summing to 1 (within 1e-9; renormalised)
     * @param means   component means μ_k, all of the same dimension d
     * @param sigmas  per-component standard deviations σ_k &gt; 0
     * @return the mixture
     * @throws IllegalArgumentException naming the offending entry
     */
    public static GaussianMixture isotropic(double[] weights, double[][] means, double[] sigmas) {
        if (sigmas.length != means.length) {
            throw new IllegalArgumentException("sigmas: expected " + means.length + " entries (one per mean), found "
                    + sigmas.length);
        }
        double[][] diag = new double[sigmas.length][];
        for (int k = 0; k < sigmas.length; k++) {
            diag[k] = new double[means[k].length];
            Arrays.fill(diag[k], sigmas[k]);
        }
        return new GaussianMixture(weights, means, diag);
    }

    /**
     * A mixture of diagonal components N(μ_k, diag(σ_k1², ..., σ_kd²)).
     *
     * @param weights mixture weights π_k, positive, summing to 1 (within 1e-9; renormalised)
     * @param means   component means μ_k (k × d)
     * @param sigmas  per-axis standard deviations (k × d), all &gt; 0
     * @return the mixture
     * @throws IllegalArgumentException naming the offending entry
     */
    public static GaussianMixture diagonal(double[] weights, double[][] means, double[][] sigmas) {
        return new GaussianMixture(weights, means, sigmas);
    }

    /**
     * The mixture perturbed by isotropic Gaussian noise: the law of x + σε with x ~ p and ε ~ N(0, I),
     * <pre>  p_σ(x) = (p ∗ N(0, σ²I))(x) = Σ_k π_k N(x; μ_k, diag(σ_k² + σ²)),</pre>
     * exact because the convolution of two Gaussians adds their covariances. Its {@link #score} is the
     * target of denoising score matching at level σ, so a noise-conditional model evaluated at σ is
     * judged against this mixture rather than against p itself.
     *
     * @param sigma noise standard deviation σ ≥ 0 (0 returns an equal mixture)
     * @return the perturbed mixture, same weights and means
     * @throws IllegalArgumentException if σ is negative or not finite
     */
    public GaussianMixture convolved(double sigma) {
        if (!(sigma >= 0.0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("sigma: must be finite and non-negative, found " + sigma);
        }
        double[][] mu = new double[count][];
        double[][] sd = new double[count][dim];
        for (int k = 0; k < count; k++) {
            mu[k] = mean(k);
            for (int j = 0; j < dim; j++) {
                double s = sigmas[k * dim + j];
                // hypot: no overflow of s² + σ² for huge values, and σ = 0 returns s exactly
                sd[k][j] = Math.hypot(s, sigma);
            }
        }
        return new GaussianMixture(weights.clone(), mu, sd);
    }

    /** @return the dimension d of the space. */
    public int dim() {
        return dim;
    }

    /** @return the number of components K. */
    public int components() {
        return count;
    }

    /**
     * @param k component index
     * @return the (normalised) weight π_k
     */
    public double weight(int k) {
        return weights[k];
    }

    /**
     * @param k component index
     * @return a copy of the mean μ_k
     */
    public double[] mean(int k) {
        return Arrays.copyOfRange(means, k * dim, (k + 1) * dim);
    }

    /**
     * @param k component index
     * @return a copy of the per-axis standard deviations σ_k
     */
    public double[] sigma(int k) {
        return Arrays.copyOfRange(sigmas, k * dim, (k + 1) * dim);
    }

    /**
     * Log-density, log p(x) = logsumexp_k [log π_k + log N(x; μ_k, diag σ_k²)].
     *
     * @param x a point of dimension d
     * @return log p(x), finite for every finite x
     */
    public double logDensity(double[] x) {
        checkPoint(x);
        return logDensityAt(x, 0, new double[count]);
    }

    /**
     * Score, ∇ₓ log p(x) = Σ_k r_k(x) · (−(x − μ_k) / σ_k²) with r_k the log-sum-exp responsibilities.
     *
     * @param x a point of dimension d
     * @return a new array holding the score
     */
    public double[] score(double[] x) {
        double[] out = new double[dim];
        score(x, out);
        return out;
    }

    /**
     * Score ∇ₓ log p(x) written into {@code out} (length d), as {@link #score(double[])}.
     *
     * @param x   a point of dimension d
     * @param out destination, length d
     */
    public void score(double[] x, double[] out) {
        checkPoint(x);
        if (out.length != dim) {
            throw new IllegalArgumentException("out: expected length " + dim + ", found " + out.length);
        }
        scoreAt(x, 0, out, 0, new double[count]);
    }

    /**
     * Hessian of the log-density,
     * ∇²ₓ log p(x) = Σ_k r_k [(g_k − s)(g_k − s)ᵀ − diag(1/σ_k²)], where g_k = −(x − μ_k)/σ_k² and s = Σ_k r_k g_k
     * is the score. The centred (covariance) form avoids the cancellation of Σ r_k g_k g_kᵀ − s sᵀ.
     *
     * @param x a point of dimension d
     * @return a new d × d symmetric matrix
     */
    public double[][] hessianLogDensity(double[] x) {
        checkPoint(x);
        double[] flat = new double[dim * dim];
        hessianAt(x, 0, flat, 0, new double[count], new double[dim]);
        double[][] h = new double[dim][];
        for (int i = 0; i < dim; i++) {
            h[i] = Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
        }
        return h;
    }

    /**
     * Batch log-density over n points stored row-major in {@code points} (length n·d):
     * {@code out[i] = log p(points[i·d .. i·d + d))}.
     *
     * @param points flat row-major n × d points
     * @param out    destination, length n
     */
    public void logDensityBatch(double[] points, double[] out) {
        int n = rows(points, "points");
        if (out.length != n) {
            throw new IllegalArgumentException("out: expected length " + n + ", found " + out.length);
        }
        double[] scratch = new double[count];
        for (int i = 0; i < n; i++) {
            out[i] = logDensityAt(points, i * dim, scratch);
        }
    }

    /**
     * Batch score over n points stored row-major: row i of {@code out} (length n·d) is ∇ₓ log p at row i
     * of {@code points}.
     *
     * @param points flat row-major n × d points
     * @param out    destination, flat row-major n × d
     */
    public void scoreBatch(double[] points, double[] out) {
        int n = rows(points, "points");
        if (out.length != points.length) {
            throw new IllegalArgumentException("out: expected length " + points.length + ", found " + out.length);
        }
        double[] scratch = new double[count];
        for (int i = 0; i < n; i++) {
            scoreAt(points, i * dim, out, i * dim, scratch);
        }
    }

    /**
     * Batch Hessian of log p over n points stored row-major: {@code out[i·d² + a·d + b]} = ∂²log p / ∂x_a ∂x_b at
     * row i.
     *
     * @param points flat row-major n × d points
     * @param out    destination, length n·d·d
     */
    public void hessianBatch(double[] points, double[] out) {
        int n = rows(points, "points");
        if (out.length != n * dim * dim) {
            throw new IllegalArgumentException("out: expected length " + n * dim * dim + ", found " + out.length);
        }
        double[] scratch = new double[count];
        double[] s = new double[dim];
        for (int i = 0; i < n; i++) {
            hessianAt(points, i * dim, out, i * dim * dim, scratch, s);
        }
    }

    /**
     * Fisher divergence of a model's scores from this mixture at the given points,
     * F = ½ · (1/n) Σ_i ‖s_model(x_i) − ∇ₓ log p(x_i)‖².
     *
     * @param points      n points of dimension d
     * @param modelScores n model scores of dimension d, row i evaluated at points[i]
     * @return F ≥ 0
     */
    public double fisherDivergence(double[][] points, double[][] modelScores) {
        if (points.length != modelScores.length) {
            throw new IllegalArgumentException("modelScores: expected " + points.length + " rows (one per point), found "
                    + modelScores.length);
        }
        if (points.length == 0) {
            throw new IllegalArgumentException("points: need at least one point");
        }
        double[] scratch = new double[count];
        double[] s = new double[dim];
        double total = 0.0;
        for (int i = 0; i < points.length; i++) {
            checkPoint(points[i]);
            if (modelScores[i].length != dim) {
                throw new IllegalArgumentException("modelScores[" + i + "]: expected " + dim + " entries, found "
                        + modelScores[i].length);
            }
            scoreAt(points[i], 0, s, 0, scratch);
            for (int j = 0; j < dim; j++) {
                double diff = modelScores[i][j] - s[j];
                total += diff * diff;
            }
        }
        return 0.5 * total / points.length;
    }

    /**
     * Fisher divergence, flat form: F = ½ · (1/n) Σ_i ‖s_model,i − ∇ₓ log p(x_i)‖² with both arrays row-major n × d.
     *
     * @param points      flat row-major n × d points
     * @param modelScores flat row-major n × d model scores
     * @return F ≥ 0
     */
    public double fisherDivergence(double[] points, double[] modelScores) {
        int n = rows(points, "points");
        if (modelScores.length != points.length) {
            throw new IllegalArgumentException("modelScores: expected length " + points.length + ", found "
                    + modelScores.length);
        }
        if (n == 0) {
            throw new IllegalArgumentException("points: need at least one point");
        }
        double[] scratch = new double[count];
        double[] s = new double[dim];
        double total = 0.0;
        for (int i = 0; i < n; i++) {
            scoreAt(points, i * dim, s, 0, scratch);
            for (int j = 0; j < dim; j++) {
                double diff = modelScores[i * dim + j] - s[j];
                total += diff * diff;
            }
        }
        return 0.5 * total / n;
    }

    /** @return the mixture mean E[x] = Σ_k π_k μ_k. */
    public double[] mean() {
        double[] m = new double[dim];
        for (int k = 0; k < count; k++) {
            for (int j = 0; j < dim; j++) {
                m[j] += weights[k] * means[k * dim + j];
            }
        }
        return m;
    }

    /**
     * @return the mixture covariance Cov[x] = Σ_k π_k [diag(σ_k²) + (μ_k − m)(μ_k − m)ᵀ] with m the mixture mean
     */
    public double[][] covariance() {
        double[] m = mean();
        double[][] c = new double[dim][dim];
        for (int k = 0; k < count; k++) {
            double w = weights[k];
            for (int a = 0; a < dim; a++) {
                double da = means[k * dim + a] - m[a];
                double sa = sigmas[k * dim + a];
                c[a][a] += w * sa * sa;
                for (int b = 0; b < dim; b++) {
                    c[a][b] += w * da * (means[k * dim + b] - m[b]);
                }
            }
        }
        return c;
    }

    /**
     * Exact samples: component k with probability π_k, then μ_k + σ_k ⊙ z with z ~ N(0, I).
     *
     * @param n    number of points, ≥ 0
     * @param seed seed; the same seed gives the same points
     * @return n × d samples
     */
    public double[][] sample(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("n: must be non-negative, found " + n);
        }
        SeededRandom rng = new SeededRandom(seed);
        double[][] out = new double[n][dim];
        for (int i = 0; i < n; i++) {
            int k = pickComponent(rng.nextDouble());
            for (int j = 0; j < dim; j++) {
                out[i][j] = means[k * dim + j] + sigmas[k * dim + j] * rng.nextGaussian();
            }
        }
        return out;
    }

    private int pickComponent(double u) {
        double acc = 0.0;
        for (int k = 0; k < count - 1; k++) {
            acc += weights[k];
            if (u < acc) {
                return k;
            }
        }
        return count - 1;
    }

    /** Fills scratch[k] = log π_k + log N_k(x) and returns their maximum. */
    private double componentLogs(double[] x, int off, double[] scratch) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < count; k++) {
            double q = 0.0;
            int base = k * dim;
            for (int j = 0; j < dim; j++) {
                double d = x[off + j] - means[base + j];
                q += d * d * precisions[base + j];
            }
            double a = logConst[k] - 0.5 * q;
            scratch[k] = a;
            if (a > max) {
                max = a;
            }
        }
        return max;
    }

    /**
     * How a density on a uniform grid divides its mass among this mixture's modes: each point belongs to the
     * component k with the largest π_k·N(x; μ_k, σ_k²) (its basin), and m_k = Σ_{x ∈ basin k} q(x) / Σ_x q(x). With
     * q = this mixture, m ≈ π when the view holds the modes; with a learned q it shows the weights it gives them.
     *
     * @param points interleaved (x, y, …) points of a uniform grid
     * @param logq   log q at the points, in any normalization
     * @return m_k for every component, summing to 1 (NaN for no finite point)
     */
    public double[] massByMode(double[] points, double[] logq) {
        int n = logq.length;
        if (points.length != n * dim) {
            throw new IllegalArgumentException("massByMode: " + points.length + " coordinates for " + n + " values");
        }
        double top = Double.NEGATIVE_INFINITY;
        for (double v : logq) {
            top = Math.max(top, v);
        }
        double[] mass = new double[count];
        double[] scratch = new double[count];
        double total = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(logq[i])) {
                continue;
            }
            componentLogs(points, i * dim, scratch);
            int best = 0;
            for (int k = 1; k < count; k++) {
                if (scratch[k] > scratch[best]) {
                    best = k;
                }
            }
            double q = Math.exp(logq[i] - top);
            mass[best] += q;
            total += q;
        }
        for (int k = 0; k < count; k++) {
            mass[k] /= total;
        }
        return mass;
    }

    private double logDensityAt(double[] x, int off, double[] scratch) {
        double max = componentLogs(x, off, scratch);
        double sum = 0.0;
        for (int k = 0; k < count; k++) {
            sum += Math.exp(scratch[k] - max);
        }
        return max + Math.log(sum);
    }

    /** Turns scratch into responsibilities r_k (in place). */
    private void responsibilities(double[] x, int off, double[] scratch) {
        double max = componentLogs(x, off, scratch);
        double sum = 0.0;
        for (int k = 0; k < count; k++) {
            double e = Math.exp(scratch[k] - max);
            scratch[k] = e;
            sum += e;
        }
        double inv = 1.0 / sum;
        for (int k = 0; k < count; k++) {
            scratch[k] *= inv;
        }
    }

    private void scoreAt(double[] x, int off, double[] out, int outOff, double[] scratch) {
        responsibilities(x, off, scratch);
        for (int j = 0; j < dim; j++) {
            out[outOff + j] = 0.0;
        }
        for (int k = 0; k < count; k++) {
            double r = scratch[k];
            if (r == 0.0) {
                continue;
            }
            int base = k * dim;
            for (int j = 0; j < dim; j++) {
                out[outOff + j] -= r * (x[off + j] - means[base + j]) * precisions[base + j];
            }
        }
    }

    private void hessianAt(double[] x, int off, double[] out, int outOff, double[] scratch, double[] s) {
        scoreAt(x, off, s, 0, scratch);
        int dd = dim * dim;
        for (int i = 0; i < dd; i++) {
            out[outOff + i] = 0.0;
        }
        for (int k = 0; k < count; k++) {
            double r = scratch[k];
            if (r == 0.0) {
                continue;
            }
            int base = k * dim;
            for (int a = 0; a < dim; a++) {
                double ca = -(x[off + a] - means[base + a]) * precisions[base + a] - s[a];
                out[outOff + a * dim + a] -= r * precisions[base + a];
                for (int b = 0; b < dim; b++) {
                    double cb = -(x[off + b] - means[base + b]) * precisions[base + b] - s[b];
                    out[outOff + a * dim + b] += r * ca * cb;
                }
            }
        }
    }

    private void checkPoint(double[] x) {
        if (x.length != dim) {
            throw new IllegalArgumentException("x: expected " + dim + " coordinates, found " + x.length);
        }
    }

    private int rows(double[] flat, String name) {
        if (flat.length % dim != 0) {
            throw new IllegalArgumentException(name + ": length " + flat.length + " is not a multiple of the dimension "
                    + dim);
        }
        return flat.length / dim;
    }

    /** @return a short description, e.g. {@code GaussianMixture[K=8, d=2]}. */
    @Override
    public String toString() {
        return "GaussianMixture[K=" + count + ", d=" + dim + "]";
    }
}
