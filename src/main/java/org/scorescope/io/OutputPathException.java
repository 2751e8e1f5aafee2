package org.scorescope.io;

import java.io.IOException;

/**
 * An output path that cannot be used, found before any work starts. The message names the option and the path,
 * e.g. {@code --out points.csv: is the same file as --points; choose another output}.
 */
public final class OutputPathException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message the complete one-line message */
    public OutputPathException(String message) {
        super(message);
    }
}
