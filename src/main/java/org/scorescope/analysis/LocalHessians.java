package org.scorescope.analysis;

import java.util.Arrays;
import java.util.Optional;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Tensor;
import org.scorescope.model.ScoreModel;

/**
 * Local curvature of a model's log-density in x at a set of points: per point the D × D matrix
 * <ul>
 *   <li>M = ∇²ₓ log p(x) when the model defines log p (an energy: ∇²ₓ log p = −∇²ₓE), from the engine's
 *       batched Hessian (forward-over-reverse, D tangents, one pass) — symmetric by construction;</li>
 *   <li>otherwise M = ∂s/∂x, the Jacobian of the score s(x) (M_ij = ∂s_i/∂x_j), from the engine's batched
 *       Jacobian (D forward tangents). A score network's field need not be a gradient, so M may be
 *       asymmetric; the asymmetry ‖(M − Mᵀ)/2‖_F (and for D = 2 the curl M₂₁ − M₁₂) is reported and the
 *       eigen-analysis uses the symmetric part S = (M + Mᵀ)/2.</li>
 * </ul>
 * For each point the eigenvalues of S (ascending) and unit eigenvectors, the stiff direction (eigenvector
 * of the largest |λ|) and the sloppy one (smallest |λ|), and over the whole set a histogram of log10|λ|.
 * D = 2 uses the closed form of {@link LocalHessian2x2}; larger D uses {@link SymmetricEigen} per point.
 *
 * <p>Flat layouts: matrices (n × D × D, row-major per point), eigenvalues (n × D), eigenvectors
 * (n × D × D, row k of point i the eigenvector of eigenvalue k), directions (n × D). Immutable; arrays are
 * copied out.
 */
public final class LocalHessians {
    /** What the matrices are. */
    public enum Kind {
        /** ∇²ₓ log p, from a model with a log-density. */
        LOG_DENSITY_HESSIAN,
        /** ∂s/∂x, the score Jacobian of a model without one. */
        SCORE_JACOBIAN
    }

    /**
     * A histogram of log10|λ| over all eigenvalues of all points.
     *
     * @param lo        left edge of the first bin, in decades
     * @param hi        right edge of the last bin
     * @param counts    counts per bin (values at hi fall in the last bin)
     * @param zeros     eigenvalues exactly 0 (no logarithm)
     * @param negatives how many of the counted eigenvalues were negative (their |λ| is binned)
     * @param total     number of eigenvalues, zeros included
     */
    public record Histogram(double lo, double hi, int[] counts, int zeros, int negatives, int total) {
        /** Copies the counts in. */
        public Histogram {
            counts = counts.clone();
        }

        /** @return a copy of the counts per bin */
        @Override
        public int[] counts() {
            return counts.clone();
        }

        /** @return the bin width in decades */
        public double binWidth() {
            return (hi - lo) / counts.length;
        }

        /**
         * @param bin bin index
         * @return the bin's centre in decades
         */
        public double center(int bin) {
            return lo + (bin + 0.5) * binWidth();
        }
    }

    private final Kind kind;
    private final int n;
    private final int dim;
    private final double[] matrices;
    private final double[] values;
    private final double[] vectors;
    private final double[] asymmetry;

    private LocalHessians(Kind kind, int n, int dim, double[] matrices) {
        this.kind = kind;
        this.n = n;
        this.dim = dim;
        this.matrices = matrices;
        this.values = new double[n * dim];
        this.vectors = new double[n * dim * dim];
        this.asymmetry = new double[n];
        int dd = dim * dim;
        if (dim == 2) {
            double[] v2 = new double[2 * n];
            double[] dir = new double[2 * n];
            LocalHessian2x2.symmetricEigenBatch(matrices, n, v2, dir);
            for (int i = 0; i < n; i++) {
                // symmetricEigenBatch gives λ₁ ≥ λ₂ with (c, s) the eigenvector of λ₁; store ascending
                values[2 * i] = v2[2 * i + 1];
                values[2 * i + 1] = v2[2 * i];
                double c = dir[2 * i];
                double s = dir[2 * i + 1];
                vectors[4 * i] = -s;
                vectors[4 * i + 1] = c;
                vectors[4 * i + 2] = c;
                vectors[4 * i + 3] = s;
            }
        } else {
            double[] sym = new double[dd];
            double[] row = new double[dim];
            for (int i = 0; i < n; i++) {
                for (int r = 0; r < dim; r++) {
                    for (int c = 0; c < dim; c++) {
                        sym[r * dim + c] = 0.5 * (matrices[i * dd + r * dim + c] + matrices[i * dd + c * dim + r]);
                    }
                }
                SymmetricEigen e = SymmetricEigen.decompose(dim, sym, true, 0.0);
                for (int k = 0; k < dim; k++) {
                    values[i * dim + k] = e.value(k);
                    e.vector(k, row);
                    System.arraycopy(row, 0, vectors, i * dd + k * dim, dim);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int r = 0; r < dim; r++) {
                for (int c = r + 1; c < dim; c++) {
                    double a = 0.5 * (matrices[i * dd + r * dim + c] - matrices[i * dd + c * dim + r]);
                    s += 2 * a * a;
                }
            }
            asymmetry[i] = Math.sqrt(s);
        }
    }

    /**
     * Local matrices of a model at points.
     *
     * @param model  the architecture
     * @param theta  its parameters θ (P)
     * @param points n ≥ 1 points of D = model.inputDim() finite coordinates
     * @return the analysis ({@link Kind#LOG_DENSITY_HESSIAN} when the model has a log-density)
     */
    public static LocalHessians compute(ScoreModel model, double[] theta, double[][] points) {
        if (model == null) {
            throw new IllegalArgumentException("LocalHessians: model must not be null");
        }
        if (points == null || points.length == 0) {
            throw new IllegalArgumentException("LocalHessians: need at least one point");
        }
        int d = model.inputDim();
        double[] flat = new double[points.length * d];
        for (int i = 0; i < points.length; i++) {
            if (points[i] == null || points[i].length != d) {
                throw new IllegalArgumentException("LocalHessians: point " + i + " has "
                        + (points[i] == null ? "no" : String.valueOf(points[i].length)) + " coordinates, the model needs " + d);
            }
            System.arraycopy(points[i], 0, flat, i * d, d);
        }
        return compute(model, theta, flat, points.length);
    }

    /**
     * Local matrices on every node of a 2-D grid (node k = iy·nx + ix, as {@link Grid2D#points()}).
     *
     * @param model a model with D = 2
     * @param theta θ (P)
     * @param grid  the grid
     * @return the analysis, one matrix per node
     */
    public static LocalHessians onGrid(ScoreModel model, double[] theta, Grid2D grid) {
        if (model == null || grid == null) {
            throw new IllegalArgumentException("LocalHessians.onGrid: model and grid must not be null");
        }
        if (model.inputDim() != 2) {
            throw new IllegalArgumentException("LocalHessians.onGrid: a 2-D grid needs a model with D = 2, got D = "
                    + model.inputDim());
        }
        return compute(model, theta, grid.points(), grid.size());
    }

    /**
     * Local matrices at points given flat.
     *
     * @param model the architecture
     * @param theta θ (P)
     * @param flat  n × D coordinates, point i at [i·D, (i+1)·D), finite
     * @param n     number of points ≥ 1
     * @return the analysis
     */
    public static LocalHessians compute(ScoreModel model, double[] theta, double[] flat, int n) {
        if (model == null || theta == null) {
            throw new IllegalArgumentException("LocalHessians: model and θ must not be null");
        }
        int d = model.inputDim();
        if (n < 1 || flat == null || flat.length < (long) n * d) {
            throw new IllegalArgumentException("LocalHessians: need n >= 1 points with " + d + " coordinates each, got n = "
                    + n + " and " + (flat == null ? "no" : String.valueOf(flat.length)) + " values");
        }
        for (int i = 0; i < n * d; i++) {
            if (!Double.isFinite(flat[i])) {
                throw new IllegalArgumentException("LocalHessians: point " + (i / d) + ", coordinate " + (i % d) + " is "
                        + flat[i]);
            }
        }
        Tensor th = model.parameters(theta, false);
        Tensor x = Tensor.of(new int[] {n, d}, Arrays.copyOf(flat, n * d));
        Optional<Tensor> probe = Grad.noGrad(() -> model.logDensity(th, Tensor.zeros(1, d)));
        Kind kind = probe.isPresent() ? Kind.LOG_DENSITY_HESSIAN : Kind.SCORE_JACOBIAN;
        Tensor m = Grad.noGrad(() -> kind == Kind.LOG_DENSITY_HESSIAN
                ? Grad.batchHessian(z -> model.logDensity(th, z).orElseThrow(), x)
                : Grad.batchJacobian(z -> model.score(th, z), x));
        double[] data = m.toArray();
        for (int i = 0; i < data.length; i++) {
            if (!Double.isFinite(data[i])) {
                throw new IllegalStateException("LocalHessians: the model's " + (kind == Kind.LOG_DENSITY_HESSIAN
                        ? "Hessian" : "Jacobian") + " at point " + (i / (d * d)) + " is not finite (" + data[i] + ")");
            }
        }
        return new LocalHessians(kind, n, d, data);
    }

    /** @return what the matrices are */
    public Kind kind() {
        return kind;
    }

    /** @return the number of points */
    public int count() {
        return n;
    }

    /** @return D */
    public int dim() {
        return dim;
    }

    /** @return n × D × D matrices M (∇²ₓ log p or ∂s/∂x, row-major, M_ij = ∂s_i/∂x_j) */
    public double[] matrices() {
        return matrices.clone();
    }

    /**
     * @param i point
     * @param r row
     * @param c column
     * @return M_rc at point i
     */
    public double entry(int i, int r, int c) {
        return matrices[i * dim * dim + r * dim + c];
    }

    /** @return n × D eigenvalues of S = (M + Mᵀ)/2, ascending per point */
    public double[] eigenvalues() {
        return values.clone();
    }

    /** @return n × D × D unit eigenvectors of S (row k of point i belongs to eigenvalue k) */
    public double[] eigenvectors() {
        return vectors.clone();
    }

    /** @return per point ‖(M − Mᵀ)/2‖_F, zero (to rounding) for a log-density Hessian */
    public double[] asymmetry() {
        return asymmetry.clone();
    }

    /** @return max over points of ‖(M − Mᵀ)/2‖_F */
    public double maxAsymmetry() {
        double m = 0;
        for (double a : asymmetry) {
            m = Math.max(m, a);
        }
        return m;
    }

    /**
     * The curl M₂₁ − M₁₂ = ∂s_y/∂x − ∂s_x/∂y per point (D = 2 only).
     *
     * @return n values
     */
    public double[] curl() {
        if (dim != 2) {
            throw new IllegalStateException("LocalHessians.curl: defined for D = 2, this is D = " + dim);
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = LocalHessian2x2.curl(matrices[4 * i + 1], matrices[4 * i + 2]);
        }
        return out;
    }

    private int extremeIndex(int i, boolean largest) {
        int best = 0;
        for (int k = 1; k < dim; k++) {
            double a = Math.abs(values[i * dim + k]);
            double b = Math.abs(values[i * dim + best]);
            if (largest ? a > b : a < b) {
                best = k;
            }
        }
        return best;
    }

    /** @return per point the eigenvalue of S with the largest |λ| (the stiff curvature) */
    public double[] stiffValues() {
        return extremeValues(true);
    }

    /** @return per point the eigenvalue of S with the smallest |λ| (the sloppy curvature) */
    public double[] sloppyValues() {
        return extremeValues(false);
    }

    /** @return n × D unit stiff directions (eigenvectors of the largest |λ|) */
    public double[] stiffDirections() {
        return extremeVectors(true);
    }

    /** @return n × D unit sloppy directions (eigenvectors of the smallest |λ|) */
    public double[] sloppyDirections() {
        return extremeVectors(false);
    }

    private double[] extremeValues(boolean largest) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = values[i * dim + extremeIndex(i, largest)];
        }
        return out;
    }

    private double[] extremeVectors(boolean largest) {
        double[] out = new double[n * dim];
        for (int i = 0; i < n; i++) {
            int k = extremeIndex(i, largest);
            System.arraycopy(vectors, i * dim * dim + k * dim, out, i * dim, dim);
        }
        return out;
    }

    /**
     * Histogram of log10|λ| over all n·D eigenvalues, on [floor(min), ceil(max)] of the observed decades
     * (one decade when all magnitudes are equal).
     *
     * @param bins number of bins ≥ 1
     * @return the histogram
     */
    public Histogram log10Histogram(int bins) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (v != 0) {
                double u = Math.log10(Math.abs(v));
                lo = Math.min(lo, u);
                hi = Math.max(hi, u);
            }
        }
        if (lo > hi) {
            lo = 0;
            hi = 1;
        } else {
            lo = Math.floor(lo);
            hi = Math.max(Math.ceil(hi), lo + 1);
        }
        return log10Histogram(bins, lo, hi);
    }

    /**
     * Histogram of log10|λ| over all n·D eigenvalues on [lo, hi]; magnitudes outside are clamped into the
     * first or last bin, exact zeros are counted apart.
     *
     * @param bins number of bins ≥ 1
     * @param lo   left edge in decades, finite
     * @param hi   right edge, finite, &gt; lo
     * @return the histogram
     */
    public Histogram log10Histogram(int bins, double lo, double hi) {
        if (bins < 1) {
            throw new IllegalArgumentException("LocalHessians.log10Histogram: bins must be >= 1, got " + bins);
        }
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(hi > lo)) {
            throw new IllegalArgumentException("LocalHessians.log10Histogram: need finite lo < hi, got [" + lo + ", " + hi + "]");
        }
        int[] counts = new int[bins];
        int zeros = 0;
        int negatives = 0;
        double w = (hi - lo) / bins;
        for (double v : values) {
            if (v == 0) {
                zeros++;
                continue;
            }
            if (v < 0) {
                negatives++;
            }
            int b = (int) Math.floor((Math.log10(Math.abs(v)) - lo) / w);
            counts[Math.max(0, Math.min(bins - 1, b))]++;
        }
        return new Histogram(lo, hi, counts, zeros, negatives, values.length);
    }
}
