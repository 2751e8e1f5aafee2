package org.scorescope.model;

import java.io.IOException;

/**
 * A model file that is not a valid {@code scorescope-model} document. The message is
 * {@code [file: ]path: reason}, where path names the offending field in the document, e.g.
 * {@code layers[1].weight: expected 64 columns (the previous layer's outputs), found 63}; for malformed JSON the
 * path is the text position, e.g. {@code line 3, column 7: invalid JSON: ...}.
 */
public final class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String reason;

    /**
     * @param path   the field ({@code layers[0].bias}) or text position; {@code (root)} for the whole document
     * @param reason what is wrong
     */
    public ModelFormatException(String path, String reason) {
        this(null, path, reason, null);
    }

    /**
     * @param source file name to put in front of the message, or null
     * @param path   the field or text position
     * @param reason what is wrong
     * @param cause  the underlying parser error, or null
     */
    public ModelFormatException(String source, String path, String reason, Throwable cause) {
        super((source != null ? source + ": " : "") + path + ": " + reason, cause);
        this.path = path;
        this.reason = reason;
    }

    /** @return the offending field (e.g. {@code layers[1].weight}) or text position. */
    public String path() {
        return path;
    }

    /** @return what is wrong, without the file and path prefix. */
    public String reason() {
        return reason;
    }
}
