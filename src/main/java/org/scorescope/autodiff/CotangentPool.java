package org.scorescope.autodiff;

/**
 * Per-thread recycling of cotangent arrays between the fused jet layers' backward passes.
 *
 * <p>A fast jet backward pass ({@link JetOps.Layer}) returns its input's cotangent in a new array
 * that only that cotangent references, and reads the cotangent it is given without keeping it. So
 * when {@link Grad} hands such an exclusive cotangent to such a pass, the array is dead once the pass
 * returns (unless the pass's results alias it, or the tensor is one of the requested gradients,
 * which Grad checks): Grad gives it back here and the next layer's pass takes it for its own result.
 * In a training step the same two arrays then carry every inter-layer cotangent. Arrays are handed
 * out with undefined contents; takers overwrite every element.
 */
final class CotangentPool {
    /** Arrays kept per thread; a training step needs two, the rest is slack for other graphs. */
    private static final int CAPACITY = 4;

    private static final ThreadLocal<CotangentPool> POOL = ThreadLocal.withInitial(CotangentPool::new);

    private final double[][] free = new double[CAPACITY][];
    private int count;

    private CotangentPool() {
    }

    /** An array of exactly {@code len} doubles with undefined contents, now owned by the caller. */
    static double[] take(int len) {
        CotangentPool p = POOL.get();
        for (int i = p.count - 1; i >= 0; i--) {
            double[] a = p.free[i];
            if (a.length == len) {
                p.free[i] = p.free[--p.count];
                p.free[p.count] = null;
                return a;
            }
        }
        return new double[len];
    }

    /**
     * Returns an array nothing references any more (the caller proves it); dropped when longer than
     * {@link TempArrays#MAX_RETAINED}, and when the pool is full the oldest entry makes room so that
     * the sizes of the current graph stay.
     */
    static void give(double[] a) {
        if (a.length > TempArrays.MAX_RETAINED) {
            // Not pinned for the thread's lifetime (see TempArrays).
            return;
        }
        CotangentPool p = POOL.get();
        for (int i = 0; i < p.count; i++) {
            if (p.free[i] == a) {
                throw new IllegalStateException("CotangentPool: array given back twice");
            }
        }
        if (p.count == CAPACITY) {
            System.arraycopy(p.free, 1, p.free, 0, CAPACITY - 1);
            p.count--;
        }
        p.free[p.count++] = a;
    }
}
