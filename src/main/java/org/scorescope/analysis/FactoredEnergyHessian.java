package org.scorescope.analysis;

import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Blas;
import org.scorescope.autodiff.Simd;
import org.scorescope.autodiff.Tensor;
import org.scorescope.model.EnergyMlp;
import org.scorescope.model.Mlp;
import org.scorescope.model.ScoreModel;
import org.scorescope.objective.ExactScoreMatching;
import org.scorescope.objective.Objective;

/**
 * The exact parameter Hessian of exact score matching for an energy MLP with two hidden layers, in a
 * factored form that is built without any Hessian-vector product and applied in O(P·N·D).
 *
 * <p>Model and loss: E(x) = w₃·σ(W₂σ(W₁x + b₁) + b₂) + b₃, s = −∇ₓE, and
 * L(θ) = (1/N) Σ_i ℓ_i with ℓ_i = −ΔE(x_i) + ½‖∇ₓE(x_i)‖² (Hyvärinen's tr ∂s/∂x + ½‖s‖²).
 *
 * <p>Why it is cheap: per sample, ℓ depends on (W₂, b₂) only through the second layer's forward-Laplacian
 * streams Y = (y, ∂₁y … ∂_D y, Δy) = W₂·(a, ∂a, Δa) (+ b₂ on the value stream), which are linear in W₂,
 * and ℓ = −Σ_j w₃ⱼ u_j(Y_{·j}) + ½Σ_d g_d² with g_d = ∂_d E = Σ_j w₃ⱼ σ'(y_j) ∂_d y_j. Hence
 * <pre>
 *   H = (1/N) Σ_i [ Σ_d ∇_θ g_d ∇_θ g_dᵀ                       (Gauss–Newton part, rank N·D: U Uᵀ)
 *                 + Σ_j J_ijᵀ K_ij J_ij                         (unit j's (D+3)×(D+3) curvature K of
 *                                                                 (y_j, ∂y_j, Δy_j, w₃ⱼ) with g held fixed)
 *                 + Σ_{j,s} δ_{ijs} ∇²_θ Y_{ijs} ]              (Y is bilinear in W₂ and layer 1)
 * </pre>
 * with δ = ∂ℓ/∂Y. Grouping θ into row groups θ_j = (W₂[j,:], b₂ⱼ, w₃ⱼ) and the layer-1 group
 * p = (W₁, b₁), the second and third terms have only the blocks θ_j–θ_j (no coupling between rows),
 * θ_j–p and p–p, each a few matrix products over the batch. b₃ has zero rows. The activation enters
 * through σ … σ⁗ at both layers.
 *
 * <p>Cost for widths n₁ = n₂ = n, batch N, D = 2: the blocks take O(N·n³) multiply-adds, the dense
 * assembly adds U Uᵀ at P²·N·D/2; one product H·v costs about 2·P·N·D. Equal to the engine's
 * forward-over-reverse Hessian to rounding (tested); instances are immutable.
 */
public final class FactoredEnergyHessian implements LinearOperator {
    /** Doubles (256 MB) the factors may take; beyond it callers fall back to the engine's products. */
    private static final long MEMORY_BUDGET_DOUBLES = 1L << 25;
    /** Fixed work split of {@link #apply} (results independent of the thread count). */
    private static final int APPLY_CHUNKS = 4;
    /** Tile side of the U Uᵀ products in {@link #dense}: a packed 64 × TILE block of Uᵀ stays in L2. */
    private static final int TILE = 192;

    private final int p;
    private final int d;
    private final int n1;
    private final int n2;
    private final int np;
    private final int nt;
    private final int rows;
    /** θ index of local entry c of row group j (W₂[j,c] for c &lt; n₁, then b₂ⱼ, w₃ⱼ), at j·nt + c. */
    private final int[] thetaIndex;
    /** θ index of local layer-1 entry k(D+1) + e (W₁[k,e] for e &lt; D, then b₁ₖ). */
    private final int[] pIndex;
    /**
     * U (rows r = i·D + d hold ∂g_d(x_i)/∂θ / √N) in two parts. Its W₂ columns are rank two per row,
     * ∂g_d/∂W₂[j,k] = c0[r][j]·a0[i][k] + cd[i][j]·ad[r][k] with c0 = w₃σ''(y)∂_d y/√N, cd = w₃σ'(y)/√N,
     * a0 = σ(z₁), ad = σ'(z₁)W₁[:,d]; so U's products with W₂ run as four small matrix products instead of
     * streaming n₂·n₁ columns. {@code rest[r]} holds the other columns, θ indices [0, ow₂) then [ob₂, P).
     */
    private final double[][] rest;
    private final double[] c0;
    private final double[] cd;
    /** [a0; ad] stacked, (N + N·D) × n₁: one matrix product serves both parts of U's W₂ columns. */
    private final double[] aa;
    private final int n;
    private final int ow2;
    private final int nw2;
    /** θ_j–θ_j blocks, n₂ × nt × nt, already divided by N. */
    private final double[] tt;
    /** θ_j–p blocks, row j·nt + c of length np, already divided by N. */
    private final double[][] tp;
    /** p–p block, np × np, already divided by N. */
    private final double[] pp;

    private FactoredEnergyHessian(int p, int d, int n1, int n2, int rows, double[][] rest, double[] c0, double[] cd, double[] a0,
                                  double[] ad, double[] tt, double[][] tp,
                                  double[] pp) {
        this.p = p;
        this.d = d;
        this.n1 = n1;
        this.n2 = n2;
        this.np = n1 * (d + 1);
        this.nt = n1 + 2;
        int ob1 = n1 * d;
        this.ow2 = ob1 + n1;
        this.nw2 = n2 * n1;
        int ob2 = ow2 + nw2;
        int ow3 = ob2 + n2;
        this.rows = rows;
        this.thetaIndex = new int[n2 * nt];
        for (int j = 0; j < n2; j++) {
            for (int c = 0; c < nt; c++) {
                thetaIndex[j * nt + c] = c < n1 ? ow2 + j * n1 + c : c == n1 ? ob2 + j : ow3 + j;
            }
        }
        this.pIndex = new int[np];
        for (int a = 0; a < np; a++) {
            int k = a / (d + 1);
            int e = a % (d + 1);
            pIndex[a] = e < d ? k * d + e : ob1 + k;
        }
        this.rest = rest;
        this.c0 = c0;
        this.cd = cd;
        this.n = a0.length / n1;
        this.aa = new double[a0.length + ad.length];
        System.arraycopy(a0, 0, aa, 0, a0.length);
        System.arraycopy(ad, 0, aa, a0.length, ad.length);
        this.tt = tt;
        this.tp = tp;
        this.pp = pp;
    }

    /**
     * Whether this factorization applies: an {@link EnergyMlp} with exactly two hidden layers and an identity
     * output, trained by {@link ExactScoreMatching}, whose factors fit in 2²⁵ doubles (256 MB).
     *
     * @param model     the model
     * @param objective the objective
     * @param batch     evaluation batch size N
     * @return true when {@link #compute} accepts them
     */
    public static boolean supports(ScoreModel model, Objective objective, int batch) {
        if (!(objective instanceof ExactScoreMatching) || !(model instanceof EnergyMlp e)) {
            return false;
        }
        Mlp mlp = e.mlp();
        if (mlp.layerCount() != 3 || mlp.outputActivation() != Activation.IDENTITY) {
            return false;
        }
        int[] w = mlp.widths();
        long dd = w[0];
        long np = (long) w[1] * (dd + 1);
        long nt = w[1] + 2L;
        long doubles = (long) mlp.parameterCount() * batch * dd + w[2] * nt * (nt + np) + np * np
                + (dd + 3) * batch * (nt + np) * 2;
        return doubles <= MEMORY_BUDGET_DOUBLES;
    }

    /**
     * Builds the factors at θ on the batch x.
     *
     * @param model an energy MLP with two hidden layers and identity output
     * @param theta θ (P)
     * @param x     batch, row-major N × D
     * @param n     N ≥ 1
     * @return the factored Hessian of the exact score-matching loss
     * @throws IllegalArgumentException when the model is not of that shape or sizes disagree
     */
    public static FactoredEnergyHessian compute(EnergyMlp model, double[] theta, double[] x, int n) {
        return compute(model, theta, x, n, Simd.available());
    }

    /**
     * {@link #compute(EnergyMlp, double[], double[], int)} with the build's row updates through
     * {@link VectorKernels} or plain loops.
     */
    static FactoredEnergyHessian compute(EnergyMlp model, double[] theta, double[] x, int n, boolean simd) {
        Mlp mlp = model.mlp();
        int[] w = mlp.widths();
        if (mlp.layerCount() != 3 || mlp.outputActivation() != Activation.IDENTITY) {
            throw new IllegalArgumentException("FactoredEnergyHessian needs two hidden layers and an identity output");
        }
        if (theta.length != mlp.parameterCount() || n < 1 || x.length != n * w[0]) {
            throw new IllegalArgumentException("FactoredEnergyHessian: θ has " + theta.length + " values for P = "
                    + mlp.parameterCount() + ", x has " + x.length + " for N·D = " + n + "·" + w[0]);
        }
        return new Builder(mlp.activation(), w[0], w[1], w[2], theta, x, n, simd).build();
    }

    /** The arrays of one build; every name follows the class comment. */
    private static final class Builder {
        private final Activation act;
        private final boolean simd;
        private final int d;
        private final int n1;
        private final int n2;
        private final int n;
        private final int s;
        private final int v;
        private final int lap;
        private final int wrow;
        private final int np;
        private final int nt;
        private final int ob1;
        private final int ow2;
        private final int ob2;
        private final int ow3;
        private final int p;
        private final double[] th;
        private final double[] x;
        /** σ⁽ᵐ⁾ at layer 1 (r) and layer 2 (t), m = 0 … 4, each N × width. */
        private double[][] r;
        private double[][] t;
        /** q_k = ‖W₁[k,:]‖². */
        private final double[] q;
        /** Layer-1 streams a[s] and layer-2 streams y[s], N × n₁ and N × n₂. */
        private final double[][] a;
        private final double[][] y;
        /** g[i·D + d] = ∂_d E(x_i). */
        private final double[] g;
        /** K per (i, j): V × V. */
        private final double[] kk;
        /** δ[s] = ∂ℓ/∂Y_s and β[s] = W₂ᵀδ[s] per sample. */
        private final double[][] delta;
        private final double[][] beta;
        /** 𝒟: (S·N) × np, row s·N + i, column k(D+1) + e = ∂a_s,k(x_i)/∂p_{k,e}. */
        private final double[] dp;
        /** Stacked local Jacobians R: (V·N) × nt, row s·N + i. */
        private final double[] rr;

        Builder(Activation act, int d, int n1, int n2, double[] theta, double[] x, int n, boolean simd) {
            this.simd = simd;
            this.act = act;
            this.d = d;
            this.n1 = n1;
            this.n2 = n2;
            this.n = n;
            this.s = d + 2;
            this.v = s + 1;
            this.lap = d + 1;
            this.wrow = d + 2;
            this.np = n1 * (d + 1);
            this.nt = n1 + 2;
            this.ob1 = n1 * d;
            this.ow2 = ob1 + n1;
            this.ob2 = ow2 + n2 * n1;
            this.ow3 = ob2 + n2;
            this.p = ow3 + n2 + 1;
            this.th = theta;
            this.x = x;
            this.q = new double[n1];
            this.a = new double[s][n * n1];
            this.y = new double[s][n * n2];
            this.g = new double[n * d];
            this.kk = new double[n * n2 * v * v];
            this.delta = new double[s][n * n2];
            this.beta = new double[s][n * n1];
            this.dp = new double[s * n * np];
            this.rr = new double[v * n * nt];
        }

        FactoredEnergyHessian build() {
            forward();
            curvature();
            layerOneDerivatives();
            double[] tt = new double[n2 * nt * nt];
            double[][] tp = new double[n2 * nt][np];
            Blas.parallelFor(n2, j -> rowBlocks(j, tt, tp));
            double[] pp = layerOneBlock();
            double[][] rest = new double[n * d][p - n2 * n1];
            double[] c0 = new double[n * d * n2];
            double[] cd = new double[n * n2];
            double[] ad = new double[n * d * n1];
            gaussNewton(rest, c0, cd, ad);
            double inv = 1.0 / n;
            scale(tt, inv);
            for (double[] row : tp) {
                scale(row, inv);
            }
            scale(pp, inv);
            return new FactoredEnergyHessian(p, d, n1, n2, n * d, rest, c0, cd, a[0], ad, tt, tp, pp);
        }

        private double[][] derivatives(double[] z, int rowsCount, int cols) {
            Tensor zt = Tensor.of(new int[] {rowsCount, cols}, z);
            double[][] out = new double[5][];
            for (int m = 0; m <= 4; m++) {
                out[m] = act.derivative(zt, m).toArray();
            }
            return out;
        }

        /** Layer-1 and layer-2 Laplacian-jet streams, σ⁽ᵐ⁾ at both layers, and g = ∇ₓE. */
        private void forward() {
            double[] z1 = new double[n * n1];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < n1; k++) {
                    double z = th[ob1 + k];
                    for (int e = 0; e < d; e++) {
                        z += th[k * d + e] * x[i * d + e];
                    }
                    z1[i * n1 + k] = z;
                }
            }
            r = derivatives(z1, n, n1);
            for (int k = 0; k < n1; k++) {
                for (int e = 0; e < d; e++) {
                    q[k] += th[k * d + e] * th[k * d + e];
                }
            }
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < n1; k++) {
                    int ik = i * n1 + k;
                    a[0][ik] = r[0][ik];
                    for (int e = 0; e < d; e++) {
                        a[1 + e][ik] = r[1][ik] * th[k * d + e];
                    }
                    a[lap][ik] = r[2][ik] * q[k];
                }
            }
            for (int c = 0; c < s; c++) {
                Blas.gemm(a[c], 0, false, th, ow2, true, y[c], 0, n, n1, n2);
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n2; j++) {
                    y[0][i * n2 + j] += th[ob2 + j];
                }
            }
            t = derivatives(y[0], n, n2);
            for (int i = 0; i < n; i++) {
                for (int e = 0; e < d; e++) {
                    double sum = 0;
                    for (int j = 0; j < n2; j++) {
                        sum += th[ow3 + j] * t[1][i * n2 + j] * y[1 + e][i * n2 + j];
                    }
                    g[i * d + e] = sum;
                }
            }
        }

        /** K_ij (Hessian of unit j's term with g fixed), δ = ∂ℓ/∂Y and β = W₂ᵀδ. */
        private void curvature() {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n2; j++) {
                    int ij = i * n2 + j;
                    double w = th[ow3 + j];
                    double t1 = t[1][ij];
                    double t2 = t[2][ij];
                    double t3 = t[3][ij];
                    double t4 = t[4][ij];
                    double yl = y[lap][ij];
                    double qq = 0;
                    double gg = 0;
                    for (int e = 0; e < d; e++) {
                        double ye = y[1 + e][ij];
                        qq += ye * ye;
                        gg += g[i * d + e] * ye;
                    }
                    int b = ij * v * v;
                    kk[b] = -w * (t4 * qq + t3 * yl) + w * t3 * gg;
                    for (int e = 0; e < d; e++) {
                        double ye = y[1 + e][ij];
                        double ge = g[i * d + e];
                        set(b, 0, 1 + e, -2 * w * t3 * ye + w * t2 * ge);
                        kk[b + (1 + e) * v + 1 + e] = -2 * w * t2;
                        set(b, 1 + e, wrow, -2 * t2 * ye + t1 * ge);
                        delta[1 + e][ij] = -2 * w * t2 * ye + ge * w * t1;
                    }
                    set(b, 0, lap, -w * t2);
                    set(b, 0, wrow, -(t3 * qq + t2 * yl) + t2 * gg);
                    set(b, lap, wrow, -t1);
                    delta[0][ij] = -w * (t3 * qq + t2 * yl) + w * t2 * gg;
                    delta[lap][ij] = -w * t1;
                }
            }
            for (int c = 0; c < s; c++) {
                Blas.gemm(delta[c], 0, false, th, ow2, false, beta[c], 0, n, n2, n1);
            }
        }

        private void set(int base, int i, int j, double value) {
            kk[base + i * v + j] = value;
            kk[base + j * v + i] = value;
        }

        /** 𝒟 (first derivatives of the layer-1 streams in their unit's parameters) and R. */
        private void layerOneDerivatives() {
            int e1 = d + 1;
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < n1; k++) {
                    int ik = i * n1 + k;
                    double r1 = r[1][ik];
                    double r2 = r[2][ik];
                    double r3 = r[3][ik];
                    for (int e = 0; e <= d; e++) {
                        double xi = e < d ? x[i * d + e] : 1.0;
                        int col = k * e1 + e;
                        dp[i * np + col] = r1 * xi;
                        for (int c = 0; c < d; c++) {
                            dp[((1 + c) * n + i) * np + col] = r2 * th[k * d + c] * xi + (e == c ? r1 : 0.0);
                        }
                        dp[(lap * n + i) * np + col] = r3 * q[k] * xi + (e < d ? 2 * r2 * th[k * d + e] : 0.0);
                    }
                }
                for (int c = 0; c < s; c++) {
                    System.arraycopy(a[c], i * n1, rr, (c * n + i) * nt, n1);
                }
                rr[i * nt + n1] = 1.0;
                rr[(wrow * n + i) * nt + n1 + 1] = 1.0;
            }
        }

        /** y[yOff + i] += a·x[xOff + i] for i &lt; len; nothing for a = 0 (most of K is structurally zero). */
        private void axpy(double a, double[] x, int xOff, double[] y, int yOff, int len) {
            if (a == 0.0) {
                return;
            }
            if (simd) {
                VectorKernels.axpy(a, x, xOff, y, yOff, len);
                return;
            }
            for (int i = 0; i < len; i++) {
                y[yOff + i] += a * x[xOff + i];
            }
        }

        /** θ_j–θ_j = Rᵀ(K_j R) and θ_j–p = W₂[j,k]·(K_j R)ᵀ𝒟 + Σ δ ∂a/∂p (unscaled sums over the batch). */
        private void rowBlocks(int j, double[] tt, double[][] tp) {
            double[] lj = new double[v * n * nt];
            for (int i = 0; i < n; i++) {
                int b = (i * n2 + j) * v * v;
                for (int c = 0; c < v; c++) {
                    int out = (c * n + i) * nt;
                    for (int c2 = 0; c2 < v; c2++) {
                        axpy(kk[b + c * v + c2], rr, (c2 * n + i) * nt, lj, out, nt);
                    }
                }
            }
            Blas.gemm(rr, 0, true, lj, 0, false, tt, j * nt * nt, nt, v * n, nt);
            double[] tmp = new double[nt * np];
            Blas.gemm(lj, 0, true, dp, 0, false, tmp, 0, nt, s * n, np);
            int e1 = d + 1;
            for (int c = 0; c < nt; c++) {
                for (int k = 0; k < n1; k++) {
                    double w2 = th[ow2 + j * n1 + k];
                    for (int e = 0; e < e1; e++) {
                        tp[j * nt + c][k * e1 + e] = w2 * tmp[c * np + k * e1 + e];
                    }
                }
            }
            // Σ δ ∂a/∂p lands on the diagonal: row k of unit j gets entries k(D+1)…, all from y = Σ_ci δ_ci 𝒟_ci
            double[] y = new double[np];
            for (int c = 0; c < s; c++) {
                for (int i = 0; i < n; i++) {
                    axpy(delta[c][i * n2 + j], dp, (c * n + i) * np, y, 0, np);
                }
            }
            for (int k = 0; k < n1; k++) {
                for (int e = 0; e < e1; e++) {
                    tp[j * nt + k][k * e1 + e] += y[k * e1 + e];
                }
            }
        }

        /**
         * p–p = Σ_i Σ_{s,s'} 𝒟_is ∘ (W₂ᵀ diag(K_i[s,s']) W₂) ∘ 𝒟_is' + Σ_i Σ_s β_is ∂²a_s/∂p² (unscaled). The
         * stream pairs with structurally non-zero K are (0,0), (0,d), (0,Δ) and (d,d); a pair s &lt; s' and its
         * mirror give M + Mᵀ.
         */
        private double[] layerOneBlock() {
            // Distinct T's: K[0][0], K[0][d] (d = 1 … D) and K[d][d] = −2w₃σ'' (the same for every d), of which
            // K[0][Δ] = −w₃σ'' is half. Each use: rows of stream s, columns of stream s2, T index, factor.
            int nT = 2 + d;
            int uses = 2 + 2 * d;
            int[] us = new int[uses];
            int[] us2 = new int[uses];
            int[] ut = new int[uses];
            double[] uf = new double[uses];
            int m = 0;
            us[m] = 0;
            us2[m] = 0;
            ut[m] = 0;
            uf[m++] = 1;
            us[m] = 0;
            us2[m] = lap;
            ut[m] = 1 + d;
            uf[m++] = 0.5;
            for (int e = 0; e < d; e++) {
                us[m] = 0;
                us2[m] = 1 + e;
                ut[m] = 1 + e;
                uf[m++] = 1;
                us[m] = 1 + e;
                us2[m] = 1 + e;
                ut[m] = 1 + d;
                uf[m++] = 1;
            }
            int chunks = Math.min(n, 8);
            double[][][] sym = new double[chunks][][];
            double[][][] off = new double[chunks][][];
            Blas.parallelFor(chunks, ch -> {
                double[][] sy = new double[np][np];
                double[][] of = new double[np][np];
                double[] bm = new double[n2 * n1];
                double[][] tms = new double[nT][n1 * n1];
                double[] wr = new double[np];
                int e1 = d + 1;
                for (int i = ch * n / chunks; i < (ch + 1) * n / chunks; i++) {
                    for (int tIdx = 0; tIdx < nT; tIdx++) {
                        int kOff = tIdx <= d ? tIdx : v + 1;
                        for (int j = 0; j < n2; j++) {
                            double kv = kk[(i * n2 + j) * v * v + kOff];
                            for (int k = 0; k < n1; k++) {
                                bm[j * n1 + k] = kv * th[ow2 + j * n1 + k];
                            }
                        }
                        Blas.gemm(th, ow2, true, bm, 0, false, tms[tIdx], 0, n1, n2, n1);
                    }
                    for (int pr = 0; pr < uses; pr++) {
                        int c = us[pr];
                        int c2 = us2[pr];
                        double[] tm = tms[ut[pr]];
                        double f = uf[pr];
                        double[][] acc = c == c2 ? sy : of;
                        int rowB = (c2 * n + i) * np;
                        int rowA = (c * n + i) * np;
                        for (int k = 0; k < n1; k++) {
                            for (int k2 = 0; k2 < n1; k2++) {
                                double tv = f * tm[k * n1 + k2];
                                for (int e = 0; e < e1; e++) {
                                    wr[k2 * e1 + e] = tv * dp[rowB + k2 * e1 + e];
                                }
                            }
                            for (int e = 0; e < e1; e++) {
                                double cv = dp[rowA + k * e1 + e];
                                double[] out = acc[k * e1 + e];
                                for (int col = 0; col < np; col++) {
                                    out[col] += cv * wr[col];
                                }
                            }
                        }
                    }
                    secondOrderLayerOne(i, sy);
                }
                sym[ch] = sy;
                off[ch] = of;
            });
            double[] pp = new double[np * np];
            for (int ch = 0; ch < chunks; ch++) {
                for (int r0 = 0; r0 < np; r0++) {
                    for (int c0 = 0; c0 < np; c0++) {
                        pp[r0 * np + c0] += sym[ch][r0][c0] + off[ch][r0][c0] + off[ch][c0][r0];
                    }
                }
            }
            return pp;
        }

        /**
         * Σ_s β_s ∂²a_s,k/∂p_k² for sample i, per unit k: with ξ = (x_i, 1),
         * c·ξξᵀ + ξvᵀ + vξᵀ + 2β_Δσ''·I_D where c = β₀σ'' + Σ_d β_d σ'''W₁[k,d] + β_Δσ⁗q_k and
         * v_e = β_e σ'' + 2β_Δσ'''W₁[k,e].
         */
        private void secondOrderLayerOne(int i, double[][] sy) {
            int e1 = d + 1;
            for (int k = 0; k < n1; k++) {
                int ik = i * n1 + k;
                double r2 = r[2][ik];
                double r3 = r[3][ik];
                double r4 = r[4][ik];
                double bl = beta[lap][ik];
                double c = beta[0][ik] * r2 + bl * r4 * q[k];
                for (int e = 0; e < d; e++) {
                    c += beta[1 + e][ik] * r3 * th[k * d + e];
                }
                for (int e = 0; e < e1; e++) {
                    double xe = e < d ? x[i * d + e] : 1.0;
                    double ve = e < d ? beta[1 + e][ik] * r2 + 2 * bl * r3 * th[k * d + e] : 0.0;
                    for (int f = 0; f < e1; f++) {
                        double xf = f < d ? x[i * d + f] : 1.0;
                        double vf = f < d ? beta[1 + f][ik] * r2 + 2 * bl * r3 * th[k * d + f] : 0.0;
                        double h = c * xe * xf + xe * vf + ve * xf + (e == f && e < d ? 2 * bl * r2 : 0.0);
                        sy[k * e1 + e][k * e1 + f] += h;
                    }
                }
            }
        }

        /** The factors of U (see the field comment): row i·D + d is ∇_θ g_d(x_i)/√N. */
        private void gaussNewton(double[][] rest, double[] c0, double[] cd, double[] ad) {
            double sc = 1.0 / Math.sqrt(n);
            int shift = n2 * n1;
            double[] gam0 = new double[n1];
            double[] gamd = new double[n1];
            int e1 = d + 1;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n2; j++) {
                    cd[i * n2 + j] = sc * th[ow3 + j] * t[1][i * n2 + j];
                }
                java.util.Arrays.fill(gamd, 0.0);
                for (int j = 0; j < n2; j++) {
                    double cj = cd[i * n2 + j];
                    for (int k = 0; k < n1; k++) {
                        gamd[k] += th[ow2 + j * n1 + k] * cj;
                    }
                }
                for (int e = 0; e < d; e++) {
                    int r = i * d + e;
                    double[] ur = rest[r];
                    java.util.Arrays.fill(gam0, 0.0);
                    for (int j = 0; j < n2; j++) {
                        int ij = i * n2 + j;
                        double c = sc * th[ow3 + j] * t[2][ij] * y[1 + e][ij];
                        c0[r * n2 + j] = c;
                        ur[ob2 - shift + j] = c;
                        ur[ow3 - shift + j] = sc * t[1][ij] * y[1 + e][ij];
                        for (int k = 0; k < n1; k++) {
                            gam0[k] += th[ow2 + j * n1 + k] * c;
                        }
                    }
                    System.arraycopy(a[1 + e], i * n1, ad, r * n1, n1);
                    for (int k = 0; k < n1; k++) {
                        for (int f = 0; f < e1; f++) {
                            double val = gam0[k] * dp[i * np + k * e1 + f]
                                    + gamd[k] * dp[((1 + e) * n + i) * np + k * e1 + f];
                            ur[f < d ? k * d + f : ob1 + k] = val;
                        }
                    }
                }
            }
        }
    }

    private static void scale(double[] z, double c) {
        for (int i = 0; i < z.length; i++) {
            z[i] *= c;
        }
    }


    @Override
    public int dim() {
        return p;
    }

    /**
     * H·v = U(Uᵀv) + the block terms: about 2·P·N·D + n₂·nt·(nt + 2·np) + np² multiply-adds, in fixed chunks
     * on the engine's threads (the result does not depend on the thread count).
     */
    @Override
    public void apply(double[] vec, double[] out) {
        apply(vec, out, Simd.available());
    }

    /** {@link #apply(double[], double[])} with the θ_j–p rows through {@link VectorKernels} or plain loops. */
    void apply(double[] vec, double[] out, boolean simd) {
        if (vec.length != p || out.length != p) {
            throw new IllegalArgumentException("FactoredEnergyHessian.apply: vectors must have length " + p);
        }
        double[] vp = new double[np];
        for (int a = 0; a < np; a++) {
            vp[a] = vec[pIndex[a]];
        }
        int[] jb = bounds(n2, APPLY_CHUNKS);
        int[] rb = bounds(rows, APPLY_CHUNKS);
        double[][] opPart = new double[APPLY_CHUNKS][np];
        double[] blocks = new double[n2 * nt];
        double[] uv = new double[rows];
        double[] mm = new double[(n + rows) * n2];
        Blas.gemm(aa, 0, false, vec, ow2, true, mm, 0, n + rows, n1, n2);
        double[] vr = restPart(vec);
        // One parallel region for both independent halves: U·v by rows and the θ_j blocks by row groups.
        Blas.parallelFor(APPLY_CHUNKS, c -> {
            uTimesRows(vr, mm, uv, rb[c], rb[c + 1]);
            double[] vt = new double[nt];
            double[] dots = new double[nt];
            double[] op = opPart[c];
            for (int j = jb[c]; j < jb[c + 1]; j++) {
                for (int e = 0; e < nt; e++) {
                    vt[e] = vec[thetaIndex[j * nt + e]];
                }
                if (simd) {
                    VectorKernels.axpyDotRows(tp, j * nt, (j + 1) * nt, vt, vp, op, dots, np);
                } else {
                    for (int e = 0; e < nt; e++) {
                        double[] row = tp[j * nt + e];
                        double ve = vt[e];
                        for (int a = 0; a < np; a++) {
                            op[a] += ve * row[a];
                        }
                        dots[e] = dot(row, vp);
                    }
                }
                for (int e = 0; e < nt; e++) {
                    blocks[j * nt + e] = dots[e] + Lanczos.dot4(tt, (j * nt + e) * nt, vt, nt);
                }
            }
        });
        uTransposeTimes(uv, out);
        for (int q = 0; q < blocks.length; q++) {
            out[thetaIndex[q]] += blocks[q];
        }
        for (int a = 0; a < np; a++) {
            double sum = 0;
            for (double[] part : opPart) {
                sum += part[a];
            }
            for (int b = 0; b < np; b++) {
                sum += pp[a * np + b] * vp[b];
            }
            out[pIndex[a]] += sum;
        }
    }

    /** The rest columns' entries of a θ-vector (θ indices [0, ow₂) then [ob₂, P)). */
    private double[] restPart(double[] vec) {
        int pr = rest[0].length;
        double[] vr = new double[pr];
        System.arraycopy(vec, 0, vr, 0, ow2);
        System.arraycopy(vec, ow2 + nw2, vr, ow2, pr - ow2);
        return vr;
    }

    /**
     * Rows [r0, r1) of U·v: the rest columns by dot products, the W₂ columns from mm = [a0; ad]·V₂ᵀ weighted
     * by c0, cd.
     */
    private void uTimesRows(double[] vr, double[] mm, double[] uv, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int i = r / d;
            double sum = dot(rest[r], vr);
            for (int j = 0; j < n2; j++) {
                sum += c0[r * n2 + j] * mm[i * n2 + j] + cd[i * n2 + j] * mm[(n + r) * n2 + j];
            }
            uv[r] = sum;
        }
    }

    /** out = Uᵀ·w (overwrites all of out): rest columns as weighted row sums, W₂ as [e0; ed]ᵀ·[a0; ad]. */
    private void uTransposeTimes(double[] w, double[] out) {
        int pr = rest[0].length;
        double[] restOut = new double[pr];
        int[] qb = bounds(pr, APPLY_CHUNKS);
        Blas.parallelFor(APPLY_CHUNKS, c -> combineRows(w, restOut, qb[c], qb[c + 1]));
        System.arraycopy(restOut, 0, out, 0, ow2);
        System.arraycopy(restOut, ow2, out, ow2 + nw2, pr - ow2);
        double[] ee = new double[(n + rows) * n2];
        for (int r = 0; r < rows; r++) {
            int i = r / d;
            double wr = w[r];
            for (int j = 0; j < n2; j++) {
                ee[i * n2 + j] += wr * c0[r * n2 + j];
                ee[(n + r) * n2 + j] = wr * cd[i * n2 + j];
            }
        }
        Blas.gemm(ee, 0, true, aa, 0, false, out, ow2, n2, n + rows, n1);
    }

    private static double dot(double[] a, double[] b) {
        return Lanczos.dot4(a, 0, b, a.length);
    }

    /** out[q0, q1) = Σ_r w_r·rest[r][q0, q1), four rows per sweep. */
    private void combineRows(double[] w, double[] out, int q0, int q1) {
        java.util.Arrays.fill(out, q0, q1, 0.0);
        int r = 0;
        for (; r + 3 < rows; r += 4) {
            double w0 = w[r];
            double w1 = w[r + 1];
            double w2 = w[r + 2];
            double w3 = w[r + 3];
            double[] u0 = rest[r];
            double[] u1 = rest[r + 1];
            double[] u2 = rest[r + 2];
            double[] u3 = rest[r + 3];
            for (int q = q0; q < q1; q++) {
                out[q] += w0 * u0[q] + w1 * u1[q] + w2 * u2[q] + w3 * u3[q];
            }
        }
        for (; r < rows; r++) {
            double w0 = w[r];
            double[] u0 = rest[r];
            for (int q = q0; q < q1; q++) {
                out[q] += w0 * u0[q];
            }
        }
    }

    private static int[] bounds(int n, int chunks) {
        int[] b = new int[chunks + 1];
        for (int c = 0; c <= chunks; c++) {
            b[c] = (int) ((long) n * c / chunks);
        }
        return b;
    }

    /**
     * The dense Hessian, row-major P × P, exactly symmetric: U Uᵀ by square tiles of its lower triangle, each
     * written to both triangles, plus the symmetrized blocks (their own asymmetry is {@link #blockAsymmetry}).
     *
     * @return H
     * @throws IllegalArgumentException when P² does not fit in one array
     */
    public double[] dense() {
        if ((long) p * p > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a dense " + p + " × " + p + " Hessian does not fit in one array");
        }
        double[] ut = new double[p * rows];
        int pr = rest[0].length;
        for (int r = 0; r < rows; r++) {
            double[] ur = rest[r];
            for (int q = 0; q < pr; q++) {
                ut[(q < ow2 ? q : q + nw2) * rows + r] = ur[q];
            }
            int i = r / d;
            for (int j = 0; j < n2; j++) {
                double x0 = c0[r * n2 + j];
                double xd = cd[i * n2 + j];
                for (int k = 0; k < n1; k++) {
                    ut[(ow2 + j * n1 + k) * rows + r] = x0 * aa[i * n1 + k] + xd * aa[(n + r) * n1 + k];
                }
            }
        }
        double[] h = new double[p * p];
        int tiles = (p + TILE - 1) / TILE;
        int pairs = tiles * (tiles + 1) / 2;
        Blas.parallelFor(pairs, t -> {
            int bi = (int) ((Math.sqrt(8.0 * t + 1) - 1) / 2);
            while (bi * (bi + 1) / 2 > t) {
                bi--;
            }
            while ((bi + 1) * (bi + 2) / 2 <= t) {
                bi++;
            }
            int bj = t - bi * (bi + 1) / 2;
            int r0 = bi * TILE;
            int col0 = bj * TILE;
            int tm = Math.min(TILE, p - r0);
            int tn = Math.min(TILE, p - col0);
            double[] tmp = new double[tm * tn];
            Blas.gemm(ut, r0 * rows, false, ut, col0 * rows, true, tmp, 0, tm, rows, tn);
            for (int r = 0; r < tm; r++) {
                System.arraycopy(tmp, r * tn, h, (r0 + r) * p + col0, tn);
                if (bi != bj) {
                    for (int c = 0; c < tn; c++) {
                        h[(col0 + c) * p + r0 + r] = tmp[r * tn + c];
                    }
                }
            }
        });
        for (int j = 0; j < n2; j++) {
            for (int e = 0; e < nt; e++) {
                int row = thetaIndex[j * nt + e];
                for (int e2 = 0; e2 < nt; e2++) {
                    h[row * p + thetaIndex[j * nt + e2]] +=
                            0.5 * (tt[(j * nt + e) * nt + e2] + tt[(j * nt + e2) * nt + e]);
                }
                for (int a = 0; a < np; a++) {
                    double val = tp[j * nt + e][a];
                    int col = pIndex[a];
                    h[row * p + col] += val;
                    h[col * p + row] += val;
                }
            }
        }
        for (int a = 0; a < np; a++) {
            int row = pIndex[a];
            for (int b = 0; b < np; b++) {
                h[row * p + pIndex[b]] += 0.5 * (pp[a * np + b] + pp[b * np + a]);
            }
        }
        return h;
    }

    /** @return max |B_ab − B_ba| over the blocks that {@link #dense} symmetrizes (rounding in their products) */
    public double blockAsymmetry() {
        double worst = 0;
        for (int j = 0; j < n2; j++) {
            for (int e = 0; e < nt; e++) {
                for (int e2 = 0; e2 < e; e2++) {
                    worst = Math.max(worst, Math.abs(tt[(j * nt + e) * nt + e2] - tt[(j * nt + e2) * nt + e]));
                }
            }
        }
        for (int a = 0; a < np; a++) {
            for (int b = 0; b < a; b++) {
                worst = Math.max(worst, Math.abs(pp[a * np + b] - pp[b * np + a]));
            }
        }
        return worst;
    }

    /** @return tr H = ‖U‖²_F + the block diagonals, exactly */
    public double trace() {
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            sum += dot(rest[r], rest[r]);
            int i = r / d;
            for (int j = 0; j < n2; j++) {
                double x0 = c0[r * n2 + j];
                double xd = cd[i * n2 + j];
                for (int k = 0; k < n1; k++) {
                    double uq = x0 * aa[i * n1 + k] + xd * aa[(n + r) * n1 + k];
                    sum += uq * uq;
                }
            }
        }
        for (int j = 0; j < n2; j++) {
            for (int c = 0; c < nt; c++) {
                sum += tt[(j * nt + c) * nt + c];
            }
        }
        for (int a = 0; a < np; a++) {
            sum += pp[a * np + a];
        }
        return sum;
    }
}
