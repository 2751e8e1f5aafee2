package org.scorescope.field;

/**
 * What the view wants computed on the background worker: the visible world rectangle, the canvas
 * size it is drawn at, and the view options that change the computation (not those that only change
 * what is drawn). Immutable; the worker recomputes when a new request differs ({@link #equals}).
 *
 * @param xmin          visible rectangle, left
 * @param xmax          visible rectangle, right
 * @param ymin          visible rectangle, bottom
 * @param ymax          visible rectangle, top
 * @param pixelWidth    canvas width, pixels (sets the arrow count and the heat-map image size)
 * @param pixelHeight   canvas height, pixels
 * @param resolution    grid nodes along the longer side of the rectangle, 8..400
 * @param contourCount  approximate number of contour levels, 0..40
 * @param rangeNats     log-density range shown: colours and contours span [max − range, max], &gt; 0
 * @param streamlines   whether to trace streamlines (they need the score on the whole grid)
 * @param arrowSpacing  target arrow spacing, pixels
 * @param colormap      heat-map colours
 */
public record FieldRequest(double xmin, double xmax, double ymin, double ymax, int pixelWidth, int pixelHeight,
                           int resolution, int contourCount, double rangeNats, boolean streamlines,
                           double arrowSpacing, Colormap colormap) {
    /** Validates the rectangle and the ranges, naming the bad field. */
    public FieldRequest {
        if (!(xmax > xmin) || !(ymax > ymin) || !Double.isFinite(xmax - xmin) || !Double.isFinite(ymax - ymin)) {
            throw new IllegalArgumentException("view rectangle must be non-empty and finite, got x [" + xmin + ", "
                    + xmax + "], y [" + ymin + ", " + ymax + "]");
        }
        if (pixelWidth < 1 || pixelHeight < 1) {
            throw new IllegalArgumentException("canvas size must be positive, got " + pixelWidth + " x " + pixelHeight);
        }
        if (resolution < 8 || resolution > 400) {
            throw new IllegalArgumentException("grid resolution must be in [8, 400], got " + resolution);
        }
        if (contourCount < 0 || contourCount > 40) {
            throw new IllegalArgumentException("contour count must be in [0, 40], got " + contourCount);
        }
        if (!(rangeNats > 0) || !Double.isFinite(rangeNats)) {
            throw new IllegalArgumentException("log-density range must be finite and > 0, got " + rangeNats);
        }
        if (!(arrowSpacing >= 4)) {
            throw new IllegalArgumentException("arrow spacing must be >= 4 pixels, got " + arrowSpacing);
        }
        if (colormap == null) {
            throw new IllegalArgumentException("colormap must be set");
        }
    }

    /** @return grid nodes along x: the resolution on the longer side, proportionally fewer on the other (≥ 8) */
    public int nx() {
        double w = xmax - xmin;
        double h = ymax - ymin;
        return w >= h ? resolution : Math.max(8, (int) Math.round(resolution * w / h));
    }

    /** @return grid nodes along y (see {@link #nx()}) */
    public int ny() {
        double w = xmax - xmin;
        double h = ymax - ymin;
        return h >= w ? resolution : Math.max(8, (int) Math.round(resolution * h / w));
    }
}
