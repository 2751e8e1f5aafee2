package org.scorescope.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import org.scorescope.analysis.LadderComparison;

/**
 * Ladders side by side as a picture (Java2D, headless): one column per ladder, each eigenvalue a rung at
 * log₁₀(|λ|/λmax) (so every ladder tops out at 10⁰), blue λ &gt; 0 on the left half of the column and red λ &lt; 0
 * on the right, the float64 floor P·ε dashed, the label and the span above the floor on top.
 */
public final class LadderPlot {
    private static final Color POSITIVE = new Color(43, 108, 176);
    private static final Color NEGATIVE = new Color(200, 50, 45);
    private static final Font TITLE = new Font(Draw.FONT_FAMILY, Font.BOLD, 13);
    private static final Font SMALL = new Font(Draw.FONT_FAMILY, Font.PLAIN, 11);

    private LadderPlot() {
    }

    /**
     * Draws the ladders.
     *
     * @param ladders the ladders, drawn left to right
     * @param title   a line above them
     * @param w       width in pixels
     * @param h       height in pixels
     * @return an opaque image
     */
    public static BufferedImage render(List<LadderComparison.Ladder> ladders, String title, int w, int h) {
        ViewImage.checkSize(w, h);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            double lo = -1;
            for (LadderComparison.Ladder l : ladders) {
                if (l.lambdaMax() > 0) {
                    lo = Math.min(lo, Math.floor(Math.log10(Math.max(l.noiseFloor(), 1e-300) / l.lambdaMax())) - 1);
                    for (double v : l.eigenvalues()) {
                        double a = Math.abs(v) / l.lambdaMax();
                        if (a > l.noiseFloor() / l.lambdaMax()) {
                            lo = Math.min(lo, Math.floor(Math.log10(a)));
                        }
                    }
                }
            }
            lo = Math.max(lo, -20);
            double top = 64;
            double bottom = h - 40;
            double left = 64;
            double right = w - 16;
            g.setFont(TITLE);
            g.setColor(new Color(30, 30, 30));
            Draw.text(g, title, 12, 8, 0, Draw.VAlign.TOP);
            g.setFont(SMALL);
            Line2D.Double line = new Line2D.Double();
            for (int e = (int) lo; e <= 0; e++) {
                double y = bottom - (e - lo) / (0 - lo) * (bottom - top);
                g.setColor(new Color(0, 0, 0, 20));
                line.setLine(left, y, right, y);
                g.draw(line);
                g.setColor(new Color(70, 70, 70));
                Draw.text(g, Fmt.powerOfTen(e), left - 6, y, 1, Draw.VAlign.CENTER);
            }
            Draw.text(g, "|λ| / λmax", 12, 34, 0, Draw.VAlign.TOP);
            int n = Math.max(1, ladders.size());
            double colW = (right - left) / n;
            for (int k = 0; k < ladders.size(); k++) {
                LadderComparison.Ladder l = ladders.get(k);
                double x0 = left + k * colW + 8;
                double x1 = left + (k + 1) * colW - 8;
                boolean mixed = false;
                for (double v : l.eigenvalues()) {
                    mixed |= v < 0;
                }
                double mid = mixed ? (x0 + x1) / 2 : x1;
                double perRow = l.eigenvalues().length / Math.max(1, bottom - top);
                int alpha = (int) Math.round(255 * Math.max(0.05, Math.min(0.6, 0.2 / Math.max(perRow, 1e-9))));
                g.setStroke(new BasicStroke(1f));
                for (double v : l.eigenvalues()) {
                    double a = l.lambdaMax() > 0 ? Math.abs(v) / l.lambdaMax() : 0;
                    if (a <= 0) {
                        continue;
                    }
                    double d = Math.max(lo, Math.log10(a));
                    double y = bottom - (d - lo) / (0 - lo) * (bottom - top);
                    Color c = Math.abs(v) <= l.noiseFloor() ? Color.GRAY : v > 0 ? POSITIVE : NEGATIVE;
                    g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha));
                    line.setLine(v < 0 ? mid + 2 : x0, y, v < 0 ? x1 : mid - 2, y);
                    g.draw(line);
                }
                if (l.lambdaMax() > 0 && l.noiseFloor() > 0) {
                    double yf = bottom - (Math.log10(l.noiseFloor() / l.lambdaMax()) - lo) / (0 - lo) * (bottom - top);
                    if (yf <= bottom && yf >= top) {
                        g.setColor(new Color(80, 80, 80));
                        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                                new float[] {4f, 3f}, 0f));
                        line.setLine(x0, yf, x1, yf);
                        g.draw(line);
                        g.setStroke(new BasicStroke(1f));
                        Draw.text(g, "float64 floor", x1, yf - 2, 1, Draw.VAlign.BOTTOM);
                    }
                }
                g.setColor(new Color(30, 30, 30));
                g.setFont(TITLE.deriveFont(12f));
                Draw.text(g, l.label(), (x0 + x1) / 2, top - 22, 0.5, Draw.VAlign.BOTTOM);
                g.setFont(SMALL);
                Draw.text(g, String.format(Locale.ROOT, "%s · %d λ · %.1f dec · λmax %s", l.method(),
                        l.eigenvalues().length, l.span(), Fmt.num(l.lambdaMax())), (x0 + x1) / 2, top - 6, 0.5,
                        Draw.VAlign.BOTTOM);
                if (mixed) {
                    g.setColor(NEGATIVE);
                    Draw.text(g, "λ < 0", (mid + x1) / 2, bottom + 6, 0.5, Draw.VAlign.TOP);
                }
                g.setColor(POSITIVE);
                Draw.text(g, "λ > 0", (x0 + mid) / 2, bottom + 6, 0.5, Draw.VAlign.TOP);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /**
     * Writes the ladders as a PNG and, beside it, the same name with {@code .csv} ({@link LadderComparison#writeCsv}),
     * each atomically.
     *
     * @param ladders the ladders
     * @param title   the picture's title line
     * @param png     the picture's path (ending in .png); the CSV replaces that ending
     * @return the CSV path
     * @throws java.io.IOException when writing fails
     */
    public static java.nio.file.Path export(List<LadderComparison.Ladder> ladders, String title, java.nio.file.Path png)
            throws java.io.IOException {
        String name = png.getFileName().toString();
        String base = name.toLowerCase(Locale.ROOT).endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        java.nio.file.Path csv = png.resolveSibling(base + ".csv");
        ViewImage.writePng(render(ladders, title, 300 + 260 * Math.max(1, ladders.size()), 700), png);
        org.scorescope.data.AtomicFiles.writeBytes(csv, os -> LadderComparison.writeCsv(os, ladders));
        return csv;
    }
}
