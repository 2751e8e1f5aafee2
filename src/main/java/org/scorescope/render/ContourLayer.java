package org.scorescope.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.RoundRectangle2D;
import java.util.List;
import org.scorescope.analysis.ContourLine;

/**
 * Contours of the model's log density with level labels on lines long enough to carry one, each on a small
 * plate in the background colour, rotated along the line and kept apart from the others.
 */
final class ContourLayer implements Layer {
    /** Butt caps: see {@link TrueContourLayer}. */
    static final BasicStroke STROKE = new BasicStroke(1.1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND);
    static final double LABEL_ANGLE_STEP_DEGREES = 3;
    private static final Font LABEL_FONT = new Font(Draw.FONT_FAMILY, Font.BOLD, 1).deriveFont(10f);
    private static final int MAX_LABELS = 256;
    private static final double LABEL_GAP = 40;
    private final double[] labelX = new double[MAX_LABELS];
    private final double[] labelY = new double[MAX_LABELS];
    private final Line2D.Double line = new Line2D.Double();
    private final RoundRectangle2D.Double round = new RoundRectangle2D.Double();

    @Override
    public boolean shows(LayerContext c) {
        return c.field() != null && c.has(ViewLayers.Switch.CONTOURS);
    }

    @Override
    public void draw(Graphics2D g, LayerContext c) {
        boolean dark = c.dark();
        List<ContourLine> lines = c.field().contours();
        g.setColor(dark ? Draw.rgba(255, 255, 255, 0.75) : Draw.rgba(30, 60, 110, 0.8));
        g.setStroke(STROKE);
        for (ContourLine l : lines) {
            int n = l.size();
            if (n >= 2) {
                Draw.strokeSegments(g, c, line, l, n, l.closed());
            }
        }
        double w = c.width();
        double h = c.height();
        g.setFont(LABEL_FONT);
        double k = c.view().scale(w, h);
        Color plate = dark ? Draw.rgba(20, 20, 40, 0.6) : Draw.rgba(255, 255, 255, 0.85);
        Color ink = dark ? Color.WHITE : new Color(30, 60, 110);
        AffineTransform saved = g.getTransform();
        int placed = 0;
        for (ContourLine l : lines) {
            if (l.length() * k < 70) {
                continue;
            }
            double sx = c.sx(l.anchorX());
            double sy = c.sy(l.anchorY());
            if (sx < 10 || sy < 10 || sx > w - 10 || sy > h - 10 || crowded(sx, sy, placed)) {
                continue;
            }
            if (placed < MAX_LABELS) {
                labelX[placed] = sx;
                labelY[placed++] = sy;
            }
            String label = Draw.level(l.level());
            g.translate(sx, sy);
            g.rotate(-labelAngle(l.anchorAngle()));
            double tw = g.getFontMetrics().stringWidth(label) + 6;
            g.setColor(plate);
            round.setRoundRect(-tw / 2, -7, tw, 14, 6, 6);
            g.fill(round);
            g.setColor(ink);
            Draw.text(g, label, 0, 0, 0.5, Draw.VAlign.CENTER);
            g.setTransform(saved);
        }
    }

    /**
     * The label's rotation, rounded to {@value #LABEL_ANGLE_STEP_DEGREES}°: Java2D caches one glyph strike per
     * font and rotation, softly referenced, so labels on contours that move every frame would otherwise add a
     * strike per frame and let a large heap grow for as long as training runs.
     */
    static double labelAngle(double radians) {
        double step = Math.toRadians(LABEL_ANGLE_STEP_DEGREES);
        return step * Math.rint(radians / step);
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
}
