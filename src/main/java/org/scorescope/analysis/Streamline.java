package org.scorescope.analysis;

/**
 * One traced streamline: a polyline through the seed, ordered along the field direction (backward part
 * first, reversed, then the forward part), with the reason each end stopped. A closed streamline (an
 * orbit that returned to its seed) does not repeat its first point.
 *
 * <p>Immutable.
 */
public final class Streamline extends Polyline {
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

    private final Termination startEnd;
    private final Termination finishEnd;
    private final int seedIndex;

    /**
     * @param xy        interleaved points (copied)
     * @param closed    whether the last point joins the first
     * @param startEnd  why the first point ends the line (the backward trace's termination)
     * @param finishEnd why the last point ends the line (the forward trace's termination)
     * @param seedIndex index of the seed point in the polyline
     */
    public Streamline(double[] xy, boolean closed, Termination startEnd, Termination finishEnd, int seedIndex) {
        super("Streamline", xy, closed);
        if (seedIndex < 0 || seedIndex >= xy.length / 2) {
            throw new IllegalArgumentException("Streamline: seedIndex " + seedIndex + " outside 0.." + (xy.length / 2 - 1));
        }
        this.startEnd = startEnd;
        this.finishEnd = finishEnd;
        this.seedIndex = seedIndex;
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

    /** @return a short description: point count, length, closed flag, end reasons. */
    @Override
    public String toString() {
        return "Streamline[points=" + size() + ", length=" + length() + ", closed=" + closed() + ", ends=" + startEnd + "/"
                + finishEnd + "]";
    }
}
