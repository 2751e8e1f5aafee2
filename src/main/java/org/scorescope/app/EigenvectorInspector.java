package org.scorescope.app;

import java.util.List;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;
import org.scorescope.analysis.ParameterGroups;
import org.scorescope.render.Fmt;
import org.scorescope.worker.DirectionFrames;

/**
 * The eigenvector inspector beside the ladders: the picked eigenvector's components as bars grouped by layer
 * (W₁, b₁, W₂, … with each group's share of ‖v‖²), the slider α (units of 1/√|λ|) that moves θ along it — the field
 * view redraws at θ + (α/√|λ|)·v — and L(θ + (α/√|λ|)·v) − L(θ) against the quadratic ½·sign(λ)·α²; a note in
 * orange when the vector is noise-dominated. Hidden until a rung is clicked.
 */
public class EigenvectorInspector extends VBox {
    private static final Color POSITIVE = Color.rgb(43, 108, 176);
    private static final Color NEGATIVE = Color.rgb(200, 50, 45);
    private final Label title = new Label();
    private final Label note = new Label();
    private final Canvas bars = new Canvas(360, 74);
    private final Canvas curve = new Canvas(360, 84);
    private final Slider slider = new Slider(-DirectionFrames.ALPHA_MAX, DirectionFrames.ALPHA_MAX, 0);
    private final Label alphaLabel = new Label("α = 0");
    private final Button closeButton = new Button("Back to θ");
    private InspectorViewModel vm;

    /** Creates the (hidden) inspector. */
    public EigenvectorInspector() {
        setSpacing(2);
        setPadding(new Insets(4, 6, 4, 6));
        setMinWidth(372);
        setPrefWidth(372);
        setMaxWidth(372);
        getStyleClass().add("eigenvector-inspector");
        title.setWrapText(true);
        title.setFont(Font.font(10.5));
        title.setMaxWidth(360);
        note.setWrapText(true);
        note.setFont(Font.font(null, javafx.scene.text.FontWeight.BOLD, 10.5));
        note.setTextFill(Color.rgb(176, 80, 0));
        note.setMaxWidth(360);
        note.setId("inspectorNote");
        Tooltip help = new Tooltip(InspectorViewModel.NOTE_HELP);
        help.setWrapText(true);
        help.setMaxWidth(420);
        note.setTooltip(help);
        slider.setBlockIncrement(0.1);
        slider.setMajorTickUnit(1);
        slider.setShowTickMarks(true);
        slider.setTooltip(new Tooltip("Move θ along the eigenvector: θ + (α/√|λ|)·v. The field view redraws at the"
                + " moved θ (computed in the background on a copy); training is not changed."));
        closeButton.setTooltip(new Tooltip("Close the inspector; the field view shows the live model again"));
        HBox.setHgrow(slider, Priority.ALWAYS);
        alphaLabel.setMinWidth(58);
        HBox row = new HBox(6, new Label("α"), slider, alphaLabel, closeButton);
        row.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(title, note, bars, row, curve);
        setVisible(false);
        setManaged(false);
    }

    /**
     * Binds to a view-model (once).
     *
     * @param model the inspector's view-model
     */
    public void bind(InspectorViewModel model) {
        vm = model;
        slider.valueProperty().bindBidirectional(model.alphaProperty());
        alphaLabel.textProperty().bind(model.alphaProperty().asString(Locale.ROOT, "α = %+.2f"));
        title.textProperty().bind(model.titleProperty());
        note.textProperty().bind(model.noteProperty());
        note.visibleProperty().bind(model.noteProperty().isNotEmpty());
        note.managedProperty().bind(note.visibleProperty());
        visibleProperty().bind(model.openProperty());
        managedProperty().bind(model.openProperty());
        closeButton.setOnAction(e -> model.close());
        model.curveProperty().addListener((o, was, now) -> draw());
        model.alphaProperty().addListener((o, was, now) -> drawCurve());
    }

    /** @return the canvas of the vector's components by layer (tests read it) */
    public Canvas bars() {
        return bars;
    }

    /** @return the α slider (tests drive it) */
    public Slider slider() {
        return slider;
    }

    private void draw() {
        drawBars();
        drawCurve();
    }

    private static String shortName(ParameterGroups.Group g) {
        String n = g.name();
        String prefix = "";
        if (n.startsWith("couplings[")) {
            prefix = "c" + n.substring(10, n.indexOf(']')) + " ";
            n = n.substring(n.indexOf(']') + 2);
        }
        if (n.startsWith("layers[")) {
            int l = Integer.parseInt(n.substring(7, n.indexOf(']'))) + 1;
            return prefix + (g.bias() ? "b" : "W") + l;
        }
        return prefix + n;
    }

    private void drawBars() {
        GraphicsContext g = bars.getGraphicsContext2D();
        double w = bars.getWidth();
        double h = bars.getHeight();
        g.setFill(Color.WHITE);
        g.fillRect(0, 0, w, h);
        DirectionFrames.Result r = vm == null ? null : vm.curveProperty().get();
        if (r == null || r.direction() == null) {
            return;
        }
        double[] v = r.direction().vector();
        List<ParameterGroups.Group> groups = r.groups().groups();
        double[] shares = r.groups().shares(v);
        double max = 0;
        for (double c : v) {
            max = Math.max(max, Math.abs(c));
        }
        if (max == 0) {
            return;
        }
        // width per group: proportional to its size, at least 16 px so a lone bias stays visible
        int n = groups.size();
        double gap = 4;
        double avail = w - gap * (n - 1);
        double minW = 16;
        double total = 0;
        for (ParameterGroups.Group gr : groups) {
            total += gr.size();
        }
        double[] widths = new double[n];
        double fixed = 0;
        double flexible = 0;
        for (int k = 0; k < n; k++) {
            double want = avail * groups.get(k).size() / total;
            if (want < minW) {
                widths[k] = minW;
                fixed += minW;
            } else {
                flexible += groups.get(k).size();
            }
        }
        for (int k = 0; k < n; k++) {
            if (widths[k] == 0) {
                widths[k] = (avail - fixed) * groups.get(k).size() / flexible;
            }
        }
        double mid = (h - 14) / 2;
        double half = mid - 2;
        double x = 0;
        g.setFont(Font.font(9.5));
        g.setTextBaseline(VPos.BOTTOM);
        g.setTextAlign(TextAlignment.CENTER);
        for (int k = 0; k < n; k++) {
            ParameterGroups.Group gr = groups.get(k);
            double[] c = gr.pick(v);
            int px = (int) Math.max(1, Math.floor(widths[k]));
            g.setFill(Color.rgb(0, 0, 0, 0.04));
            g.fillRect(x, 0, widths[k], h - 14);
            // per pixel column the component of largest magnitude (so a spike is never averaged away)
            for (int col = 0; col < px; col++) {
                int a = (int) ((long) c.length * col / px);
                int b = (int) Math.max(a + 1, (long) c.length * (col + 1) / px);
                if (a >= c.length) {
                    break;
                }
                double best = 0;
                for (int i = a; i < Math.min(b, c.length); i++) {
                    if (Math.abs(c[i]) > Math.abs(best)) {
                        best = c[i];
                    }
                }
                double len = Math.abs(best) / max * half;
                double bw = Math.max(1, widths[k] / Math.max(c.length, 1));
                g.setFill(best >= 0 ? POSITIVE : NEGATIVE);
                g.fillRect(x + col * Math.max(1.0, widths[k] / px) , best >= 0 ? mid - len : mid, Math.min(bw, widths[k]),
                        Math.max(0.5, len));
            }
            g.setStroke(Color.rgb(0, 0, 0, 0.25));
            g.strokeLine(x, Math.round(mid) + 0.5, x + widths[k], Math.round(mid) + 0.5);
            g.setFill(Color.rgb(50, 50, 50));
            String label = widths[k] > 44 ? String.format(Locale.ROOT, "%s %.0f%%", shortName(gr), 100 * shares[k])
                    : shortName(gr);
            g.fillText(label, x + widths[k] / 2, h - 1, widths[k] + gap);
            x += widths[k] + gap;
        }
    }

    private void drawCurve() {
        GraphicsContext g = curve.getGraphicsContext2D();
        double w = curve.getWidth();
        double h = curve.getHeight();
        g.setFill(Color.WHITE);
        g.fillRect(0, 0, w, h);
        DirectionFrames.Result r = vm == null ? null : vm.curveProperty().get();
        if (r == null || r.alphas() == null || r.loss() == null) {
            return;
        }
        double[] a = r.alphas();
        double[] l = r.loss();
        double sign = Math.signum(r.direction().lambda());
        double lo = 0;
        double hi = 0;
        for (int i = 0; i < a.length; i++) {
            double d = l[i] - r.loss0();
            if (Double.isFinite(d)) {
                lo = Math.min(lo, d);
                hi = Math.max(hi, d);
            }
            double q = 0.5 * sign * a[i] * a[i];
            lo = Math.min(lo, q);
            hi = Math.max(hi, q);
        }
        if (hi - lo < 1e-12) {
            hi = lo + 1e-12;
        }
        double left = 50;
        double right = w - 6;
        double top = 14;
        double bottom = h - 14;
        double amax = a[a.length - 1];
        g.setFont(Font.font(9.5));
        g.setFill(Color.rgb(70, 70, 70));
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        g.fillText(Fmt.num(hi), left - 3, top, left - 4);
        g.fillText(Fmt.num(lo), left - 3, bottom, left - 4);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.TOP);
        g.fillText("L(θ+αv) − L(θ)", left, 0);
        g.setFill(Color.rgb(214, 90, 40));
        g.fillText("- - ½·sign(λ)·α²", left + 90, 0);
        g.setFill(Color.rgb(70, 70, 70));
        g.setTextAlign(TextAlignment.CENTER);
        g.fillText("−" + Fmt.num(amax), left, bottom + 1);
        g.fillText("α", (left + right) / 2, bottom + 1);
        g.fillText(Fmt.num(amax), right - 8, bottom + 1);
        double zero = bottom - (0 - lo) / (hi - lo) * (bottom - top);
        g.setStroke(Color.rgb(0, 0, 0, 0.15));
        g.strokeLine(left, zero, right, zero);
        g.setStroke(Color.rgb(214, 90, 40));
        g.setLineDashes(4, 3);
        g.beginPath();
        for (int i = 0; i < a.length; i++) {
            double x = left + (a[i] + amax) / (2 * amax) * (right - left);
            double y = bottom - (0.5 * sign * a[i] * a[i] - lo) / (hi - lo) * (bottom - top);
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
        boolean started = false;
        for (int i = 0; i < a.length; i++) {
            double d = l[i] - r.loss0();
            if (!Double.isFinite(d)) {
                continue;
            }
            double x = left + (a[i] + amax) / (2 * amax) * (right - left);
            double y = bottom - (d - lo) / (hi - lo) * (bottom - top);
            if (!started) {
                g.moveTo(x, y);
                started = true;
            } else {
                g.lineTo(x, y);
            }
        }
        g.stroke();
        g.setLineWidth(1);
        double al = vm.alphaProperty().get();
        double xa = left + (al + amax) / (2 * amax) * (right - left);
        g.setStroke(Color.rgb(255, 150, 0));
        g.setLineWidth(2);
        g.strokeLine(xa, top, xa, bottom);
        g.setLineWidth(1);
    }
}
