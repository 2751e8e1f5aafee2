package org.scorescope.analysis;

import java.util.Arrays;
import org.scorescope.autodiff.Blas;
import org.scorescope.autodiff.ComputeThreads;
import org.scorescope.autodiff.Simd;

/**
 * Eigenvalues of a dense symmetric matrix without eigenvectors: Householder reduction to tridiagonal
 * form {@code T = Qᵀ A Q} ({@link #reduce}, LAPACK {@code dsytrd}/{@code dlatrd} blocking), then the
 * root-free implicit QL/QR iteration on {@code T} ({@link #tridiagonalEigenvalues}, LAPACK
 * {@code dsterf}). Cost {@code 4/3 n³ + O(n²)} flops.
 *
 * <p>Why blocked: the unblocked reduction does a symmetric matrix-vector product and a rank-2 update of
 * the whole trailing matrix per column, both limited by memory bandwidth. Here the trailing matrix is
 * only read per column (the product {@code A v}); the rank-2 updates of a panel of {@value #NB} columns
 * are accumulated in {@code V}, {@code W} and applied at once as {@code A ← A − V Wᵀ − W Vᵀ}, which
 * reuses every loaded row of {@code V}, {@code W} across many rows of {@code A}.
 *
 * <p>Storage: the input is row-major {@code n × n}; only its upper triangle ({@code j ≥ i}) is read and
 * overwritten. Row {@code i} of the upper triangle is LAPACK's column {@code i} of the lower triangle of
 * the column-major matrix, so every vector the algorithm touches is a contiguous row. The rank-2 update
 * loops have the one shape HotSpot C2 (JDK 17) was measured to vectorise well: one stored array indexed
 * by the bare loop variable and at most four loaded ones ({@code acc[j] −= x₀w₀[j] + y₀v₀[j] + x₁w₁[j]
 * + y₁v₁[j]}); a second stored array or more loaded ones made it fall back to scalar code, 3–4× slower.
 * The product {@code A v} reads each upper-triangle entry once and uses it twice ({@code y_c += a_rc v_r},
 * {@code y_r += a_rc v_c}, two rows per pass); C2 keeps that loop scalar because of the row sums, so when
 * {@link Simd#available()} it runs as {@link VectorKernels#symvUpperRows} (2.5–3× faster per entry).
 *
 * <p>Threads: the product {@code A v} and the trailing update are split into row chunks whose number and
 * bounds depend only on the problem size; each chunk's arithmetic is the same whichever thread runs it,
 * and partial products are summed in chunk order, so the results are bit-identical for any thread count.
 */
public final class SymmetricTridiagonal {
    /** Panel width: columns whose rank-2 updates are accumulated before the trailing update. */
    static final int NB = 32;
    /** Column block of the trailing update: the accumulator row and four V, W rows (20 KB) stay in L1. */
    private static final int JB = 512;
    /** Trailing sizes below which {@code A v} runs on the calling thread (fork/join costs ~10 µs). */
    private static final int SYMV_PARALLEL_MIN = 160;
    private static final int SYMV_CHUNKS = 4;
    private static final int UPDATE_PARALLEL_MIN = 96;
    private static final int UPDATE_CHUNKS = 8;
    /** LAPACK's dsterf iteration budget per eigenvalue. */
    private static final int MAXIT = 30;

    private SymmetricTridiagonal() {
    }

    /**
     * Eigenvalues of a symmetric matrix, ascending: {@link #reduce} then {@link #tridiagonalEigenvalues},
     * on {@link ComputeThreads#get()} threads.
     *
     * @param n dimension, {@code >= 1}
     * @param a row-major {@code n × n} symmetric entries (only the upper triangle is read), overwritten
     * @return the {@code n} eigenvalues {@code λ_0 ≤ … ≤ λ_{n−1}}
     */
    public static double[] eigenvalues(int n, double[] a) {
        return eigenvalues(n, a, ComputeThreads.get());
    }

    /**
     * Eigenvalues of a symmetric matrix, ascending, on at most {@code threads} threads.
     *
     * @param n       dimension, {@code >= 1}
     * @param a       row-major {@code n × n} symmetric entries (only the upper triangle is read), overwritten
     * @param threads thread budget, {@code >= 1}; results do not depend on it
     * @return the {@code n} eigenvalues {@code λ_0 ≤ … ≤ λ_{n−1}}
     */
    public static double[] eigenvalues(int n, double[] a, int threads) {
        return eigenvalues(n, a, threads, Simd.available());
    }

    /** As {@link #eigenvalues(int, double[], int)}, with the Vector API product on or off (tests compare both). */
    static double[] eigenvalues(int n, double[] a, int threads, boolean simd) {
        double[] d = new double[Math.max(n, 1)];
        double[] e = new double[Math.max(n - 1, 1)];
        int scale = reduceScaled(n, a, d, e, threads, simd);
        // T stays scaled by 2^−scale until the end, so a huge or tiny A costs no rounding beyond A's own
        tridiagonalEigenvalues(n, d, e);
        for (int i = 0; i < n; i++) {
            d[i] = Math.scalb(d[i], scale);
        }
        return d;
    }

    /**
     * Householder tridiagonalization {@code Qᵀ A Q = T} with {@code Q = H_0 H_1 ⋯ H_{n−2}},
     * {@code H_k = I − τ_k v_k v_kᵀ}, on {@link ComputeThreads#get()} threads; {@code Q} is not formed.
     *
     * @param n dimension, {@code >= 1}
     * @param a row-major {@code n × n} symmetric entries; the upper triangle is read and overwritten
     * @param d receives {@code T_ii}, length {@code >= n}
     * @param e receives {@code T_{i,i+1} = T_{i+1,i}}, length {@code >= n − 1}
     */
    public static void reduce(int n, double[] a, double[] d, double[] e) {
        reduce(n, a, d, e, ComputeThreads.get());
    }

    /**
     * Householder tridiagonalization {@code Qᵀ A Q = T} (see {@link #reduce(int, double[], double[], double[])})
     * on at most {@code threads} threads. The matrix is first scaled by a power of two (exact) when its
     * largest entry is far from 1, so sums of squares neither overflow nor underflow.
     *
     * @param n       dimension, {@code >= 1}
     * @param a       row-major {@code n × n} symmetric entries; the upper triangle is read and overwritten
     * @param d       receives {@code T_ii}, length {@code >= n}
     * @param e       receives {@code T_{i,i+1}}, length {@code >= n − 1}
     * @param threads thread budget, {@code >= 1}; results are bit-identical for any value
     * @throws IllegalArgumentException on bad sizes or a non-finite entry (naming it)
     * @throws java.util.concurrent.CancellationException when the calling thread is interrupted (checked once per
     *         panel of columns)
     */
    public static void reduce(int n, double[] a, double[] d, double[] e, int threads) {
        int scale = reduceScaled(n, a, d, e, threads, Simd.available());
        for (int i = 0; i < n; i++) {
            d[i] = Math.scalb(d[i], scale);
            if (i < n - 1) {
                e[i] = Math.scalb(e[i], scale);
            }
        }
    }

    /** {@link #reduce} of {@code 2^−s A}; returns {@code s}. */
    private static int reduceScaled(int n, double[] a, double[] d, double[] e, int threads, boolean simd) {
        return reduceScaled(n, a, d, e, null, null, threads, simd);
    }

    /**
     * {@link #reduce} of {@code 2^−s A} that also records the reflectors {@code H_k = I − τ_k v_k v_kᵀ}: {@code v_k} is
     * 0 at indices {@code ≤ k}, 1 at {@code k + 1} and {@code scal[k]·a[k·n + j]} at {@code j ≥ k + 2}, read from
     * row {@code k} of the overwritten array (nothing writes that part of a row after its own column).
     *
     * @param tau  receives {@code τ_k}, length {@code >= n − 1} (0 where the column was already reduced)
     * @param scal receives the factor that turns row {@code k}'s entries into {@code v_k}, length {@code >= n − 1}
     * @return {@code s}; {@code d}, {@code e} hold the scaled {@code T}
     */
    static int reduceScaled(int n, double[] a, double[] d, double[] e, double[] tau, double[] scal, int threads) {
        if (n > 1 && (tau == null || tau.length < n - 1 || scal == null || scal.length < n - 1)) {
            throw new IllegalArgumentException("SymmetricTridiagonal: τ and the scales need length >= n-1 = " + (n - 1));
        }
        return reduceScaled(n, a, d, e, tau, scal, threads, Simd.available());
    }

    private static int reduceScaled(int n, double[] a, double[] d, double[] e, double[] tau, double[] scal, int threads,
                                    boolean simd) {
        if (n < 1 || a == null || a.length < (long) n * n) {
            throw new IllegalArgumentException("SymmetricTridiagonal: need n >= 1 and n² = " + ((long) n * n)
                    + " entries, got n=" + n + ", " + (a == null ? "null" : a.length));
        }
        if (d == null || d.length < n || (n > 1 && (e == null || e.length < n - 1))) {
            throw new IllegalArgumentException("SymmetricTridiagonal: d needs length >= n = " + n + " and e >= n-1");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("SymmetricTridiagonal: threads must be >= 1, got " + threads);
        }
        int scale = prescale(n, a);
        if (n == 1) {
            d[0] = a[0];
        } else {
            Reduction r = new Reduction(n, a, d, e, threads, simd);
            r.taus = tau;
            r.scales = scal;
            r.run();
        }
        return scale;
    }

    /**
     * Checks the upper triangle for non-finite entries and scales it by {@code 2^−s} when its largest
     * magnitude {@code 2^s} is outside {@code [2^−100, 2^100]}; returns the {@code s} used (0 if none).
     */
    private static int prescale(int n, double[] a) {
        double max = 0;
        for (int i = 0; i < n; i++) {
            int ro = i * n;
            double rowMax = 0;
            for (int j = i; j < n; j++) {
                rowMax = Math.max(rowMax, Math.abs(a[ro + j]));
            }
            if (!(rowMax <= Double.MAX_VALUE)) {
                for (int j = i; j < n; j++) {
                    if (!Double.isFinite(a[ro + j])) {
                        throw new IllegalArgumentException("SymmetricTridiagonal: entry (" + i + ", " + j + ") is "
                                + a[ro + j]);
                    }
                }
            }
            max = Math.max(max, rowMax);
        }
        if (max == 0) {
            return 0;
        }
        int s = Math.getExponent(max);
        if (s >= -100 && s <= 100) {
            return 0;
        }
        for (int i = 0; i < n; i++) {
            int ro = i * n;
            for (int j = i; j < n; j++) {
                a[ro + j] = Math.scalb(a[ro + j], -s);
            }
        }
        return s;
    }

    /** Upper-triangle row r's contribution to y = A v: y_c += a_rc v_r (c &gt; r), y_r += Σ_{c≥r} a_rc v_c. */
    static void symvRow(double[] a, int n, int r, double[] v, double[] y) {
        int o0 = r * n;
        double v0 = v[r];
        double s0 = a[o0 + r] * v0;
        for (int j = r + 1; j < n; j++) {
            double x0 = a[o0 + j];
            y[j] += x0 * v0;
            s0 += x0 * v[j];
        }
        y[r] += s0;
    }

    /** State of one reduction: the matrix, the panel's V and W rows and per-chunk scratch. */
    private static final class Reduction {
        final int n;
        final double[] a;
        final double[] d;
        final double[] e;
        final int threads;
        /** Whether {@link #symvRows} uses {@link VectorKernels}. */
        final boolean simd;
        /** Where to record each column's τ and v-scale, or null (eigenvalues only). */
        double[] taus;
        double[] scales;
        /** Row q: Householder vector v of the panel's q-th column (valid from its column + 1). */
        final double[][] vs;
        /** Row q: w = τ (A v − ½ τ (vᵀ A v) v) for the current A (LAPACK dlatrd's W). */
        final double[][] ws;
        /** Partial products A v of symv chunks 1…; chunk 0 writes straight into W's row. */
        final double[][] part = new double[SYMV_CHUNKS][];
        /** One accumulator row per trailing-update chunk (chunk 0's also serves {@link #updateRow}). */
        final double[][] acc = new double[UPDATE_CHUNKS][];
        final double[] t1 = new double[NB];
        final double[] t2 = new double[NB];
        /** Per column chunk: partial Wᵀv (first NB) and Vᵀv (next NB). */
        final double[][] dotParts = new double[SYMV_CHUNKS][2 * NB];
        /** Per column chunk: partial wᵀv. */
        final double[] wDots = new double[SYMV_CHUNKS];
        final int[] bounds = new int[Math.max(SYMV_CHUNKS, UPDATE_CHUNKS) + 1];

        Reduction(int n, double[] a, double[] d, double[] e, int threads, boolean simd) {
            this.n = n;
            this.simd = simd;
            this.a = a;
            this.d = d;
            this.e = e;
            this.threads = threads;
            int nb = Math.min(NB, n);
            vs = new double[nb][n];
            ws = new double[nb][n];
        }

        void run() {
            int nb = vs.length;
            for (int k0 = 0; k0 < n; k0 += nb) {
                // A background decomposition (seconds at n ≈ 4400) can be abandoned by interrupting its thread.
                if (Thread.currentThread().isInterrupted()) {
                    throw new java.util.concurrent.CancellationException("SymmetricTridiagonal: interrupted at column "
                            + k0 + " of " + n);
                }
                int kb = Math.min(nb, n - k0);
                for (int p = 0; p < kb; p++) {
                    int i = k0 + p;
                    if (p > 0) {
                        updateRow(i, p);
                    }
                    d[i] = a[i * n + i];
                    if (i < n - 1) {
                        column(i, p);
                    }
                }
                if (k0 + kb < n) {
                    trailingUpdate(k0 + kb, kb);
                }
            }
        }

        /** Row i (LAPACK's column i) from i on gets the panel's pending rank-2p update. */
        private void updateRow(int i, int p) {
            double[] row = scratch(0);
            int ro = i * n;
            System.arraycopy(a, ro + i, row, i, n - i);
            rank2Row(row, i, i, n, p, new double[p], new double[p]);
            System.arraycopy(row, i, a, ro + i, n - i);
        }

        /**
         * Householder vector for row i (annihilating entries i+2…), then LAPACK dlatrd's w for it:
         * w = τ(A₂₂ v − V(Wᵀv) − W(Vᵀv)), w −= ½τ(wᵀv) v, with A₂₂ the stale trailing block.
         */
        private void column(int i, int p) {
            int ro = i * n;
            int s = i + 1;
            double[] v = vs[p];
            double[] w = ws[p];
            double alpha = a[ro + s];
            double ss = 0;
            for (int j = s + 1; j < n; j++) {
                double x = a[ro + j];
                ss += x * x;
            }
            if (ss == 0) {
                // already tridiagonal in this column: H = I (τ = 0), so w = 0
                e[i] = alpha;
                if (taus != null) {
                    taus[i] = 0;
                    scales[i] = 0;
                }
                Arrays.fill(v, s, n, 0.0);
                v[s] = 1;
                Arrays.fill(w, s, n, 0.0);
                return;
            }
            double beta = -Math.copySign(Math.sqrt(alpha * alpha + ss), alpha);
            double tau = (beta - alpha) / beta;
            double scal = 1 / (alpha - beta);
            v[s] = 1;
            for (int j = s + 1; j < n; j++) {
                v[j] = a[ro + j] * scal;
            }
            e[i] = beta;
            if (taus != null) {
                taus[i] = tau;
                scales[i] = scal;
            }
            if (n - s < SYMV_PARALLEL_MIN) {
                symvRows(s, n, v, w);
                if (p > 0) {
                    correctionDots(s, n, p, v, t1, t2, 0);
                    correct(s, n, p, w, t1, t2, 0);
                }
                finish(s, v, w, tau, scaleAndDot(s, n, v, w, tau));
            } else {
                parallelW(s, p, v, w, tau);
            }
        }

        /**
         * The same w on threads: region 1 computes the row chunks of A₂₂v into separate partial vectors
         * and, by column chunks, partial sums of Wᵀv and Vᵀv; region 2 adds up the partial vectors, applies
         * the corrections and τ and forms partial sums of wᵀv, by column chunks. Partials are combined in
         * chunk order, so the result does not depend on which thread ran which chunk.
         */
        private void parallelW(int s, int p, double[] v, double[] w, double tau) {
            final int chunks = SYMV_CHUNKS;
            balance(s, chunks);
            final int[] b = bounds.clone();
            final int[] cols = new int[chunks + 1];
            int m = n - s;
            for (int c = 0; c <= chunks; c++) {
                cols[c] = s + (int) ((long) m * c / chunks);
            }
            for (int c = 1; c < chunks; c++) {
                if (part[c] == null) {
                    part[c] = new double[n];
                }
            }
            Blas.parallelFor(chunks, threads, c -> {
                symvRows(b[c], b[c + 1], v, c == 0 ? w : part[c]);
                if (p > 0) {
                    correctionDots(cols[c], cols[c + 1], p, v, dotParts[c], dotParts[c], NB);
                }
            });
            if (p > 0) {
                for (int q = 0; q < p; q++) {
                    double x = 0;
                    double y = 0;
                    for (int c = 0; c < chunks; c++) {
                        x += dotParts[c][q];
                        y += dotParts[c][NB + q];
                    }
                    t1[q] = x;
                    t2[q] = y;
                }
            }
            Blas.parallelFor(chunks, threads, c -> {
                int j0 = cols[c];
                int j1 = cols[c + 1];
                for (int k = 1; k < chunks; k++) {
                    double[] pk = part[k];
                    for (int j = Math.max(j0, b[k]); j < j1; j++) {
                        w[j] += pk[j];
                    }
                }
                if (p > 0) {
                    correct(j0, j1, p, w, t1, t2, 0);
                }
                wDots[c] = scaleAndDot(j0, j1, v, w, tau);
            });
            double dot = 0;
            for (int c = 0; c < chunks; c++) {
                dot += wDots[c];
            }
            finish(s, v, w, tau, dot);
        }

        /** w[j0…j1) *= τ; returns Σ w_j v_j over the range. */
        private static double scaleAndDot(int j0, int j1, double[] v, double[] w, double tau) {
            double dot = 0;
            for (int j = j0; j < j1; j++) {
                double x = w[j] * tau;
                w[j] = x;
                dot += x * v[j];
            }
            return dot;
        }

        /** w −= ½ τ (wᵀv) v: makes the two-sided update A − v wᵀ − w vᵀ equal H A H (LAPACK dlatrd). */
        private void finish(int s, double[] v, double[] w, double tau, double dot) {
            double c = -0.5 * tau * dot;
            for (int j = s; j < n; j++) {
                w[j] += c * v[j];
            }
        }

        /** x[xo + q] = Σ_{j∈[j0,j1)} w_q[j] v[j], y[yo + q] = Σ v_q[j] v[j] for the panel's first p columns. */
        private void correctionDots(int j0, int j1, int p, double[] v, double[] x, double[] y, int yo) {
            for (int q = 0; q < p; q++) {
                double[] vq = vs[q];
                double[] wq = ws[q];
                double sx = 0;
                double sy = 0;
                for (int j = j0; j < j1; j++) {
                    double vj = v[j];
                    sx += wq[j] * vj;
                    sy += vq[j] * vj;
                }
                x[q] = sx;
                y[yo + q] = sy;
            }
        }

        /** w[j] −= Σ_{q<p} (v_q[j] x_q + w_q[j] y_q) for j in [j0, j1): w −= V (Wᵀv) + W (Vᵀv). */
        private void correct(int j0, int j1, int p, double[] w, double[] x, double[] y, int yo) {
            int q = 0;
            for (; q + 1 < p; q += 2) {
                double[] v0 = vs[q];
                double[] w0 = ws[q];
                double[] v1 = vs[q + 1];
                double[] w1 = ws[q + 1];
                double x0 = x[q];
                double y0 = y[yo + q];
                double x1 = x[q + 1];
                double y1 = y[yo + q + 1];
                for (int j = j0; j < j1; j++) {
                    w[j] -= v0[j] * x0 + w0[j] * y0 + v1[j] * x1 + w1[j] * y1;
                }
            }
            if (q < p) {
                double[] v0 = vs[q];
                double[] w0 = ws[q];
                double x0 = x[q];
                double y0 = y[yo + q];
                for (int j = j0; j < j1; j++) {
                    w[j] -= v0[j] * x0 + w0[j] * y0;
                }
            }
        }

        /**
         * y[r0…n) = contributions of upper-triangle rows r0…r1−1 to A v: row r adds a_rc·v_r to y_c
         * (c &gt; r) and Σ_c a_rc v_c to y_r. Two rows per pass share the loads of y and v.
         */
        private void symvRows(int r0, int r1, double[] v, double[] y) {
            if (simd) {
                VectorKernels.symvUpperRows(a, n, r0, r1, v, y);
                return;
            }
            Arrays.fill(y, r0, n, 0.0);
            int r = r0;
            for (; r + 1 < r1; r += 2) {
                int o0 = r * n;
                int o1 = o0 + n;
                double v0 = v[r];
                double v1 = v[r + 1];
                double a01 = a[o0 + r + 1];
                double s0 = a[o0 + r] * v0 + a01 * v1;
                double s1 = a01 * v0 + a[o1 + r + 1] * v1;
                for (int j = r + 2; j < n; j++) {
                    double x0 = a[o0 + j];
                    double x1 = a[o1 + j];
                    y[j] += x0 * v0 + x1 * v1;
                    s0 += x0 * v[j];
                    s1 += x1 * v[j];
                }
                y[r] += s0;
                y[r + 1] += s1;
            }
            if (r < r1) {
                symvRow(a, n, r, v, y);
            }
        }

        /** A[k1…n, k1…n) −= V Wᵀ + W Vᵀ (upper triangle) with the panel's kb columns. */
        private void trailingUpdate(int k1, int kb) {
            int m = n - k1;
            if (m < UPDATE_PARALLEL_MIN) {
                updateRows(k1, n, kb, 0);
                return;
            }
            int chunks = UPDATE_CHUNKS;
            balance(k1, chunks);
            final int[] b = bounds.clone();
            Blas.parallelFor(chunks, threads, c -> updateRows(b[c], b[c + 1], kb, c));
        }

        /** Rows r0…r1−1 of the trailing update, each through scratch row c. */
        private void updateRows(int r0, int r1, int kb, int c) {
            double[] row = scratch(c);
            double[] x = new double[kb];
            double[] y = new double[kb];
            for (int r = r0; r < r1; r++) {
                int ro = r * n;
                System.arraycopy(a, ro + r, row, r, n - r);
                for (int j0 = r; j0 < n; j0 += JB) {
                    rank2Row(row, r, j0, Math.min(n, j0 + JB), kb, x, y);
                }
                System.arraycopy(row, r, a, ro + r, n - r);
            }
        }

        /**
         * row[j] −= Σ_{q<p} (v_q[r] w_q[j] + w_q[r] v_q[j]) for j in [j0, j1): {@link #correct} with
         * x_q = w_q[r], y_q = v_q[r], gathered into the caller's scratch x, y (length ≥ p).
         */
        private void rank2Row(double[] row, int r, int j0, int j1, int p, double[] x, double[] y) {
            for (int q = 0; q < p; q++) {
                x[q] = ws[q][r];
                y[q] = vs[q][r];
            }
            correct(j0, j1, p, row, x, y, 0);
        }

        /**
         * bounds[0…chunks] splits rows [s, n) into chunks of about equal upper-triangle entries
         * (row r has n − r of them), so the chunks take about equal time.
         */
        private void balance(int s, int chunks) {
            int m = n - s;
            double total = 0.5 * m * (m + 1.0);
            bounds[0] = s;
            int c = 1;
            double acc = 0;
            for (int r = s; r < n && c < chunks; r++) {
                acc += n - r;
                while (c < chunks && acc >= total * c / chunks) {
                    bounds[c++] = r + 1;
                }
            }
            while (c <= chunks) {
                bounds[c++] = n;
            }
        }

        private double[] scratch(int k) {
            double[] s = acc[k];
            if (s == null) {
                s = new double[n];
                acc[k] = s;
            }
            return s;
        }
    }

    /**
     * Eigenvalues of the symmetric tridiagonal matrix with diagonal {@code d} and off-diagonal {@code e}
     * by the Pal–Walker–Kahan root-free implicit QL/QR iteration (LAPACK {@code dsterf}): it works on
     * {@code e_i²}, needs no square root per rotation, chooses QL or QR per unreduced block by which end
     * is larger, and splits where {@code |e_i| ≤ ε √|d_i| √|d_{i+1}|}.
     *
     * @param n order, {@code >= 1}
     * @param d diagonal, length {@code >= n}; overwritten with the eigenvalues, ascending
     * @param e off-diagonal {@code T_{i,i+1}}, length {@code >= n − 1}; destroyed
     * @throws IllegalArgumentException on bad sizes or non-finite entries
     * @throws IllegalStateException    if {@code 30·n} QL/QR sweeps do not suffice (not seen for finite input)
     */
    public static void tridiagonalEigenvalues(int n, double[] d, double[] e) {
        if (n < 1 || d == null || d.length < n || (n > 1 && (e == null || e.length < n - 1))) {
            throw new IllegalArgumentException("SymmetricTridiagonal: need n >= 1, d of length >= n and e of length >= n-1");
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(d[i]) || (i < n - 1 && !Double.isFinite(e[i]))) {
                throw new IllegalArgumentException("SymmetricTridiagonal: non-finite tridiagonal entry at index " + i
                        + " (d = " + d[i] + (i < n - 1 ? ", e = " + e[i] : "") + ")");
            }
        }
        final double eps = Math.ulp(1.0) / 2;
        final double eps2 = eps * eps;
        final double safmin = Double.MIN_NORMAL;
        final double ssfmax = Math.sqrt(1 / safmin) / 3;
        final double ssfmin = Math.sqrt(safmin) / eps2;
        final int nmaxit = n * MAXIT;
        int jtot = 0;
        int l1 = 0;
        while (l1 < n) {
            if (l1 > 0) {
                e[l1 - 1] = 0;
            }
            int m = l1;
            while (m < n - 1) {
                if (Math.abs(e[m]) <= Math.sqrt(Math.abs(d[m])) * Math.sqrt(Math.abs(d[m + 1])) * eps) {
                    e[m] = 0;
                    break;
                }
                m++;
            }
            int l = l1;
            int lsv = l;
            int lend = m;
            int lendsv = lend;
            l1 = m + 1;
            if (lend == l) {
                continue;
            }
            double anorm = 0;
            for (int i = l; i <= lend; i++) {
                anorm = Math.max(anorm, Math.abs(d[i]));
                if (i < lend) {
                    anorm = Math.max(anorm, Math.abs(e[i]));
                }
            }
            if (anorm == 0) {
                continue;
            }
            // keep e² and the shifts representable
            double scale = 1;
            if (anorm > ssfmax) {
                scale = ssfmax / anorm;
            } else if (anorm < ssfmin) {
                scale = ssfmin / anorm;
            }
            for (int i = l; i <= lend; i++) {
                d[i] *= scale;
                if (i < lend) {
                    e[i] *= scale;
                }
            }
            for (int i = l; i < lend; i++) {
                e[i] = e[i] * e[i];
            }
            if (Math.abs(d[lend]) < Math.abs(d[l])) {
                lend = lsv;
                l = lendsv;
            }
            if (lend >= l) {
                // QL: eigenvalues converge at the top end l
                while (l <= lend) {
                    int mm = l;
                    while (mm < lend && Math.abs(e[mm]) > eps2 * Math.abs(d[mm] * d[mm + 1])) {
                        mm++;
                    }
                    if (mm < lend) {
                        e[mm] = 0;
                    }
                    double p = d[l];
                    if (mm == l) {
                        l++;
                        continue;
                    }
                    if (mm == l + 1) {
                        double[] rt = eig2(d[l], Math.sqrt(e[l]), d[l + 1]);
                        d[l] = rt[0];
                        d[l + 1] = rt[1];
                        e[l] = 0;
                        l += 2;
                        continue;
                    }
                    if (jtot == nmaxit) {
                        break;
                    }
                    jtot++;
                    double rte = Math.sqrt(e[l]);
                    double sigma = (d[l + 1] - p) / (2 * rte);
                    double r = Math.hypot(sigma, 1);
                    sigma = p - rte / (sigma + Math.copySign(r, sigma));
                    double c = 1;
                    double s = 0;
                    double gamma = d[mm] - sigma;
                    p = gamma * gamma;
                    for (int i = mm - 1; i >= l; i--) {
                        double bb = e[i];
                        r = p + bb;
                        if (i != mm - 1) {
                            e[i + 1] = s * r;
                        }
                        double oldc = c;
                        c = p / r;
                        s = bb / r;
                        double oldgam = gamma;
                        double alpha = d[i];
                        gamma = c * (alpha - sigma) - s * oldgam;
                        d[i + 1] = oldgam + (alpha - gamma);
                        p = c != 0 ? gamma * gamma / c : oldc * bb;
                    }
                    e[l] = s * p;
                    d[l] = sigma + gamma;
                }
            } else {
                // QR: eigenvalues converge at the bottom end l
                while (l >= lend) {
                    int mm = l;
                    while (mm > lend && Math.abs(e[mm - 1]) > eps2 * Math.abs(d[mm] * d[mm - 1])) {
                        mm--;
                    }
                    if (mm > lend) {
                        e[mm - 1] = 0;
                    }
                    double p = d[l];
                    if (mm == l) {
                        l--;
                        continue;
                    }
                    if (mm == l - 1) {
                        double[] rt = eig2(d[l], Math.sqrt(e[l - 1]), d[l - 1]);
                        d[l] = rt[0];
                        d[l - 1] = rt[1];
                        e[l - 1] = 0;
                        l -= 2;
                        continue;
                    }
                    if (jtot == nmaxit) {
                        break;
                    }
                    jtot++;
                    double rte = Math.sqrt(e[l - 1]);
                    double sigma = (d[l - 1] - p) / (2 * rte);
                    double r = Math.hypot(sigma, 1);
                    sigma = p - rte / (sigma + Math.copySign(r, sigma));
                    double c = 1;
                    double s = 0;
                    double gamma = d[mm] - sigma;
                    p = gamma * gamma;
                    for (int i = mm; i <= l - 1; i++) {
                        double bb = e[i];
                        r = p + bb;
                        if (i != mm) {
                            e[i - 1] = s * r;
                        }
                        double oldc = c;
                        c = p / r;
                        s = bb / r;
                        double oldgam = gamma;
                        double alpha = d[i + 1];
                        gamma = c * (alpha - sigma) - s * oldgam;
                        d[i] = oldgam + (alpha - gamma);
                        p = c != 0 ? gamma * gamma / c : oldc * bb;
                    }
                    e[l - 1] = s * p;
                    d[l] = sigma + gamma;
                }
            }
            if (scale != 1) {
                double undo = 1 / scale;
                for (int i = lsv; i <= lendsv; i++) {
                    d[i] *= undo;
                }
            }
            if (jtot >= nmaxit) {
                throw new IllegalStateException("SymmetricTridiagonal: QL/QR did not converge in " + nmaxit
                        + " sweeps (n = " + n + ")");
            }
        }
        Arrays.sort(d, 0, n);
    }

    /**
     * Eigenvalues of {@code [[a, b], [b, c]]} (LAPACK {@code dlae2}): {@code {rt1, rt2}} with
     * {@code |rt1| ≥ |rt2|}, the smaller one from {@code rt1·rt2 = ac − b²} to avoid cancellation.
     */
    static double[] eig2(double a, double b, double c) {
        double sm = a + c;
        double df = a - c;
        double adf = Math.abs(df);
        double tb = b + b;
        double ab = Math.abs(tb);
        double acmx = Math.abs(a) > Math.abs(c) ? a : c;
        double acmn = Math.abs(a) > Math.abs(c) ? c : a;
        double rt;
        if (adf > ab) {
            double t = ab / adf;
            rt = adf * Math.sqrt(1 + t * t);
        } else if (adf < ab) {
            double t = adf / ab;
            rt = ab * Math.sqrt(1 + t * t);
        } else {
            rt = ab * Math.sqrt(2.0);
        }
        double rt1;
        double rt2;
        if (sm < 0) {
            rt1 = 0.5 * (sm - rt);
            rt2 = (acmx / rt1) * acmn - (b / rt1) * b;
        } else if (sm > 0) {
            rt1 = 0.5 * (sm + rt);
            rt2 = (acmx / rt1) * acmn - (b / rt1) * b;
        } else {
            rt1 = 0.5 * rt;
            rt2 = -0.5 * rt;
        }
        return new double[] {rt1, rt2};
    }
}
