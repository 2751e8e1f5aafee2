package org.scorescope.analysis;

import java.util.SplittableRandom;

/**
 * Spectral density of a symmetric operator by stochastic Lanczos quadrature (Ghorbani, Krishnan &amp; Xiao
 * 2019; as in PyHessian). Each of {@code n_v} runs draws a Rademacher vector {@code v = z/√P}, runs
 * {@code m} Lanczos steps with full reorthogonalization and diagonalizes {@code T_m = Z Θ Zᵀ}; the nodes
 * {@code θ_j} and weights {@code τ_j² = Z_{0j}²} form the Gauss quadrature rule of the spectral measure
 * of {@code v}: {@code Σ_j τ_j² f(θ_j) = vᵀ f(A) v}, exact for polynomials of degree {@code <= 2m − 1}.
 * Since {@code E[P·vᵀ f(A) v] = tr f(A) = Σ_i f(λ_i)}, the smoothed density
 * <pre>  φ(λ) = (P/n_v) Σ_runs Σ_j τ_j² · N(λ; θ_j, σ²)</pre>
 * estimates {@code Σ_i N(λ; λ_i, σ²)} and integrates to {@code P} (one unit of mass per eigenvalue). The
 * log-scale variant smooths over {@code u = log10 max(|θ_j|, floor)} instead, also integrating to P.
 *
 * <p>A run that breaks down early (its Krylov space is invariant) simply has fewer, exact nodes.
 * Immutable result; computing it is not thread-sensitive beyond the operator itself.
 */
public final class StochasticLanczosQuadrature {
    private static final double EPS = Math.ulp(1.0);
    private final int dim;
    private final int runs;
    private final int steps;
    private final long seed;
    private final int[] counts;
    private final double[] nodes;
    private final double[] weights;

    private StochasticLanczosQuadrature(int dim, int runs, int steps, long seed, int[] counts, double[] nodes,
                                        double[] weights) {
        this.dim = dim;
        this.runs = runs;
        this.steps = steps;
        this.seed = seed;
        this.counts = counts;
        this.nodes = nodes;
        this.weights = weights;
    }

    /**
     * Runs SLQ.
     *
     * @param op    symmetric operator of dimension {@code P}
     * @param runs  number of random start vectors {@code n_v >= 1}
     * @param steps Lanczos steps per run {@code m >= 1} (capped at P)
     * @param seed  random seed (run {@code r}'s start vector is reproducible via {@link #startVector})
     * @return the quadrature nodes and weights
     */
    public static StochasticLanczosQuadrature compute(LinearOperator op, int runs, int steps, long seed) {
        if (op == null) {
            throw new IllegalArgumentException("StochasticLanczosQuadrature: operator must not be null");
        }
        int n = op.dim();
        if (n < 1) {
            throw new IllegalArgumentException("StochasticLanczosQuadrature: dimension must be >= 1, got " + n);
        }
        if (runs < 1) {
            throw new IllegalArgumentException("StochasticLanczosQuadrature: runs must be >= 1, got " + runs);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("StochasticLanczosQuadrature: steps must be >= 1, got " + steps);
        }
        int m = Math.min(steps, n);
        double[] q = new double[m * n];
        double[] w = new double[n];
        double[] qj = new double[n];
        double[] alpha = new double[m];
        double[] beta = new double[m];
        double[] theta = new double[m];
        double[] first = new double[m];
        int[] row0 = {0};
        int[] counts = new int[runs];
        double[] nodes = new double[runs * m];
        double[] weights = new double[runs * m];
        for (int r = 0; r < runs; r++) {
            fillStart(seed, r, q, n);
            double norm = 0;
            int len = 0;
            for (int j = 0; j < m; j++) {
                System.arraycopy(q, j * n, qj, 0, n);
                op.apply(qj, w);
                double a = Lanczos.dot(qj, 0, w, n);
                for (int i = 0; i < n; i++) {
                    w[i] -= a * qj[i];
                }
                if (j > 0) {
                    int base = (j - 1) * n;
                    double b = beta[j - 1];
                    for (int i = 0; i < n; i++) {
                        w[i] -= b * q[base + i];
                    }
                }
                Lanczos.reorthogonalize(q, j + 1, n, w);
                double b = Math.sqrt(Lanczos.dot(w, 0, w, n));
                if (!Double.isFinite(a) || !Double.isFinite(b)) {
                    throw new IllegalStateException("StochasticLanczosQuadrature: non-finite value in run " + r + ", step " + j);
                }
                alpha[j] = a;
                beta[j] = b;
                norm = Math.max(norm, Math.abs(a) + b + (j > 0 ? beta[j - 1] : 0));
                len = j + 1;
                if (len == m || b <= 100 * EPS * norm) {
                    break;
                }
                double inv = 1 / b;
                int base = (j + 1) * n;
                for (int i = 0; i < n; i++) {
                    q[base + i] = w[i] * inv;
                }
            }
            System.arraycopy(alpha, 0, theta, 0, len);
            TridiagonalEigen.decompose(len, theta, beta, row0, first);
            counts[r] = len;
            for (int j = 0; j < len; j++) {
                nodes[r * m + j] = theta[j];
                weights[r * m + j] = first[j] * first[j];
            }
        }
        return new StochasticLanczosQuadrature(n, runs, m, seed, counts, nodes, weights);
    }

    private static void fillStart(long seed, int run, double[] out, int n) {
        // one independent stream per run, so run r's vector does not depend on how many runs there are
        SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (run + 1)));
        double inv = 1 / Math.sqrt(n);
        for (int i = 0; i < n; i++) {
            out[i] = rng.nextBoolean() ? inv : -inv;
        }
    }

    /**
     * The start vector {@code v = z/√P} of run {@code r} (Rademacher {@code z}).
     *
     * @param r   run index
     * @param out destination, length {@code >= P}
     */
    public void startVector(int r, double[] out) {
        checkRun(r);
        fillStart(seed, r, out, dim);
    }

    /** @return the operator dimension P. */
    public int dim() {
        return dim;
    }

    /** @return the number of runs {@code n_v}. */
    public int runs() {
        return runs;
    }

    /** @return the number of Lanczos steps per run (after capping at P). */
    public int steps() {
        return steps;
    }

    /**
     * @param r run index
     * @return the number of nodes of run {@code r} (fewer than {@link #steps()} after a breakdown)
     */
    public int nodeCount(int r) {
        checkRun(r);
        return counts[r];
    }

    /**
     * @param r run index
     * @param j node index, ascending
     * @return node {@code θ_j} of run {@code r}
     */
    public double node(int r, int j) {
        checkNode(r, j);
        return nodes[r * steps + j];
    }

    /**
     * @param r run index
     * @param j node index
     * @return the raw Gauss weight {@code τ_j²} of run {@code r} (each run's weights sum to 1)
     */
    public double weight(int r, int j) {
        checkNode(r, j);
        return weights[r * steps + j];
    }

    /**
     * Pools all runs' nodes and scaled weights {@code (P/n_v)·τ²}, which sum to P.
     *
     * @param nodesOut   receives the nodes, length {@code >= totalNodes()}
     * @param weightsOut receives the scaled weights, same length
     */
    public void pooled(double[] nodesOut, double[] weightsOut) {
        int k = 0;
        double scale = (double) dim / runs;
        for (int r = 0; r < runs; r++) {
            for (int j = 0; j < counts[r]; j++) {
                nodesOut[k] = nodes[r * steps + j];
                weightsOut[k] = scale * weights[r * steps + j];
                k++;
            }
        }
    }

    /** @return the total number of nodes over all runs. */
    public int totalNodes() {
        int t = 0;
        for (int c : counts) {
            t += c;
        }
        return t;
    }

    /**
     * Quadrature estimate of {@code tr(A^k) = Σ_i λ_i^k}: {@code (P/n_v) Σ_r Σ_j τ_j² θ_j^k}.
     *
     * @param k power, {@code >= 0} (exact per run for {@code k <= 2m − 1}; the only error is the
     *          randomness of {@code v})
     * @return the estimate; {@code k = 0} gives P
     */
    public double moment(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("StochasticLanczosQuadrature.moment: k must be >= 0, got " + k);
        }
        double s = 0;
        for (int r = 0; r < runs; r++) {
            for (int j = 0; j < counts[r]; j++) {
                s += weights[r * steps + j] * Math.pow(nodes[r * steps + j], k);
            }
        }
        return s * dim / runs;
    }

    /** @return the trace estimate {@link #moment(int) moment(1)}. */
    public double trace() {
        return moment(1);
    }

    /** @return the estimated fraction of eigenvalues below zero, {@code Σ τ²[θ < 0] / n_v}. */
    public double negativeFraction() {
        double s = 0;
        for (int r = 0; r < runs; r++) {
            for (int j = 0; j < counts[r]; j++) {
                if (nodes[r * steps + j] < 0) {
                    s += weights[r * steps + j];
                }
            }
        }
        return s / runs;
    }

    /**
     * Gaussian-broadened spectral density {@code φ(λ) = (P/n_v) Σ τ² N(λ; θ, σ²)} on a λ grid; it
     * integrates to P over the real line (the grid should extend a few σ past the extreme nodes to
     * capture all of it).
     *
     * @param lambdas evaluation points
     * @param sigma   broadening {@code σ > 0}
     * @param out     receives φ, length {@code >= lambdas.length}
     */
    public void density(double[] lambdas, double sigma, double[] out) {
        checkGrid(lambdas, sigma, out, "density");
        broaden(lambdas, sigma, out, false, 0);
    }

    /**
     * Log-scale density over {@code u = log10|λ|}: {@code ψ(u) = (P/n_v) Σ τ² N(u; log10 max(|θ|, floor), σ_u²)}.
     * Integrates to P over u; signs are dropped ({@link #negativeFraction()} reports them) and nodes with
     * {@code |θ| <= floor} are piled up at {@code log10(floor)}.
     *
     * @param us     evaluation points in decades
     * @param sigmaU broadening in decades, {@code > 0}
     * @param floor  smallest resolved {@code |λ|}, {@code > 0}
     * @param out    receives ψ, length {@code >= us.length}
     */
    public void logDensity(double[] us, double sigmaU, double floor, double[] out) {
        checkGrid(us, sigmaU, out, "logDensity");
        if (!(floor > 0) || !Double.isFinite(floor)) {
            throw new IllegalArgumentException("StochasticLanczosQuadrature.logDensity: floor must be finite and > 0, got " + floor);
        }
        broaden(us, sigmaU, out, true, floor);
    }

    private void broaden(double[] xs, double sigma, double[] out, boolean logScale, double floor) {
        double norm = (double) dim / runs / (sigma * Math.sqrt(2 * Math.PI));
        double inv2s2 = 1 / (2 * sigma * sigma);
        java.util.Arrays.fill(out, 0, xs.length, 0.0);
        for (int r = 0; r < runs; r++) {
            for (int j = 0; j < counts[r]; j++) {
                double c = nodes[r * steps + j];
                if (logScale) {
                    c = Math.log10(Math.max(Math.abs(c), floor));
                }
                double wgt = norm * weights[r * steps + j];
                for (int i = 0; i < xs.length; i++) {
                    double d = xs[i] - c;
                    double e = d * d * inv2s2;
                    // beyond ~38σ the Gaussian is below 1e-300 of its peak
                    if (e < 700) {
                        out[i] += wgt * Math.exp(-e);
                    }
                }
            }
        }
    }

    private static void checkGrid(double[] xs, double sigma, double[] out, String who) {
        if (xs == null || out == null || out.length < xs.length) {
            throw new IllegalArgumentException("StochasticLanczosQuadrature." + who + ": grid and out must be non-null, out at least as long");
        }
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("StochasticLanczosQuadrature." + who + ": broadening must be finite and > 0, got " + sigma);
        }
    }

    private void checkRun(int r) {
        if (r < 0 || r >= runs) {
            throw new IndexOutOfBoundsException("run " + r + " outside [0, " + runs + ")");
        }
    }

    private void checkNode(int r, int j) {
        checkRun(r);
        if (j < 0 || j >= counts[r]) {
            throw new IndexOutOfBoundsException("node " + j + " outside [0, " + counts[r] + ") for run " + r);
        }
    }
}
