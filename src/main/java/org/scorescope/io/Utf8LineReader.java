package org.scorescope.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads strict UTF-8 text line by line from a byte stream. Lines are split on {@code \n} (a trailing {@code \r}
 * is dropped) before decoding, which is safe because that byte never occurs inside a multi-byte UTF-8 sequence;
 * so an invalid sequence is reported with the number of the line that holds it, unlike a decoding
 * {@link java.io.Reader} that decodes ahead of the line being parsed. A line longer than the given bound fails at
 * that bound, which stops binary input (such as {@code /dev/zero}) after a bounded amount of memory.
 */
public final class Utf8LineReader {
    private final InputStream in;
    private final int maxLineBytes;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] chunk = new byte[8192];
    private int chunkPos;
    private int chunkLen;
    private byte[] line = new byte[256];
    private int lineNo;
    private boolean eof;

    /**
     * @param in           the bytes (not closed by this reader)
     * @param maxLineBytes the longest line allowed, in bytes without the line end
     */
    public Utf8LineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** @return the number of the line last returned (1-based), 0 before the first */
    public int lineNumber() {
        return lineNo;
    }

    /**
     * @return the next line without its line end, or null at the end of the input
     * @throws TextLineException if the line is too long, holds a NUL byte or is not valid UTF-8
     * @throws IOException       if reading fails (including {@link InputTooLargeException})
     */
    public String readLine() throws IOException {
        if (eof) {
            return null;
        }
        int len = 0;
        boolean any = false;
        while (true) {
            if (chunkPos == chunkLen) {
                chunkLen = in.read(chunk, 0, chunk.length);
                chunkPos = 0;
                if (chunkLen <= 0) {
                    chunkLen = 0;
                    eof = true;
                    if (!any) {
                        return null;
                    }
                    break;
                }
            }
            any = true;
            int start = chunkPos;
            int nl = -1;
            for (int i = start; i < chunkLen; i++) {
                if (chunk[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int end = nl >= 0 ? nl : chunkLen;
            int n = end - start;
            if (len + n > maxLineBytes + 1) {
                // +1 leaves room for a '\r' that belongs to the line end.
                throw new TextLineException(lineNo + 1, "longer than " + maxLineBytes
                        + " bytes (is this a binary file?)");
            }
            if (len + n > line.length) {
                line = Arrays.copyOf(line, (int) Math.max(len + n, Math.min(2L * line.length, maxLineBytes + 1L)));
            }
            System.arraycopy(chunk, start, line, len, n);
            len += n;
            chunkPos = nl >= 0 ? nl + 1 : chunkLen;
            if (nl >= 0) {
                break;
            }
        }
        lineNo++;
        if (len > 0 && line[len - 1] == '\r') {
            len--;
        }
        if (len > maxLineBytes) {
            throw new TextLineException(lineNo, "longer than " + maxLineBytes + " bytes (is this a binary file?)");
        }
        for (int i = 0; i < len; i++) {
            if (line[i] == 0) {
                throw new TextLineException(lineNo, "contains a NUL byte at column " + (i + 1)
                        + " (binary or UTF-16 content; expected UTF-8 text)");
            }
        }
        ByteBuffer bytes = ByteBuffer.wrap(line, 0, len);
        CharBuffer chars = CharBuffer.allocate(len);
        decoder.reset();
        CoderResult r = decoder.decode(bytes, chars, true);
        if (!r.isError()) {
            r = decoder.flush(chars);
        }
        if (r.isError()) {
            throw new TextLineException(lineNo, "invalid UTF-8 at byte " + (bytes.position() + 1)
                    + " of the line (save the file as UTF-8)");
        }
        return chars.flip().toString();
    }
}
