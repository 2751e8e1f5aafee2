package org.scorescope.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Opens input files for the readers, bounded by {@link InputLimits}: a regular file over the limit fails before a
 * byte is read, and anything else (a pipe, {@code /dev/zero}) fails as soon as the limit is crossed while
 * reading. Every message names the file as the user gave it.
 */
public final class Inputs {
    /** Longest line a line-based reader accepts; a point file's lines are a few dozen bytes. */
    public static final int MAX_LINE_BYTES = 1 << 20;

    private Inputs() {
    }

    /**
     * Opens a file for reading, bounded by {@link InputLimits#maxBytes()}.
     *
     * @param file the file
     * @return a buffered stream that throws {@link InputTooLargeException} past the limit; the caller closes it
     * @throws IOException if the file does not exist, is a directory, is over the limit or cannot be opened
     */
    public static InputStream open(Path file) throws IOException {
        return open(file, InputLimits.maxBytes());
    }

    /**
     * Opens a file for reading, bounded by {@code limit} bytes.
     *
     * @param file  the file
     * @param limit the largest size accepted, in bytes
     * @return a buffered stream that throws {@link InputTooLargeException} past the limit; the caller closes it
     * @throws IOException if the file does not exist, is a directory, is over the limit or cannot be opened
     */
    public static InputStream open(Path file, long limit) throws IOException {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new IOException(name + ": is a directory, expected a file");
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(name);
        }
        if (Files.isRegularFile(file) && Files.size(file) > limit) {
            throw new InputTooLargeException(name, limit);
        }
        return new BufferedInputStream(new BoundedInputStream(Files.newInputStream(file), name, limit), 65536);
    }

    /**
     * Opens a JSON file that must be UTF-8: as {@link #open(Path)}, and refuses content whose first bytes show
     * UTF-16 or UTF-32 (a byte-order mark or NUL bytes), which a JSON parser would otherwise decode silently.
     *
     * @param file the file
     * @return the stream, positioned at the start (a UTF-8 byte-order mark included)
     * @throws IOException if the file cannot be opened, is over the limit or is not UTF-8
     */
    public static InputStream openUtf8Json(Path file) throws IOException {
        InputStream in = open(file);
        try {
            in.mark(4);
            byte[] head = new byte[4];
            int n = in.readNBytes(head, 0, 4);
            in.reset();
            boolean bom16 = n >= 2 && ((head[0] == (byte) 0xFE && head[1] == (byte) 0xFF)
                    || (head[0] == (byte) 0xFF && head[1] == (byte) 0xFE));
            boolean nul = false;
            for (int i = 0; i < n; i++) {
                nul |= head[i] == 0;
            }
            if (bom16 || nul) {
                throw new IOException(file + ": not UTF-8 text (" + (bom16 ? "a UTF-16 byte-order mark"
                        : "NUL bytes: binary, UTF-16 or UTF-32 content") + "); save the file as UTF-8");
            }
            return in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Reads a whole text file as strict UTF-8, bounded by {@link InputLimits}: the replacement for
     * {@code Files.readString} in readers whose format is parsed from a string. An invalid byte sequence or a NUL
     * byte (UTF-16 or binary content) is reported with its line, e.g.
     * {@code session.scorescope: line 4: invalid UTF-8 at byte 17 of the line (save the file as UTF-8)}.
     *
     * @param file the file
     * @return its text, every line ended by {@code \n} (CR LF line ends become LF)
     * @throws IOException naming the file if it cannot be read, is over the limit or is not UTF-8 text
     */
    public static String readString(Path file) throws IOException {
        try (InputStream in = open(file)) {
            Utf8LineReader lines = new Utf8LineReader(in, Integer.MAX_VALUE - 16);
            StringBuilder sb = new StringBuilder();
            String line;
            while ((line = lines.readLine()) != null) {
                sb.append(line).append('\n');
            }
            return sb.toString();
        } catch (TextLineException e) {
            throw new IOException(file.getFileName() + ": " + e.getMessage(), e);
        }
    }
}
