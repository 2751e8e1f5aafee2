package org.scorescope.analysis;

/**
 * Eigen-decomposition of a symmetric tridiagonal matrix by the implicit QL algorithm with Wilkinson-type
 * shifts (EISPACK {@code tql2}). With {@code T = Z Θ Zᵀ}, it returns {@code Θ} ascending and, instead of
 * the whole of {@code Z}, any chosen rows of it: row 0 gives the Gauss-quadrature weights
 * {@code τ_j² = Z_{0j}²} (Golub–Welsch), the last row gives Lanczos residual estimates
 * {@code β_m·|Z_{m−1,j}|}, all rows give the eigenvectors. Tracking {@code r} rows costs
 * {@code O(r·m²)} instead of {@code O(m³)}.
 *
 * <p>Stateless and thread-safe.
 */
public final class TridiagonalEigen {
    private static final double EPS = Math.ulp(1.0);

    private TridiagonalEigen() {
    }

    /**
     * Diagonalizes {@code T} with diagonal {@code d[0..m−1]} and off-diagonal {@code e[0..m−2]}
     * ({@code T_{i,i+1} = T_{i+1,i} = e[i]}).
     *
     * @param m    order, {@code >= 1}
     * @param d    diagonal; overwritten with the eigenvalues, ascending
     * @param e    off-diagonal, length {@code >= m − 1} (read only)
     * @param rows which rows of {@code Z} to return (indices in {@code [0, m)}), e.g. {@code {0}} or
     *             {@code {m−1}}; {@code null} for none
     * @param z    receives those rows, row {@code r} at {@code z[r·m + j]} = {@code Z[rows[r]][j]}, the
     *             {@code j}-th component matching eigenvalue {@code d[j]}; length {@code >= rows.length·m}
     * @throws IllegalStateException if QL fails to converge (30·m sweeps per eigenvalue; does not happen
     *                               for finite input)
     */
    public static void decompose(int m, double[] d, double[] e, int[] rows, double[] z) {
        if (m < 1 || d == null || d.length < m || (m > 1 && (e == null || e.length < m - 1))) {
            throw new IllegalArgumentException("TridiagonalEigen: need m >= 1, d of length >= m and e of length >= m-1");
        }
        int nr = rows == null ? 0 : rows.length;
        if (nr > 0 && (z == null || z.length < nr * m)) {
            throw new IllegalArgumentException("TridiagonalEigen: z needs length >= rows.length*m = " + nr * m);
        }
        for (int i = 0; i < m; i++) {
            if (!Double.isFinite(d[i]) || (i < m - 1 && !Double.isFinite(e[i]))) {
                throw new IllegalArgumentException("TridiagonalEigen: non-finite entry at index " + i);
            }
        }
        for (int r = 0; r < nr; r++) {
            if (rows[r] < 0 || rows[r] >= m) {
                throw new IllegalArgumentException("TridiagonalEigen: rows[" + r + "] = " + rows[r] + " outside [0, " + m + ")");
            }
            for (int j = 0; j < m; j++) {
                z[r * m + j] = rows[r] == j ? 1.0 : 0.0;
            }
        }
        // sub-diagonal in tql2's convention: ee[i] couples i and i+1, ee[m−1] = 0
        double[] ee = new double[m];
        if (m > 1) {
            System.arraycopy(e, 0, ee, 0, m - 1);
        }
        double f = 0;
        double tst1 = 0;
        for (int l = 0; l < m; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(ee[l]));
            int mm = l;
            while (mm < m) {
                if (Math.abs(ee[mm]) <= EPS * tst1) {
                    break;
                }
                mm++;
            }
            if (mm == m) {
                mm = m - 1;
            }
            if (mm > l) {
                int iter = 0;
                do {
                    if (++iter > 30 * m + 30) {
                        throw new IllegalStateException("TridiagonalEigen: QL did not converge for eigenvalue " + l);
                    }
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2.0 * ee[l]);
                    double r = Math.hypot(p, 1.0);
                    if (p < 0) {
                        r = -r;
                    }
                    d[l] = ee[l] / (p + r);
                    d[l + 1] = ee[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < m; i++) {
                        d[i] -= h;
                    }
                    f += h;
                    p = d[mm];
                    double c = 1.0;
                    double c2 = c;
                    double c3 = c;
                    double el1 = ee[l + 1];
                    double s = 0.0;
                    double s2 = 0.0;
                    for (int i = mm - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * ee[i];
                        h = c * p;
                        r = Math.hypot(p, ee[i]);
                        ee[i + 1] = s * r;
                        s = ee[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        // the rotation acts on columns i and i+1 of Z; only the tracked rows are kept
                        for (int k = 0; k < nr; k++) {
                            int base = k * m;
                            h = z[base + i + 1];
                            z[base + i + 1] = s * z[base + i] + c * h;
                            z[base + i] = c * z[base + i] - s * h;
                        }
                    }
                    p = -s * s2 * c3 * el1 * ee[l] / dl1;
                    ee[l] = s * p;
                    d[l] = c * p;
                } while (Math.abs(ee[l]) > EPS * tst1);
            }
            d[l] = d[l] + f;
            ee[l] = 0.0;
        }
        // selection sort keeps the tracked columns paired with their eigenvalues
        for (int i = 0; i < m - 1; i++) {
            int k = i;
            double p = d[i];
            for (int j = i + 1; j < m; j++) {
                if (d[j] < p) {
                    k = j;
                    p = d[j];
                }
            }
            if (k != i) {
                d[k] = d[i];
                d[i] = p;
                for (int r = 0; r < nr; r++) {
                    double t = z[r * m + i];
                    z[r * m + i] = z[r * m + k];
                    z[r * m + k] = t;
                }
            }
        }
    }

    /**
     * Full decomposition: eigenvalues ascending in {@code d} and all eigenvectors.
     *
     * @param m order
     * @param d diagonal; overwritten with the eigenvalues, ascending
     * @param e off-diagonal, length {@code >= m − 1}
     * @return {@code Z} row-major {@code m × m}: eigenvector {@code j} is column {@code j}
     */
    public static double[] decomposeWithVectors(int m, double[] d, double[] e) {
        int[] rows = new int[m];
        for (int i = 0; i < m; i++) {
            rows[i] = i;
        }
        double[] z = new double[m * m];
        decompose(m, d, e, rows, z);
        return z;
    }
}
