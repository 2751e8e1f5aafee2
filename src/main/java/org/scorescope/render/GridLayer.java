package org.scorescope.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import org.scorescope.field.ViewBox;

/** Grid lines at a "nice" world spacing, the axes a little stronger, and tick labels along two edges. Always on. */
final class GridLayer implements Layer {
    private static final BasicStroke HAIRLINE = new BasicStroke(1f);
    private final Line2D.Double line = new Line2D.Double();

    @Override
    public boolean shows(LayerContext c) {
        return true;
    }

    @Override
    public void draw(Graphics2D g, LayerContext c) {
        boolean dark = c.dark();
        ViewBox view = c.view();
        double w = c.width();
        double h = c.height();
        double[] vis = view.visible(w, h);
        double step = FieldRenderer.niceStep((vis[1] - vis[0]) / Math.max(2, w / 90));
        g.setStroke(HAIRLINE);
        g.setFont(Draw.TICK_FONT);
        Color lineColor = dark ? Draw.rgba(255, 255, 255, 0.10) : Draw.rgba(0, 0, 0, 0.07);
        Color axis = dark ? Draw.rgba(255, 255, 255, 0.30) : Draw.rgba(0, 0, 0, 0.30);
        Color text = dark ? Draw.rgba(255, 255, 255, 0.70) : new Color(60, 60, 60);
        for (double x = Math.ceil(vis[0] / step) * step; x <= vis[1]; x += step) {
            double sx = Math.round(view.toScreenX(x, w, h)) + 0.5;
            g.setColor(Math.abs(x) < step * 1e-6 ? axis : lineColor);
            line.setLine(sx, 0, sx, h);
            g.draw(line);
            g.setColor(text);
            Draw.text(g, FieldRenderer.tick(x, step), sx, h - 3, 0.5, Draw.VAlign.BOTTOM);
        }
        for (double y = Math.ceil(vis[2] / step) * step; y <= vis[3]; y += step) {
            double sy = Math.round(view.toScreenY(y, w, h)) + 0.5;
            g.setColor(Math.abs(y) < step * 1e-6 ? axis : lineColor);
            line.setLine(0, sy, w, sy);
            g.draw(line);
            if (sy > 12 && sy < h - 18) {
                g.setColor(text);
                Draw.text(g, FieldRenderer.tick(y, step), 4, sy, 0, Draw.VAlign.CENTER);
            }
        }
    }
}
