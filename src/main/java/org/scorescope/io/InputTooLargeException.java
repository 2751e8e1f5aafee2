package org.scorescope.io;

import java.io.IOException;

/**
 * An input that is larger than {@link InputLimits}: the message names the file, the limit and how to raise it,
 * e.g. {@code points.csv: larger than the input limit of 256 MB (raise it with --max-input-mb N)}.
 */
public final class InputTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long limitBytes;

    /**
     * @param source     the file as the user named it
     * @param limitBytes the limit that was exceeded
     */
    public InputTooLargeException(String source, long limitBytes) {
        super(source + ": larger than the input limit of " + Math.max(1, limitBytes >> 20) + " MB (raise it with "
                + InputLimits.howToRaise() + ")");
        this.limitBytes = limitBytes;
    }

    /** @return the limit that was exceeded, in bytes */
    public long limitBytes() {
        return limitBytes;
    }
}
