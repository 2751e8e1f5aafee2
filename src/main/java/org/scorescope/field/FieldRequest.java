package org.scorescope.field;

/**
 * What the view wants computed on the background worker, in four parts: the visible world
 * rectangle, the canvas size it is drawn at, the view options that change the computation (not
 * those that only change what is drawn), and the noise level at which a time-conditional model is shown.
 * Immutable; the worker recomputes when a new request differs ({@link #equals}, which compares the parts
 * field by field).
 *
 * @param area    the visible world rectangle
 * @param canvas  the canvas size, pixels
 * @param options the view options that change the computation
 * @param noise   the noise level of a diffusion or noise-conditional model (ignored by the other kinds)
 */
public record FieldRequest(Area area, Canvas canvas, Options options, NoiseLevel noise) {

    /** A request at the model's own smallest noise level. */
    public FieldRequest(Area area, Canvas canvas, Options options) {
        this(area, canvas, options, NoiseLevel.SMALLEST);
    }

    /**
     * The time t of the forward SDE at which a time-conditional model is drawn: its score s_θ(·, t), the
     * perturbed density p_t and the true ∇log p_t; and whether the heat map shows the score error
     * ‖s_θ(x, t) − ∇log p_t(x)‖² instead of the density.
     *
     * @param time       t, clamped to [ε, 1] by the computation; NaN for the model's smallest time ε
     * @param scoreError whether the heat map is the squared score error (needs a known p_t)
     */
    public record NoiseLevel(double time, boolean scoreError) {
        /** The model's smallest time ε, density heat map. */
        public static final NoiseLevel SMALLEST = new NoiseLevel(Double.NaN, false);

        /** Validates t. */
        public NoiseLevel {
            if (!Double.isNaN(time) && !(time >= 0 && time <= 1)) {
                throw new IllegalArgumentException("noise time must be in [0, 1] or NaN, got " + time);
            }
        }
    }

    /**
     * The visible world rectangle; non-empty and finite.
     *
     * @param xmin left
     * @param xmax right
     * @param ymin bottom
     * @param ymax top
     */
    public record Area(double xmin, double xmax, double ymin, double ymax) {
        /** Validates the rectangle. */
        public Area {
            if (!(xmax > xmin) || !(ymax > ymin) || !Double.isFinite(xmax - xmin) || !Double.isFinite(ymax - ymin)) {
                throw new IllegalArgumentException("view rectangle must be non-empty and finite, got x [" + xmin + ", "
                        + xmax + "], y [" + ymin + ", " + ymax + "]");
            }
        }
    }

    /**
     * The canvas size the fields are drawn at; it sets the arrow count and the heat-map image size.
     *
     * @param pixelWidth  canvas width, pixels, ≥ 1
     * @param pixelHeight canvas height, pixels, ≥ 1
     */
    public record Canvas(int pixelWidth, int pixelHeight) {
        /** Validates the size. */
        public Canvas {
            if (pixelWidth < 1 || pixelHeight < 1) {
                throw new IllegalArgumentException("canvas size must be positive, got " + pixelWidth + " x "
                        + pixelHeight);
            }
        }
    }

    /**
     * The view options that change what the worker computes.
     *
     * @param resolution   grid nodes along the longer side of the rectangle, 8..400
     * @param contourCount approximate number of contour levels, 0..40
     * @param rangeNats    log-density range shown: colours and contours span [max − range, max], &gt; 0
     * @param streamlines  whether to trace streamlines (they need the score on the whole grid)
     * @param arrowSpacing target arrow spacing, pixels, ≥ 4
     * @param colormap     heat-map colours
     * @param density      whether the model's log-density is shown (heat map or contours): a diffusion model's
     *                     probability-flow density, an ODE solve per grid node, is computed only then
     */
    public record Options(int resolution, int contourCount, double rangeNats, boolean streamlines,
                          double arrowSpacing, Colormap colormap, boolean density) {
        /** Options with the log-density shown. */
        public Options(int resolution, int contourCount, double rangeNats, boolean streamlines, double arrowSpacing,
                       Colormap colormap) {
            this(resolution, contourCount, rangeNats, streamlines, arrowSpacing, colormap, true);
        }

        /** Validates the ranges, naming the bad field. */
        public Options {
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
    }

    /** Requires all four parts; each part validates itself. */
    public FieldRequest {
        if (area == null || canvas == null || options == null || noise == null) {
            throw new IllegalArgumentException("field request needs an area, a canvas, options and a noise level");
        }
    }

    /** @return grid nodes along x: the resolution on the longer side, proportionally fewer on the other (≥ 8) */
    public int nx() {
        double w = xmax() - xmin();
        double h = ymax() - ymin();
        return w >= h ? resolution() : Math.max(8, (int) Math.round(resolution() * w / h));
    }

    /** @return grid nodes along y (see {@link #nx()}) */
    public int ny() {
        double w = xmax() - xmin();
        double h = ymax() - ymin();
        return h >= w ? resolution() : Math.max(8, (int) Math.round(resolution() * h / w));
    }

    // The parts' fields, read directly: the worker and the renderers read them all over.

    /** @return see {@link Area#xmin()} */
    public double xmin() {
        return area.xmin();
    }

    /** @return see {@link Area#xmax()} */
    public double xmax() {
        return area.xmax();
    }

    /** @return see {@link Area#ymin()} */
    public double ymin() {
        return area.ymin();
    }

    /** @return see {@link Area#ymax()} */
    public double ymax() {
        return area.ymax();
    }

    /** @return see {@link Canvas#pixelWidth()} */
    public int pixelWidth() {
        return canvas.pixelWidth();
    }

    /** @return see {@link Canvas#pixelHeight()} */
    public int pixelHeight() {
        return canvas.pixelHeight();
    }

    /** @return see {@link Options#resolution()} */
    public int resolution() {
        return options.resolution();
    }

    /** @return see {@link Options#contourCount()} */
    public int contourCount() {
        return options.contourCount();
    }

    /** @return see {@link Options#rangeNats()} */
    public double rangeNats() {
        return options.rangeNats();
    }

    /** @return see {@link Options#streamlines()} */
    public boolean streamlines() {
        return options.streamlines();
    }

    /** @return see {@link Options#arrowSpacing()} */
    public double arrowSpacing() {
        return options.arrowSpacing();
    }

    /** @return see {@link Options#colormap()} */
    public Colormap colormap() {
        return options.colormap();
    }

    /** @return see {@link Options#density()} */
    public boolean density() {
        return options.density();
    }
}
