package org.scorescope.app;

import java.util.List;
import java.util.Locale;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.scene.shape.StrokeLineCap;
import javafx.scene.shape.StrokeLineJoin;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;
import org.scorescope.analysis.ContourLine;
import org.scorescope.analysis.Streamline;

/**
 * Draws one {@link FrameData} onto any GraphicsContext at any size: the on-screen canvas every frame
 * and an offscreen canvas for PNG export share this code. Only drawing happens here (FX thread); all
 * numbers were computed by the worker. Layers, bottom to top: density heat map, grid and axes, true
 * contours (dashed), model contours with labels, score arrows or streamlines (true score arrows
 * faintly), data points, Langevin samples, colour bar and scale notes.
 */
public final class FieldRenderer {
    private static final Color GLYPH_POSITIVE = Color.rgb(30, 90, 200, 0.9);
    private static final Color GLYPH_NEGATIVE = Color.rgb(215, 40, 35, 0.9);
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

    private static final Color SAMPLE = Color.rgb(255, 94, 58);
    private static final Color SAMPLE_EDGE = Color.rgb(60, 10, 0, 0.8);
    private static final int RAMP = 32;
    private static final Color[] ARROW_ON_DARK = new Color[RAMP];
    private static final Color[] ARROW_ON_LIGHT = new Color[RAMP];

    static {
        for (int i = 0; i < RAMP; i++) {
            double t = i / (RAMP - 1.0);
            // Pale to warm over dark heat maps; magma's mid range over white.
            ARROW_ON_DARK[i] = Color.rgb((int) (225 + 30 * t), (int) (235 - 110 * t), (int) (240 - 200 * t), 0.55 + 0.4 * t);
            double[] c = Colormap.MAGMA.rgb(0.1 + 0.7 * t);
            ARROW_ON_LIGHT[i] = Color.color(c[0], c[1], c[2], 0.6 + 0.35 * t);
        }
    }

    private WritableImage heat;
    private Color truthColor = Color.rgb(255, 70, 170, 0.85);
    private int[] uploaded;
    private Colormap barMap;
    private final Color[] bar = new Color[Colormap.SIZE];
    private static final int MAX_LABELS = 256;
    private static final double LABEL_GAP = 40;
    private final double[] labelX = new double[MAX_LABELS];
    private final double[] labelY = new double[MAX_LABELS];
    private double[] bx = new double[256];
    private double[] by = new double[256];

    /**
     * Draws a whole frame (base layers, then the samples): what PNG export uses.
     *
     * @param g      target
     * @param w      width in pixels
     * @param h      height in pixels
     * @param view   the visible square
     * @param f      the frame, or null (draws axes only)
     * @param layers what to draw
     */
    public void render(GraphicsContext g, double w, double h, ViewBox view, FrameData f, Layers layers) {
        renderBase(g, w, h, view, f, layers);
        renderSamples(g, w, h, view, f, layers);
    }

    /**
     * Draws everything except the Langevin samples: the layers that change only when the fields, the
     * data, the view or the layer choice change (a few times a second while training).
     *
     * @param g      target
     * @param w      width in pixels
     * @param h      height in pixels
     * @param view   the visible square
     * @param f      the frame, or null (draws axes only)
     * @param layers what to draw
     */
    public void renderBase(GraphicsContext g, double w, double h, ViewBox view, FrameData f, Layers layers) {
        FieldFrame field = f == null ? null : f.field();
        boolean dark = layers.density() && field != null;
        Colormap cmap = field != null ? field.request().colormap() : Colormap.VIRIDIS;
        g.setGlobalAlpha(1);
        g.setLineDashes((double[]) null);
        g.setFill(dark ? color(cmap.argb(0)) : Color.WHITE);
        g.fillRect(0, 0, w, h);
        if (w < 4 || h < 4) {
            return;
        }
        double k = view.scale(w, h);
        // Pink reads on viridis' blues and greens, cyan on magma's purples and oranges.
        truthColor = cmap == Colormap.MAGMA ? Color.rgb(60, 220, 255, 0.85) : Color.rgb(255, 70, 170, 0.85);
        if (dark) {
            drawHeat(g, w, h, view, field);
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
                if (layers.truth() && field.trueArrowScore() != null) {
                    drawArrows(g, w, h, view, field, field.trueArrowScore(), dark, true);
                }
                drawArrows(g, w, h, view, field, field.arrowScore(), dark, false);
            }
        }
        if (f != null && layers.data()) {
            double r = f.pointCount() > 3000 ? 1.3 : 1.9;
            g.setFill(dark ? Color.rgb(255, 255, 255, 0.78) : Color.rgb(30, 40, 60, 0.6));
            squares(g, w, h, view, f.points(), r);
            g.fill();
        }
        if (layers.legend() && field != null) {
            drawLegend(g, w, h, field, f, layers, dark, k);
        }
    }

    /**
     * Draws the Langevin samples only (the layer that moves every frame), on a transparent layer.
     *
     * @param g      target
     * @param w      width in pixels
     * @param h      height in pixels
     * @param view   the visible square
     * @param f      the frame, or null
     * @param layers what to draw
     */
    public void renderSamples(GraphicsContext g, double w, double h, ViewBox view, FrameData f, Layers layers) {
        if (f != null && layers.samples() && f.samples().length > 0) {
            dots(g, w, h, view, f.samples(), 2.8);
            g.setFill(SAMPLE);
            g.fill();
            g.setStroke(SAMPLE_EDGE);
            g.setLineWidth(0.9);
            g.stroke();
        }
    }

    /**
     * Draws the local-Hessian glyphs: at each grid node a cross whose two arms lie along the eigenvectors of
     * the local (symmetrized) matrix, arm k of half-length 1/√|λ_k| in world units (the length over which a
     * curvature λ changes log p by about ½), clamped to [2 px, 0.45 × node spacing]; blue for λ &gt; 0,
     * red for λ &lt; 0. Two paths (one per sign), so the cost is two rasterization passes.
     *
     * @param g      target
     * @param w      width in pixels
     * @param h      height in pixels
     * @param view   the visible square
     * @param glyphs the eigen-pairs, or null for nothing
     */
    public void renderGlyphs(GraphicsContext g, double w, double h, ViewBox view, SpectraResult.Glyphs glyphs) {
        if (glyphs == null || glyphs.count() == 0) {
            return;
        }
        double k = view.scale(w, h);
        double[] xy = glyphs.xy();
        double[] val = glyphs.values();
        double[] vec = glyphs.vectors();
        int n = glyphs.count();
        int side = (int) Math.max(2, Math.round(Math.sqrt(n)));
        double spacing = Math.abs(xy[2] - xy[0]) > 0 ? Math.abs(xy[2] - xy[0]) * k : 2 * view.half() * k / side;
        double maxArm = 0.45 * spacing;
        g.setLineWidth(1.6);
        g.setLineCap(StrokeLineCap.ROUND);
        for (int sign = 0; sign < 2; sign++) {
            g.beginPath();
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
                    g.moveTo(sx - arm * ux, sy + arm * uy);
                    g.lineTo(sx + arm * ux, sy - arm * uy);
                }
            }
            g.setStroke(sign == 0 ? GLYPH_POSITIVE : GLYPH_NEGATIVE);
            g.stroke();
        }
        g.setLineCap(StrokeLineCap.SQUARE);
    }

    /** Like {@link #dots} with squares: for the many data points, cheaper still and as legible at 3 px. */
    private static void squares(GraphicsContext g, double w, double h, ViewBox view, double[] p, double r) {
        g.beginPath();
        for (int i = 0; i < p.length; i += 2) {
            double sx = view.toScreenX(p[i], w, h);
            double sy = view.toScreenY(p[i + 1], w, h);
            if (sx > -r && sx < w + r && sy > -r && sy < h + r) {
                g.rect(sx - r, sy - r, 2 * r, 2 * r);
            }
        }
    }

    /**
     * Builds one path of small circles, one per visible point. Filling (and stroking) one path costs
     * a single rasterization pass; one call per point would pay the per-call overhead thousands of
     * times, which dominates in a software pipeline.
     */
    private static void dots(GraphicsContext g, double w, double h, ViewBox view, double[] p, double r) {
        g.beginPath();
        for (int i = 0; i < p.length; i += 2) {
            double sx = view.toScreenX(p[i], w, h);
            double sy = view.toScreenY(p[i + 1], w, h);
            if (sx > -r && sx < w + r && sy > -r && sy < h + r) {
                g.moveTo(sx + r, sy);
                g.arc(sx, sy, r, r, 0, 360);
                g.closePath();
            }
        }
    }

    private void drawHeat(GraphicsContext g, double w, double h, ViewBox view, FieldFrame field) {
        int iw = field.imageWidth();
        int ih = field.imageHeight();
        if (heat == null || (int) heat.getWidth() != iw || (int) heat.getHeight() != ih) {
            heat = new WritableImage(iw, ih);
            uploaded = null;
        }
        if (uploaded != field.image()) {
            heat.getPixelWriter().setPixels(0, 0, iw, ih, PixelFormat.getIntArgbInstance(), field.image(), 0, iw);
            uploaded = field.image();
        }
        FieldRequest r = field.request();
        double x0 = view.toScreenX(r.xmin(), w, h);
        double x1 = view.toScreenX(r.xmax(), w, h);
        double y0 = view.toScreenY(r.ymax(), w, h);
        double y1 = view.toScreenY(r.ymin(), w, h);
        g.setImageSmoothing(true);
        g.drawImage(heat, x0, y0, x1 - x0, y1 - y0);
    }

    private static void drawGrid(GraphicsContext g, double w, double h, ViewBox view, boolean dark) {
        double[] vis = view.visible(w, h);
        double step = niceStep((vis[1] - vis[0]) / Math.max(2, w / 90));
        g.setLineWidth(1);
        g.setFont(Font.font(10.5));
        Color line = dark ? Color.rgb(255, 255, 255, 0.10) : Color.rgb(0, 0, 0, 0.07);
        Color axis = dark ? Color.rgb(255, 255, 255, 0.30) : Color.rgb(0, 0, 0, 0.30);
        Color text = dark ? Color.rgb(255, 255, 255, 0.70) : Color.rgb(60, 60, 60);
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.BOTTOM);
        for (double x = Math.ceil(vis[0] / step) * step; x <= vis[1]; x += step) {
            double sx = Math.round(view.toScreenX(x, w, h)) + 0.5;
            g.setStroke(Math.abs(x) < step * 1e-6 ? axis : line);
            g.strokeLine(sx, 0, sx, h);
            g.setFill(text);
            g.fillText(tick(x, step), sx, h - 3);
        }
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        for (double y = Math.ceil(vis[2] / step) * step; y <= vis[3]; y += step) {
            double sy = Math.round(view.toScreenY(y, w, h)) + 0.5;
            g.setStroke(Math.abs(y) < step * 1e-6 ? axis : line);
            g.strokeLine(0, sy, w, sy);
            if (sy > 12 && sy < h - 18) {
                g.setFill(text);
                g.fillText(tick(y, step), 4, sy);
            }
        }
    }

    private void drawContours(GraphicsContext g, double w, double h, ViewBox view, List<ContourLine> lines,
                              boolean dark, boolean truth) {
        g.setLineCap(StrokeLineCap.ROUND);
        g.setLineJoin(StrokeLineJoin.ROUND);
        if (truth) {
            // Thin and faint rather than dashed: dashing is costly to rasterize in a software pipeline.
            g.setStroke(dark ? truthColor : Color.rgb(200, 30, 120, 0.75));
            g.setLineWidth(0.8);
        } else {
            g.setStroke(dark ? Color.rgb(255, 255, 255, 0.75) : Color.rgb(30, 60, 110, 0.8));
            g.setLineWidth(1.1);
            g.setLineDashes((double[]) null);
        }
        for (ContourLine c : lines) {
            int n = c.size();
            ensure(n + 1);
            for (int i = 0; i < n; i++) {
                bx[i] = view.toScreenX(c.x(i), w, h);
                by[i] = view.toScreenY(c.y(i), w, h);
            }
            if (c.closed()) {
                bx[n] = bx[0];
                by[n] = by[0];
                n++;
            }
            g.strokePolyline(bx, by, n);
        }
        g.setLineDashes((double[]) null);
        if (truth) {
            return;
        }
        // Labels on lines long enough to carry one, with a halo in the background colour.
        g.setFont(Font.font(null, FontWeight.BOLD, 10));
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        double k = view.scale(w, h);
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
            g.save();
            g.translate(sx, sy);
            g.rotate(-Math.toDegrees(c.anchorAngle()));
            // A small plate under the label instead of a stroked halo (stroking glyphs is slow).
            double tw = 6.2 * label.length() + 4;
            g.setFill(dark ? Color.rgb(20, 20, 40, 0.6) : Color.rgb(255, 255, 255, 0.85));
            g.fillRoundRect(-tw / 2, -7, tw, 14, 6, 6);
            g.setFill(dark ? Color.WHITE : Color.rgb(30, 60, 110));
            g.fillText(label, 0, 0);
            g.restore();
        }
    }

    private static void drawArrows(GraphicsContext g, double w, double h, ViewBox view, FieldFrame field,
                                   double[] score, boolean dark, boolean truth) {
        FieldRequest r = field.request();
        int ax = Math.max(2, (int) Math.round(r.pixelWidth() / r.arrowSpacing()));
        double cellWorld = (r.xmax() - r.xmin()) / ax;
        double k = view.scale(w, h);
        double cellPx = cellWorld * k;
        double ref = field.arrowRef();
        double max = Math.max(ref, field.arrowMax());
        double[] xy = field.arrowXY();
        g.setLineCap(StrokeLineCap.ROUND);
        g.setLineJoin(StrokeLineJoin.ROUND);
        g.setLineWidth(truth ? 1.0 : 1.5);
        Color[] ramp = dark ? ARROW_ON_DARK : ARROW_ON_LIGHT;
        // One path per colour bucket (one for the faint true arrows): a handful of stroke calls.
        int buckets = truth ? 1 : RAMP;
        for (int b = 0; b < buckets; b++) {
            g.beginPath();
            boolean any = false;
            for (int i = 0; i < xy.length; i += 2) {
                double sx = score[i];
                double sy = score[i + 1];
                double m = Math.hypot(sx, sy);
                if (!(m > 0)) {
                    continue;
                }
                if (!truth && bucket(m, max) != b) {
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
                g.moveTo(px - 0.5 * len * ux, py - 0.5 * len * uy);
                g.lineTo(x1, y1);
                if (!truth && len >= 3) {
                    double head = Math.min(0.4 * len, 5.5);
                    double hx = -ux * head;
                    double hy = -uy * head;
                    // Two barbs at ±28° from the shaft.
                    double c = 0.883;
                    double s = 0.469;
                    g.moveTo(x1 + c * hx - s * hy, y1 + s * hx + c * hy);
                    g.lineTo(x1, y1);
                    g.lineTo(x1 + c * hx + s * hy, y1 - s * hx + c * hy);
                }
                any = true;
            }
            if (any) {
                g.setStroke(truth ? (dark ? Color.rgb(255, 255, 255, 0.28) : Color.rgb(0, 0, 0, 0.22)) : ramp[b]);
                g.stroke();
            }
        }
    }

    /** Colour bucket of a magnitude: log scale relative to the largest, so slow and fast regions both read. */
    private static int bucket(double m, double max) {
        double t = Math.log1p(9 * m / max) / Math.log(10);
        return (int) Math.round(Math.max(0, Math.min(1, t)) * (RAMP - 1));
    }

    private void drawStreamlines(GraphicsContext g, double w, double h, ViewBox view, List<Streamline> lines,
                                 boolean dark) {
        g.setLineCap(StrokeLineCap.ROUND);
        g.setLineJoin(StrokeLineJoin.ROUND);
        g.setLineWidth(1.1);
        Color c = dark ? Color.rgb(255, 255, 255, 0.62) : Color.rgb(120, 40, 90, 0.75);
        g.setStroke(c);
        for (Streamline s : lines) {
            int n = s.size();
            if (n < 2) {
                continue;
            }
            ensure(n);
            for (int i = 0; i < n; i++) {
                bx[i] = view.toScreenX(s.x(i), w, h);
                by[i] = view.toScreenY(s.y(i), w, h);
            }
            g.strokePolyline(bx, by, n);
            // An arrowhead at the middle shows the direction of s (towards higher density).
            int m = n / 2;
            int m2 = Math.min(n - 1, m + 1);
            double dx = bx[m2] - bx[m];
            double dy = by[m2] - by[m];
            double d = Math.hypot(dx, dy);
            if (d > 0) {
                double ux = dx / d;
                double uy = dy / d;
                double head = 5;
                double cs = 0.883;
                double sn = 0.469;
                g.strokeLine(bx[m], by[m], bx[m] - head * (cs * ux - sn * uy), by[m] - head * (sn * ux + cs * uy));
                g.strokeLine(bx[m], by[m], bx[m] - head * (cs * ux + sn * uy), by[m] - head * (-sn * ux + cs * uy));
            }
        }
    }

    private void drawLegend(GraphicsContext g, double w, double h, FieldFrame field, FrameData f, Layers layers,
                            boolean dark, double k) {
        double barW = 12;
        double barH = Math.min(220, h * 0.45);
        double x = w - barW - 46;
        double y = 28;
        if (dark) {
            Colormap cmap = field.request().colormap();
            if (barMap != cmap) {
                for (int i = 0; i < Colormap.SIZE; i++) {
                    bar[i] = color(cmap.argb(i / (Colormap.SIZE - 1.0)));
                }
                barMap = cmap;
            }
            g.setFill(Color.rgb(0, 0, 0, 0.35));
            g.fillRoundRect(x - 8, y - 22, barW + 54, barH + 34, 8, 8);
            int steps = (int) Math.max(2, barH);
            for (int i = 0; i < steps; i++) {
                double t = 1 - i / (steps - 1.0);
                g.setFill(bar[Colormap.index(t)]);
                g.fillRect(x, y + i * barH / steps, barW, barH / steps + 1);
            }
            g.setStroke(Color.rgb(255, 255, 255, 0.6));
            g.setLineWidth(1);
            g.strokeRect(x + 0.5, y + 0.5, barW, barH);
            g.setFont(Font.font(null, FontWeight.BOLD, 10.5));
            g.setFill(Color.WHITE);
            g.setTextAlign(TextAlignment.LEFT);
            g.setTextBaseline(VPos.BOTTOM);
            g.fillText("log p", x - 2, y - 5);
            g.setFont(Font.font(10));
            g.setTextBaseline(VPos.CENTER);
            double top = field.top();
            double bottom = field.bottom();
            double step = niceStep((top - bottom) / 5);
            for (double v = Math.ceil(bottom / step) * step; v <= top + 1e-9; v += step) {
                double ty = y + (top - v) / (top - bottom) * barH;
                g.strokeLine(x + barW, ty, x + barW + 3, ty);
                g.fillText(level(v), x + barW + 5, ty);
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
            g.setFont(Font.font(10.5));
            g.setTextAlign(TextAlignment.RIGHT);
            g.setTextBaseline(VPos.BOTTOM);
            String s = note.toString();
            int lines = s.split("\n").length;
            double boxH = lines * 13.5 + 8;
            double boxW = Math.min(w - 20, 8 + 6.0 * longestLine(s));
            g.setFill(dark ? Color.rgb(0, 0, 0, 0.45) : Color.rgb(255, 255, 255, 0.8));
            g.fillRoundRect(w - boxW - 8, h - boxH - 22, boxW, boxH, 8, 8);
            g.setFill(dark ? Color.rgb(255, 255, 255, 0.9) : Color.rgb(40, 40, 40));
            g.fillText(s, w - 14, h - 26);
        }
    }

    private static int longestLine(String s) {
        int best = 0;
        for (String l : s.split("\n")) {
            best = Math.max(best, l.length());
        }
        return best;
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

    private void ensure(int n) {
        if (bx.length < n) {
            int m = Math.max(n, 2 * bx.length);
            bx = new double[m];
            by = new double[m];
        }
    }

    /**
     * A "nice" step (1, 2 or 5 times a power of ten) close to {@code raw}.
     *
     * @param raw the desired step, &gt; 0
     * @return the nice step
     */
    static double niceStep(double raw) {
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
    static String tick(double v, double step) {
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

    private static Color color(int argb) {
        return Color.rgb((argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF);
    }
}
