package org.scorescope.autodiff;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked matrix product on the JDK's Vector API:
 * C[m×n] = op(A)·op(B) (+ 1·biasᵀ), i.e. C[i][j] = bias[j] + Σ_{p&lt;k} op(A)[i][p]·op(B)[p][j], with
 * the same storage conventions as {@link Gemm#gemm}.
 *
 * <p>Scheme (GotoBLAS/BLIS): op(B) is packed once per call into panels of {@value #NR} columns, k-block by
 * k-block ({@value #KC} rows of op(B) per block, zero-padded to a multiple of {@value #NR} columns);
 * for each row tile of {@value #MR} rows the tile's block of op(A) is packed column by column into a
 * small buffer (full tiles are read in place), and the micro-kernel computes the {@value #MR}×{@value #NR} tile of C as 16 register
 * accumulators (eight rows × two 8-double vectors): per step p one load of each of the two B vectors,
 * eight broadcasts of A and sixteen FMAs. That is 16 FMAs per 10 loads, against C2's own vectorised
 * packed-row loop ({@link Gemm}), which loads and stores its accumulator row for every four
 * multiply-adds and does not contract to FMA.
 *
 * <p>Why the shape 8×16: AVX-512 has 32 vector registers; 16 accumulators + 2 B vectors + 1 broadcast
 * leave room for the JIT, and 16 independent FMA chains cover the FMA latency (4 cycles) at one 512-bit
 * FMA per cycle. The layers' widths (64) are multiples of 16, batch rows of 8, so edge tiles are rare.
 *
 * <p>Determinism: every element of C is accumulated over p = 0, 1, …, k−1 in that order by one fused
 * multiply-add per term (starting from 0 or bias[j]), whichever tile, edge or thread computes it; row
 * tiles are split over threads at tile boundaries, so results are bit-identical for any thread count.
 * They differ from {@link Gemm}'s plain loops by rounding only (FMA, a different summation order).
 *
 * <p>Used only when {@link Simd#available()} and the preferred species holds 8 doubles (AVX-512);
 * this class must not be loaded otherwise.
 */
final class VectorGemm {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_512;
    /** Rows of a register tile. */
    static final int MR = 8;
    /** Columns of a register tile: two 8-double vectors. */
    static final int NR = 16;
    /** Rows of op(B) per packed block: one B micro-panel is 16 × 256 doubles (32 KB). */
    static final int KC = 256;

    /** Multiply-adds per parallel chunk (≈ 10–20 µs at the kernel's speed). */
    private static final long CHUNK_MACS = 1L << 18;

    /** True when this CPU's preferred vectors hold 8 doubles, so the kernel's shape fits the registers. */
    static final boolean SUITABLE = DoubleVector.SPECIES_PREFERRED.length() == 8;

    private static final int ZERO = 0;
    private static final int BIAS = 1;
    private static final int ADD = 2;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Per-thread packing buffers, grown on demand and reused, so a call allocates nothing once warm. */
    private static final class Scratch {
        double[] b = new double[0];
        double[] bias = new double[0];
        double[] a = new double[MR * KC];
        double[] edge = new double[MR * NR];

        double[] b(int len) {
            if (b.length < len) {
                b = new double[len];
            }
            return b;
        }

        double[] bias(int len) {
            if (bias.length < len) {
                bias = new double[len];
            }
            return bias;
        }
    }

    private VectorGemm() {
    }

    /**
     * C[m×n] = op(A)·op(B) + 1·biasᵀ, overwriting C; the arguments are those of {@link Gemm#gemm}.
     * Requires m, n, k ≥ 1.
     */
    static void gemm(double[] a, int aOff, boolean ta, double[] b, int bOff, boolean tb, double[] c, int cOff,
                     int m, int k, int n, double[] bias) {
        int panels = (n + NR - 1) / NR;
        int npad = panels * NR;
        Scratch sc = SCRATCH.get();
        double[] bp = sc.b(k * npad);
        packB(b, bOff, tb, k, n, npad, bp);
        double[] bb = null;
        if (bias != null) {
            bb = sc.bias(npad);
            System.arraycopy(bias, 0, bb, 0, n);
            java.util.Arrays.fill(bb, n, npad, 0.0);
        }
        int tiles = (m + MR - 1) / MR;
        // Several chunks per thread, handed out dynamically by the pool: on a shared machine one thread
        // is often descheduled, and with one chunk per thread the other would wait for it. The count
        // depends only on the shape, so results do not depend on the thread count.
        long macs = (long) m * k * n;
        int chunks = macs < Gemm.PARALLEL_MIN_MACS ? 1
                : (int) Math.min(tiles, Math.max(2, macs / CHUNK_MACS));
        final double[] biasPadded = bb;
        if (chunks == 1) {
            rows(a, aOff, ta, bp, c, cOff, m, k, n, npad, biasPadded, 0, tiles);
            return;
        }
        Parallel.forChunks(chunks, q -> {
            int t0 = (int) ((long) tiles * q / chunks);
            int t1 = (int) ((long) tiles * (q + 1) / chunks);
            rows(a, aOff, ta, bp, c, cOff, m, k, n, npad, biasPadded, t0, t1);
        });
    }

    /**
     * Packs op(B) block by block: block p0 (rows [p0, p0+kc) of op(B)) starts at p0·npad; in it, panel
     * jp holds rows p0… at stride NR: bp[p0·npad + jp·kc·NR + (p−p0)·NR + jj] = op(B)[p][jp·NR + jj],
     * zero where jp·NR + jj ≥ n.
     */
    private static void packB(double[] b, int bOff, boolean tb, int k, int n, int npad, double[] bp) {
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            int base = p0 * npad;
            for (int jp = 0; jp * NR < n; jp++) {
                int j0 = jp * NR;
                int w = Math.min(NR, n - j0);
                int pb = base + jp * kc * NR;
                if (!tb) {
                    for (int p = 0; p < kc; p++) {
                        int dst = pb + p * NR;
                        System.arraycopy(b, bOff + (p0 + p) * n + j0, bp, dst, w);
                        for (int jj = w; jj < NR; jj++) {
                            bp[dst + jj] = 0.0;
                        }
                    }
                } else {
                    // B stored n×k: column j of op(B) is row j of the stored matrix.
                    for (int jj = 0; jj < w; jj++) {
                        int src = bOff + (j0 + jj) * k + p0;
                        for (int p = 0; p < kc; p++) {
                            bp[pb + p * NR + jj] = b[src + p];
                        }
                    }
                    for (int jj = w; jj < NR; jj++) {
                        for (int p = 0; p < kc; p++) {
                            bp[pb + p * NR + jj] = 0.0;
                        }
                    }
                }
            }
        }
    }

    /** Row tiles [t0, t1) of C: k-blocks outermost, so one packed block of op(B) serves every tile. */
    private static void rows(double[] a, int aOff, boolean ta, double[] bp, double[] c, int cOff, int m, int k,
                             int n, int npad, double[] bias, int t0, int t1) {
        Scratch sc = SCRATCH.get();
        double[] ap = sc.a;
        double[] edge = sc.edge;
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            int mode = p0 > 0 ? ADD : bias != null ? BIAS : ZERO;
            for (int t = t0; t < t1; t++) {
                int i0 = t * MR;
                int h = Math.min(MR, m - i0);
                // A full tile is read in place (op(A)[i0 + r][p] at ao + r·rs + p·ps): packing it cost
                // about a tenth of a training step and gains nothing here, since the tile's 8 rows of
                // at most KC entries stay in L1 across the column panels either way. A partial tile is
                // packed with zero rows so the kernel never reads past A.
                double[] av;
                int ao;
                int rs;
                int ps;
                if (h == MR) {
                    av = a;
                    ao = ta ? aOff + p0 * m + i0 : aOff + i0 * k + p0;
                    rs = ta ? 1 : k;
                    ps = ta ? m : 1;
                } else {
                    packA(a, aOff, ta, m, k, i0, h, p0, kc, ap);
                    av = ap;
                    ao = 0;
                    rs = 1;
                    ps = MR;
                }
                for (int jp = 0; jp * NR < n; jp++) {
                    int j0 = jp * NR;
                    int w = Math.min(NR, n - j0);
                    int bo = p0 * npad + jp * kc * NR;
                    if (h == MR && w == NR) {
                        kernel(av, ao, rs, ps, bp, bo, kc, c, cOff + i0 * n + j0, n, mode, bias, j0);
                    } else {
                        // Edge tile: run the same kernel on a full-size copy, then write the valid part.
                        if (mode == ADD) {
                            for (int r = 0; r < MR; r++) {
                                for (int jj = 0; jj < NR; jj++) {
                                    edge[r * NR + jj] = r < h && jj < w ? c[cOff + (i0 + r) * n + j0 + jj] : 0.0;
                                }
                            }
                        }
                        kernel(av, ao, rs, ps, bp, bo, kc, edge, 0, NR, mode, bias, j0);
                        for (int r = 0; r < h; r++) {
                            System.arraycopy(edge, r * NR, c, cOff + (i0 + r) * n + j0, w);
                        }
                    }
                }
            }
        }
    }

    /** ap[(p − p0)·MR + r] = op(A)[i0 + r][p] for p in [p0, p0 + kc), zero for rows r ≥ h. */
    private static void packA(double[] a, int aOff, boolean ta, int m, int k, int i0, int h, int p0, int kc,
                              double[] ap) {
        if (ta) {
            // A stored k×m: the tile's MR entries of one p are contiguous.
            for (int p = 0; p < kc; p++) {
                int src = aOff + (p0 + p) * m + i0;
                int dst = p * MR;
                for (int r = 0; r < h; r++) {
                    ap[dst + r] = a[src + r];
                }
                for (int r = h; r < MR; r++) {
                    ap[dst + r] = 0.0;
                }
            }
            return;
        }
        for (int r = 0; r < h; r++) {
            int src = aOff + (i0 + r) * k + p0;
            for (int p = 0; p < kc; p++) {
                ap[p * MR + r] = a[src + p];
            }
        }
        for (int r = h; r < MR; r++) {
            for (int p = 0; p < kc; p++) {
                ap[p * MR + r] = 0.0;
            }
        }
    }

    /**
     * The 8×16 tile at c[co…] (row stride ldc) = start + Σ_{p&lt;kc} av[ao + r·rs + p·ps]·bp[bo + p·16 + j], where
     * start is 0, bias[j0 + j] or the tile's current contents (mode ZERO, BIAS, ADD). Sixteen named
     * accumulators, because C2 keeps locals in registers but not array elements.
     */
    private static void kernel(double[] av, int ao, int rs, int ps, double[] bp, int bo, int kc, double[] c, int co,
                               int ldc, int mode, double[] bias, int j0) {
        DoubleVector c00;
        DoubleVector c01;
        DoubleVector c10;
        DoubleVector c11;
        DoubleVector c20;
        DoubleVector c21;
        DoubleVector c30;
        DoubleVector c31;
        DoubleVector c40;
        DoubleVector c41;
        DoubleVector c50;
        DoubleVector c51;
        DoubleVector c60;
        DoubleVector c61;
        DoubleVector c70;
        DoubleVector c71;
        if (mode == ADD) {
            c00 = DoubleVector.fromArray(S, c, co);
            c01 = DoubleVector.fromArray(S, c, co + 8);
            c10 = DoubleVector.fromArray(S, c, co + ldc);
            c11 = DoubleVector.fromArray(S, c, co + ldc + 8);
            c20 = DoubleVector.fromArray(S, c, co + 2 * ldc);
            c21 = DoubleVector.fromArray(S, c, co + 2 * ldc + 8);
            c30 = DoubleVector.fromArray(S, c, co + 3 * ldc);
            c31 = DoubleVector.fromArray(S, c, co + 3 * ldc + 8);
            c40 = DoubleVector.fromArray(S, c, co + 4 * ldc);
            c41 = DoubleVector.fromArray(S, c, co + 4 * ldc + 8);
            c50 = DoubleVector.fromArray(S, c, co + 5 * ldc);
            c51 = DoubleVector.fromArray(S, c, co + 5 * ldc + 8);
            c60 = DoubleVector.fromArray(S, c, co + 6 * ldc);
            c61 = DoubleVector.fromArray(S, c, co + 6 * ldc + 8);
            c70 = DoubleVector.fromArray(S, c, co + 7 * ldc);
            c71 = DoubleVector.fromArray(S, c, co + 7 * ldc + 8);
        } else {
            DoubleVector s0 = mode == BIAS ? DoubleVector.fromArray(S, bias, j0) : DoubleVector.zero(S);
            DoubleVector s1 = mode == BIAS ? DoubleVector.fromArray(S, bias, j0 + 8) : DoubleVector.zero(S);
            c00 = s0;
            c01 = s1;
            c10 = s0;
            c11 = s1;
            c20 = s0;
            c21 = s1;
            c30 = s0;
            c31 = s1;
            c40 = s0;
            c41 = s1;
            c50 = s0;
            c51 = s1;
            c60 = s0;
            c61 = s1;
            c70 = s0;
            c71 = s1;
        }
        for (int p = 0; p < kc; p++) {
            int bq = bo + p * NR;
            int aq = ao + p * ps;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bq);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bq + 8);
            DoubleVector x = DoubleVector.broadcast(S, av[aq]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, av[aq + 1 * rs]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, av[aq + 2 * rs]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, av[aq + 3 * rs]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(S, av[aq + 4 * rs]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(S, av[aq + 5 * rs]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = DoubleVector.broadcast(S, av[aq + 6 * rs]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = DoubleVector.broadcast(S, av[aq + 7 * rs]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + 8);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + 8);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + 8);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + 8);
        c40.intoArray(c, co + 4 * ldc);
        c41.intoArray(c, co + 4 * ldc + 8);
        c50.intoArray(c, co + 5 * ldc);
        c51.intoArray(c, co + 5 * ldc + 8);
        c60.intoArray(c, co + 6 * ldc);
        c61.intoArray(c, co + 6 * ldc + 8);
        c70.intoArray(c, co + 7 * ldc);
        c71.intoArray(c, co + 7 * ldc + 8);
    }
}
