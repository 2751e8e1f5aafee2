package org.scorescope.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import org.scorescope.field.Colormap;
import org.scorescope.field.FieldFrame;
import org.scorescope.field.FieldRequest;

/**
 * Score arrows on the field's arrow lattice, centred on their anchors (the field reads as a flow through each
 * cell), length ∝ |s| up to a full cell at the reference magnitude. The model's arrows are coloured by |s| on a
 * log ramp and carry barbs; the true score's ({@link #truth()}) are faint shafts drawn beneath them. Shown when
 * the field is on and not drawn as streamlines.
 */
final class ArrowLayer implements Layer {
    private static final BasicStroke TRUE_ARROW = new BasicStroke(1.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER);
    private static final BasicStroke ARROW = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER);
    private static final int RAMP = 32;
    private static final Color[] ON_DARK = new Color[RAMP];
    private static final Color[] ON_LIGHT = new Color[RAMP];

    static {
        for (int i = 0; i < RAMP; i++) {
            double t = i / (RAMP - 1.0);
            // Pale to warm over dark heat maps; magma's mid range over white.
            ON_DARK[i] = Draw.rgba((int) (225 + 30 * t), (int) (235 - 110 * t), (int) (240 - 200 * t), 0.55 + 0.4 * t);
            double[] c = Colormap.MAGMA.rgb(0.1 + 0.7 * t);
            ON_LIGHT[i] = new Color((float) c[0], (float) c[1], (float) c[2], (float) (0.6 + 0.35 * t));
        }
    }

    private final boolean truth;
    private final Line2D.Double line = new Line2D.Double();

    private ArrowLayer(boolean truth) {
        this.truth = truth;
    }

    /** @return the model's score arrows */
    static ArrowLayer model() {
        return new ArrowLayer(false);
    }

    /** @return the true score's arrows, where known and truth is switched on */
    static ArrowLayer truth() {
        return new ArrowLayer(true);
    }

    @Override
    public String name() {
        return truth ? "TrueArrowLayer" : "ArrowLayer";
    }

    @Override
    public boolean shows(LayerContext c) {
        if (c.field() == null || !c.has(ViewLayers.Switch.FIELD) || c.streamlinesDrawn()) {
            return false;
        }
        return !truth || (c.has(ViewLayers.Switch.TRUTH) && c.hasTruth() && c.field().trueArrowScore() != null);
    }

    @Override
    public void draw(Graphics2D g, LayerContext c) {
        FieldFrame field = c.field();
        double[] score = truth ? field.trueArrowScore() : field.arrowScore();
        boolean dark = c.dark();
        double w = c.width();
        double h = c.height();
        FieldRequest r = field.request();
        int ax = Math.max(2, (int) Math.round(r.pixelWidth() / r.arrowSpacing()));
        double cellWorld = (r.xmax() - r.xmin()) / ax;
        double cellPx = cellWorld * c.view().scale(w, h);
        double ref = field.arrowRef();
        double max = Math.max(ref, field.arrowMax());
        double[] xy = field.arrowXY();
        g.setStroke(truth ? TRUE_ARROW : ARROW);
        Color[] ramp = dark ? ON_DARK : ON_LIGHT;
        g.setColor(truth ? (dark ? Draw.rgba(255, 255, 255, 0.28) : Draw.rgba(0, 0, 0, 0.22)) : ramp[0]);
        // Shaft and barbs as separate butt-capped segments: Java2D draws each as an antialiased
        // parallelogram, much cheaper than stroking a path.
        for (int i = 0; i < xy.length; i += 2) {
            double sx = score[i];
            double sy = score[i + 1];
            double m = Math.hypot(sx, sy);
            if (!(m > 0)) {
                continue;
            }
            double px = c.sx(xy[i]);
            double py = c.sy(xy[i + 1]);
            if (px < -cellPx || py < -cellPx || px > w + cellPx || py > h + cellPx) {
                continue;
            }
            double len = Math.max(1, 0.85 * cellPx * Math.min(1, m / ref));
            double ux = sx / m;
            double uy = -sy / m;
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
                double cs = 0.883;
                double sn = 0.469;
                line.setLine(x1 + cs * hx - sn * hy, y1 + sn * hx + cs * hy, x1, y1);
                g.draw(line);
                line.setLine(x1 + cs * hx + sn * hy, y1 - sn * hx + cs * hy, x1, y1);
                g.draw(line);
            }
        }
    }

    /** Colour bucket of a magnitude: log scale relative to the largest, so slow and fast regions both read. */
    private static int bucket(double m, double max) {
        double t = Math.log1p(9 * m / max) / Math.log(10);
        return (int) Math.round(Math.max(0, Math.min(1, t)) * (RAMP - 1));
    }
}
