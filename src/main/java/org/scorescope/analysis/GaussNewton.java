package org.scorescope.analysis;

import org.scorescope.autodiff.Blas;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Ops;
import org.scorescope.autodiff.Tensor;
import org.scorescope.model.ScoreModel;

/**
 * The Gauss–Newton matrix of a score model on a fixed batch,
 * <pre>
 *   G = (1/N) Σ_i J_iᵀ J_i = Uᵀ U,   J_i = ∂s(x_i; θ)/∂θ  (D × P),   U = [J_1; …; J_N] / √N  ((N·D) × P),
 * </pre>
 * the curvature of the ½‖s‖² term of the score-matching losses with the second derivatives of s dropped: the
 * JᵀJ of sloppy-model analyses. It is positive semidefinite with rank ≤ N·D, so its P eigenvalues are the N·D
 * eigenvalues of the small Gram matrix U Uᵀ (the squared singular values of U) followed by P − N·D exact
 * zeros, and its unit eigenvectors are v = Uᵀw/√μ for the Gram eigenpairs (μ, w) with μ &gt; 0.
 *
 * <p>U is built row by row from the engine: for each point a one-point score graph and D reverse passes
 * ({@link Grad#jacobian}), O(N·D) passes of a one-point network. It does not depend on the objective. Immutable.
 */
public final class GaussNewton implements LinearOperator {
    private final int p;
    private final int rows;
    /** U, row-major (N·D) × P, already divided by √N. */
    private final double[] u;
    private final long buildMillis;

    private GaussNewton(int p, int rows, double[] u, long buildMillis) {
        this.p = p;
        this.rows = rows;
        this.u = u;
        this.buildMillis = buildMillis;
    }

    /**
     * Builds U at θ on the batch.
     *
     * @param model the architecture
     * @param theta θ (P), not modified
     * @param x     batch, row-major N × D, finite
     * @param n     N ≥ 1
     * @return the Gauss–Newton matrix in factored form
     * @throws IllegalArgumentException on bad sizes or a non-finite derivative
     */
    public static GaussNewton compute(ScoreModel model, double[] theta, double[] x, int n) {
        int d = model.inputDim();
        int p = model.parameterCount();
        if (theta == null || theta.length != p || n < 1 || x == null || x.length != n * d) {
            throw new IllegalArgumentException("GaussNewton: θ needs " + p + " values and x " + n + "·" + d);
        }
        long t0 = System.nanoTime();
        Tensor th = model.parameters(theta, false);
        double[] u = new double[n * d * p];
        double sc = 1.0 / Math.sqrt(n);
        for (int i = 0; i < n; i++) {
            double[] xi = new double[d];
            System.arraycopy(x, i * d, xi, 0, d);
            Tensor pt = Tensor.of(new int[] {1, d}, xi);
            double[] jac = Grad.noGrad(() -> Grad.jacobian(t -> Ops.reshape(model.score(t, pt), d), th)).toArray();
            for (int q = 0; q < d * p; q++) {
                double v = jac[q] * sc;
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("GaussNewton: ∂s/∂θ at point " + i + " is not finite (" + jac[q] + ")");
                }
                u[i * d * p + q] = v;
            }
        }
        return new GaussNewton(p, n * d, u, (System.nanoTime() - t0) / 1_000_000);
    }

    /** @return N·D, the number of rows of U and the bound on the rank of G */
    public int rows() {
        return rows;
    }

    /** @return wall time of {@link #compute} in ms */
    public long buildMillis() {
        return buildMillis;
    }

    /**
     * @param r row of U (point r / D, output r % D)
     * @param q parameter index
     * @return U[r, q] = ∂s_{r%D}(x_{r/D})/∂θ_q / √N
     */
    public double u(int r, int q) {
        return u[r * p + q];
    }

    @Override
    public int dim() {
        return p;
    }

    /** out = Uᵀ(U v): two matrix-vector products, 2·N·D·P multiply-adds. */
    @Override
    public void apply(double[] v, double[] out) {
        if (v.length != p || out.length != p) {
            throw new IllegalArgumentException("GaussNewton.apply: vectors must have length " + p);
        }
        double[] uv = new double[rows];
        Blas.gemm(u, 0, false, v, 0, false, uv, 0, rows, p, 1);
        Blas.gemm(u, 0, true, uv, 0, false, out, 0, p, rows, 1);
    }

    /** @return the dense G = UᵀU, row-major P × P, exactly symmetric */
    public double[] dense() {
        double[] g = new double[p * p];
        Blas.gemm(u, 0, true, u, 0, false, g, 0, p, rows, p);
        DenseSymmetric.symmetrize(p, g);
        return g;
    }

    /** @return tr G = ‖U‖²_F */
    public double trace() {
        double s = 0;
        for (double v : u) {
            s += v * v;
        }
        return s;
    }

    /**
     * All P eigenvalues of G from the (N·D) × (N·D) Gram matrix U Uᵀ, ascending: P − rank zeros (the Gram
     * eigenvalues that round to ≤ 0 are reported as 0, G being PSD) then the positive ones.
     *
     * @param vectors whether to return the unit eigenvectors too (P × P doubles; the zero eigenvalues get
     *                zero rows: G's null space is not computed)
     * @return eigenvalues ascending and, if asked, eigenvectors row by row
     */
    public ParameterHessianResult.Spectrum spectrum(boolean vectors) {
        return spectrum(gramEigen(vectors), vectors);
    }

    private ParameterHessianResult.Spectrum spectrum(SymmetricEigen eig, boolean vectors) {
        int m = Math.min(rows, p);
        double[] values = new double[p];
        double[] vecs = vectors ? new double[p * p] : null;
        double[] w = new double[rows];
        // Gram eigenvalues ascend; the largest m of them are G's nonzero candidates, placed at the end.
        for (int k = 0; k < m; k++) {
            int src = rows - m + k;
            double mu = Math.max(0, eig.value(src));
            int dst = p - m + k;
            values[dst] = mu;
            if (vectors && mu > 0) {
                eig.vector(src, w);
                double[] v = new double[p];
                Blas.gemm(u, 0, true, w, 0, false, v, 0, p, rows, 1);
                // ‖Uᵀw‖ = √μ in exact arithmetic; normalizing by the computed norm keeps small-μ vectors unit.
                double nn = 0;
                for (double c : v) {
                    nn += c * c;
                }
                double inv = 1.0 / Math.sqrt(nn);
                for (int q = 0; q < p; q++) {
                    vecs[dst * p + q] = v[q] * inv;
                }
            }
        }
        return new ParameterHessianResult.Spectrum(values, vecs);
    }

    /**
     * All P eigenvalues of G with any eigenvector on demand, from one decomposition of the Gram matrix (holds U and
     * the Gram eigenvectors, (N·D)·(P + N·D) doubles). For an eigenvalue μ above the float64 floor P·ε·μmax the
     * vector is Uᵀw/‖Uᵀw‖ for the Gram eigenvector w; for a zero eigenvalue (P − N·D of them) or one below the floor
     * it is a direction of U's numerical null space: a random vector seeded by its index with its components along
     * {Uᵀw_j/√μ_j : μ_j above the floor} removed (twice, for orthogonality to working accuracy), so ‖Gv‖ ≤ the floor.
     *
     * @return the on-demand eigenvectors of G
     */
    public EigenvectorSource eigenvectors() {
        SymmetricEigen eig = gramEigen(true);
        double[] values = spectrum(eig, false).eigenvalues();
        double floor = ParameterHessianResult.noiseFloor(p, values);
        return new EigenvectorSource() {
            @Override
            public int dim() {
                return p;
            }

            @Override
            public double[] eigenvalues() {
                return values.clone();
            }

            @Override
            public Eigenpair eigenpair(int k) {
                if (k < 0 || k >= p) {
                    throw new IndexOutOfBoundsException("GaussNewton: eigenvalue " + k + " outside [0, " + p + ")");
                }
                int m = Math.min(rows, p);
                double[] v = new double[p];
                double[] w = new double[rows];
                // below the floor Uᵀw/√μ amplifies w's rounding by √(μmax/μ): such a μ is taken as the zero it is
                if (values[k] > floor) {
                    eig.vector(rows - m + (k - (p - m)), w);
                    Blas.gemm(u, 0, true, w, 0, false, v, 0, p, rows, 1);
                } else {
                    java.util.SplittableRandom r = new java.util.SplittableRandom(0x5EEDL * 31 + k);
                    for (int q = 0; q < p; q++) {
                        v[q] = r.nextGaussian();
                    }
                    for (int pass = 0; pass < 2; pass++) {
                        removeRange(eig, floor, v);
                    }
                }
                HouseholderEigenvectors.normalize(v);
                double[] gv = new double[p];
                apply(v, gv);
                double res = 0;
                for (int q = 0; q < p; q++) {
                    double t = gv[q] - values[k] * v[q];
                    res += t * t;
                }
                return new Eigenpair(k, values[k], v, Math.sqrt(res), EigenvectorSource.gap(values, k), floor);
            }
        };
    }

    /** v −= Σ_j q_j (q_jᵀ v) over q_j = Uᵀw_j/√μ_j with μ_j above the cut: v's part in the range of G, removed. */
    private void removeRange(SymmetricEigen eig, double cut, double[] v) {
        double[] uv = new double[rows];
        Blas.gemm(u, 0, false, v, 0, false, uv, 0, rows, p, 1);
        // q_jᵀv = w_jᵀ(Uv)/√μ_j, and Σ_j q_j c_j = Uᵀ Σ_j w_j c_j/√μ_j
        double[] coef = new double[rows];
        double[] w = new double[rows];
        for (int j = 0; j < rows; j++) {
            double mu = eig.value(j);
            if (!(mu > cut)) {
                continue;
            }
            eig.vector(j, w);
            double c = 0;
            for (int i = 0; i < rows; i++) {
                c += w[i] * uv[i];
            }
            c /= mu;
            for (int i = 0; i < rows; i++) {
                coef[i] += c * w[i];
            }
        }
        double[] back = new double[p];
        Blas.gemm(u, 0, true, coef, 0, false, back, 0, p, rows, 1);
        for (int q = 0; q < p; q++) {
            v[q] -= back[q];
        }
    }

    /** The eigen-decomposition of the (N·D) × (N·D) Gram matrix U Uᵀ, whose nonzero eigenvalues are G's. */
    private SymmetricEigen gramEigen(boolean vectors) {
        double[] gram = new double[rows * rows];
        Blas.gemm(u, 0, false, u, 0, true, gram, 0, rows, p, rows);
        DenseSymmetric.symmetrize(rows, gram);
        return SymmetricEigen.decomposeInPlace(rows, gram, vectors, 0);
    }
}
