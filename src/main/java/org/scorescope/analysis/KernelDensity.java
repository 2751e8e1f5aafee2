package org.scorescope.analysis;

import java.util.Arrays;

/**
 * A Gaussian kernel density estimate with Scott's bandwidth, the baseline that a trained model's held-out
 * likelihood is compared with on data without a known density (moons, drawn points, CSV):
 * <pre>
 *   p̂(x) = (1/n) Σ_i N(x; x_i, H),   H = h²·Σ̂,   h = n^(−1/(D+4))   (Scott 1992)
 * </pre>
 * with Σ̂ the unbiased sample covariance of the n fitted points (divisor n − 1). This is exactly
 * {@code scipy.stats.gaussian_kde(points.T)} with its default {@code bw_method="scott"}, so numbers can be
 * checked against SciPy. Log densities use log-sum-exp, so points far from every kernel still get finite values.
 * Immutable and thread-safe.
 */
public final class KernelDensity {
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final int n;
    private final int dim;
    private final double[] centers;
    /** Lower Cholesky factor L of H = L·Lᵀ, row-major D × D. */
    private final double[] chol;
    private final double logNorm;
    private final double bandwidthFactor;

    private KernelDensity(double[][] points, double factor) {
        n = points.length;
        if (n < 2) {
            throw new IllegalArgumentException("KernelDensity: need at least 2 points for a covariance, got " + n);
        }
        dim = points[0].length;
        if (dim < 1) {
            throw new IllegalArgumentException("KernelDensity: points need at least one coordinate");
        }
        centers = new double[n * dim];
        double[] mean = new double[dim];
        for (int i = 0; i < n; i++) {
            if (points[i].length != dim) {
                throw new IllegalArgumentException("KernelDensity: point " + i + " has " + points[i].length
                        + " coordinates, point 0 has " + dim);
            }
            for (int j = 0; j < dim; j++) {
                double v = points[i][j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("KernelDensity: point " + i + ", coordinate " + j + " is " + v);
                }
                centers[i * dim + j] = v;
                mean[j] += v / n;
            }
        }
        double[] h = new double[dim * dim];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < dim; a++) {
                double da = centers[i * dim + a] - mean[a];
                for (int b = 0; b < dim; b++) {
                    h[a * dim + b] += da * (centers[i * dim + b] - mean[b]);
                }
            }
        }
        for (int k = 0; k < h.length; k++) {
            h[k] *= factor * factor / (n - 1);
        }
        chol = cholesky(h, dim);
        double logDet = 0;
        for (int a = 0; a < dim; a++) {
            logDet += 2 * Math.log(chol[a * dim + a]);
        }
        bandwidthFactor = factor;
        logNorm = -0.5 * dim * LOG_2PI - 0.5 * logDet - Math.log(n);
    }

    /**
     * A KDE with Scott's factor h = n^(−1/(D+4)).
     *
     * @param points n ≥ 2 points of D coordinates, finite, with a non-singular sample covariance
     * @return the estimate
     * @throws IllegalArgumentException if the points are too few, ragged, non-finite or degenerate
     */
    public static KernelDensity scott(double[][] points) {
        if (points.length == 0) {
            throw new IllegalArgumentException("KernelDensity: no points");
        }
        return new KernelDensity(points, scottFactor(points.length, points[0].length));
    }

    /**
     * @param n number of points
     * @param dim dimension D
     * @return Scott's factor n^(−1/(D+4))
     */
    public static double scottFactor(int n, int dim) {
        return Math.pow(n, -1.0 / (dim + 4));
    }

    /** @return h, the factor the sample covariance is scaled by (its square multiplies Σ̂) */
    public double bandwidthFactor() {
        return bandwidthFactor;
    }

    /** @return a copy of the kernel covariance H = h²·Σ̂, row-major D × D */
    public double[] kernelCovariance() {
        double[] out = new double[dim * dim];
        for (int a = 0; a < dim; a++) {
            for (int b = 0; b < dim; b++) {
                double s = 0;
                for (int k = 0; k < dim; k++) {
                    s += chol[a * dim + k] * chol[b * dim + k];
                }
                out[a * dim + b] = s;
            }
        }
        return out;
    }

    /**
     * log p̂(x) = logsumexp_i [−½ (x − x_i)ᵀ H⁻¹ (x − x_i)] − (D/2) log 2π − ½ log det H − log n.
     *
     * @param x a point of D coordinates
     * @return log p̂(x)
     */
    public double logDensity(double[] x) {
        if (x.length != dim) {
            throw new IllegalArgumentException("KernelDensity: x has " + x.length + " coordinates, expected " + dim);
        }
        double[] q = new double[n];
        double[] diff = new double[dim];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                diff[j] = x[j] - centers[i * dim + j];
            }
            // ‖L⁻¹ d‖² by forward substitution
            double s = 0;
            for (int a = 0; a < dim; a++) {
                double v = diff[a];
                for (int k = 0; k < a; k++) {
                    v -= chol[a * dim + k] * diff[k];
                }
                v /= chol[a * dim + a];
                diff[a] = v;
                s += v * v;
            }
            q[i] = -0.5 * s;
            max = Math.max(max, q[i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(q[i] - max);
        }
        return max + Math.log(sum) + logNorm;
    }

    /**
     * @param points points of D coordinates
     * @return log p̂ per point
     */
    public double[] logDensity(double[][] points) {
        double[] out = new double[points.length];
        for (int i = 0; i < points.length; i++) {
            out[i] = logDensity(points[i]);
        }
        return out;
    }

    /**
     * @param points held-out points, at least one
     * @return −(1/m) Σ log p̂(x_j), in nats
     */
    public double meanNegLogLikelihood(double[][] points) {
        if (points.length == 0) {
            throw new IllegalArgumentException("KernelDensity: no points to evaluate");
        }
        return -Arrays.stream(logDensity(points)).average().orElseThrow();
    }

    private static double[] cholesky(double[] a, int d) {
        double[] l = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * d + j];
                for (int k = 0; k < j; k++) {
                    s -= l[i * d + k] * l[j * d + k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalArgumentException("KernelDensity: the points' covariance is singular (all "
                                + "points on a line or identical); a Gaussian kernel needs spread in every direction");
                    }
                    l[i * d + i] = Math.sqrt(s);
                } else {
                    l[i * d + j] = s / l[j * d + j];
                }
            }
        }
        return l;
    }
}
