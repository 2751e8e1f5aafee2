package org.scorescope.io;

import java.io.IOException;

/**
 * A text line that cannot be decoded: invalid UTF-8, NUL bytes (binary or UTF-16 content) or a line longer than
 * the reader allows. The message is {@code line N: reason}; callers put the file name in front.
 */
public final class TextLineException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final String reason;

    /**
     * @param line   1-based line number
     * @param reason what is wrong
     */
    public TextLineException(int line, String reason) {
        super("line " + line + ": " + reason);
        this.line = line;
        this.reason = reason;
    }

    /** @return the 1-based line number */
    public int line() {
        return line;
    }

    /** @return what is wrong, without the line prefix */
    public String reason() {
        return reason;
    }
}
