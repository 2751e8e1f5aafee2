package org.scorescope.analysis;

import java.util.Arrays;

/**
 * The outcome of one parameter-Hessian analysis H = ∇²_θ L(θ) (see {@link ParameterHessian}): the
 * eigenvalues that the method resolved, ascending, optional unit eigenvectors, the trace, timings and
 * diagnostics. Arrays are defensive copies on the way out; the record is immutable.
 *
 * <p>What the fields hold per method:
 * <ul>
 *   <li>{@code FULL}: all P eigenvalues of the symmetrized dense H; {@code trace = Σ_i H_ii} exactly
 *       ({@code traceStandardError = 0}); {@code asymmetry} is {@code max|H_ij − H_ji| / max|H_ij|} measured
 *       before symmetrizing.</li>
 *   <li>{@code LANCZOS}: the k smallest and k largest Ritz values, ascending; the trace is a Hutchinson
 *       estimate (NaN with no probes) with its standard error; {@code converged} says whether every requested
 *       Ritz pair met the residual test.</li>
 *   <li>{@code SLQ}: no eigenvalues; {@code densityNodes}/{@code densityWeights} are the pooled Gauss
 *       quadrature nodes θ_j and scaled weights (P/n_v)·τ_j², which sum to P; the trace is the quadrature
 *       estimate Σ_j w_j θ_j.</li>
 * </ul>
 *
 * @param method      how the spectrum was obtained
 * @param parameters  P, the length of θ
 * @param spectrum    the resolved eigenvalues and, if requested, their eigenvectors
 * @param diagnostics the trace and the accuracy measures
 * @param cost        timings, threads and the number of Hessian-vector products
 * @param density     the SLQ spectral density, or null (FULL, LANCZOS)
 */
public record ParameterHessianResult(ParameterHessian.Method method, int parameters, Spectrum spectrum,
                                     Diagnostics diagnostics, Cost cost, Density density) {

    /**
     * The resolved eigenvalues, ascending, and optionally their unit eigenvectors. The arrays are copied in and
     * out, so the part is immutable.
     *
     * @param eigenvalues  resolved eigenvalues, ascending (empty for SLQ; null is read as empty)
     * @param eigenvectors row-major {@code eigenvalues.length × P}, row i the unit eigenvector of
     *                     {@code eigenvalues[i]}; null when not requested (the outer record checks the shape)
     */
    public record Spectrum(double[] eigenvalues, double[] eigenvectors) {
        /** Checks the order and copies the arrays in. */
        public Spectrum {
            eigenvalues = eigenvalues == null ? new double[0] : eigenvalues.clone();
            for (int i = 1; i < eigenvalues.length; i++) {
                if (!(eigenvalues[i - 1] <= eigenvalues[i])) {
                    throw new IllegalArgumentException("ParameterHessianResult: eigenvalues must be ascending, but ["
                            + (i - 1) + "] = " + eigenvalues[i - 1] + " > [" + i + "] = " + eigenvalues[i]);
                }
            }
            eigenvectors = eigenvectors == null ? null : eigenvectors.clone();
        }

        /** @return a copy of the resolved eigenvalues, ascending */
        @Override
        public double[] eigenvalues() {
            return eigenvalues.clone();
        }

        /** @return a copy of the row-major eigenvectors, or null */
        @Override
        public double[] eigenvectors() {
            return eigenvectors == null ? null : eigenvectors.clone();
        }
    }

    /**
     * The trace and how far the result can be trusted.
     *
     * @param trace              tr(H), exact or estimated (see above)
     * @param traceStandardError standard error of the trace estimate; 0 when exact, NaN when not estimated
     * @param asymmetry          relative asymmetry of the assembled H (FULL only; NaN otherwise)
     * @param converged          whether the method met its accuracy criterion (always true for FULL and SLQ)
     */
    public record Diagnostics(double trace, double traceStandardError, double asymmetry, boolean converged) {
    }

    /**
     * What the analysis cost.
     *
     * @param buildMillis           wall time to assemble H (FULL) or to run the Krylov iteration (LANCZOS, SLQ)
     * @param decomposeMillis       wall time of the dense eigen-decomposition (FULL; 0 otherwise)
     * @param traceMillis           wall time of the trace estimate (LANCZOS; 0 otherwise)
     * @param threads               worker threads used for the Hessian-vector products
     * @param hessianVectorProducts number of products H·v evaluated (columns for FULL)
     */
    public record Cost(long buildMillis, long decomposeMillis, long traceMillis, int threads,
                       int hessianVectorProducts) {
    }

    /**
     * The SLQ spectral density. The arrays are copied in and out, so the part is immutable.
     *
     * @param densityNodes   the pooled Gauss quadrature nodes θ_j
     * @param densityWeights the scaled weights (P/n_v)·τ_j², summing to P, one per node
     */
    public record Density(double[] densityNodes, double[] densityWeights) {
        /** Requires both arrays with equal lengths and copies them in. */
        public Density {
            if (densityNodes == null || densityWeights == null || densityNodes.length != densityWeights.length) {
                throw new IllegalArgumentException("ParameterHessianResult: density nodes and weights must both be"
                        + " given, with equal lengths");
            }
            densityNodes = densityNodes.clone();
            densityWeights = densityWeights.clone();
        }

        /** @return a copy of the nodes */
        @Override
        public double[] densityNodes() {
            return densityNodes.clone();
        }

        /** @return a copy of the weights */
        @Override
        public double[] densityWeights() {
            return densityWeights.clone();
        }
    }

    /** Validates the method, P and the eigenvector shape; the parts check the rest. */
    public ParameterHessianResult {
        if (method == null) {
            throw new IllegalArgumentException("ParameterHessianResult: method must not be null");
        }
        if (parameters < 1) {
            throw new IllegalArgumentException("ParameterHessianResult: parameters must be >= 1, got " + parameters);
        }
        if (spectrum == null || diagnostics == null || cost == null) {
            throw new IllegalArgumentException("ParameterHessianResult: spectrum, diagnostics and cost must be set");
        }
        if (spectrum.eigenvectors != null
                && spectrum.eigenvectors.length != (long) spectrum.eigenvalues.length * parameters) {
            throw new IllegalArgumentException("ParameterHessianResult: eigenvectors need "
                    + spectrum.eigenvalues.length + " × " + parameters + " entries, got " + spectrum.eigenvectors.length);
        }
    }

    /** @return a copy of the resolved eigenvalues, ascending */
    public double[] eigenvalues() {
        return spectrum.eigenvalues();
    }

    /** @return a copy of the row-major eigenvectors ({@code eigenvalues().length × P}), or null */
    public double[] eigenvectors() {
        return spectrum.eigenvectors();
    }

    /** @return a copy of the SLQ nodes θ_j, or null */
    public double[] densityNodes() {
        return density == null ? null : density.densityNodes();
    }

    /** @return a copy of the SLQ weights (P/n_v)·τ_j², summing to P, or null */
    public double[] densityWeights() {
        return density == null ? null : density.densityWeights();
    }

    /** @return see {@link Diagnostics#trace()} */
    public double trace() {
        return diagnostics.trace();
    }

    /** @return see {@link Diagnostics#traceStandardError()} */
    public double traceStandardError() {
        return diagnostics.traceStandardError();
    }

    /** @return see {@link Diagnostics#asymmetry()} */
    public double asymmetry() {
        return diagnostics.asymmetry();
    }

    /** @return see {@link Diagnostics#converged()} */
    public boolean converged() {
        return diagnostics.converged();
    }

    /** @return see {@link Cost#buildMillis()} */
    public long buildMillis() {
        return cost.buildMillis();
    }

    /** @return see {@link Cost#decomposeMillis()} */
    public long decomposeMillis() {
        return cost.decomposeMillis();
    }

    /** @return see {@link Cost#traceMillis()} */
    public long traceMillis() {
        return cost.traceMillis();
    }

    /** @return see {@link Cost#threads()} */
    public int threads() {
        return cost.threads();
    }

    /** @return see {@link Cost#hessianVectorProducts()} */
    public int hessianVectorProducts() {
        return cost.hessianVectorProducts();
    }

    /** @return whether eigenvectors are present */
    public boolean hasEigenvectors() {
        return spectrum.eigenvectors != null;
    }

    /**
     * Copies one eigenvector.
     *
     * @param i index into {@link #eigenvalues()} (ascending order)
     * @return the unit eigenvector of eigenvalue i, length P
     * @throws IllegalStateException if eigenvectors were not computed
     */
    public double[] eigenvector(int i) {
        if (spectrum.eigenvectors == null) {
            throw new IllegalStateException("ParameterHessianResult: eigenvectors were not requested");
        }
        if (i < 0 || i >= spectrum.eigenvalues.length) {
            throw new IndexOutOfBoundsException("eigenvector " + i + " outside [0, " + spectrum.eigenvalues.length
                    + ")");
        }
        return Arrays.copyOfRange(spectrum.eigenvectors, i * parameters, (i + 1) * parameters);
    }

    /** @return the number of resolved eigenvalues λ &lt; 0 (for SLQ, where none are listed, 0) */
    public int negativeCount() {
        int c = 0;
        for (double v : spectrum.eigenvalues) {
            if (v < 0) {
                c++;
            }
        }
        return c;
    }

    /**
     * Dynamic range of the resolved spectrum in decades, log10 max|λ| − log10 min{|λ| : λ ≠ 0}; for SLQ the
     * quadrature nodes stand in for the eigenvalues. Eigenvalues at the rounding floor (about 1e-16·max|λ|)
     * count as nonzero here; {@link #spanDecades(double)} can exclude them.
     *
     * @return the span, 0 for a single nonzero magnitude, NaN when every value is 0 or none is listed
     */
    public double spanDecades() {
        return spanDecades(0);
    }

    /**
     * Dynamic range over the magnitudes above a relative floor: log10 max|λ| − log10 min{|λ| : |λ| > floor·max|λ|}.
     *
     * @param relativeFloor in [0, 1); e.g. P·ε to drop eigenvalues that are rounding noise
     * @return the span in decades, NaN when no value is above the floor
     */
    public double spanDecades(double relativeFloor) {
        if (!(relativeFloor >= 0 && relativeFloor < 1)) {
            throw new IllegalArgumentException("spanDecades: relative floor must be in [0, 1), got " + relativeFloor);
        }
        // The parts' arrays are read in place: nothing here writes them.
        double[] v = spectrum.eigenvalues.length > 0 || density == null ? spectrum.eigenvalues : density.densityNodes;
        double max = 0;
        for (double x : v) {
            max = Math.max(max, Math.abs(x));
        }
        if (max == 0) {
            return Double.NaN;
        }
        double cut = relativeFloor * max;
        double min = Double.POSITIVE_INFINITY;
        for (double x : v) {
            double a = Math.abs(x);
            if (a > cut && a < min) {
                min = a;
            }
        }
        return Math.log10(max) - Math.log10(min);
    }

    /** Unit roundoff of float64, ε = 2⁻⁵². */
    public static final double EPSILON = 2.220446049250313e-16;

    /**
     * The float64 noise floor of a dense decomposition of a P × P matrix, P·ε·max|λ|: eigenvalues of smaller magnitude
     * are rounding noise (a backward-stable solver perturbs the matrix by about that much in norm).
     *
     * @param p      P
     * @param values eigenvalues (or SLQ nodes)
     * @return P·ε·max|λ|, 0 for an empty or all-zero list
     */
    public static double noiseFloor(int p, double[] values) {
        double max = 0;
        for (double v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return Math.max(p, 1) * EPSILON * max;
    }

    /** @return {@link #noiseFloor(int, double[])} of the resolved eigenvalues (SLQ: of its nodes) */
    public double noiseFloor() {
        double[] v = spectrum.eigenvalues.length > 0 || density == null ? spectrum.eigenvalues : density.densityNodes;
        return noiseFloor(parameters, v);
    }

    /** @return {@link #spanDecades(double)} above the noise floor: decades of |λ| from max|λ| down to P·ε·max|λ| */
    public double spanAboveNoise() {
        return spanDecades(Math.min(0.5, Math.max(parameters, 1) * EPSILON));
    }

    /** @return the largest resolved eigenvalue (NaN when none is listed) */
    public double largest() {
        return spectrum.eigenvalues.length == 0 ? Double.NaN : spectrum.eigenvalues[spectrum.eigenvalues.length - 1];
    }

    /** @return the smallest resolved eigenvalue (NaN when none is listed) */
    public double smallest() {
        return spectrum.eigenvalues.length == 0 ? Double.NaN : spectrum.eigenvalues[0];
    }
}
