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

    /** Which product kernel {@link #gemm(Kernel, double[], int, boolean, double[], int, boolean, double[], int, int, int, int)} runs. */
    public enum Kernel {
        /** What {@link #gemm(double[], int, boolean, double[], int, boolean, double[], int, int, int, int)} runs. */
        AUTO,
        /** The packed-row loops that HotSpot C2 vectorises itself (the fallback). */
        PACKED_ROWS,
        /** The register-blocked Vector API kernel; {@link #registerBlockedAvailable()} must be true. */
        REGISTER_BLOCKED
    }

    /**
     * Whether the register-blocked kernel can run here: the Vector API module is resolved, the CPU's
     * preferred vectors hold 8 doubles (AVX-512), and {@code -Dscorescope.vectorgemm=false} was not given.
     *
     * @return true when {@link Kernel#REGISTER_BLOCKED} may be asked for
     */
    public static boolean registerBlockedAvailable() {
        return Gemm.REGISTER_BLOCKED;
    }

    /**
     * C[m×n] = op(A)·op(B) on the named kernel, for benchmarks that compare kernels on the same operands.
     * Arguments as in {@link #gemm(double[], int, boolean, double[], int, boolean, double[], int, int, int, int)};
     * m, k, n ≥ 1.
     *
     * @throws IllegalStateException when the register-blocked kernel is asked for but not available
     */
    public static void gemm(Kernel kernel, double[] a, int aOff, boolean ta, double[] b, int bOff, boolean tb,
                            double[] c, int cOff, int m, int k, int n) {
        switch (kernel) {
            case AUTO -> Gemm.gemm(a, aOff, ta, b, bOff, tb, c, cOff, m, k, n, null);
            case PACKED_ROWS -> Gemm.plain(a, aOff, ta, b, bOff, tb, c, cOff, m, k, n, null);
            case REGISTER_BLOCKED -> {
                if (!Gemm.REGISTER_BLOCKED) {
                    throw new IllegalStateException("register-blocked kernel not available (needs "
                            + "--add-modules jdk.incubator.vector and 8-double vectors)");
                }
                VectorGemm.gemm(a, aOff, ta, b, bOff, tb, c, cOff, m, k, n, null);
            }
        }
    }

    /**
     * Starts or stops counting the floating-point operations of every matrix product the engine runs
     * (2·m·k·n per product C[m×n] = op(A)·op(B); the bias additions are not counted). For benchmarks:
     * count with one compute thread, since the counter is not synchronised.
     *
     * @param on true to count from now on, false to stop
     */
    public static void countFlops(boolean on) {
        Gemm.countFlops = on;
    }

    /**
     * Operations counted since the last {@link #resetFlops()}.
     *
     * @return 2·Σ m·k·n over the counted products
     */
    public static long countedFlops() {
        return Gemm.flops;
    }

    /** Sets the counter of {@link #countedFlops()} to zero. */
    public static void resetFlops() {
        Gemm.flops = 0;
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
