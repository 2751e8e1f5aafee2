package org.scorescope.analysis;

/**
 * An immutable 2-D polyline stored as interleaved points {@code x0, y0, x1, y1, …}, open or closed
 * (the last point joins the first), with its arc length L = Σ‖p_{i+1} − p_i‖ (including the closing
 * segment when closed). The common part of contour lines and streamlines.
 */
public abstract class Polyline {
    private final double[] xy;
    private final boolean closed;
    private final double length;

    /**
     * @param what   the subclass name, for error messages
     * @param xy     interleaved points (copied), at least one pair
     * @param closed whether the last point joins the first
     */
    protected Polyline(String what, double[] xy, boolean closed) {
        if (xy == null || xy.length < 2 || xy.length % 2 != 0) {
            throw new IllegalArgumentException(what + ": xy must hold at least one (x, y) pair, got "
                    + (xy == null ? "null" : xy.length + " values"));
        }
        this.xy = xy.clone();
        this.closed = closed;
        double len = 0;
        for (int i = 0; i < segments(); i++) {
            len += segmentLength(i);
        }
        this.length = len;
    }

    /** @return the number of segments: n − 1 when open, n when closed */
    protected final int segments() {
        int n = size();
        return closed ? n : n - 1;
    }

    /** @return the length of segment i, from point i to point (i + 1) mod n */
    protected final double segmentLength(int i) {
        int j = (i + 1) % size();
        return Math.hypot(xy[2 * j] - xy[2 * i], xy[2 * j + 1] - xy[2 * i + 1]);
    }

    /** @return the number of points */
    public final int size() {
        return xy.length / 2;
    }

    /**
     * @param i point index
     * @return x of point {@code i}
     */
    public final double x(int i) {
        return xy[2 * i];
    }

    /**
     * @param i point index
     * @return y of point {@code i}
     */
    public final double y(int i) {
        return xy[2 * i + 1];
    }

    /** @return a copy of the interleaved points */
    public final double[] xy() {
        return xy.clone();
    }

    /** @return whether the last point joins the first */
    public final boolean closed() {
        return closed;
    }

    /** @return the arc length, including the closing segment if closed */
    public final double length() {
        return length;
    }
}
