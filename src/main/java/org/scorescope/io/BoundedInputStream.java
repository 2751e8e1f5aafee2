package org.scorescope.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream that fails with {@link InputTooLargeException} as soon as more than a given number of bytes has
 * been read, so an endless or huge source is stopped after at most {@code limit + buffer} bytes rather than after
 * the whole of it sits in memory.
 */
public final class BoundedInputStream extends FilterInputStream {
    private final String source;
    private final long limit;
    private long count;

    /**
     * @param in     the stream to read
     * @param source the name of the source for the message
     * @param limit  the largest number of bytes allowed
     */
    public BoundedInputStream(InputStream in, String source, long limit) {
        super(in);
        this.source = source;
        this.limit = limit;
    }

    /** @return bytes read so far */
    public long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        // Never ask for more than one byte past the limit: that byte is enough to know the input is too large.
        long room = limit - count + 1;
        int n = super.read(b, off, (int) Math.min(len, Math.max(1, room)));
        if (n > 0) {
            add(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long s = super.skip(Math.min(n, limit - count + 1));
        add(s);
        return s;
    }

    /**
     * Never fails: a channel stream over a pipe or FIFO answers {@code available()} with "Illegal seek", and
     * buffering callers only use the answer as a hint.
     */
    @Override
    public int available() {
        try {
            return super.available();
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // Not supported: a reset would make the byte count wrong.
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    private void add(long n) throws InputTooLargeException {
        count += n;
        if (count > limit) {
            throw new InputTooLargeException(source, limit);
        }
    }
}
