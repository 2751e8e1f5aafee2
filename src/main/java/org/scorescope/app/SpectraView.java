package org.scorescope.app;

import java.util.List;
import java.util.Locale;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;
import org.scorescope.analysis.LocalHessians;
import org.scorescope.render.Fmt;
import org.scorescope.worker.SpectraResult;

/**
 * The Spectra tab's drawing, one Canvas with four panels left to right:
 * <ol>
 *   <li>the parameter-curvature ladders: the selected matrix (Hessian or Gauss–Newton) and its companion side by
 *       side, each eigenvalue λ a short horizontal line at y = log10|λ| (blue λ &gt; 0 left, red λ &lt; 0 right,
 *       translucent by crowding), the float64 floor P·ε·max|λ| dashed, the span above it; while all P eigenvalues
 *       are computed the Lanczos ends are drawn over the last complete spectrum (grey); an SLQ density as bars
 *       where P is too large for all P; a click picks the nearest rung, any rung where all P eigenvalues are known
 *       ({@link #rungAt});</li>
 *   <li>the ladder history: x = training step, y = log10|λ|, one column of dots per computation (dots
 *       merged per pixel row, so the cost is bounded by the panel height, not P);</li>
 *   <li>the loss along the top eigenvector u: L(θ + α·u) against α, with the quadratic L(θ) + ½λ_max·α²
 *       dashed for comparison (it omits the gradient term α·∇Lᵀu, small near a minimum);</li>
 *   <li>the local spectrum: histogram of log10|λ| of the local Hessians over the evaluation points.</li>
 * </ol>
 * Redrawn only when a new result arrives or the size changes.
 */
public class SpectraView extends ResizableCanvas {
    private static final Color POSITIVE = Color.rgb(43, 108, 176);
    private static final Color NEGATIVE = Color.rgb(200, 50, 45);
    private static final Color NOISE = Color.rgb(150, 150, 150);
    private static final double PAD_LEFT = 40;
    private static final double TOP = 34;
    private static final double BOTTOM = 20;
    private static final double EPS = 2.220446049250313e-16;

    private SpectraResult result;
    private List<SpectraResult> history = List.of();
    private SpectraResult.Ladder olderFull;
    private long olderFullStep = -1;
    /** Geometry of the ladder columns drawn last, for clicks: x0, x1, top, bottom, range lo, range hi per column. */
    private final double[][] columns = new double[2][];
    private final SpectraResult.Ladder[] columnLadders = new SpectraResult.Ladder[2];
    /** The rung picked for the inspector (its eigenvalue), NaN for none, and its ladder's curvature. */
    private double picked = Double.NaN;
    private SpectraResult.Curvature pickedCurvature;

    /** Creates an empty view; the layout gives it its size. */
    public SpectraView() {
        super(800, 160);
    }

    /**
     * Shows a result and the history it belongs to, and redraws.
     *
     * @param current the newest result, or null
     * @param past    the ladder history, oldest first (not copied: read during this call only)
     */
    public void setData(SpectraResult current, List<SpectraResult> past) {
        setData(current, past, null, -1);
    }

    /**
     * Shows a result, its history and an older complete Hessian spectrum drawn faintly behind newer Lanczos ends.
     *
     * @param current   the newest result, or null
     * @param past      the ladder history, oldest first
     * @param older     all P Hessian eigenvalues of an earlier step, or null
     * @param olderStep that step
     */
    public void setData(SpectraResult current, List<SpectraResult> past, SpectraResult.Ladder older, long olderStep) {
        result = current;
        history = past == null ? List.of() : List.copyOf(past);
        olderFull = older;
        olderFullStep = olderStep;
        redraw();
    }

    /**
     * The rung under a point of the ladder panel: on a ladder with all P eigenvectors on demand the nearest of all its
     * eigenvalues on the log₁₀|λ| scale (on the side of the sign under the pointer), else the nearest eigenvalue that
     * has a stored eigenvector.
     *
     * @param x view x
     * @param y view y
     * @return {eigenvalue, column (0 selected, 1 companion), index in the ladder's eigenvalues or −1 for a stored
     *         vector}, or null when the point is not on a ladder column
     */
    public double[] rungAt(double x, double y) {
        for (int k = 0; k < 2; k++) {
            double[] col = columns[k];
            SpectraResult.Ladder l = columnLadders[k];
            boolean all = l != null && l.source() != null && l.eigenvalues().length > 0;
            if (col == null || l == null || !all && (l.vectors() == null || l.vectors().count() == 0) || x < col[0]
                    || x > col[1] || y < col[2] - 6 || y > col[3] + 6) {
                continue;
            }
            double decade = col[4] + (col[3] - y) / (col[3] - col[2]) * (col[5] - col[4]);
            double mid = (col[0] + col[1]) / 2;
            double sign = x > mid + 1 && l.negatives() > 0 ? -1 : 1;
            if (all) {
                double[] ev = l.eigenvalues();
                // exact zeros (Gauss–Newton beyond its rank) are drawn on the bottom line, which no log|λ| reaches
                int zero = sign > 0 && y >= col[3] - 1 ? java.util.Arrays.binarySearch(ev, 0.0) : -1;
                int best = zero >= 0 ? zero : SpectraResult.nearestOnLogScale(ev, sign * Math.pow(10, decade));
                return new double[] {ev[best], k, best};
            }
            SpectraResult.Vectors vs = l.vectors();
            int best = vs.nearest(sign * Math.pow(10, decade));
            return best < 0 ? null : new double[] {vs.values()[best], k, -1};
        }
        return null;
    }

    /**
     * Marks a rung as picked (drawn highlighted), or none.
     *
     * @param lambda    its eigenvalue, NaN for none
     * @param curvature its ladder's matrix
     */
    public void setPicked(double lambda, SpectraResult.Curvature curvature) {
        picked = lambda;
        pickedCurvature = curvature;
        redraw();
    }

    /** @return the result shown, or null */
    public SpectraResult result() {
        return result;
    }

    /** Redraws all panels. */
    @Override
    public void draw() {
        GraphicsContext g = getGraphicsContext2D();
        double w = getWidth();
        double h = getHeight();
        g.setFill(Color.WHITE);
        g.fillRect(0, 0, w, h);
        if (w < 40 || h < 60) {
            return;
        }
        double[] split = {0, 0.3, 0.54, 0.78, 1.0};
        String[] titles = {"Parameter curvature ladders log₁₀|λ| (click a rung)", "Ladder over training",
            "Loss along top eigenvector", "Local Hessian spectrum"};
        for (int k = 0; k < 4; k++) {
            double x0 = split[k] * w;
            double x1 = split[k + 1] * w;
            g.setFont(Font.font(null, FontWeight.BOLD, 11.5));
            g.setFill(Color.rgb(40, 40, 40));
            g.setTextAlign(TextAlignment.LEFT);
            g.setTextBaseline(VPos.TOP);
            g.fillText(titles[k], x0 + 8, 4, x1 - x0 - 12);
            if (k > 0) {
                g.setStroke(Color.rgb(0, 0, 0, 0.12));
                g.setLineWidth(1);
                g.strokeLine(Math.floor(x0) + 0.5, 0, Math.floor(x0) + 0.5, h);
            }
        }
        g.setFont(Font.font(10.5));
        g.setFill(Color.rgb(90, 90, 90));
        if (result == null) {
            g.setTextAlign(TextAlignment.CENTER);
            g.fillText("no spectra yet", w / 2, h / 2);
            return;
        }
        if (!result.ok()) {
            g.setTextAlign(TextAlignment.LEFT);
            g.fillText(result.error(), 8, 20, w - 16);
            return;
        }
        double[] range = decades(result.eigenvalues());
        if (result.companion() != null) {
            double[] rc = decades(result.companion().eigenvalues());
            range[0] = Math.min(range[0], rc[0]);
            range[1] = Math.max(range[1], rc[1]);
        }
        for (SpectraResult r : history) {
            double[] rr = decades(sameCurvature(r).eigenvalues());
            range[0] = Math.min(range[0], rr[0]);
            range[1] = Math.max(range[1], rr[1]);
        }
        drawLadder(g, split[0] * w, split[1] * w, h, range);
        drawHistory(g, split[1] * w, split[2] * w, h, range);
        drawSlice(g, split[2] * w, split[3] * w, h);
        drawLocal(g, split[3] * w, split[4] * w, h);
    }

    /** A past result's ladder of the curvature shown now (each result holds both when it has a companion). */
    private SpectraResult.Ladder sameCurvature(SpectraResult r) {
        if (result != null && r.curvature() != result.curvature() && r.companion() != null) {
            return r.companion();
        }
        return r.ladder();
    }

    /** [floor, ceil] of log10|λ| over the magnitudes above the rounding floor P·ε·max|λ|. */
    private static double[] decades(double[] values) {
        double max = 0;
        for (double v : values) {
            max = Math.max(max, Math.abs(v));
        }
        if (max == 0) {
            return new double[] {-1, 0};
        }
        double cut = noiseFloor(values, max);
        double lo = Double.POSITIVE_INFINITY;
        for (double v : values) {
            if (Math.abs(v) > cut) {
                lo = Math.min(lo, Math.log10(Math.abs(v)));
            }
        }
        // down to the floor when some eigenvalues reach it, so the floor line is on the axis
        for (double v : values) {
            if (Math.abs(v) <= cut && v != 0) {
                lo = Math.min(lo, Math.log10(cut) - 0.5);
                break;
            }
        }
        double hi = Math.ceil(Math.log10(max));
        return new double[] {Math.min(Math.floor(lo), hi - 1), hi};
    }

    private static double noiseFloor(double[] values, double max) {
        return Math.max(values.length, 1) * EPS * max;
    }

    private static double yOf(double decade, double[] range, double top, double bottom) {
        return bottom - (decade - range[0]) / (range[1] - range[0]) * (bottom - top);
    }

    /** Tick labels 10ᵏ on the left of a panel, with faint grid lines. */
    private static void decadeAxis(GraphicsContext g, double x0, double x1, double top, double bottom, double[] range) {
        int step = (int) Math.max(1, Math.ceil((range[1] - range[0]) / Math.max(1, (bottom - top) / 18)));
        g.setFont(Font.font(10));
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        for (int e = (int) range[0]; e <= range[1]; e += step) {
            double y = Math.round(yOf(e, range, top, bottom)) + 0.5;
            g.setStroke(Color.rgb(0, 0, 0, 0.07));
            g.strokeLine(x0 + PAD_LEFT, y, x1 - 6, y);
            g.setFill(Color.rgb(80, 80, 80));
            g.fillText(Fmt.powerOfTen(e), x0 + PAD_LEFT - 4, y);
        }
    }

    private void drawLadder(GraphicsContext g, double x0, double x1, double h, double[] range) {
        double top = TOP + 12;
        double bottom = h - BOTTOM;
        decadeAxis(g, x0, x1, top, bottom, range);
        SpectraResult.Ladder[] ladders = {result.ladder(), result.companion()};
        int cols = ladders[1] == null ? 1 : 2;
        double left = x0 + PAD_LEFT + 6;
        double right = x1 - 8;
        double colW = (right - left) / cols;
        for (int k = 0; k < 2; k++) {
            columns[k] = null;
            columnLadders[k] = null;
        }
        for (int k = 0; k < cols; k++) {
            SpectraResult.Ladder l = ladders[k];
            double cx0 = left + k * colW + (k > 0 ? 6 : 0);
            double cx1 = left + (k + 1) * colW - 4;
            columns[k] = new double[] {cx0, cx1, top, bottom, range[0], range[1]};
            columnLadders[k] = l;
            drawColumn(g, l, cx0, cx1, top, bottom, range, k == 0);
        }
        g.setFont(Font.font(10));
        g.setFill(Color.rgb(60, 60, 60));
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.TOP);
        SpectraResult.Ladder l = result.ladder();
        g.fillText(String.format(Locale.ROOT, "P=%,d · B=%d · %s · %s%s", result.parameters(), result.batch(),
                millis(result.millis()), l.pending() ? "all P computing… " : "",
                l.density() != null ? "· bars: SLQ density" : ""), x0 + 8, 18, x1 - x0 - 12);
    }

    /** One ladder: rungs (positive left, negative right), the float64 floor dashed, its title and span. */
    private void drawColumn(GraphicsContext g, SpectraResult.Ladder l, double cx0, double cx1, double top, double bottom,
                            double[] range, boolean first) {
        double[] values = l.eigenvalues();
        double cut = l.noiseFloor();
        boolean mixed = l.negatives() > 0;
        double mid = mixed ? (cx0 + cx1) / 2 : cx1;
        g.setFont(Font.font(null, FontWeight.BOLD, 10));
        g.setFill(Color.rgb(50, 50, 50));
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.TOP);
        String what = l.method().startsWith("full") ? "all P" : l.method().toLowerCase(Locale.ROOT).startsWith("lanczos")
                ? "ends" : l.method();
        g.fillText(String.format(Locale.ROOT, "%s · %s · %.1f dec", l.curvature().label(), what, l.span()), cx0, TOP - 2,
                cx1 - cx0);
        // an older complete spectrum behind the newer ends, as faint as its crowding asks
        if (first && olderFull != null && l.curvature() == SpectraResult.Curvature.HESSIAN && !l.method().startsWith("full")) {
            int shown = 0;
            for (double v : olderFull.eigenvalues()) {
                if (Math.abs(v) > olderFull.noiseFloor()) {
                    shown++;
                }
            }
            double faint = Math.max(0.02, Math.min(0.25, 0.06 * (bottom - top) / Math.max(1, shown)));
            g.setStroke(Color.rgb(120, 120, 120, faint));
            g.setLineWidth(1);
            double om = olderFull.negatives() > 0 ? (cx0 + cx1) / 2 : cx1;
            for (double v : olderFull.eigenvalues()) {
                double a = Math.abs(v);
                if (a <= olderFull.noiseFloor()) {
                    continue;
                }
                double y = Math.round(yOf(Math.log10(a), range, top, bottom)) + 0.5;
                g.strokeLine(v < 0 ? om + 2 : cx0, y, v < 0 ? cx1 : om - 2, y);
            }
            g.setFont(Font.font(9.5));
            g.setFill(Color.rgb(110, 110, 110));
            g.setTextBaseline(VPos.TOP);
            g.setTextAlign(TextAlignment.LEFT);
            g.fillText(String.format(Locale.ROOT, "grey: all P at step %,d", olderFullStep), cx0, TOP + 10, cx1 - cx0);
        }
        g.setLineWidth(1);
        // Rung opacity by crowding (about 0.15 / rungs per pixel row): a dense block still shows where it is densest.
        int above = 0;
        for (double v : values) {
            if (Math.abs(v) > cut) {
                above++;
            }
        }
        double perRow = above / Math.max(1, bottom - top);
        double alpha = Math.max(0.04, Math.min(0.45, 0.15 / Math.max(perRow, 1e-9)));
        for (double v : values) {
            double a = Math.abs(v);
            boolean noise = a <= cut;
            double y = noise ? (a > 0 ? Math.max(yOf(Math.log10(a), range, top, bottom), top) : bottom) : yOf(Math.log10(a),
                    range, top, bottom);
            y = Math.min(y, bottom);
            // Translucent rungs: where many eigenvalues crowd the colour saturates, so density stays visible.
            g.setStroke((noise ? NOISE : v > 0 ? POSITIVE : NEGATIVE).deriveColor(0, 1, 1, noise ? 0.6 * alpha : alpha));
            g.strokeLine(v < 0 ? mid + 2 : cx0, Math.round(y) + 0.5, v < 0 ? cx1 : mid - 2, Math.round(y) + 0.5);
        }
        if (l.density() != null) {
            drawDensity(g, l.density(), cx0, cx1, top, bottom, range);
        }
        if (cut > 0) {
            double yf = Math.round(yOf(Math.log10(cut), range, top, bottom)) + 0.5;
            if (yf <= bottom + 0.5 && yf >= top) {
                g.setStroke(Color.rgb(90, 90, 90));
                g.setLineDashes(3, 3);
                g.strokeLine(cx0, yf, cx1, yf);
                g.setLineDashes();
                g.setFont(Font.font(9.5));
                String label = "float64 floor P·ε·|λ|max";
                double tw = Math.min(cx1 - cx0, label.length() * 4.6);
                g.setFill(Color.rgb(255, 255, 255, 0.85));
                g.fillRect(cx1 - tw - 2, yf - 12, tw + 2, 11);
                g.setFill(Color.rgb(60, 60, 60));
                g.setTextBaseline(VPos.BOTTOM);
                g.setTextAlign(TextAlignment.RIGHT);
                g.fillText(label, cx1, yf - 1, tw);
            }
        }
        if (!Double.isNaN(picked) && pickedCurvature == l.curvature()) {
            double y = Math.round(yOf(Math.log10(Math.abs(picked)), range, top, bottom)) + 0.5;
            g.setStroke(Color.rgb(255, 150, 0));
            g.setLineWidth(2.5);
            g.strokeLine(picked < 0 ? mid + 2 : cx0 - 3, y, picked < 0 ? cx1 + 3 : mid + 1, y);
            g.setLineWidth(1);
        }
        g.setFont(Font.font(10));
        g.setTextBaseline(VPos.BOTTOM);
        g.setTextAlign(TextAlignment.LEFT);
        g.setFill(POSITIVE);
        g.fillText("λ > 0", cx0, getHeight() - 3);
        if (mixed) {
            g.setFill(NEGATIVE);
            g.fillText("λ < 0 (" + l.negatives() + ")", mid + 2, getHeight() - 3, cx1 - mid);
        }
    }

    /** SLQ density as horizontal bars over log10|node|, weights summed per bin, to the right of the rungs. */
    private static void drawDensity(GraphicsContext g, SpectraResult.Density d, double cx0, double cx1, double top,
                                    double bottom, double[] range) {
        int bins = (int) Math.max(4, (bottom - top) / 5);
        double[] w = new double[bins];
        double peak = 0;
        for (int i = 0; i < d.nodes().length; i++) {
            double a = Math.abs(d.nodes()[i]);
            if (a <= 0) {
                continue;
            }
            double t = (Math.log10(a) - range[0]) / (range[1] - range[0]);
            int b = (int) Math.floor(t * bins);
            if (b >= 0 && b < bins) {
                w[b] += d.weights()[i];
                peak = Math.max(peak, w[b]);
            }
        }
        if (peak <= 0) {
            return;
        }
        g.setFill(Color.rgb(120, 70, 170, 0.35));
        double bh = (bottom - top) / bins;
        for (int b = 0; b < bins; b++) {
            double len = w[b] / peak * (cx1 - cx0) * 0.5;
            g.fillRect(cx1 - len, bottom - (b + 1) * bh, len, Math.max(1, bh - 1));
        }
    }

    private void drawHistory(GraphicsContext g, double x0, double x1, double h, double[] range) {
        double top = TOP;
        double bottom = h - BOTTOM;
        decadeAxis(g, x0, x1, top, bottom, range);
        double left = x0 + PAD_LEFT + 4;
        double right = x1 - 10;
        if (history.isEmpty()) {
            return;
        }
        long s0 = history.get(0).step();
        long s1 = history.get(history.size() - 1).step();
        double span = Math.max(1, s1 - s0);
        int rows = (int) Math.max(1, Math.ceil(bottom - top) + 2);
        boolean[] pos = new boolean[rows];
        boolean[] neg = new boolean[rows];
        for (SpectraResult r : history) {
            double x = history.size() == 1 ? (left + right) / 2 : left + (r.step() - s0) / span * (right - left);
            java.util.Arrays.fill(pos, false);
            java.util.Arrays.fill(neg, false);
            double[] values = sameCurvature(r).eigenvalues();
            double max = 0;
            for (double v : values) {
                max = Math.max(max, Math.abs(v));
            }
            double cut = noiseFloor(values, max);
            for (double v : values) {
                if (Math.abs(v) <= cut) {
                    continue;
                }
                int row = (int) Math.round(yOf(Math.log10(Math.abs(v)), range, top, bottom) - top);
                row = Math.max(0, Math.min(rows - 1, row));
                if (v > 0) {
                    pos[row] = true;
                } else {
                    neg[row] = true;
                }
            }
            for (int row = 0; row < rows; row++) {
                if (pos[row]) {
                    g.setFill(POSITIVE);
                    g.fillRect(x - 1, top + row - 1, 2.5, 2);
                }
                if (neg[row]) {
                    g.setFill(NEGATIVE);
                    g.fillRect(x - 1, top + row - 1, 2.5, 2);
                }
            }
        }
        g.setFont(Font.font(10));
        g.setFill(Color.rgb(80, 80, 80));
        g.setTextBaseline(VPos.TOP);
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText("step " + String.format(Locale.ROOT, "%,d", s0), left, bottom + 3);
        g.setTextAlign(TextAlignment.RIGHT);
        g.fillText(String.format(Locale.ROOT, "%,d  (%d runs)", s1, history.size()), right, bottom + 3);
    }

    private void drawSlice(GraphicsContext g, double x0, double x1, double h) {
        double[] a = result.alphas();
        double[] l = result.sliceLoss();
        if (a.length < 2) {
            return;
        }
        double[] ev = result.ladder().vectors() != null ? result.ladder().vectors().values() : result.eigenvalues();
        double lambda = ev[ev.length - 1];
        double l0 = result.lossAtTheta();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : l) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (!(hi >= lo)) {
            return;
        }
        if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
            hi = lo + 1e-12 * Math.max(1, Math.abs(hi));
        }
        double top = TOP;
        double bottom = h - BOTTOM;
        double left = x0 + PAD_LEFT + 4;
        double right = x1 - 10;
        double amax = a[a.length - 1];
        double ylo = lo;
        double yhi = hi;
        g.setFont(Font.font(10));
        g.setFill(Color.rgb(80, 80, 80));
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        g.fillText(Fmt.num(yhi), left - 4, top);
        g.fillText(Fmt.num(ylo), left - 4, bottom);
        g.setTextBaseline(VPos.TOP);
        g.setTextAlign(TextAlignment.CENTER);
        g.fillText("α = 0", (left + right) / 2, bottom + 3);
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText("−" + Fmt.num(amax), left, bottom + 3);
        g.setTextAlign(TextAlignment.RIGHT);
        g.fillText(Fmt.num(amax), right, bottom + 3);
        g.setStroke(Color.rgb(0, 0, 0, 0.15));
        g.strokeLine((left + right) / 2, top, (left + right) / 2, bottom);
        // the quadratic model, clipped to the panel
        g.setStroke(Color.rgb(214, 90, 40));
        g.setLineDashes(4, 3);
        g.beginPath();
        for (int i = 0; i < a.length; i++) {
            double q = l0 + 0.5 * lambda * a[i] * a[i];
            double y = bottom - (Math.min(Math.max(q, ylo), yhi) - ylo) / (yhi - ylo) * (bottom - top);
            double x = left + (a[i] + amax) / (2 * amax) * (right - left);
            if (i == 0) {
                g.moveTo(x, y);
            } else {
                g.lineTo(x, y);
            }
        }
        g.stroke();
        g.setLineDashes();
        g.setStroke(POSITIVE);
        g.setLineWidth(1.6);
        g.beginPath();
        for (int i = 0; i < a.length; i++) {
            double y = bottom - (l[i] - ylo) / (yhi - ylo) * (bottom - top);
            double x = left + (a[i] + amax) / (2 * amax) * (right - left);
            if (i == 0) {
                g.moveTo(x, y);
            } else {
                g.lineTo(x, y);
            }
        }
        g.stroke();
        g.setLineWidth(1);
        g.setFill(Color.rgb(60, 60, 60));
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText("L(θ+αu)   ", x0 + 8, 18);
        g.setFill(Color.rgb(214, 90, 40));
        g.fillText("- - L(θ)+½λα²,  λ=" + Fmt.num(lambda), x0 + 62, 18, x1 - x0 - 70);
    }

    private void drawLocal(GraphicsContext g, double x0, double x1, double h) {
        LocalHessians.Histogram hist = result.local();
        if (hist == null) {
            return;
        }
        int[] counts = hist.counts();
        int peak = 1;
        for (int c : counts) {
            peak = Math.max(peak, c);
        }
        double top = TOP;
        double bottom = h - BOTTOM;
        double left = x0 + 14;
        double right = x1 - 10;
        double bw = (right - left) / counts.length;
        g.setFill(POSITIVE.deriveColor(0, 1, 1, 0.75));
        for (int i = 0; i < counts.length; i++) {
            double bh = (double) counts[i] / peak * (bottom - top);
            g.fillRect(left + i * bw + 0.5, bottom - bh, Math.max(1, bw - 1), bh);
        }
        g.setStroke(Color.rgb(0, 0, 0, 0.35));
        g.strokeLine(left, Math.round(bottom) + 0.5, right, Math.round(bottom) + 0.5);
        g.setFont(Font.font(10));
        g.setFill(Color.rgb(80, 80, 80));
        g.setTextBaseline(VPos.TOP);
        int step = (int) Math.max(1, Math.ceil((hist.hi() - hist.lo()) / Math.max(1, (right - left) / 40)));
        g.setTextAlign(TextAlignment.CENTER);
        for (int e = (int) Math.ceil(hist.lo()); e <= hist.hi(); e += step) {
            double x = left + (e - hist.lo()) / (hist.hi() - hist.lo()) * (right - left);
            g.fillText(Fmt.powerOfTen(e), x, bottom + 3);
        }
        g.setTextAlign(TextAlignment.LEFT);
        g.setFill(Color.rgb(60, 60, 60));
        String kind = result.localKind() == LocalHessians.Kind.LOG_DENSITY_HESSIAN ? "∇²ₓ log p" : "sym ∂s/∂x";
        g.fillText(String.format(Locale.ROOT, "%s at %d points · %d of %d λ < 0", kind, result.batch(), hist.negatives(),
                hist.total()), x0 + 8, 18, x1 - x0 - 12);
    }

    private static String millis(long ms) {
        return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
