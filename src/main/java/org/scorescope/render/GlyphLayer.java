package org.scorescope.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import org.scorescope.field.ViewBox;
import org.scorescope.worker.SpectraResult;

/**
 * The local-Hessian glyphs: at each grid node a cross whose two arms lie along the eigenvectors of the local
 * (symmetrized) matrix, arm k of half-length 1/√|λ_k| in world units (the length over which a curvature λ
 * changes log p by about ½), clamped to [2 px, 0.45 × node spacing]; blue for λ &gt; 0, red for λ &lt; 0. One
 * small stroke per arm (cheap for the scanline rasterizer). Shown whenever glyphs are given.
 */
final class GlyphLayer implements Layer {
    private static final Color POSITIVE = Draw.rgba(30, 90, 200, 0.9);
    private static final Color NEGATIVE = Draw.rgba(215, 40, 35, 0.9);
    private static final BasicStroke STROKE = new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER);
    private final Line2D.Double line = new Line2D.Double();

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
    }
}
