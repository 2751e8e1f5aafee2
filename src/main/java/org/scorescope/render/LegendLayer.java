package org.scorescope.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.util.Locale;
import org.scorescope.field.Colormap;
import org.scorescope.field.FieldFrame;
import org.scorescope.worker.DirectionFrames;
import org.scorescope.worker.FrameData;

/**
 * The colour bar of log p (over the heat map) at the top right, and notes at the bottom right saying what the
 * other layers show: the arrow scale, where log p comes from, which lines are the truth, how many samples.
 */
final class LegendLayer implements Layer {
    private static final Font BAR_TITLE_FONT = new Font(Draw.FONT_FAMILY, Font.BOLD, 1).deriveFont(10.5f);
    private static final Font BAR_FONT = new Font(Draw.FONT_FAMILY, Font.PLAIN, 1).deriveFont(10f);
    private static final Font NOTE_FONT = Draw.TICK_FONT;
    private static final BasicStroke HAIRLINE = new BasicStroke(1f);
    /** A mode mass this far from the truth's gets the note on why score matching cannot see it. */
    private static final double MODE_MASS_TOLERANCE = 0.05;
    private final Line2D.Double line = new Line2D.Double();
    private final Rectangle2D.Double rect = new Rectangle2D.Double();
    private final RoundRectangle2D.Double round = new RoundRectangle2D.Double();

    @Override
    public boolean shows(LayerContext c) {
        return c.field() != null && c.has(ViewLayers.Switch.LEGEND);
    }

    @Override
    public void draw(Graphics2D g, LayerContext c) {
        FieldFrame field = c.field();
        boolean dark = c.dark();
        double w = c.width();
        double h = c.height();
        if (dark) {
            drawBar(g, field, w, h);
        }
        String note = note(c);
        if (note.isEmpty()) {
            return;
        }
        g.setFont(NOTE_FONT);
        FontMetrics fm = g.getFontMetrics();
        String[] rows = note.split("\n");
        double lineH = 13.5;
        double widest = 0;
        for (String row : rows) {
            widest = Math.max(widest, fm.getStringBounds(row, g).getWidth());
        }
        double boxH = rows.length * lineH + 8;
        double boxW = Math.min(w - 20, widest + 12);
        g.setColor(dark ? Draw.rgba(0, 0, 0, 0.45) : Draw.rgba(255, 255, 255, 0.8));
        round.setRoundRect(w - boxW - 8, h - boxH - 22, boxW, boxH, 8, 8);
        g.fill(round);
        g.setColor(dark ? Draw.rgba(255, 255, 255, 0.9) : new Color(40, 40, 40));
        for (int i = 0; i < rows.length; i++) {
            double by = h - 26 - (rows.length - 1 - i) * lineH;
            Draw.text(g, rows[i], w - 14, by, 1, Draw.VAlign.BOTTOM);
        }
    }

    private void drawBar(Graphics2D g, FieldFrame field, double w, double h) {
        double barW = 12;
        double barH = Math.min(220, h * 0.45);
        double x = w - barW - 46;
        double y = 28;
        Colormap cmap = field.request().colormap();
        g.setColor(Draw.rgba(0, 0, 0, 0.35));
        round.setRoundRect(x - 8, y - 22, barW + 54, barH + 34, 8, 8);
        g.fill(round);
        int steps = (int) Math.max(2, barH);
        for (int i = 0; i < steps; i++) {
            double t = 1 - i / (steps - 1.0);
            g.setColor(new Color(cmap.argb(t)));
            rect.setRect(x, y + i * barH / steps, barW, barH / steps + 1);
            g.fill(rect);
        }
        g.setColor(Draw.rgba(255, 255, 255, 0.6));
        g.setStroke(HAIRLINE);
        rect.setRect(x + 0.5, y + 0.5, barW, barH);
        g.draw(rect);
        g.setFont(BAR_TITLE_FONT);
        g.setColor(Color.WHITE);
        boolean error = field.noise() != null && field.noise().showsError();
        Draw.text(g, error ? "log₁₀ err²" : "log p", x - 2, y - 5, 0, Draw.VAlign.BOTTOM);
        g.setFont(BAR_FONT);
        double top = error ? field.noise().errorTop() : field.top();
        double bottom = error ? field.noise().errorBottom() : field.bottom();
        double step = FieldRenderer.niceStep((top - bottom) / 5);
        for (double v = Math.ceil(bottom / step) * step; v <= top + 1e-9; v += step) {
            double ty = y + (top - v) / (top - bottom) * barH;
            line.setLine(x + barW, ty, x + barW + 3, ty);
            g.draw(line);
            Draw.text(g, Draw.level(v), x + barW + 5, ty, 0, Draw.VAlign.CENTER);
        }
    }

    /** @return the notes, one per line, or "" */
    private static String note(LayerContext c) {
        FieldFrame field = c.field();
        FrameData f = c.frame();
        boolean arrows = c.has(ViewLayers.Switch.FIELD) && !c.has(ViewLayers.Switch.STREAMLINES);
        StringBuilder note = new StringBuilder();
        FieldFrame.Noise noise = field.noise();
        if (noise != null) {
            note.append(String.format(Locale.ROOT, "noise level t = %s, σ(t) = %s: s_θ(x, t)%s%s\n", Fmt.num(noise.time()),
                    Fmt.num(noise.sigma()), noise.reference() == null ? "" : " vs p_t (" + noise.reference() + ")",
                    noise.showsError() ? "; heat map: ‖s_θ − ∇log p_t‖²" : ""));
            note.setLength(note.length() - 1);
        }
        if (arrows) {
            note.append(note.length() > 0 ? "\n" : "").append(String.format(Locale.ROOT, "full-cell arrow: |s| ≥ %s, max |s| = %s",
                    Fmt.num(field.arrowRef()), Fmt.num(field.arrowMax())));
        }
        if (c.has(ViewLayers.Switch.CONTOURS) || c.has(ViewLayers.Switch.DENSITY)) {
            if (note.length() > 0) {
                note.append('\n');
            }
            note.append("log p: ").append(field.densitySource());
        }
        if (c.has(ViewLayers.Switch.TRUTH) && c.hasTruth()
                && (c.has(ViewLayers.Switch.CONTOURS) || c.has(ViewLayers.Switch.FIELD))) {
            String lines = c.dark() ? (field.request().colormap() == Colormap.MAGMA ? "cyan" : "pink") : "magenta";
            String what = noise == null ? "true" : f.hasTruth() ? "true p_t's" : "the KDE's p_t";
            note.append(arrows ? "\nfaint arrows, " + lines + " lines: " + what + " score and density"
                    : "\n" + lines + " lines: " + what + " density");
        }
        FieldFrame.ModeMass modes = field.modes();
        if (modes != null && modes.model().length > 1 && (c.has(ViewLayers.Switch.CONTOURS)
                || c.has(ViewLayers.Switch.DENSITY))) {
            note.append("\nmass by mode, model / true:");
            for (int k = 0; k < modes.model().length; k++) {
                note.append(String.format(Locale.ROOT, "%s %.2f / %.2f", k == 0 ? "" : ",", modes.model()[k],
                        modes.truth()[k]));
            }
            if (modes.largestError() > MODE_MASS_TOLERANCE) {
                note.append("\nthe score between separated modes says nothing of their weights");
            }
        }
        if (f.message().startsWith(DirectionFrames.NOTE_PREFIX)) {
            note.append(note.length() > 0 ? "\n" : "").append(f.message().split("; ")[0]);
        }
        if (c.has(ViewLayers.Switch.SAMPLES) && f.samples().length > 0) {
            note.append(String.format(Locale.ROOT, "\n● %d Langevin samples", f.samples().length / 2));
        }
        return note.toString();
    }
}
