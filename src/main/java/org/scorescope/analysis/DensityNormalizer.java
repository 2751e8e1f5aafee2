package org.scorescope.analysis;

/**
 * Normalizes a log-unnormalized density {@code f = −E} sampled on a {@link Grid2D}.
 *
 * <p>All integrals are trapezoidal quadrature over the <em>view box only</em>
 * ({@link Grid2D#quadratureWeight}): {@code log Z = log Σ_k w_k exp(f_k)}, evaluated with the log-sum-exp
 * shift {@code m = max f} so that energies in the thousands neither overflow nor underflow. The returned
 * densities therefore integrate to one over the box, which equals the true normalization only if the box
 * holds essentially all of the mass; {@link #massInBox} reports how much of a properly normalized density
 * the box holds.
 *
 * <p>{@code f_k = −∞} is allowed (zero density); {@code NaN} and {@code +∞} are rejected with the node
 * index. Stateless and thread-safe.
 */
public final class DensityNormalizer {
    private DensityNormalizer() {
    }

    /**
     * {@code log Z = m + log Σ_k w_k exp(f_k − m)}, {@code m = max_k f_k}, with trapezoidal weights.
     *
     * @param grid         the grid
     * @param logUnnormed  {@code f} on the grid, length {@code nx·ny}
     * @return {@code log Z} over the box; {@code −∞} if every value is {@code −∞}
     * @throws IllegalArgumentException if a value is NaN or {@code +∞} (with its index)
     */
    public static double logZ(Grid2D grid, double[] logUnnormed) {
        grid.requireLength("logUnnormed", logUnnormed, grid.size());
        int nx = grid.nx();
        int ny = grid.ny();
        double m = Double.NEGATIVE_INFINITY;
        int n = grid.size();
        for (int k = 0; k < n; k++) {
            double v = logUnnormed[k];
            if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("DensityNormalizer: log density at node " + k + " (ix=" + (k % nx)
                        + ", iy=" + (k / nx) + ") is " + v + "; only finite values or -Infinity are allowed");
            }
            if (v > m) {
                m = v;
            }
        }
        if (m == Double.NEGATIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        double s = 0;
        for (int iy = 0; iy < ny; iy++) {
            for (int ix = 0; ix < nx; ix++) {
                s += grid.quadratureWeight(ix, iy) * Math.exp(logUnnormed[iy * nx + ix] - m);
            }
        }
        return m + Math.log(s);
    }

    /**
     * Normalized log density {@code log p_k = f_k − log Z} (box quadrature).
     *
     * @param grid        the grid
     * @param logUnnormed {@code f}, length {@code nx·ny}
     * @param out         receives {@code log p}; may be the same array as {@code logUnnormed}
     * @return {@code log Z}
     * @throws IllegalArgumentException on NaN/{@code +∞} input or if all values are {@code −∞}
     */
    public static double logDensity(Grid2D grid, double[] logUnnormed, double[] out) {
        double lz = requireNormalizable(logZ(grid, logUnnormed));
        grid.requireLength("out", out, grid.size());
        for (int k = 0, n = grid.size(); k < n; k++) {
            out[k] = logUnnormed[k] - lz;
        }
        return lz;
    }

    /**
     * Normalized density {@code p_k = exp(f_k − log Z)} (box quadrature, so {@code Σ w_k p_k = 1}).
     *
     * @param grid        the grid
     * @param logUnnormed {@code f}, length {@code nx·ny}
     * @param out         receives {@code p}; may be the same array as {@code logUnnormed}
     * @return {@code log Z}
     * @throws IllegalArgumentException on NaN/{@code +∞} input or if all values are {@code −∞}
     */
    public static double density(Grid2D grid, double[] logUnnormed, double[] out) {
        double lz = requireNormalizable(logZ(grid, logUnnormed));
        grid.requireLength("out", out, grid.size());
        for (int k = 0, n = grid.size(); k < n; k++) {
            out[k] = Math.exp(logUnnormed[k] - lz);
        }
        return lz;
    }

    /**
     * Mass the view box holds of a density whose log is already normalized over the whole plane:
     * {@code Σ_k w_k exp(log p_k) ≈ ∫_box p}, by trapezoidal quadrature over the box only (mass outside
     * the box is by construction invisible here). Values slightly above 1 are quadrature error.
     *
     * @param grid          the grid
     * @param logNormalized {@code log p} normalized over ℝ², length {@code nx·ny}
     * @return the mass fraction covered by the box
     */
    public static double massInBox(Grid2D grid, double[] logNormalized) {
        double lz = logZ(grid, logNormalized);
        return Math.exp(lz);
    }

    /**
     * Quadrature mass of a density on the part of the box where it is at least a threshold:
     * {@code Σ_k w_k p_k [p_k >= t]}.
     *
     * @param grid      the grid
     * @param density   {@code p >= 0}, length {@code nx·ny}
     * @param threshold {@code t}
     * @return the mass in the super-level set (box quadrature)
     * @throws IllegalArgumentException if a value is negative, NaN or infinite (with its index)
     */
    public static double massAbove(Grid2D grid, double[] density, double threshold) {
        grid.requireLength("density", density, grid.size());
        int nx = grid.nx();
        double s = 0;
        for (int iy = 0; iy < grid.ny(); iy++) {
            for (int ix = 0; ix < nx; ix++) {
                double p = density[iy * nx + ix];
                if (!(p >= 0) || p == Double.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("DensityNormalizer.massAbove: density at node " + (iy * nx + ix)
                            + " (ix=" + ix + ", iy=" + iy + ") is " + p + "; a density must be finite and >= 0");
                }
                if (p >= threshold) {
                    s += grid.quadratureWeight(ix, iy) * p;
                }
            }
        }
        return s;
    }

    private static double requireNormalizable(double lz) {
        if (lz == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("DensityNormalizer: every log density value is -Infinity; nothing to normalize");
        }
        return lz;
    }
}
