package org.scorescope.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.util.Locale;
import org.scorescope.analysis.Polyline;

/** Drawing helpers shared by the layers: colours, fonts, anchored text, polylines, number labels. */
final class Draw {
    static final String FONT_FAMILY = Font.SANS_SERIF;
    static final Font TICK_FONT = new Font(FONT_FAMILY, Font.PLAIN, 1).deriveFont(10.5f);

    /** Vertical anchor of a text: the y given is its top, visual centre, baseline or bottom. */
    enum VAlign { TOP, CENTER, BASELINE, BOTTOM }

    private Draw() {
    }

    /** @return the sRGB colour (r, g, b) with opacity a in [0, 1] */
    static Color rgba(int r, int g, int b, double a) {
        return new Color(r, g, b, (int) Math.round(a * 255));
    }

    /**
     * Draws one line of text with its anchor at (x, y): horizontally at fraction {@code hx} of its width
     * (0 left, 0.5 centre, 1 right), vertically by {@code va} using the font's ascent and descent.
     */
    static void text(Graphics2D g, String s, double x, double y, double hx, VAlign va) {
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

    /**
     * Strokes the polyline of the first n points of {@code poly} (closed: back to the first point) one
     * segment at a time. A straight segment under a butt-capped stroke is drawn by Java2D as an
     * antialiased parallelogram, far cheaper than a general path through the scanline rasterizer (whose
     * cost grows with the path's bounding box); the joints lose their round join, which at these widths
     * (≤ 1.5 px) and the small turning angles of contours is invisible.
     */
    static void strokeSegments(Graphics2D g, LayerContext c, Line2D.Double line, Polyline poly, int n,
                               boolean closed) {
        double w = c.width();
        double h = c.height();
        int total = closed ? n + 1 : n;
        double x0 = c.sx(poly.x(0));
        double y0 = c.sy(poly.y(0));
        for (int i = 1; i < total; i++) {
            int k = i < n ? i : 0;
            double x1 = c.sx(poly.x(k));
            double y1 = c.sy(poly.y(k));
            if (!(Math.max(x0, x1) < -2 || Math.min(x0, x1) > w + 2 || Math.max(y0, y1) < -2 || Math.min(y0, y1) > h + 2)) {
                line.setLine(x0, y0, x1, y1);
                g.draw(line);
            }
            x0 = x1;
            y0 = y1;
        }
    }

    /** @return a log-density level as a label: no decimals for whole numbers, one otherwise, a true minus */
    static String level(double v) {
        String s = Math.abs(v - Math.rint(v)) < 1e-9 ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.1f", v);
        return s.replace('-', '−');
    }
}
