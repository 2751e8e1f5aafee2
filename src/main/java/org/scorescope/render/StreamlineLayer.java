package org.scorescope.render;

import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import org.scorescope.analysis.Streamline;

/**
 * The score field as streamlines, each with an arrowhead at its middle pointing along s (towards higher
 * density). Shown when the field is on in streamline style and streamlines were traced.
 */
final class StreamlineLayer implements Layer {
    private static final BasicStroke STROKE = ContourLayer.STROKE;
    private static final BasicStroke HEAD = new BasicStroke(1.1f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private final Line2D.Double line = new Line2D.Double();
    private final Path2D.Double path = new Path2D.Double(Path2D.WIND_NON_ZERO, 4096);

    @Override
    public boolean shows(LayerContext c) {
        return c.streamlinesDrawn();
    }

    @Override
    public void draw(Graphics2D g, LayerContext c) {
        g.setStroke(STROKE);
        g.setColor(c.dark() ? Draw.rgba(255, 255, 255, 0.62) : Draw.rgba(120, 40, 90, 0.75));
        for (Streamline s : c.field().streamlines()) {
            int n = s.size();
            if (n < 2) {
                continue;
            }
            Draw.strokeSegments(g, c, line, s, n, false);
            int m = n / 2;
            int m2 = Math.min(n - 1, m + 1);
            double bx = c.sx(s.x(m));
            double by = c.sy(s.y(m));
            double dx = c.sx(s.x(m2)) - bx;
            double dy = c.sy(s.y(m2)) - by;
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
                g.setStroke(HEAD);
                g.draw(path);
                g.setStroke(STROKE);
            }
        }
    }
}
