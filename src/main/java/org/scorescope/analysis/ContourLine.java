package org.scorescope.analysis;

/**
 * One iso-line produced by {@link MarchingSquares}: a polyline of {@code size()} points at a single
 * level, either closed (the last point connects back to the first, which is <em>not</em> repeated) or
 * open (both ends lie on the grid box boundary). Carries a label anchor: the point at half the arc
 * length and the local direction there, folded into {@code (−π/2, π/2]} so text drawn along it is upright.
 *
 * <p>Immutable.
 */
public final class ContourLine extends Polyline {
    private final double level;
    private final double anchorX;
    private final double anchorY;
    private final double anchorAngle;

    /**
     * @param level  the iso-value
     * @param xy     interleaved coordinates {@code x0, y0, x1, y1, …} (copied), at least one point
     * @param closed whether the last point joins the first
     */
    public ContourLine(double level, double[] xy, boolean closed) {
        super("ContourLine", xy, closed);
        this.level = level;
        int n = size();
        int segs = segments();
        double half = 0.5 * length();
        double acc = 0;
        double ax = x(0);
        double ay = y(0);
        double ang = 0;
        for (int i = 0; i < segs; i++) {
            double l = segmentLength(i);
            if (l > 0 && acc + l >= half) {
                int j = (i + 1) % n;
                double t = (half - acc) / l;
                ax = x(i) + t * (x(j) - x(i));
                ay = y(i) + t * (y(j) - y(i));
                ang = Math.atan2(y(j) - y(i), x(j) - x(i));
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

    /** @return the iso-value of this line. */
    public double level() {
        return level;
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
        return "ContourLine[level=" + level + ", points=" + size() + ", closed=" + closed() + ", length=" + length()
                + ", first=(" + x(0) + ", " + y(0) + ")]";
    }
}
