package org.scorescope.autodiff;

import java.util.function.IntConsumer;

/**
 * The engine's dense kernels for code outside the engine that works on raw row-major arrays (the
 * structured parameter Hessian): the packed matrix product and the kernel thread pool, so such code
 * gets the same speed and the same thread budget ({@link ComputeThreads}) as the engine itself.
 */
public final class Blas {
    private Blas() {
    }

    /**
     * C[m×n] = op(A)·op(B), overwriting C. A is stored m×k (k×m when {@code ta}), B k×n (n×k when
     * {@code tb}), C m×n, each row-major from its offset. Rows of C are split over the kernel threads;
     * the result is bit-identical for any thread count.
     */
    public static void gemm(double[] a, int aOff, boolean ta, double[] b, int bOff, boolean tb, double[] c,
                            int cOff, int m, int k, int n) {
        Gemm.gemm(a, aOff, ta, b, bOff, tb, c, cOff, m, k, n, null);
    }

    /**
     * Runs body(0) … body(chunks − 1), each exactly once, on up to {@link ComputeThreads#get()} threads
     * (the caller included) and returns when all are done. Kernels called from inside a chunk run on that
     * chunk's thread. An exception in a chunk is rethrown here.
     */
    public static void parallelFor(int chunks, IntConsumer body) {
        Parallel.forChunks(chunks, body);
    }

    /**
     * As {@link #parallelFor(int, IntConsumer)} on at most {@code maxThreads} threads (never more than
     * {@link ComputeThreads#get()}).
     */
    public static void parallelFor(int chunks, int maxThreads, IntConsumer body) {
        Parallel.forChunks(chunks, maxThreads, body);
    }
}
