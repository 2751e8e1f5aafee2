package org.scorescope.analysis;

/**
 * One traced streamline: a polyline through the seed, ordered along the field direction (backward part
 * first, reversed, then the forward part), with the reason each end stopped. A closed streamline (an
 * orbit that returned to its seed) does not repeat its first point.
 *
 * <p>Immutable.
 */
public final class Streamline {
    /** Why tracing stopped at one end. */
    public enum Termination {
        /** The line reached the box edge; the last point lies on it. */
        BOUNDARY,
        /** Speed fell below the stagnation threshold, or the direction turned by more than 90° in one
         *  step (the line is circling a critical point closer than the step resolves). */
        STAGNATION,
        /** The step budget ran out. */
        MAX_STEPS,
        /** The arc-length budget ran out. */
        MAX_LENGTH,
        /** The line came back to its seed; it is then {@link Streamline#closed()}. */
        CLOSED_LOOP,
        /** Evenly-spaced tracing only: the line came closer than the test distance to another line. */
        TOO_CLOSE,
        /** That direction was not traced. */
        NOT_TRACED
    }

    private final double[] xy;
    private final boolean closed;
    private final Termination startEnd;
    private final Termination finishEnd;
    private final int seedIndex;
    private final double length;

    /**
     * @param xy        interleaved points (copied)
     * @param closed    whether the last point joins the first
     * @param startEnd  why the first point ends the line (the backward trace's termination)
     * @param finishEnd why the last point ends the line (the forward trace's termination)
     * @param seedIndex index of the seed point in the polyline
     */
    public Streamline(double[] xy, boolean closed, Termination startEnd, Termination finishEnd, int seedIndex) {
        if (xy == null || xy.length < 2 || xy.length % 2 != 0) {
            throw new IllegalArgumentException("Streamline: xy must hold at least one (x, y) pair");
        }
        if (seedIndex < 0 || seedIndex >= xy.length / 2) {
            throw new IllegalArgumentException("Streamline: seedIndex " + seedIndex + " outside 0.." + (xy.length / 2 - 1));
        }
        this.xy = xy.clone();
        this.closed = closed;
        this.startEnd = startEnd;
        this.finishEnd = finishEnd;
        this.seedIndex = seedIndex;
        int n = xy.length / 2;
        double len = 0;
        int segs = closed ? n : n - 1;
        for (int i = 0; i < segs; i++) {
            int j = (i + 1) % n;
            len += Math.hypot(xy[2 * j] - xy[2 * i], xy[2 * j + 1] - xy[2 * i + 1]);
        }
        this.length = len;
    }

    /** @return the number of points. */
    public int size() {
        return xy.length / 2;
    }

    /**
     * @param i point index
     * @return x of point {@code i}
     */
    public double x(int i) {
        return xy[2 * i];
    }

    /**
     * @param i point index
     * @return y of point {@code i}
     */
    public double y(int i) {
        return xy[2 * i + 1];
    }

    /** @return a copy of the interleaved points. */
    public double[] xy() {
        return xy.clone();
    }

    /** @return whether the line is a closed orbit. */
    public boolean closed() {
        return closed;
    }

    /** @return why the first point ends the line (upstream end). */
    public Termination startEnd() {
        return startEnd;
    }

    /** @return why the last point ends the line (downstream end). */
    public Termination finishEnd() {
        return finishEnd;
    }

    /** @return the index of the seed point. */
    public int seedIndex() {
        return seedIndex;
    }

    /** @return the polyline arc length (including the closing segment if closed). */
    public double length() {
        return length;
    }

    /** @return a short description: point count, length, closed flag, end reasons. */
    @Override
    public String toString() {
        return "Streamline[points=" + size() + ", length=" + length + ", closed=" + closed + ", ends=" + startEnd + "/"
                + finishEnd + "]";
    }
}
