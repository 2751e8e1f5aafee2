package org.scorescope.io;

import java.io.IOException;

/** Work refused up front because its memory estimate exceeds the heap; the message is one line. */
public final class InsufficientMemoryException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message the complete one-line message */
    public InsufficientMemoryException(String message) {
        super(message);
    }
}
