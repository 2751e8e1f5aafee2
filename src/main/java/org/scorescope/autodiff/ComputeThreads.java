package org.scorescope.autodiff;

/**
 * How many threads the engine's large kernels (matrix products, fused layer kernels) may use.
 * Work is split into a fixed number of row blocks that depends only on the problem size, never on
 * this setting or on scheduling, and every block is computed by exactly the same loop, so results are
 * bit-identical for any thread count. The default is the number of available processors.
 */
public final class ComputeThreads {
    private static volatile int threads = Runtime.getRuntime().availableProcessors();

    private ComputeThreads() {
    }

    /**
     * Returns the current thread budget.
     *
     * @return threads ≥ 1
     */
    public static int get() {
        return threads;
    }

    /**
     * Sets the thread budget for all later kernel calls (process-wide).
     *
     * @param n threads, 1 … 256 (1 runs everything on the calling thread)
     * @throws IllegalArgumentException when n is out of range
     */
    public static void set(int n) {
        if (n < 1 || n > 256) {
            throw new IllegalArgumentException("compute threads must be in [1, 256], got " + n);
        }
        threads = n;
    }
}
