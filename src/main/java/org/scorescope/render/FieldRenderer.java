package org.scorescope.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.List;
import java.util.Locale;
import org.scorescope.analysis.ContourLine;
import org.scorescope.analysis.Grid2D;
import org.scorescope.analysis.Polyline;
import org.scorescope.analysis.Streamline;
import org.scorescope.app.MainViewModel;
import org.scorescope.field.Colormap;
import org.scorescope.field.FieldComputer;
import org.scorescope.field.FieldFrame;
import org.scorescope.field.FieldRequest;
import org.scorescope.field.ViewBox;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.SpectraResult;

/**
 * Draws one {@link FrameData} with Java2D onto any {@link Graphics2D} at any size: the on-screen view
 * (rasterized off the FX thread by {@link FieldRasterizer} into a {@code BufferedImage}) and PNG export
 * share this code. It uses only headless-safe Java2D (image graphics, fonts, shapes; no AWT windows),
 * so it runs on any thread, but one instance must be used by one thread at a time (it keeps scratch
 * buffers). Layers, bottom to top: density heat map, grid and axes, true contours, model contours with
 * labels, score arrows or streamlines (true score arrows faintly), data points, local-Hessian glyphs,
 * colour bar and scale notes, Langevin samples.
 *
 * <p>World-to-screen mapping: {@link ViewBox#toScreenX}/{@link ViewBox#toScreenY} on a w × h surface in
 * logical pixels; a caller that renders at another resolution scales the graphics first.
 */
public final class FieldRenderer {
    /**
     * Which layers to draw.
     *
     * @param data        data points
     * @param field       score field
     * @param style       arrows or streamlines
     * @param density     heat map
     * @param contours    labelled contour lines
     * @param samples     Langevin samples
     * @param truth       true density contours and true score arrows, where known
     * @param legend      colour bar and notes
     */
    public record Layers(boolean data, boolean field, MainViewModel.FieldStyle style, boolean density,
                         boolean contours, boolean samples, boolean truth, boolean legend) {
    }

    private static final Color GLYPH_POSITIVE = rgba(30, 90, 200, 0.9);
    private static final Color GLYPH_NEGATIVE = rgba(215, 40, 35, 0.9);
    private static final Color SAMPLE = new Color(255, 94, 58);
    private static final Color SAMPLE_EDGE = rgba(60, 10, 0, 0.8);
    private static final int RAMP = 32;
    private static final Color[] ARROW_ON_DARK = new Color[RAMP];
    private static final Color[] ARROW_ON_LIGHT = new Color[RAMP];
    private static final String FONT_FAMILY = Font.SANS_SERIF;
    private static final Font TICK_FONT = new Font(FONT_FAMILY, Font.PLAIN, 1).deriveFont(10.5f);
    private static final Font LABEL_FONT = new Font(FONT_FAMILY, Font.BOLD, 1).deriveFont(10f);
    private static final Font BAR_TITLE_FONT = new Font(FONT_FAMILY, Font.BOLD, 1).deriveFont(10.5f);
    private static final Font BAR_FONT = new Font(FONT_FAMILY, Font.PLAIN, 1).deriveFont(10f);
    private static final Font NOTE_FONT = TICK_FONT;
    private static final BasicStroke HAIRLINE = new BasicStroke(1f);
    // Butt caps: lines are stroked one segment at a time (see strokeSegments), and overlapping round caps
    // of translucent segments would show as beads at every joint.
    private static final BasicStroke TRUE_CONTOUR = new BasicStroke(0.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND);
    private static final BasicStroke CONTOUR = new BasicStroke(1.1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND);
    private static final BasicStroke TRUE_ARROW = new BasicStroke(1.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER);
    private static final BasicStroke ARROW = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER);
    private static final BasicStroke STREAMLINE = CONTOUR;
    private static final BasicStroke STREAMLINE_HEAD = new BasicStroke(1.1f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final BasicStroke GLYPH = new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER);

    static {
        for (int i = 0; i < RAMP; i++) {
            double t = i / (RAMP - 1.0);
            // Pale to warm over dark heat maps; magma's mid range over white.
            ARROW_ON_DARK[i] = rgba((int) (225 + 30 * t), (int) (235 - 110 * t), (int) (240 - 200 * t), 0.55 + 0.4 * t);
            double[] c = Colormap.MAGMA.rgb(0.1 + 0.7 * t);
            ARROW_ON_LIGHT[i] = new Color((float) c[0], (float) c[1], (float) c[2], (float) (0.6 + 0.35 * t));
        }
    }

    private static final int MAX_LABELS = 256;
    private static final double LABEL_GAP = 40;
    private final double[] labelX = new double[MAX_LABELS];
    private final double[] labelY = new double[MAX_LABELS];
    private final Path2D.Double path = new Path2D.Double(Path2D.WIND_NON_ZERO, 4096);
    private final Line2D.Double line = new Line2D.Double();
    private final Rectangle2D.Double rect = new Rectangle2D.Double();
    private final RoundRectangle2D.Double round = new RoundRectangle2D.Double();
    private Color truthColor = rgba(255, 70, 170, 0.85);
    private int[] colIndex = new int[0];
    private double[] colFrac = new double[0];
    private Sprite dataSprite;
    private double dataRadius;
    private Color dataColor;
    private Sprite sampleSprite;
    private double sampleScale;

    /**
     * Turns on the quality settings every layer relies on: antialiased shapes and text, pure strokes
     * (sub-pixel line positions, so 1-px grid lines at x + 0.5 stay crisp) and bilinear image scaling.
     *
     * @param g the graphics to configure
     */
    public static void configure(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    }

    /**
     * A new opaque-white-free (all zero) image in the pixel format every method here draws into: int
     * ARGB, premultiplied, backed by one int array.
     *
     * @param pw width in device pixels
     * @param ph height in device pixels
     * @return the image
     */
    public static BufferedImage newImage(int pw, int ph) {
        if (pw < 1 || ph < 1 || (long) pw * ph > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("image size must be positive and fit one array, got " + pw + " × " + ph);
        }
        return wrap(new int[pw * ph], pw, ph, true);
    }

    /**
     * Draws a whole frame (base layers, glyphs, then the samples): what PNG export uses.
     *
     * @param img    target, int ARGB premultiplied ({@link #newImage}), at least ⌈w·scale⌉ × ⌈h·scale⌉
     * @param scale  device pixels per logical pixel
     * @param w      width in logical pixels
     * @param h      height in logical pixels
     * @param view   the visible square
     * @param f      the frame, or null (draws axes only)
     * @param layers what to draw
     * @param glyphs local-Hessian glyphs, or null
     */
    public void render(BufferedImage img, double scale, double w, double h, ViewBox view, FrameData f, Layers layers,
                       SpectraResult.Glyphs glyphs) {
        renderBase(img, scale, w, h, view, f, f == null ? null : f.field(), layers, glyphs);
        renderSamples(img, scale, w, h, view, f, layers);
    }

    /**
     * Draws everything except the Langevin samples: the layers that change only when the fields, the
     * data, the view, the glyphs or the layer choice change. The surface is filled first (opaque).
     *
     * @param img    target, int ARGB premultiplied ({@link #newImage}), at least ⌈w·scale⌉ × ⌈h·scale⌉
     * @param scale  device pixels per logical pixel
     * @param w      width in logical pixels
     * @param h      height in logical pixels
     * @param view   the visible square
     * @param f      the frame (data, truth flag, sample count for the note), or null (draws axes only)
     * @param field  the fields to draw (usually {@code f.field()}; may be an older one), or null
     * @param layers what to draw
     * @param glyphs local-Hessian glyphs, or null
     */
    public void renderBase(BufferedImage img, double scale, double w, double h, ViewBox view, FrameData f,
                           FieldFrame field, Layers layers, SpectraResult.Glyphs glyphs) {
        int[] pixels = Sprite.pixels(img);
        Graphics2D g = img.createGraphics();
        try {
            configure(g);
            g.scale(scale, scale);
            drawBase(g, pixels, img.getWidth(), img.getHeight(), scale, w, h, view, f, field, layers, glyphs);
        } finally {
            g.dispose();
        }
    }

    private void drawBase(Graphics2D g, int[] pixels, int pw, int ph, double scale, double w, double h, ViewBox view,
                          FrameData f, FieldFrame field, Layers layers, SpectraResult.Glyphs glyphs) {
        if (f == null) {
            field = null;
        }
        boolean dark = layers.density() && field != null;
        Colormap cmap = field != null ? field.request().colormap() : Colormap.VIRIDIS;
        g.setColor(dark ? new Color(cmap.argb(0)) : Color.WHITE);
        rect.setRect(0, 0, w, h);
        g.fill(rect);
        if (w < 4 || h < 4) {
            return;
        }
        // Pink reads on viridis' blues and greens, cyan on magma's purples and oranges.
        truthColor = cmap == Colormap.MAGMA ? rgba(60, 220, 255, 0.85) : rgba(255, 70, 170, 0.85);
        if (dark) {
            drawHeat(pixels, pw, ph, scale, w, h, view, field);
        }
        drawGrid(g, w, h, view, dark);
        if (field != null && layers.contours()) {
            if (layers.truth() && f.hasTruth()) {
                drawContours(g, w, h, view, field.trueContours(), dark, true);
            }
            drawContours(g, w, h, view, field.contours(), dark, false);
        }
        if (field != null && layers.field()) {
            if (layers.style() == MainViewModel.FieldStyle.STREAMLINES && !field.streamlines().isEmpty()) {
                drawStreamlines(g, w, h, view, field.streamlines(), dark);
            } else {
                if (layers.truth() && f.hasTruth() && field.trueArrowScore() != null) {
                    drawArrows(g, w, h, view, field, field.trueArrowScore(), dark, true);
                }
                drawArrows(g, w, h, view, field, field.arrowScore(), dark, false);
            }
        }
        if (f != null && layers.data()) {
            double r = (f.pointCount() > 3000 ? 1.3 : 1.9) * scale;
            Color c = dark ? rgba(255, 255, 255, 0.78) : rgba(30, 40, 60, 0.6);
            if (dataSprite == null || dataRadius != r || !c.equals(dataColor)) {
                dataSprite = Sprite.square(r, c);
                dataRadius = r;
                dataColor = c;
            }
            stampAll(dataSprite, pixels, pw, ph, scale, w, h, view, f.points());
        }
        renderGlyphs(g, w, h, view, glyphs);
        if (layers.legend() && field != null) {
            drawLegend(g, w, h, field, f, layers, dark);
        }
    }

    /**
     * Draws the Langevin samples only (the layer that moves every frame): discs of radius 2.8 logical
     * pixels with a thin dark edge, stamped as sprites.
     *
     * @param img    target, int ARGB premultiplied ({@link #newImage})
     * @param scale  device pixels per logical pixel
     * @param w      width in logical pixels
     * @param h      height in logical pixels
     * @param view   the visible square
     * @param f      the frame, or null
     * @param layers what to draw
     */
    public void renderSamples(BufferedImage img, double scale, double w, double h, ViewBox view, FrameData f,
                              Layers layers) {
        if (f == null || !layers.samples() || f.samples().length == 0) {
            return;
        }
        if (sampleSprite == null || sampleScale != scale) {
            sampleSprite = Sprite.disc(2.8 * scale, SAMPLE, SAMPLE_EDGE, 0.9 * scale);
            sampleScale = scale;
        }
        stampAll(sampleSprite, Sprite.pixels(img), img.getWidth(), img.getHeight(), scale, w, h, view, f.samples());
    }

    /** Stamps one sprite at every point (interleaved world x, y) of {@code p}. */
    private static void stampAll(Sprite sprite, int[] pixels, int pw, int ph, double scale, double w, double h,
                                 ViewBox view, double[] p) {
        for (int i = 0; i < p.length; i += 2) {
            double sx = view.toScreenX(p[i], w, h) * scale;
            double sy = view.toScreenY(p[i + 1], w, h) * scale;
            sprite.stamp(pixels, pw, ph, sx, sy);
        }
    }

    /**
     * Draws the local-Hessian glyphs: at each grid node a cross whose two arms lie along the eigenvectors of
     * the local (symmetrized) matrix, arm k of half-length 1/√|λ_k| in world units (the length over which a
     * curvature λ changes log p by about ½), clamped to [2 px, 0.45 × node spacing]; blue for λ &gt; 0,
     * red for λ &lt; 0. One small stroke per arm (cheap for the scanline rasterizer).
     *
     * @param g      target
     * @param w      width in logical pixels
     * @param h      height in logical pixels
     * @param view   the visible square
     * @param glyphs the eigen-pairs, or null for nothing
     */
    public void renderGlyphs(Graphics2D g, double w, double h, ViewBox view, SpectraResult.Glyphs glyphs) {
        if (glyphs == null || glyphs.count() == 0) {
            return;
        }
        double k = view.scale(w, h);
        double[] xy = glyphs.xy();
        double[] val = glyphs.values();
        double[] vec = glyphs.vectors();
        int n = glyphs.count();
        int side = (int) Math.max(2, Math.round(Math.sqrt(n)));
        double spacing = n > 1 && Math.abs(xy[2] - xy[0]) > 0 ? Math.abs(xy[2] - xy[0]) * k : 2 * view.half() * k / side;
        double maxArm = 0.45 * spacing;
        g.setStroke(GLYPH);
        for (int sign = 0; sign < 2; sign++) {
            g.setColor(sign == 0 ? GLYPH_POSITIVE : GLYPH_NEGATIVE);
            for (int i = 0; i < n; i++) {
                double sx = view.toScreenX(xy[2 * i], w, h);
                double sy = view.toScreenY(xy[2 * i + 1], w, h);
                if (sx < -maxArm || sx > w + maxArm || sy < -maxArm || sy > h + maxArm) {
                    continue;
                }
                for (int e = 0; e < 2; e++) {
                    double lam = val[2 * i + e];
                    if ((lam > 0) != (sign == 0) || lam == 0) {
                        continue;
                    }
                    double arm = Math.max(2, Math.min(maxArm, k / Math.sqrt(Math.abs(lam))));
                    double ux = vec[4 * i + 2 * e];
                    double uy = vec[4 * i + 2 * e + 1];
                    line.setLine(sx - arm * ux, sy + arm * uy, sx + arm * ux, sy - arm * uy);
                    g.draw(line);
                }
            }
        }
    }

    /**
     * The heat map, computed per device pixel straight from the field's grid: log p at the pixel centre
     * by bilinear interpolation of the grid values (the same rule as {@link FieldComputer#heatImage}),
     * mapped from [bottom, top] through the colormap. Pixels outside the grid's rectangle keep the
     * background. Separable: the column and row interpolation weights are computed once per picture.
     */
    private void drawHeat(int[] pixels, int pw, int ph, double scale, double w, double h, ViewBox view,
                          FieldFrame field) {
        Grid2D grid = field.grid();
        int nx = grid.nx();
        int ny = grid.ny();
        double[] v = field.logp();
        Colormap cmap = field.request().colormap();
        double bottom = field.bottom();
        double inv = field.top() > bottom ? 1.0 / (field.top() - bottom) : 0;
        if (colIndex.length < pw) {
            colIndex = new int[pw];
            colFrac = new double[pw];
        }
        double gx = (nx - 1) / (grid.xmax() - grid.xmin());
        for (int px = 0; px < pw; px++) {
            double fx = (view.toWorldX((px + 0.5) / scale, w, h) - grid.xmin()) * gx;
            if (fx >= 0 && fx <= nx - 1) {
                int ix = Math.min(nx - 2, (int) fx);
                colIndex[px] = ix;
                colFrac[px] = fx - ix;
            } else {
                colIndex[px] = -1;
            }
        }
        double gy = (ny - 1) / (grid.ymax() - grid.ymin());
        for (int py = 0; py < ph; py++) {
            double fy = (view.toWorldY((py + 0.5) / scale, w, h) - grid.ymin()) * gy;
            if (!(fy >= 0 && fy <= ny - 1)) {
                continue;
            }
            int iy = Math.min(ny - 2, (int) fy);
            double ty = fy - iy;
            int row = py * pw;
            int k0 = iy * nx;
            for (int px = 0; px < pw; px++) {
                int ix = colIndex[px];
                if (ix < 0) {
                    continue;
                }
                double tx = colFrac[px];
                int k = k0 + ix;
                double lo = v[k] + tx * (v[k + 1] - v[k]);
                double hi = v[k + nx] + tx * (v[k + nx + 1] - v[k + nx]);
                pixels[row + px] = cmap.argb((lo + ty * (hi - lo) - bottom) * inv);
            }
        }
    }

    /**
     * Wraps packed ARGB pixels as a BufferedImage without copying them.
     *
     * @param argb          pixels, row-major, at least w·h
     * @param w             width
     * @param h             height
     * @param premultiplied whether the colour channels are premultiplied by alpha (TYPE_INT_ARGB_PRE)
     * @return an image that reads (and, if drawn into, writes) {@code argb}
     */
    static BufferedImage wrap(int[] argb, int w, int h, boolean premultiplied) {
        if (argb.length < w * h) {
            throw new IllegalArgumentException("pixel array has " + argb.length + " entries, need " + w + " × " + h);
        }
        DirectColorModel cm = new DirectColorModel(java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB),
                32, 0x00FF0000, 0x0000FF00, 0x000000FF, 0xFF000000, premultiplied, java.awt.image.DataBuffer.TYPE_INT);
        WritableRaster raster = Raster.createPackedRaster(new DataBufferInt(argb, w * h), w, h, w,
                new int[] {0x00FF0000, 0x0000FF00, 0x000000FF, 0xFF000000}, null);
        return new BufferedImage(cm, raster, premultiplied, null);
    }

    /**
     * Wraps packed RGB pixels (the alpha byte is ignored) as an opaque TYPE_INT_RGB image without copying.
     *
     * @param rgb pixels, row-major, at least w·h
     * @param w   width
     * @param h   height
     * @return the image
     */
    static BufferedImage wrapOpaque(int[] rgb, int w, int h) {
        if (rgb.length < w * h) {
            throw new IllegalArgumentException("pixel array has " + rgb.length + " entries, need " + w + " × " + h);
        }
        DirectColorModel cm = new DirectColorModel(24, 0x00FF0000, 0x0000FF00, 0x000000FF);
        WritableRaster raster = Raster.createPackedRaster(new DataBufferInt(rgb, w * h), w, h, w,
                new int[] {0x00FF0000, 0x0000FF00, 0x000000FF}, null);
        return new BufferedImage(cm, raster, false, null);
    }

    private void drawGrid(Graphics2D g, double w, double h, ViewBox view, boolean dark) {
        double[] vis = view.visible(w, h);
        double step = niceStep((vis[1] - vis[0]) / Math.max(2, w / 90));
        g.setStroke(HAIRLINE);
        g.setFont(TICK_FONT);
        Color lineColor = dark ? rgba(255, 255, 255, 0.10) : rgba(0, 0, 0, 0.07);
        Color axis = dark ? rgba(255, 255, 255, 0.30) : rgba(0, 0, 0, 0.30);
        Color text = dark ? rgba(255, 255, 255, 0.70) : new Color(60, 60, 60);
        for (double x = Math.ceil(vis[0] / step) * step; x <= vis[1]; x += step) {
            double sx = Math.round(view.toScreenX(x, w, h)) + 0.5;
            g.setColor(Math.abs(x) < step * 1e-6 ? axis : lineColor);
            line.setLine(sx, 0, sx, h);
            g.draw(line);
            g.setColor(text);
            text(g, tick(x, step), sx, h - 3, 0.5, VAlign.BOTTOM);
        }
        for (double y = Math.ceil(vis[2] / step) * step; y <= vis[3]; y += step) {
            double sy = Math.round(view.toScreenY(y, w, h)) + 0.5;
            g.setColor(Math.abs(y) < step * 1e-6 ? axis : lineColor);
            line.setLine(0, sy, w, sy);
            g.draw(line);
            if (sy > 12 && sy < h - 18) {
                g.setColor(text);
                text(g, tick(y, step), 4, sy, 0, VAlign.CENTER);
            }
        }
    }

    private void drawContours(Graphics2D g, double w, double h, ViewBox view, List<ContourLine> lines,
                              boolean dark, boolean truth) {
        if (truth) {
            g.setColor(dark ? truthColor : rgba(200, 30, 120, 0.75));
            g.setStroke(TRUE_CONTOUR);
        } else {
            g.setColor(dark ? rgba(255, 255, 255, 0.75) : rgba(30, 60, 110, 0.8));
            g.setStroke(CONTOUR);
        }
        for (ContourLine c : lines) {
            int n = c.size();
            if (n < 2) {
                continue;
            }
            strokeSegments(g, view, w, h, c, n, c.closed());
        }
        if (truth) {
            return;
        }
        // Labels on lines long enough to carry one, on a small plate in the background colour.
        g.setFont(LABEL_FONT);
        double k = view.scale(w, h);
        Color plate = dark ? rgba(20, 20, 40, 0.6) : rgba(255, 255, 255, 0.85);
        Color ink = dark ? Color.WHITE : new Color(30, 60, 110);
        AffineTransform saved = g.getTransform();
        int placed = 0;
        for (ContourLine c : lines) {
            if (c.length() * k < 70) {
                continue;
            }
            double sx = view.toScreenX(c.anchorX(), w, h);
            double sy = view.toScreenY(c.anchorY(), w, h);
            if (sx < 10 || sy < 10 || sx > w - 10 || sy > h - 10 || crowded(sx, sy, placed)) {
                continue;
            }
            if (placed < MAX_LABELS) {
                labelX[placed] = sx;
                labelY[placed++] = sy;
            }
            String label = level(c.level());
            g.translate(sx, sy);
            g.rotate(-c.anchorAngle());
            double tw = g.getFontMetrics().stringWidth(label) + 6;
            g.setColor(plate);
            round.setRoundRect(-tw / 2, -7, tw, 14, 6, 6);
            g.fill(round);
            g.setColor(ink);
            text(g, label, 0, 0, 0.5, VAlign.CENTER);
            g.setTransform(saved);
        }
    }

    /**
     * Strokes the polyline of the first n points of {@code line} (closed: back to the first point) one
     * segment at a time. A straight segment under a butt-capped stroke is drawn by Java2D as an
     * antialiased parallelogram, far cheaper than a general path through the scanline rasterizer (whose
     * cost grows with the path's bounding box); the joints lose their round join, which at these widths
     * (≤ 1.5 px) and the small turning angles of contours is invisible.
     */
    private void strokeSegments(Graphics2D g, ViewBox view, double w, double h, Polyline poly, int n, boolean closed) {
        int total = closed ? n + 1 : n;
        double x0 = view.toScreenX(poly.x(0), w, h);
        double y0 = view.toScreenY(poly.y(0), w, h);
        for (int i = 1; i < total; i++) {
            int k = i < n ? i : 0;
            double x1 = view.toScreenX(poly.x(k), w, h);
            double y1 = view.toScreenY(poly.y(k), w, h);
            if (!(Math.max(x0, x1) < -2 || Math.min(x0, x1) > w + 2 || Math.max(y0, y1) < -2 || Math.min(y0, y1) > h + 2)) {
                line.setLine(x0, y0, x1, y1);
                g.draw(line);
            }
            x0 = x1;
            y0 = y1;
        }
    }

    private void drawArrows(Graphics2D g, double w, double h, ViewBox view, FieldFrame field,
                            double[] score, boolean dark, boolean truth) {
        FieldRequest r = field.request();
        int ax = Math.max(2, (int) Math.round(r.pixelWidth() / r.arrowSpacing()));
        double cellWorld = (r.xmax() - r.xmin()) / ax;
        double k = view.scale(w, h);
        double cellPx = cellWorld * k;
        double ref = field.arrowRef();
        double max = Math.max(ref, field.arrowMax());
        double[] xy = field.arrowXY();
        g.setStroke(truth ? TRUE_ARROW : ARROW);
        Color[] ramp = dark ? ARROW_ON_DARK : ARROW_ON_LIGHT;
        g.setColor(truth ? (dark ? rgba(255, 255, 255, 0.28) : rgba(0, 0, 0, 0.22)) : ramp[0]);
        // Shaft and barbs as separate butt-capped segments: Java2D draws each as an antialiased
        // parallelogram, much cheaper than stroking a path.
        for (int i = 0; i < xy.length; i += 2) {
            double sx = score[i];
            double sy = score[i + 1];
            double m = Math.hypot(sx, sy);
            if (!(m > 0)) {
                continue;
            }
            double px = view.toScreenX(xy[i], w, h);
            double py = view.toScreenY(xy[i + 1], w, h);
            if (px < -cellPx || py < -cellPx || px > w + cellPx || py > h + cellPx) {
                continue;
            }
            double len = Math.max(1, 0.85 * cellPx * Math.min(1, m / ref));
            double ux = sx / m;
            double uy = -sy / m;
            // Centred on its anchor, so that the field reads as a flow through the cell.
            double x1 = px + 0.5 * len * ux;
            double y1 = py + 0.5 * len * uy;
            if (!truth) {
                g.setColor(ramp[bucket(m, max)]);
            }
            line.setLine(px - 0.5 * len * ux, py - 0.5 * len * uy, x1, y1);
            g.draw(line);
            if (!truth && len >= 3) {
                double head = Math.min(0.4 * len, 5.5);
                double hx = -ux * head;
                double hy = -uy * head;
                // Two barbs at ±28° from the shaft.
                double c = 0.883;
                double s = 0.469;
                line.setLine(x1 + c * hx - s * hy, y1 + s * hx + c * hy, x1, y1);
                g.draw(line);
                line.setLine(x1 + c * hx + s * hy, y1 - s * hx + c * hy, x1, y1);
                g.draw(line);
            }
        }
    }

    /** Colour bucket of a magnitude: log scale relative to the largest, so slow and fast regions both read. */
    private static int bucket(double m, double max) {
        double t = Math.log1p(9 * m / max) / Math.log(10);
        return (int) Math.round(Math.max(0, Math.min(1, t)) * (RAMP - 1));
    }

    private void drawStreamlines(Graphics2D g, double w, double h, ViewBox view, List<Streamline> lines, boolean dark) {
        g.setStroke(STREAMLINE);
        g.setColor(dark ? rgba(255, 255, 255, 0.62) : rgba(120, 40, 90, 0.75));
        for (Streamline s : lines) {
            int n = s.size();
            if (n < 2) {
                continue;
            }
            strokeSegments(g, view, w, h, s, n, false);
            // An arrowhead at the middle shows the direction of s (towards higher density).
            int m = n / 2;
            int m2 = Math.min(n - 1, m + 1);
            double bx = view.toScreenX(s.x(m), w, h);
            double by = view.toScreenY(s.y(m), w, h);
            double dx = view.toScreenX(s.x(m2), w, h) - bx;
            double dy = view.toScreenY(s.y(m2), w, h) - by;
            double d = Math.hypot(dx, dy);
            if (d > 0) {
                double ux = dx / d;
                double uy = dy / d;
                double head = 5;
                double cs = 0.883;
                double sn = 0.469;
                path.reset();
                path.moveTo(bx - head * (cs * ux - sn * uy), by - head * (sn * ux + cs * uy));
                path.lineTo(bx, by);
                path.lineTo(bx - head * (cs * ux + sn * uy), by - head * (-sn * ux + cs * uy));
                g.setStroke(STREAMLINE_HEAD);
                g.draw(path);
                g.setStroke(STREAMLINE);
            }
        }
    }

    private void drawLegend(Graphics2D g, double w, double h, FieldFrame field, FrameData f, Layers layers,
                            boolean dark) {
        double barW = 12;
        double barH = Math.min(220, h * 0.45);
        double x = w - barW - 46;
        double y = 28;
        if (dark) {
            Colormap cmap = field.request().colormap();
            g.setColor(rgba(0, 0, 0, 0.35));
            round.setRoundRect(x - 8, y - 22, barW + 54, barH + 34, 8, 8);
            g.fill(round);
            int steps = (int) Math.max(2, barH);
            for (int i = 0; i < steps; i++) {
                double t = 1 - i / (steps - 1.0);
                g.setColor(new Color(cmap.argb(t)));
                rect.setRect(x, y + i * barH / steps, barW, barH / steps + 1);
                g.fill(rect);
            }
            g.setColor(rgba(255, 255, 255, 0.6));
            g.setStroke(HAIRLINE);
            rect.setRect(x + 0.5, y + 0.5, barW, barH);
            g.draw(rect);
            g.setFont(BAR_TITLE_FONT);
            g.setColor(Color.WHITE);
            text(g, "log p", x - 2, y - 5, 0, VAlign.BOTTOM);
            g.setFont(BAR_FONT);
            double top = field.top();
            double bottom = field.bottom();
            double step = niceStep((top - bottom) / 5);
            for (double v = Math.ceil(bottom / step) * step; v <= top + 1e-9; v += step) {
                double ty = y + (top - v) / (top - bottom) * barH;
                line.setLine(x + barW, ty, x + barW + 3, ty);
                g.draw(line);
                text(g, level(v), x + barW + 5, ty, 0, VAlign.CENTER);
            }
        }
        // Notes at the bottom right: where log p comes from and the arrow scale.
        StringBuilder note = new StringBuilder();
        if (layers.field() && layers.style() == MainViewModel.FieldStyle.ARROWS) {
            note.append(String.format(Locale.ROOT, "full-cell arrow: |s| ≥ %s, max |s| = %s",
                    Fmt.num(field.arrowRef()), Fmt.num(field.arrowMax())));
        }
        if (layers.contours() || layers.density()) {
            if (note.length() > 0) {
                note.append('\n');
            }
            note.append("log p: ").append(field.densitySource());
        }
        if (layers.truth() && f.hasTruth() && (layers.contours() || layers.field())) {
            boolean arrows = layers.field() && layers.style() == MainViewModel.FieldStyle.ARROWS;
            String lines = dark ? (field.request().colormap() == Colormap.MAGMA ? "cyan" : "pink") : "magenta";
            note.append(arrows ? "\nfaint arrows, " + lines + " lines: true score and density"
                    : "\n" + lines + " lines: true density");
        }
        if (layers.samples() && f.samples().length > 0) {
            note.append(String.format(Locale.ROOT, "\n● %d Langevin samples", f.samples().length / 2));
        }
        if (note.length() > 0) {
            g.setFont(NOTE_FONT);
            FontMetrics fm = g.getFontMetrics();
            String[] rows = note.toString().split("\n");
            double lineH = 13.5;
            double widest = 0;
            for (String row : rows) {
                widest = Math.max(widest, fm.getStringBounds(row, g).getWidth());
            }
            double boxH = rows.length * lineH + 8;
            double boxW = Math.min(w - 20, widest + 12);
            g.setColor(dark ? rgba(0, 0, 0, 0.45) : rgba(255, 255, 255, 0.8));
            round.setRoundRect(w - boxW - 8, h - boxH - 22, boxW, boxH, 8, 8);
            g.fill(round);
            g.setColor(dark ? rgba(255, 255, 255, 0.9) : new Color(40, 40, 40));
            for (int i = 0; i < rows.length; i++) {
                double by = h - 26 - (rows.length - 1 - i) * lineH;
                text(g, rows[i], w - 14, by, 1, VAlign.BOTTOM);
            }
        }
    }

    /** Vertical anchor of a text: the y given is its top, visual centre, baseline or bottom. */
    private enum VAlign { TOP, CENTER, BASELINE, BOTTOM }

    /**
     * Draws one line of text with its anchor at (x, y): horizontally at fraction {@code hx} of its width
     * (0 left, 0.5 centre, 1 right), vertically by {@code va} using the font's ascent and descent.
     */
    private static void text(Graphics2D g, String s, double x, double y, double hx, VAlign va) {
        FontMetrics fm = g.getFontMetrics();
        double tw = hx == 0 ? 0 : fm.getStringBounds(s, g).getWidth();
        double ascent = fm.getAscent();
        double descent = fm.getDescent();
        double base = switch (va) {
            case TOP -> y + ascent;
            case CENTER -> y + 0.5 * (ascent - descent);
            case BASELINE -> y;
            case BOTTOM -> y - descent;
        };
        g.drawString(s, (float) (x - hx * tw), (float) base);
    }

    /** Where labels already sit: a label closer than LABEL_GAP pixels to one of them is skipped. */
    private boolean crowded(double x, double y, int placed) {
        for (int i = 0; i < placed; i++) {
            if (Math.abs(labelX[i] - x) < LABEL_GAP && Math.abs(labelY[i] - y) < 0.6 * LABEL_GAP) {
                return true;
            }
        }
        return false;
    }

    /**
     * A "nice" step (1, 2 or 5 times a power of ten) close to {@code raw}.
     *
     * @param raw the desired step, &gt; 0
     * @return the nice step
     */
    public static double niceStep(double raw) {
        if (!(raw > 0) || !Double.isFinite(raw)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double m = raw / p;
        return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
    }

    /**
     * @param v    tick value
     * @param step tick spacing
     * @return v with as many decimals as the step needs, "0" for values within rounding of zero
     */
    public static String tick(double v, double step) {
        if (Math.abs(v) < step * 1e-6) {
            return "0";
        }
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", v).replace('-', '−');
    }

    private static String level(double v) {
        String s = Math.abs(v - Math.rint(v)) < 1e-9 ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.1f", v);
        return s.replace('-', '−');
    }

    /** @return the sRGB colour (r, g, b) with opacity a in [0, 1] */
    private static Color rgba(int r, int g, int b, double a) {
        return new Color(r, g, b, (int) Math.round(a * 255));
    }
}
