package org.scorescope.io;

/**
 * The largest input file any reader accepts. The limit exists so that a wrong argument ({@code /dev/zero}, a
 * multi-gigabyte log passed as a model) fails within a fraction of a second with one clear line instead of
 * filling the heap.
 *
 * <p>The default is {@value #DEFAULT_MB} MB; the system property {@value #PROPERTY} (in MB) replaces it for the
 * whole process, and the command line's {@code --max-input-mb} option replaces it for one run. Messages tell the
 * user how to raise the limit through {@link #howToRaise()}, which the command line points at its option.
 */
public final class InputLimits {
    /** System property holding the limit in MB. */
    public static final String PROPERTY = "scorescope.maxInputMb";
    /** Default limit in MB: far above any point set or model this tool trains, far below a heap. */
    public static final long DEFAULT_MB = 256;

    private static final long MB = 1L << 20;
    private static volatile long overrideBytes = -1;
    private static volatile String hint = "-D" + PROPERTY + "=N";

    private InputLimits() {
    }

    /** @return the current limit in bytes */
    public static long maxBytes() {
        long o = overrideBytes;
        if (o > 0) {
            return o;
        }
        String p = System.getProperty(PROPERTY);
        if (p != null) {
            try {
                long mb = Long.parseLong(p.trim());
                if (mb > 0) {
                    return mbToBytes(mb);
                }
            } catch (NumberFormatException ignored) {
                // A malformed property must not make every read fail; the default applies.
            }
        }
        return DEFAULT_MB * MB;
    }

    /**
     * Replaces the limit for this process until {@link #reset()}.
     *
     * @param mb    the new limit in MB, ≥ 1
     * @param howTo how the user raises it, e.g. {@code --max-input-mb N}; shown in messages
     */
    public static void set(long mb, String howTo) {
        if (mb < 1) {
            throw new IllegalArgumentException("the input limit must be at least 1 MB, found " + mb);
        }
        overrideBytes = mbToBytes(mb);
        hint = howTo;
    }

    /** Restores the default (or the system property's) limit and hint. */
    public static void reset() {
        overrideBytes = -1;
        hint = "-D" + PROPERTY + "=N";
    }

    /** @return how a user raises the limit, for messages */
    public static String howToRaise() {
        return hint;
    }

    /** @return the limit in whole MB, for messages */
    public static long maxMb() {
        return Math.max(1, maxBytes() / MB);
    }

    private static long mbToBytes(long mb) {
        return mb > Long.MAX_VALUE / MB ? Long.MAX_VALUE : mb * MB;
    }
}
