package org.scorescope.autodiff;

/**
 * Per-thread temporaries of the fused layers: numbered slots, each an array reused from call to
 * call, for values that live only inside one forward or backward call (never wrapped in a Tensor,
 * never kept by an op). Contents are undefined on return; users fill what they read.
 *
 * <p>Why bounded: a thread keeps its slots for its lifetime, so one evaluation on a large grid
 * would otherwise pin arrays of that size for good. Requests above {@link #MAX_RETAINED} doubles get
 * a fresh array instead (a training step of batch ≤ 1024 at width 64 stays within the bound).
 */
final class TempArrays {
    /** Largest array a slot keeps, in doubles (2 MB). */
    static final int MAX_RETAINED = 1 << 18;
    private static final int SLOTS = 8;

    private final double[][] slots = new double[SLOTS][];

    /**
     * An array of length ≥ {@code len} for slot {@code slot} (contents undefined); distinct slots
     * never share an array.
     */
    double[] get(int slot, int len) {
        if (len > MAX_RETAINED) {
            return new double[len];
        }
        double[] a = slots[slot];
        if (a == null || a.length < len) {
            a = new double[len];
            slots[slot] = a;
        }
        return a;
    }
}
