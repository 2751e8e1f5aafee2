package org.scorescope.io;

import java.util.Locale;

/**
 * A rough memory check made before a large allocation, so that a request that cannot fit is refused in
 * milliseconds with one line instead of running for minutes into an out-of-memory error. Estimates are computed
 * with overflow-checked {@code long} arithmetic ({@link #times}); an estimate that overflows is "too large".
 */
public final class MemoryBudget {
    /** Returned by {@link #times} when the product overflows a long. */
    public static final long OVERFLOW = Long.MAX_VALUE;

    private MemoryBudget() {
    }

    /** @return the bytes the heap can still grow to hold: the maximum heap minus what is in use now */
    public static long available() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /**
     * The product of non-negative factors, or {@link #OVERFLOW} if it does not fit in a long.
     *
     * @param factors the factors, each ≥ 0
     * @return their product, saturated
     */
    public static long times(long... factors) {
        long p = 1;
        try {
            for (long f : factors) {
                p = Math.multiplyExact(p, f);
            }
            return p;
        } catch (ArithmeticException e) {
            return OVERFLOW;
        }
    }

    /**
     * The sum of non-negative terms, or {@link #OVERFLOW} if it does not fit in a long.
     *
     * @param terms the terms, each ≥ 0
     * @return their sum, saturated
     */
    public static long plus(long... terms) {
        long s = 0;
        try {
            for (long t : terms) {
                s = Math.addExact(s, t);
            }
            return s;
        } catch (ArithmeticException e) {
            return OVERFLOW;
        }
    }

    /**
     * Refuses a piece of work whose estimated memory exceeds what the heap can still provide.
     *
     * @param what   what needs the memory, e.g. {@code --method full: the dense Hessian (P = 12000)}
     * @param bytes  the estimate
     * @param advice what the user can do instead, e.g. {@code use --method lanczos}
     * @throws InsufficientMemoryException with a one-line message if it does not fit
     */
    public static void require(String what, long bytes, String advice) throws InsufficientMemoryException {
        long available = available();
        if (bytes > available) {
            throw new InsufficientMemoryException(what + " needs about " + format(bytes) + " but the Java heap has "
                    + format(available) + " left; " + advice + " (or raise the heap with java -Xmx)");
        }
    }

    /** @return a byte count for people: {@code 512 MB}, {@code 3.2 GB}, {@code too much to count} */
    public static String format(long bytes) {
        if (bytes == OVERFLOW) {
            return "more than 8 EB";
        }
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        }
        return Math.max(1, (bytes + (1 << 20) - 1) >> 20) + " MB";
    }
}
