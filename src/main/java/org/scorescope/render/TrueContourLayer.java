package org.scorescope.render;

import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import org.scorescope.analysis.ContourLine;

/** Contours of the true log density, thin and unlabelled, under the model's: shown with contours and truth. */
final class TrueContourLayer implements Layer {
    // Butt caps: lines are stroked one segment at a time, and overlapping round caps of translucent segments
    // would show as beads at every joint.
    private static final BasicStroke STROKE = new BasicStroke(0.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND);
    private final Line2D.Double line = new Line2D.Double();

    @Override
    public boolean shows(LayerContext c) {
        return c.field() != null && c.has(ViewLayers.Switch.CONTOURS) && c.has(ViewLayers.Switch.TRUTH)
                && c.hasTruth();
    }

    @Override
    public void draw(Graphics2D g, LayerContext c) {
        g.setColor(c.dark() ? c.truthColor() : Draw.rgba(200, 30, 120, 0.75));
        g.setStroke(STROKE);
        for (ContourLine l : c.field().trueContours()) {
            int n = l.size();
            if (n >= 2) {
                Draw.strokeSegments(g, c, line, l, n, l.closed());
            }
        }
    }
}
