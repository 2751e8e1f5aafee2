package org.scorescope.worker;

/**
 * Data points checked for the worker (n × 2, all finite) and handed over without another copy. The check
 * and any copy are made where the points are produced, e.g. on the file thread for an import, so that the
 * FX thread only passes a reference.
 */
public final class Points {
    final double[][] rows;

    private Points(double[][] rows) {
        this.rows = rows;
    }

    /**
     * Checks freshly made points and takes them over without copying: the caller must not keep, change or
     * hand out {@code fresh} or its rows afterwards.
     *
     * @param fresh n × 2 points nobody else references
     * @return the checked points
     * @throws IllegalArgumentException naming the first point that is not 2-D or not finite
     */
    public static Points adopt(double[][] fresh) {
        for (int i = 0; i < fresh.length; i++) {
            RunData.checkRow(fresh, i);
        }
        return new Points(fresh);
    }

    /**
     * Checks points and copies them (the caller keeps its arrays).
     *
     * @param in n × 2 points
     * @return the checked copy
     * @throws IllegalArgumentException naming the first point that is not 2-D or not finite
     */
    public static Points copyOf(double[][] in) {
        double[][] out = new double[in.length][];
        for (int i = 0; i < in.length; i++) {
            RunData.checkRow(in, i);
            out[i] = in[i].clone();
        }
        return new Points(out);
    }

    /** @return the number of points */
    public int size() {
        return rows.length;
    }
}
