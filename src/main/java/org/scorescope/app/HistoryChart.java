package org.scorescope.app;

import java.util.Locale;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.shape.StrokeLineJoin;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;
import org.scorescope.render.FieldRenderer;
import org.scorescope.render.Fmt;
import org.scorescope.worker.Decimator;

/**
 * A small line chart of one training history on a Canvas, with a log₁₀ y axis (ticks labelled 10ᵏ)
 * when every value is positive and a linear one otherwise. It draws a pre-decimated
 * {@link Decimator.Line}, so its cost does not grow with the number of steps; it replaces the data
 * wholesale, never one point per step.
 */
public class HistoryChart extends ResizableCanvas {
    private static final double LEFT = 52;
    private static final double RIGHT = 10;
    private static final double TOP = 22;
    private static final double BOTTOM = 20;
    private static final String SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    private String title = "";
    private Color color = Color.rgb(43, 108, 176);
    private Decimator.Line line = new Decimator.Line(new double[0], new double[0]);
    private boolean allowLog = true;
    private boolean logScale;
    private String note = "";
    private double[] xs = new double[64];
    private double[] ys = new double[64];

    /** Creates an empty chart; the layout gives it its size. */
    public HistoryChart() {
        super(300, 160);
    }

    /** @param t the title drawn at the top left */
    public void setTitle(String t) {
        title = t;
        redraw();
    }

    /** @param c the line colour */
    public void setColor(Color c) {
        color = c;
    }

    /** @param allow whether a log axis may be used (when all values are positive) */
    public void setAllowLog(boolean allow) {
        allowLog = allow;
    }

    /**
     * Replaces the data and redraws.
     *
     * @param l    the decimated history
     * @param text a note drawn at the top right (e.g. the latest value), may be empty
     */
    public void setData(Decimator.Line l, String text) {
        line = l;
        note = text;
        redraw();
    }

    /** @return whether the y axis is logarithmic now */
    public boolean isLogScale() {
        return logScale;
    }

    /** @return the number of points drawn */
    public int pointCount() {
        return line.size();
    }

    @Override
    public void draw() {
        GraphicsContext g = getGraphicsContext2D();
        double w = getWidth();
        double h = getHeight();
        g.setFill(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setFill(Color.rgb(40, 40, 40));
        g.setTextBaseline(VPos.TOP);
        Font noteFont = Font.font(11);
        g.setFont(noteFont);
        g.setTextAlign(TextAlignment.RIGHT);
        g.fillText(note, w - RIGHT, 4);
        // The value on the right wins the room; the title gives way (shortened with an ellipsis).
        Font titleFont = Font.font(null, FontWeight.BOLD, 11.5);
        g.setFont(titleFont);
        g.setTextAlign(TextAlignment.LEFT);
        double room = w - RIGHT - width(note, noteFont) - 16;
        g.fillText(fit(title + (line.size() > 0 && logScale ? "  (log scale)" : ""), titleFont, room), 8, 4);
        double pw = w - LEFT - RIGHT;
        double ph = h - TOP - BOTTOM;
        if (pw < 10 || ph < 10) {
            return;
        }
        int n = line.size();
        if (n == 0) {
            g.setFill(Color.rgb(140, 140, 140));
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.CENTER);
            g.fillText("no data yet", LEFT + pw / 2, TOP + ph / 2);
            return;
        }
        double[] x = line.x();
        double[] y = line.y();
        boolean positive = allowLog;
        for (int i = 0; i < n && positive; i++) {
            positive = y[i] > 0;
        }
        logScale = positive;
        double x0 = x[0];
        double x1 = Math.max(x[n - 1], x0 + 1);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double v = logScale ? Math.log10(y[i]) : y[i];
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (hi - lo < 1e-12) {
            double pad = logScale ? 0.5 : Math.max(1e-6, Math.abs(hi) * 0.05 + 1e-6);
            lo -= pad;
            hi += pad;
        } else {
            double pad = 0.05 * (hi - lo);
            lo -= pad;
            hi += pad;
        }
        // Axes and ticks.
        g.setStroke(Color.rgb(0, 0, 0, 0.08));
        g.setLineWidth(1);
        g.setFill(Color.rgb(80, 80, 80));
        g.setFont(Font.font(10));
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        if (logScale) {
            drawLogTicks(g, lo, hi, ph, pw);
        } else {
            double ystep = FieldRenderer.niceStep((hi - lo) / 4);
            for (double v = Math.ceil(lo / ystep) * ystep; v <= hi; v += ystep) {
                double sy = TOP + (hi - v) / (hi - lo) * ph;
                g.strokeLine(LEFT, Math.round(sy) + 0.5, LEFT + pw, Math.round(sy) + 0.5);
                g.fillText(FieldRenderer.tick(v, ystep), LEFT - 5, sy);
            }
        }
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.TOP);
        double xstep = FieldRenderer.niceStep((x1 - x0) / Math.max(2, pw / 80));
        for (double v = Math.ceil(x0 / xstep) * xstep; v <= x1; v += xstep) {
            double sx = LEFT + (v - x0) / (x1 - x0) * pw;
            g.strokeLine(Math.round(sx) + 0.5, TOP, Math.round(sx) + 0.5, TOP + ph);
            g.fillText(compact(v), sx, TOP + ph + 3);
        }
        g.setStroke(Color.rgb(0, 0, 0, 0.35));
        g.strokeLine(LEFT + 0.5, TOP, LEFT + 0.5, TOP + ph);
        g.strokeLine(LEFT, TOP + ph + 0.5, LEFT + pw, TOP + ph + 0.5);
        if (xs.length < n) {
            xs = new double[2 * n];
            ys = new double[2 * n];
        }
        for (int i = 0; i < n; i++) {
            double v = logScale ? Math.log10(y[i]) : y[i];
            xs[i] = LEFT + (x[i] - x0) / (x1 - x0) * pw;
            ys[i] = TOP + (hi - v) / (hi - lo) * ph;
        }
        g.setStroke(color);
        g.setLineWidth(1.5);
        g.setLineJoin(StrokeLineJoin.ROUND);
        g.strokePolyline(xs, ys, n);
    }

    /**
     * Ticks of a log₁₀ axis over [lo, hi] (in decades): powers of ten, and when the range is short,
     * also 2 and 5 (or every digit) times a power of ten, so that at least two ticks show.
     */
    private static void drawLogTicks(GraphicsContext g, double lo, double hi, double ph, double pw) {
        int[][] mantissas = {{1}, {1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}};
        int e0 = (int) Math.floor(lo);
        int e1 = (int) Math.ceil(hi);
        int stride = Math.max(1, (int) Math.ceil((hi - lo) / 5));
        for (int[] ms : mantissas) {
            int count = 0;
            for (int e = e0; e <= e1; e++) {
                for (int m : ms) {
                    double v = e + Math.log10(m);
                    count += v >= lo && v <= hi ? 1 : 0;
                }
            }
            if (count < 2 && ms.length < 9) {
                continue;
            }
            for (int e = e0; e <= e1; e++) {
                if (ms.length == 1 && Math.floorMod(e, stride) != 0) {
                    continue;
                }
                for (int m : ms) {
                    double v = e + Math.log10(m);
                    if (v >= lo && v <= hi) {
                        double sy = TOP + (hi - v) / (hi - lo) * ph;
                        g.strokeLine(LEFT, Math.round(sy) + 0.5, LEFT + pw, Math.round(sy) + 0.5);
                        g.fillText(logLabel(m, e), LEFT - 5, sy);
                    }
                }
            }
            return;
        }
    }

    /** @return the text, shortened with an ellipsis until it fits {@code room} pixels */
    static String fit(String text, Font font, double room) {
        String t = text;
        while (t.length() > 1 && width(t, font) > room - 8) {
            t = t.substring(0, t.length() - 2) + "…";
        }
        return t;
    }

    private static double width(String text, Font font) {
        Text t = new Text(text);
        t.setFont(font);
        return t.getLayoutBounds().getWidth();
    }

    /** @return m·10ᵉ as a plain number when that is short, e.g. "0.5", "20", else "5·10⁻⁴" */
    static String logLabel(int m, int e) {
        if (e >= -2 && e <= 3) {
            double v = m * Math.pow(10, e);
            return e >= 0 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%." + (-e) + "f", v);
        }
        return m == 1 ? pow10(e) : m + "·" + pow10(e);
    }

    /**
     * @param e exponent
     * @return "10" followed by the exponent in superscript digits, e.g. 10⁻³
     */
    static String pow10(int e) {
        if (e == 0) {
            return "1";
        }
        if (e == 1) {
            return "10";
        }
        StringBuilder sb = new StringBuilder("10");
        if (e < 0) {
            sb.append('⁻');
        }
        for (char c : Integer.toString(Math.abs(e)).toCharArray()) {
            sb.append(SUPERSCRIPTS.charAt(c - '0'));
        }
        return sb.toString();
    }

    private static String compact(double v) {
        double a = Math.abs(v);
        if (a >= 1e4) {
            return String.format(Locale.ROOT, "%.0fk", v / 1000);
        }
        if (a >= 100 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f", v).replace('-', '−');
        }
        return Fmt.num(v).replace('-', '−');
    }
}
