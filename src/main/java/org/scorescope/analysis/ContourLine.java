package org.scorescope.analysis;

import java.util.Arrays;

/**
 * One iso-line produced by {@link MarchingSquares}: a polyline of {@code size()} points at a single
 * level, either closed (the last point connects back to the first, which is <em>not</em> repeated) or
 * open (both ends lie on the grid box boundary). Carries a label anchor: the point at half the arc
 * length and the local direction there, folded into {@code (−π/2, π/2]} so text drawn along it is upright.
 *
 * <p>Immutable.
 */
public final class ContourLine {
    private final double level;
    private final double[] xy;
    private final boolean closed;
    private final double length;
    private final double anchorX;
    private final double anchorY;
    private final double anchorAngle;

    /**
     * @param level  the iso-value
     * @param xy     interleaved coordinates {@code x0, y0, x1, y1, …} (copied), at least one point
     * @param closed whether the last point joins the first
     */
    public ContourLine(double level, double[] xy, boolean closed) {
        if (xy == null || xy.length < 2 || xy.length % 2 != 0) {
            throw new IllegalArgumentException("ContourLine: xy must hold at least one (x, y) pair, got "
                    + (xy == null ? "null" : xy.length + " values"));
        }
        this.level = level;
        this.xy = xy.clone();
        this.closed = closed;
        int n = xy.length / 2;
        int segs = closed ? n : n - 1;
        double len = 0;
        for (int i = 0; i < segs; i++) {
            len += segLen(i, n);
        }
        this.length = len;
        double half = 0.5 * len;
        double acc = 0;
        double ax = xy[0];
        double ay = xy[1];
        double ang = 0;
        for (int i = 0; i < segs; i++) {
            double l = segLen(i, n);
            if (l > 0 && acc + l >= half) {
                int j = (i + 1) % n;
                double t = (half - acc) / l;
                ax = xy[2 * i] + t * (xy[2 * j] - xy[2 * i]);
                ay = xy[2 * i + 1] + t * (xy[2 * j + 1] - xy[2 * i + 1]);
                ang = Math.atan2(xy[2 * j + 1] - xy[2 * i + 1], xy[2 * j] - xy[2 * i]);
                break;
            }
            acc += l;
        }
        if (ang > Math.PI / 2) {
            ang -= Math.PI;
        } else if (ang <= -Math.PI / 2) {
            ang += Math.PI;
        }
        this.anchorX = ax;
        this.anchorY = ay;
        this.anchorAngle = ang;
    }

    private double segLen(int i, int n) {
        int j = (i + 1) % n;
        return Math.hypot(xy[2 * j] - xy[2 * i], xy[2 * j + 1] - xy[2 * i + 1]);
    }

    /** @return the iso-value of this line. */
    public double level() {
        return level;
    }

    /** @return the number of points (a closed line does not repeat its first point). */
    public int size() {
        return xy.length / 2;
    }

    /**
     * @param i point index, {@code 0 <= i < size()}
     * @return the x coordinate of point {@code i}
     */
    public double x(int i) {
        return xy[2 * i];
    }

    /**
     * @param i point index, {@code 0 <= i < size()}
     * @return the y coordinate of point {@code i}
     */
    public double y(int i) {
        return xy[2 * i + 1];
    }

    /** @return a copy of the interleaved coordinates {@code x0, y0, x1, y1, …}. */
    public double[] xy() {
        return xy.clone();
    }

    /** @return whether the polyline is closed (last point joins the first). */
    public boolean closed() {
        return closed;
    }

    /** @return the arc length {@code Σ |p_{i+1} − p_i|}, including the closing segment if closed. */
    public double length() {
        return length;
    }

    /** @return x of the label anchor (point at half the arc length). */
    public double anchorX() {
        return anchorX;
    }

    /** @return y of the label anchor (point at half the arc length). */
    public double anchorY() {
        return anchorY;
    }

    /** @return direction of the line at the anchor in radians, folded into {@code (−π/2, π/2]}. */
    public double anchorAngle() {
        return anchorAngle;
    }

    /** @return a short description: level, point count, closed flag, length, first point. */
    @Override
    public String toString() {
        return "ContourLine[level=" + level + ", points=" + size() + ", closed=" + closed + ", length=" + length
                + ", first=" + Arrays.toString(Arrays.copyOf(xy, 2)) + "]";
    }
}
