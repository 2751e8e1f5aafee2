package org.scorescope.analysis;

/**
 * Closed-form analysis of 2 × 2 matrices — local Hessians of a log-density and Jacobians
 * {@code J = ∂s/∂x} of a score field ({@code J_ij = ∂s_i/∂x_j}).
 *
 * <p>Symmetric {@code [[a, b], [b, c]]}: with {@code m = (a + c)/2}, {@code r = hypot((a − c)/2, b)},
 * the eigenvalues are {@code m ± r}. To avoid cancellation the one of larger magnitude is computed as
 * {@code m + sign(m)·r} and the other as {@code det/λ_big}, with {@code det = ac − b²} evaluated by
 * Kahan's fused-multiply-add scheme, so a nearly singular matrix still gets its small eigenvalue to full
 * relative accuracy. The unit eigenvector of the larger (algebraic) eigenvalue is
 * {@code (cos θ, sin θ)}, {@code θ = ½·atan2(2b, a − c)}; the other is {@code (−sin θ, cos θ)}.
 *
 * <p>For a Jacobian: symmetric part {@code S = (J + Jᵀ)/2}, asymmetry (the curl)
 * {@code J₂₁ − J₁₂ = ∂s_y/∂x − ∂s_x/∂y}, the eigen-decomposition of S, its stiff (largest |λ|) and sloppy
 * (smallest |λ|) directions, and J's own (possibly complex) eigenvalues.
 *
 * <p>Batch methods take flat arrays of {@code n} matrices, 4 values each, row-major
 * {@code [m00, m01, m10, m11]} (i.e. {@code [J₁₁, J₁₂, J₂₁, J₂₂]}), and write flat outputs without
 * allocating. Stateless and thread-safe.
 */
public final class LocalHessian2x2 {
    private LocalHessian2x2() {
    }

    /**
     * {@code ac − b²} to nearly full precision (Kahan): {@code fma(a, c, −b²) − err(b²)}.
     *
     * @param a entry (0,0)
     * @param b off-diagonal entry
     * @param c entry (1,1)
     * @return the determinant of {@code [[a, b], [b, c]]}
     */
    public static double determinant(double a, double b, double c) {
        double bb = b * b;
        double err = Math.fma(b, b, -bb);
        return Math.fma(a, c, -bb) - err;
    }

    /**
     * Eigen-decomposition of the symmetric matrix {@code [[a, b], [b, c]]}.
     *
     * @param a   entry (0,0)
     * @param b   off-diagonal entry
     * @param c   entry (1,1)
     * @param out receives {@code [λ₁, λ₂, cos θ, sin θ]} with {@code λ₁ >= λ₂} and {@code (cos θ, sin θ)}
     *            the unit eigenvector of λ₁; length {@code >= 4}
     */
    public static void symmetricEigen(double a, double b, double c, double[] out) {
        symmetricEigen(a, b, c, out, 0);
    }

    private static void symmetricEigen(double a, double b, double c, double[] out, int off) {
        double m = 0.5 * (a + c);
        double r = Math.hypot(0.5 * (a - c), b);
        double big = m >= 0 ? m + r : m - r;
        double small = big == 0 ? 0 : determinant(a, b, c) / big;
        double l1 = Math.max(big, small);
        double l2 = Math.min(big, small);
        double theta = 0.5 * Math.atan2(2 * b, a - c);
        out[off] = l1;
        out[off + 1] = l2;
        out[off + 2] = Math.cos(theta);
        out[off + 3] = Math.sin(theta);
    }

    /**
     * The curl (asymmetry) of a Jacobian, {@code J₂₁ − J₁₂ = ∂s_y/∂x − ∂s_x/∂y}.
     *
     * @param j12 {@code ∂s_x/∂y}
     * @param j21 {@code ∂s_y/∂x}
     * @return {@code j21 − j12}
     */
    public static double curl(double j12, double j21) {
        return j21 - j12;
    }

    /**
     * Eigenvalues of a general 2 × 2 matrix {@code J}: {@code τ ± √Δ} with {@code τ = tr/2},
     * {@code Δ = ((J₁₁ − J₂₂)/2)² + J₁₂J₂₁}; complex ({@code τ ± i√(−Δ)}) when {@code Δ < 0}, i.e. when
     * rotation dominates. Real pairs use the same cancellation-free scheme as {@link #symmetricEigen}.
     *
     * @param j11 J₁₁
     * @param j12 J₁₂
     * @param j21 J₂₁
     * @param j22 J₂₂
     * @param out receives {@code [re₁, im₁, re₂, im₂]}; real pairs ordered {@code re₁ >= re₂}, complex
     *            pairs with {@code im₁ > 0}
     */
    public static void jacobianEigenvalues(double j11, double j12, double j21, double j22, double[] out) {
        double tau = 0.5 * (j11 + j22);
        double h = 0.5 * (j11 - j22);
        double disc = Math.fma(h, h, j12 * j21);
        if (disc >= 0) {
            double s = Math.sqrt(disc);
            double big = tau >= 0 ? tau + s : tau - s;
            double det = Math.fma(j11, j22, -j12 * j21);
            double small = big == 0 ? 0 : det / big;
            out[0] = Math.max(big, small);
            out[1] = 0;
            out[2] = Math.min(big, small);
            out[3] = 0;
        } else {
            double s = Math.sqrt(-disc);
            out[0] = tau;
            out[1] = s;
            out[2] = tau;
            out[3] = -s;
        }
    }

    /**
     * Batch symmetric eigen-decomposition of the symmetric parts {@code S = (M + Mᵀ)/2} of {@code n}
     * matrices.
     *
     * @param mats    {@code n × 4} flat matrices {@code [m00, m01, m10, m11]}
     * @param n       number of matrices
     * @param values  receives {@code n × 2}: {@code [λ₁, λ₂]} per matrix, {@code λ₁ >= λ₂}
     * @param vectors receives {@code n × 2}: the unit eigenvector {@code (cos θ, sin θ)} of λ₁ (the other is
     *                its perpendicular); may be {@code null}
     */
    public static void symmetricEigenBatch(double[] mats, int n, double[] values, double[] vectors) {
        check(mats, n, "mats", 4);
        check(values, n, "values", 2);
        if (vectors != null) {
            check(vectors, n, "vectors", 2);
        }
        double[] tmp = new double[4];
        for (int i = 0; i < n; i++) {
            int o = 4 * i;
            symmetricEigen(mats[o], 0.5 * (mats[o + 1] + mats[o + 2]), mats[o + 3], tmp, 0);
            values[2 * i] = tmp[0];
            values[2 * i + 1] = tmp[1];
            if (vectors != null) {
                vectors[2 * i] = tmp[2];
                vectors[2 * i + 1] = tmp[3];
            }
        }
    }

    /**
     * Batch stiff/sloppy analysis of {@code n} Jacobians (or Hessians): the eigenvalues of the symmetric
     * part ordered by magnitude, the stiff direction (eigenvector of the largest |λ|; the sloppy one is
     * its perpendicular {@code (−v_y, v_x)}) and the curl {@code J₂₁ − J₁₂}. Any output may be null.
     *
     * @param jac         {@code n × 4} flat Jacobians {@code [J₁₁, J₁₂, J₂₁, J₂₂]}
     * @param n           number of matrices
     * @param stiffValue  receives the eigenvalue of largest magnitude per matrix ({@code n})
     * @param sloppyValue receives the eigenvalue of smallest magnitude per matrix ({@code n})
     * @param stiffDir    receives the unit stiff direction per matrix ({@code n × 2})
     * @param curl        receives {@code J₂₁ − J₁₂} per matrix ({@code n})
     */
    public static void analyzeBatch(double[] jac, int n, double[] stiffValue, double[] sloppyValue,
                                    double[] stiffDir, double[] curl) {
        check(jac, n, "jac", 4);
        if (stiffValue != null) {
            check(stiffValue, n, "stiffValue", 1);
        }
        if (sloppyValue != null) {
            check(sloppyValue, n, "sloppyValue", 1);
        }
        if (stiffDir != null) {
            check(stiffDir, n, "stiffDir", 2);
        }
        if (curl != null) {
            check(curl, n, "curl", 1);
        }
        double[] tmp = new double[4];
        for (int i = 0; i < n; i++) {
            int o = 4 * i;
            symmetricEigen(jac[o], 0.5 * (jac[o + 1] + jac[o + 2]), jac[o + 3], tmp, 0);
            boolean firstIsStiff = Math.abs(tmp[0]) >= Math.abs(tmp[1]);
            if (stiffValue != null) {
                stiffValue[i] = firstIsStiff ? tmp[0] : tmp[1];
            }
            if (sloppyValue != null) {
                sloppyValue[i] = firstIsStiff ? tmp[1] : tmp[0];
            }
            if (stiffDir != null) {
                stiffDir[2 * i] = firstIsStiff ? tmp[2] : -tmp[3];
                stiffDir[2 * i + 1] = firstIsStiff ? tmp[3] : tmp[2];
            }
            if (curl != null) {
                curl[i] = jac[o + 2] - jac[o + 1];
            }
        }
    }

    private static void check(double[] a, int n, String name, int per) {
        if (n < 0) {
            throw new IllegalArgumentException("LocalHessian2x2: n must be >= 0, got " + n);
        }
        if (a == null || a.length < (long) per * n) {
            throw new IllegalArgumentException("LocalHessian2x2: " + name + " needs length >= " + ((long) per * n) + " for n = "
                    + n + ", got " + (a == null ? "null" : a.length));
        }
    }
}
