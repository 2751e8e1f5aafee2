package org.scorescope.data;

import java.io.IOException;

/**
 * A point CSV file that cannot be loaded. The message is {@code [file: ][line N: ]reason} with N 1-based, e.g.
 * {@code points.csv: line 7: expected 2 columns, found 3}.
 */
public final class CsvFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final String reason;

    /**
     * @param line   1-based line number of the problem, or 0 if it concerns the whole file
     * @param reason what is wrong, without the line prefix
     */
    public CsvFormatException(int line, String reason) {
        this(null, line, reason);
    }

    /**
     * @param source file name to put in front of the message, or null
     * @param line   1-based line number of the problem, or 0 if it concerns the whole file
     * @param reason what is wrong, without the line prefix
     */
    public CsvFormatException(String source, int line, String reason) {
        super((source != null ? source + ": " : "") + (line > 0 ? "line " + line + ": " : "") + reason);
        this.line = line;
        this.reason = reason;
    }

    /** @return what is wrong, without the file and line prefix. */
    public String reason() {
        return reason;
    }

    /** @return the 1-based line number of the problem, or 0 if it concerns the whole file. */
    public int line() {
        return line;
    }
}
