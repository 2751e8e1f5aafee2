package org.scorescope.autodiff;

import java.util.Arrays;

/**
 * Dense products C[m×n] = op(A)·op(B) (+ a bias row added to every row of C) on row-major arrays,
 * where op transposes a stored matrix when its flag is set.
 *
 * <p>Why packed rows: HotSpot C2 (JDK 17) auto-vectorises {@code acc[j] += x * b[j]} well only when
 * every array in the loop is indexed by the bare loop variable; the same loop written on flat arrays
 * with loop-invariant offsets ({@code c[cOff + j] += x * b[bOff + j]}) runs 3–4× slower (measured,
 * see docs/performance.md). So op(B) is copied once into k separate row arrays, each row of C is
 * accumulated in a scratch row and then copied into place; the copies cost O(mn + kn) against the
 * O(mkn) arithmetic.
 *
 * <p>Threads: rows of C are split into chunks whose size depends only on k and n; every row is
 * computed by the same loop whichever thread runs it, so results are bit-identical for any thread
 * count.
 */
final class Gemm {
    /** Products with fewer multiply-adds than this run on the calling thread (fork/join costs ~10 µs). */
    static final long PARALLEL_MIN_MACS = 1L << 18;
    /** Target multiply-adds per chunk of rows. */
    private static final long CHUNK_MACS = 1L << 15;
    /** Doubles in one packed block of op(B) of a long contraction (32 KB, an L1 data cache). */
    private static final long BLOCK_DOUBLES = 1L << 12;
    /** Below this many output columns, rows of C are computed as dot products instead. */
    private static final int NARROW = 8;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * Whether {@link VectorGemm}'s register-blocked kernel may run: the Vector API is resolved, the CPU has
     * 8-double vectors, and {@code -Dscorescope.vectorgemm=false} was not given (an A/B switch for the
     * benchmarks). VectorGemm is loaded only when this is true.
     */
    static final boolean REGISTER_BLOCKED = Simd.available()
            && !"false".equalsIgnoreCase(System.getProperty("scorescope.vectorgemm")) && VectorGemm.SUITABLE;
    /**
     * Smallest m and n for the register-blocked kernel: below a full 8×16 tile the padding costs more
     * than the kernel gains, and narrow products keep the dot-product path.
     */
    static final int RB_MIN_M = 8;
    static final int RB_MIN_N = 16;

    /**
     * When set, every call adds its 2·m·k·n floating-point operations to {@link #flops} (benchmarks count
     * a training step's product work exactly this way). A plain field: counting is done on one thread.
     */
    static boolean countFlops;
    static long flops;

    /** Per-thread buffers, reused across calls so the hot path allocates nothing per row. */
    static final class Scratch {
        private double[][] rows = new double[0][];
        private double[][] acc = new double[0][];
        private double[] row = new double[0];
        private double[] row2 = new double[0];

        /** At least {@code count} arrays of length ≥ {@code len} (contents undefined). */
        double[][] rows(int count, int len) {
            if (rows.length < count) {
                rows = Arrays.copyOf(rows, Math.max(count, 2 * rows.length));
            }
            // Grown one by one, so a call with many short rows and one with few long rows do not
            // multiply into many long rows.
            for (int i = 0; i < count; i++) {
                if (rows[i] == null || rows[i].length < len) {
                    rows[i] = new double[len];
                }
            }
            return rows;
        }

        /** At least {@code count} accumulator rows of length ≥ len, distinct from {@link #rows}. */
        double[][] accumulators(int count, int len) {
            if (acc.length < count) {
                acc = Arrays.copyOf(acc, Math.max(count, 2 * acc.length));
            }
            for (int i = 0; i < count; i++) {
                if (acc[i] == null || acc[i].length < len) {
                    acc[i] = new double[len];
                }
            }
            return acc;
        }

        /** An array of length ≥ len (contents undefined). */
        double[] row(int len) {
            if (row.length < len) {
                row = new double[len];
            }
            return row;
        }

        /** A second array of length ≥ len, distinct from {@link #row} (contents undefined). */
        double[] row2(int len) {
            if (row2.length < len) {
                row2 = new double[len];
            }
            return row2;
        }
    }

    private Gemm() {
    }

    /**
     * C[m×n] = op(A)·op(B) + 1·biasᵀ, overwriting C. A is stored m×k (k×m when {@code ta}), B k×n
     * (n×k when {@code tb}), C m×n, each row-major from its offset.
     *
     * @param bias length-n row added to every row of C, or null
     */
    static void gemm(double[] a, int aOff, boolean ta, double[] b, int bOff, boolean tb, double[] c, int cOff,
                     int m, int k, int n, double[] bias) {
        if (countFlops) {
            flops += 2L * m * k * n;
        }
        dispatch(a, aOff, ta, b, bOff, tb, c, cOff, m, k, n, bias);
    }

    /** {@link #gemm} without the operation count (also the transposed narrow case's inner product). */
    private static void dispatch(double[] a, int aOff, boolean ta, double[] b, int bOff, boolean tb, double[] c,
                                 int cOff, int m, int k, int n, double[] bias) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            for (int i = 0; i < m; i++) {
                if (bias == null) {
                    Arrays.fill(c, cOff + i * n, cOff + (i + 1) * n, 0.0);
                } else {
                    System.arraycopy(bias, 0, c, cOff + i * n, n);
                }
            }
            return;
        }
        if (REGISTER_BLOCKED && m >= RB_MIN_M && n >= RB_MIN_N) {
            VectorGemm.gemm(a, aOff, ta, b, bOff, tb, c, cOff, m, k, n, bias);
            return;
        }
        plain(a, aOff, ta, b, bOff, tb, c, cOff, m, k, n, bias);
    }

    /** As {@link #gemm} on the packed-row loops only (m, n, k ≥ 1): the fallback and the tests' reference. */
    static void plain(double[] a, int aOff, boolean ta, double[] b, int bOff, boolean tb, double[] c, int cOff,
                      int m, int k, int n, double[] bias) {
        boolean narrow = n < NARROW;
        if (narrow && ta && m >= NARROW && bias == null) {
            // Cᵀ = op(B)ᵀ·A with A stored k×m: its packed rows are A's own rows, and the output rows are
            // m long, so the vectorised path applies instead of m strided gathers and dot products.
            double[] ct = SCRATCH.get().row2(n * m);
            dispatch(b, bOff, !tb, a, aOff, false, ct, 0, n, k, m, null);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    c[cOff + i * n + j] = ct[j * m + i];
                }
            }
            return;
        }
        int kc = (int) Math.max(64, BLOCK_DOUBLES / n);
        if (!narrow && k > kc) {
            blocked(a, aOff, ta, b, bOff, tb, c, cOff, m, k, n, bias, kc);
            return;
        }
        // Narrow: pack op(B)ᵀ as n rows of k (dot products); wide: op(B) as k rows of n.
        double[][] bp = SCRATCH.get().rows(narrow ? n : k, narrow ? k : n);
        if (narrow) {
            packTransposed(b, bOff, tb, k, n, bp);
        } else {
            pack(b, bOff, tb, k, n, bp);
        }
        int rowsPerChunk = (int) Math.max(1, Math.min(m, CHUNK_MACS / ((long) k * n)));
        int chunks = (m + rowsPerChunk - 1) / rowsPerChunk;
        if ((long) m * k * n < PARALLEL_MIN_MACS) {
            chunks = 1;
            rowsPerChunk = m;
        }
        final int rpc = rowsPerChunk;
        Parallel.forChunks(chunks, q -> {
            int i0 = q * rpc;
            int i1 = Math.min(m, i0 + rpc);
            if (narrow) {
                dotRows(a, aOff, ta, m, k, bp, n, c, cOff, bias, i0, i1);
            } else {
                axpyRows(a, aOff, ta, m, k, bp, n, c, cOff, bias, i0, i1);
            }
        });
    }

    /**
     * Long contractions (k &gt; kc, e.g. weight gradients summed over a batch): op(B) is packed kc rows
     * at a time, so the packed block stays in L1 while every row of C, held in a scratch accumulator,
     * takes its rank-kc update; C is written once at the end. Rows of C are split across threads at
     * the top (one parallel region per product); each thread packs the blocks it needs itself, which
     * costs k·n copies against its (m/threads)·k·n multiply-adds.
     */
    private static void blocked(double[] a, int aOff, boolean ta, double[] b, int bOff, boolean tb, double[] c,
                                int cOff, int m, int k, int n, double[] bias, int kc) {
        int chunks = (long) m * k * n < PARALLEL_MIN_MACS ? 1 : Math.max(1, Math.min(ComputeThreads.get(), m / 8));
        Parallel.forChunks(chunks, q -> {
            int i0 = (int) ((long) m * q / chunks);
            int i1 = (int) ((long) m * (q + 1) / chunks);
            Scratch sc = SCRATCH.get();
            double[][] acc = sc.accumulators(i1 - i0, n);
            for (int i = i0; i < i1; i++) {
                if (bias == null) {
                    Arrays.fill(acc[i - i0], 0, n, 0.0);
                } else {
                    System.arraycopy(bias, 0, acc[i - i0], 0, n);
                }
            }
            double[][] bp = sc.rows(kc, n);
            for (int p0 = 0; p0 < k; p0 += kc) {
                int p1 = Math.min(k, p0 + kc);
                pack(b, bOff, tb, k, n, p0, p1, bp);
                for (int i = i0; i < i1; i++) {
                    accumulate(acc[i - i0], a, aOff, ta, m, k, i, p0, p1, bp, n);
                }
            }
            for (int i = i0; i < i1; i++) {
                System.arraycopy(acc[i - i0], 0, c, cOff + i * n, n);
            }
        });
    }

    /** bp[p − p0][0..n) = op(B)[p][·] for p in [p0, p1). */
    private static void pack(double[] b, int bOff, boolean tb, int k, int n, int p0, int p1, double[][] bp) {
        if (!tb) {
            for (int p = p0; p < p1; p++) {
                System.arraycopy(b, bOff + p * n, bp[p - p0], 0, n);
            }
            return;
        }
        // B stored n×k: column p of the stored matrix becomes row p.
        for (int j = 0; j < n; j++) {
            int bj = bOff + j * k;
            for (int p = p0; p < p1; p++) {
                bp[p - p0][j] = b[bj + p];
            }
        }
    }

    /** bp[p][0..n) = op(B)[p][·]. */
    private static void pack(double[] b, int bOff, boolean tb, int k, int n, double[][] bp) {
        pack(b, bOff, tb, k, n, 0, k, bp);
    }

    /**
     * acc[0..n) += Σ_{p ∈ [p0, p1)} op(A)[i][p]·op(B)[p][·], with op(B)[p] packed in bp[p − p0]: each
     * element of acc is loaded and stored once per four multiply-adds, in a unit-stride loop over
     * offset-free arrays.
     */
    private static void accumulate(double[] acc, double[] a, int aOff, boolean ta, int m, int k, int i, int p0,
                                   int p1, double[][] bp, int n) {
        int step = ta ? m : 1;
        int ai = ta ? aOff + i : aOff + i * k;
        int p = p0;
        for (; p + 3 < p1; p += 4) {
            int q = ai + p * step;
            double x0 = a[q];
            double x1 = a[q + step];
            double x2 = a[q + 2 * step];
            double x3 = a[q + 3 * step];
            double[] b0 = bp[p - p0];
            double[] b1 = bp[p - p0 + 1];
            double[] b2 = bp[p - p0 + 2];
            double[] b3 = bp[p - p0 + 3];
            for (int j = 0; j < n; j++) {
                acc[j] += x0 * b0[j] + x1 * b1[j] + x2 * b2[j] + x3 * b3[j];
            }
        }
        for (; p < p1; p++) {
            double x0 = a[ai + p * step];
            double[] b0 = bp[p - p0];
            for (int j = 0; j < n; j++) {
                acc[j] += x0 * b0[j];
            }
        }
    }

    /** bt[j][0..k) = op(B)[·][j]. */
    private static void packTransposed(double[] b, int bOff, boolean tb, int k, int n, double[][] bt) {
        if (tb) {
            for (int j = 0; j < n; j++) {
                System.arraycopy(b, bOff + j * k, bt[j], 0, k);
            }
            return;
        }
        for (int p = 0; p < k; p++) {
            int bq = bOff + p * n;
            for (int j = 0; j < n; j++) {
                bt[j][p] = b[bq + j];
            }
        }
    }

    /** Rows [i0, i1) of C, each accumulated in a scratch row and then copied into place. */
    private static void axpyRows(double[] a, int aOff, boolean ta, int m, int k, double[][] bp, int n,
                                 double[] c, int cOff, double[] bias, int i0, int i1) {
        double[] acc = SCRATCH.get().row(n);
        for (int i = i0; i < i1; i++) {
            if (bias == null) {
                Arrays.fill(acc, 0, n, 0.0);
            } else {
                System.arraycopy(bias, 0, acc, 0, n);
            }
            accumulate(acc, a, aOff, ta, m, k, i, 0, k, bp, n);
            System.arraycopy(acc, 0, c, cOff + i * n, n);
        }
    }

    /** Rows [i0, i1) of a narrow C (n &lt; {@value #NARROW}) as dot products with the packed columns. */
    private static void dotRows(double[] a, int aOff, boolean ta, int m, int k, double[][] bt, int n,
                                double[] c, int cOff, double[] bias, int i0, int i1) {
        double[] arow = SCRATCH.get().row(k);
        for (int i = i0; i < i1; i++) {
            if (ta) {
                for (int p = 0; p < k; p++) {
                    arow[p] = a[aOff + p * m + i];
                }
            } else {
                System.arraycopy(a, aOff + i * k, arow, 0, k);
            }
            for (int j = 0; j < n; j++) {
                double[] bj = bt[j];
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                int p = 0;
                for (; p + 3 < k; p += 4) {
                    s0 += arow[p] * bj[p];
                    s1 += arow[p + 1] * bj[p + 1];
                    s2 += arow[p + 2] * bj[p + 2];
                    s3 += arow[p + 3] * bj[p + 3];
                }
                for (; p < k; p++) {
                    s0 += arow[p] * bj[p];
                }
                double s = (s0 + s1) + (s2 + s3);
                c[cOff + i * n + j] = bias == null ? s : bias[j] + s;
            }
        }
    }
}
