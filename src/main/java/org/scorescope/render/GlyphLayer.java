package org.scorescope.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.scorescope.analysis.CriticalPoints;
import org.scorescope.field.ViewBox;
import org.scorescope.worker.SpectraResult;

/**
 * The local-Hessian glyphs: at each grid node a cross whose two arms lie along the eigenvectors of the local
 * (symmetrized) matrix, arm k of half-length 1/√|λ_k| in world units (the length over which a curvature λ
 * changes log p by about ½), clamped to [2 px, 0.45 × node spacing]; blue for λ &gt; 0, red for λ &lt; 0. One
 * small stroke per arm (cheap for the scanline rasterizer). Over them the critical points of the field (s = 0):
 * a filled triangle for a mode, a diamond with a cross for a saddle, a ring for a minimum. A legend at the top
 * left says what the arms and markers mean and lists the critical points with their eigenvalues (and the curl,
 * for a score network). Shown whenever glyphs are given.
 */
final class GlyphLayer implements Layer {
    private static final Color POSITIVE = Draw.rgba(30, 90, 200, 0.9);
    private static final Color NEGATIVE = Draw.rgba(215, 40, 35, 0.9);
    private static final BasicStroke STROKE = new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER);
    private static final BasicStroke MARKER = new BasicStroke(1.4f);
    private static final Color MODE = new Color(255, 214, 10);
    private static final Color SADDLE = new Color(255, 255, 255);
    private static final Color MINIMUM = new Color(120, 240, 255);
    private static final Font LEGEND_FONT = Draw.TICK_FONT;
    /** Critical points listed in the legend at most. */
    static final int LISTED = 18;
    private final Line2D.Double line = new Line2D.Double();
    private final Path2D.Double path = new Path2D.Double();
    private final Ellipse2D.Double ring = new Ellipse2D.Double();
    private final RoundRectangle2D.Double box = new RoundRectangle2D.Double();

    @Override
    public boolean shows(LayerContext c) {
        return c.glyphs() != null && c.glyphs().count() > 0;
    }

    @Override
    public void draw(Graphics2D g, LayerContext c) {
        SpectraResult.Glyphs glyphs = c.glyphs();
        ViewBox view = c.view();
        double w = c.width();
        double h = c.height();
        double k = view.scale(w, h);
        double[] xy = glyphs.xy();
        double[] val = glyphs.values();
        double[] vec = glyphs.vectors();
        int n = glyphs.count();
        int side = (int) Math.max(2, Math.round(Math.sqrt(n)));
        double spacing = n > 1 && Math.abs(xy[2] - xy[0]) > 0 ? Math.abs(xy[2] - xy[0]) * k : 2 * view.half() * k / side;
        double maxArm = 0.45 * spacing;
        g.setStroke(STROKE);
        for (int sign = 0; sign < 2; sign++) {
            g.setColor(sign == 0 ? POSITIVE : NEGATIVE);
            for (int i = 0; i < n; i++) {
                double sx = c.sx(xy[2 * i]);
                double sy = c.sy(xy[2 * i + 1]);
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
        CriticalPoints cp = glyphs.critical();
        if (cp != null) {
            for (CriticalPoints.Point p : cp.points()) {
                marker(g, p.type(), c.sx(p.x()), c.sy(p.y()), 6);
            }
        }
        legend(g, glyphs);
    }

    /** One critical-point marker of radius r at (x, y) px: dark outline first so it reads on any colormap. */
    private void marker(Graphics2D g, CriticalPoints.Type t, double x, double y, double r) {
        g.setStroke(MARKER);
        switch (t) {
            case MODE -> {
                path.reset();
                path.moveTo(x, y - r);
                path.lineTo(x + 0.9 * r, y + 0.6 * r);
                path.lineTo(x - 0.9 * r, y + 0.6 * r);
                path.closePath();
                g.setColor(MODE);
                g.fill(path);
                g.setColor(Color.BLACK);
                g.draw(path);
            }
            case SADDLE -> {
                path.reset();
                path.moveTo(x, y - r);
                path.lineTo(x + r, y);
                path.lineTo(x, y + r);
                path.lineTo(x - r, y);
                path.closePath();
                g.setColor(SADDLE);
                g.fill(path);
                g.setColor(Color.BLACK);
                g.draw(path);
                line.setLine(x - 0.45 * r, y - 0.45 * r, x + 0.45 * r, y + 0.45 * r);
                g.draw(line);
                line.setLine(x - 0.45 * r, y + 0.45 * r, x + 0.45 * r, y - 0.45 * r);
                g.draw(line);
            }
            default -> {
                ring.setFrame(x - 0.8 * r, y - 0.8 * r, 1.6 * r, 1.6 * r);
                g.setColor(Color.BLACK);
                g.setStroke(new BasicStroke(3.2f));
                g.draw(ring);
                g.setColor(MINIMUM);
                g.setStroke(MARKER);
                g.draw(ring);
            }
        }
    }

    /** The legend box at the top left: glyph meaning, marker key and the critical points' list. */
    private void legend(Graphics2D g, SpectraResult.Glyphs glyphs) {
        g.setFont(LEGEND_FONT);
        FontMetrics fm = g.getFontMetrics();
        List<String> rows = new ArrayList<>();
        List<CriticalPoints.Type> marks = new ArrayList<>();
        String m = glyphs.matrix() == null ? "∇²ₓ log p" : glyphs.matrix();
        rows.add("glyphs: eigenvectors of " + m + ", arm 1/√|λ|");
        marks.add(null);
        rows.add("blue λ > 0 (log p curves up), red λ < 0 (down)");
        marks.add(null);
        CriticalPoints cp = glyphs.critical();
        boolean curl = "sym ∂s/∂x".equals(m);
        if (cp != null) {
            rows.add(String.format(Locale.ROOT, "s = 0: %d mode%s, %d saddle%s, %d minim%s", cp.count(CriticalPoints.Type.MODE),
                    cp.count(CriticalPoints.Type.MODE) == 1 ? "" : "s", cp.count(CriticalPoints.Type.SADDLE),
                    cp.count(CriticalPoints.Type.SADDLE) == 1 ? "" : "s", cp.count(CriticalPoints.Type.MINIMUM),
                    cp.count(CriticalPoints.Type.MINIMUM) == 1 ? "um" : "a"));
            marks.add(null);
            int shown = 0;
            for (CriticalPoints.Point p : cp.points()) {
                if (shown++ == LISTED) {
                    rows.add("… " + (cp.points().size() - LISTED) + " more");
                    marks.add(null);
                    break;
                }
                rows.add(String.format(Locale.ROOT, "%-7s (%s, %s)  λ = %s, %s%s", p.type().label(), Fmt.num(p.x()),
                        Fmt.num(p.y()), Fmt.num(p.lambda0()), Fmt.num(p.lambda1()),
                        curl ? "  curl " + Fmt.num(p.curl()) : ""));
                marks.add(p.type());
            }
        }
        double lineH = 14;
        double widest = 0;
        for (String r : rows) {
            widest = Math.max(widest, fm.getStringBounds(r, g).getWidth());
        }
        double x0 = 8;
        double y0 = 8;
        box.setRoundRect(x0, y0, widest + 34, rows.size() * lineH + 8, 8, 8);
        g.setColor(Draw.rgba(255, 255, 255, 0.82));
        g.fill(box);
        for (int i = 0; i < rows.size(); i++) {
            double y = y0 + 4 + (i + 0.5) * lineH;
            CriticalPoints.Type t = marks.get(i);
            if (t != null) {
                marker(g, t, x0 + 12, y, 4.5);
            } else if (i == 0) {
                g.setStroke(STROKE);
                g.setColor(POSITIVE);
                line.setLine(x0 + 6, y, x0 + 18, y);
                g.draw(line);
                g.setColor(NEGATIVE);
                line.setLine(x0 + 12, y - 6, x0 + 12, y + 6);
                g.draw(line);
            }
            g.setColor(new Color(30, 30, 30));
            Draw.text(g, rows.get(i), x0 + 26, y, 0, Draw.VAlign.CENTER);
        }
    }
}
