package org.scorescope.field;

/**
 * The part of the plane the central view shows, as an immutable square: centre (cx, cy) and the
 * half side {@code half} that fits the shorter canvas side. The canvas maps world to screen with
 * one scale on both axes, {@code k = min(w, h) / (2·half)} pixels per unit:
 * {@code sx = w/2 + (x − cx)·k}, {@code sy = h/2 − (y − cy)·k} (screen y grows downwards).
 *
 * @param cx   world x of the centre
 * @param cy   world y of the centre
 * @param half half of the side of the square that fits the shorter canvas side, world units, &gt; 0
 */
public record ViewBox(double cx, double cy, double half) {
    /** Smallest half side (deep zoom stops here: the grids would resolve nothing more). */
    public static final double MIN_HALF = 1e-3;
    /** Largest half side. */
    public static final double MAX_HALF = 1e4;

    /** Validates: finite centre, half in [MIN_HALF, MAX_HALF]. */
    public ViewBox {
        if (!Double.isFinite(cx) || !Double.isFinite(cy)) {
            throw new IllegalArgumentException("view centre must be finite, got (" + cx + ", " + cy + ")");
        }
        if (!(half >= MIN_HALF && half <= MAX_HALF)) {
            throw new IllegalArgumentException("view half side must be in [" + MIN_HALF + ", " + MAX_HALF + "], got " + half);
        }
    }

    /**
     * The square that shows a dataset's box {xmin, xmax, ymin, ymax} with a 5% margin.
     *
     * @param box {xmin, xmax, ymin, ymax}
     * @return the view
     */
    public static ViewBox of(double[] box) {
        double half = 0.5 * Math.max(box[1] - box[0], box[3] - box[2]) * 1.05;
        return new ViewBox(0.5 * (box[0] + box[1]), 0.5 * (box[2] + box[3]), clampHalf(half));
    }

    /**
     * @param w canvas width, pixels
     * @param h canvas height, pixels
     * @return pixels per world unit, min(w, h)/(2·half)
     */
    public double scale(double w, double h) {
        return Math.max(1e-9, Math.min(w, h)) / (2 * half);
    }

    /**
     * The world rectangle a w × h canvas shows: the square, widened along the longer canvas side.
     *
     * @param w canvas width, pixels
     * @param h canvas height, pixels
     * @return {xmin, xmax, ymin, ymax}
     */
    public double[] visible(double w, double h) {
        double k = scale(w, h);
        double hx = 0.5 * Math.max(1, w) / k;
        double hy = 0.5 * Math.max(1, h) / k;
        return new double[] {cx - hx, cx + hx, cy - hy, cy + hy};
    }

    /** @return screen x of world x on a w × h canvas */
    public double toScreenX(double x, double w, double h) {
        return 0.5 * w + (x - cx) * scale(w, h);
    }

    /** @return screen y of world y on a w × h canvas */
    public double toScreenY(double y, double w, double h) {
        return 0.5 * h - (y - cy) * scale(w, h);
    }

    /** @return world x of screen x on a w × h canvas */
    public double toWorldX(double sx, double w, double h) {
        return cx + (sx - 0.5 * w) / scale(w, h);
    }

    /** @return world y of screen y on a w × h canvas */
    public double toWorldY(double sy, double w, double h) {
        return cy - (sy - 0.5 * h) / scale(w, h);
    }

    /**
     * Zooms by {@code factor} (&gt; 1 zooms in) keeping the world point (x, y) under the cursor fixed:
     * {@code c' = p + (c − p)/factor}, {@code half' = half/factor} (clamped to the allowed range, with
     * the centre moved by the factor actually applied).
     *
     * @param factor zoom factor, &gt; 0
     * @param x      world x of the fixed point
     * @param y      world y of the fixed point
     * @return the zoomed view
     */
    public ViewBox zoom(double factor, double x, double y) {
        if (!(factor > 0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException("zoom factor must be finite and > 0, got " + factor);
        }
        double nh = clampHalf(half / factor);
        double f = half / nh;
        return new ViewBox(x + (cx - x) / f, y + (cy - y) / f, nh);
    }

    /**
     * @param dx world units to move the content right (the centre moves left)
     * @param dy world units to move the content up
     * @return the moved view
     */
    public ViewBox pan(double dx, double dy) {
        return new ViewBox(cx - dx, cy - dy, half);
    }

    private static double clampHalf(double h) {
        return Math.max(MIN_HALF, Math.min(MAX_HALF, h));
    }

    /**
     * @param flat     points, interleaved x, y
     * @param fallback the box when there are no points
     * @return the points' bounding box padded by a tenth of its larger side, {x0, x1, y0, y1}
     */
    public static double[] bounds(double[] flat, double[] fallback) {
        if (flat.length == 0) {
            return fallback;
        }
        double x0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < flat.length; i += 2) {
            x0 = Math.min(x0, flat[i]);
            x1 = Math.max(x1, flat[i]);
            y0 = Math.min(y0, flat[i + 1]);
            y1 = Math.max(y1, flat[i + 1]);
        }
        double pad = 0.1 * Math.max(1e-3, Math.max(x1 - x0, y1 - y0));
        return new double[] {x0 - pad, x1 + pad, y0 - pad, y1 + pad};
    }
}
