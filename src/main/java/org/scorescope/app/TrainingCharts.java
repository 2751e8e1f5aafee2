package org.scorescope.app;

import javafx.scene.paint.Color;
import org.scorescope.analysis.FisherTarget;
import org.scorescope.model.ModelSpec;
import org.scorescope.render.Fmt;
import org.scorescope.train.Settings;
import org.scorescope.worker.FrameData;

/**
 * The Training tab's three curves (loss, Fisher divergence, held-out NLL) and the value each shows at its
 * right: set up once, fed the newest frame, and redrawn when their tab comes back into view.
 */
final class TrainingCharts {
    private final HistoryChart loss;
    private final HistoryChart fisher;
    private final HistoryChart nll;

    TrainingCharts(HistoryChart loss, HistoryChart fisher, HistoryChart nll) {
        this.loss = loss;
        this.fisher = fisher;
        this.nll = nll;
        loss.setTitle("Loss");
        loss.setColor(Color.rgb(43, 108, 176));
        fisher.setTitle("Fisher divergence ½E‖s − s*‖²");
        fisher.setColor(Color.rgb(214, 90, 40));
        nll.setTitle("Held-out NLL (nats)");
        nll.setColor(Color.rgb(60, 140, 70));
        nll.setAllowLog(false);
    }

    /** Shows the curves of a frame. */
    void show(FrameData f) {
        loss.setData(f.lossLine(), "loss " + Fmt.num(f.loss()));
        fisher.setData(f.fisherLine(), fisherText(f));
        nll.setData(f.nllLine(), Double.isNaN(f.quality().nll())
                ? "every " + f.config().get(Settings.NLL_EVERY) + " steps" : "NLL " + Fmt.num(f.quality().nll()));
    }

    /** Draws the curves that changed while their tab was hidden. */
    void drawIfStale() {
        loss.drawIfStale();
        fisher.drawIfStale();
        nll.drawIfStale();
    }

    /** The Fisher divergence, and what it is measured against for a noise-conditional or diffusion model (which t). */
    private static String fisherText(FrameData f) {
        if (!f.hasTruth()) {
            return "no true score for these data";
        }
        ModelSpec.Kind kind = f.config().model().kind();
        boolean blurred = f.model() != null && (kind == ModelSpec.Kind.NOISE_CONDITIONAL
                || kind == ModelSpec.Kind.DIFFUSION);
        return "Fisher " + Fmt.num(f.fisher()) + (blurred ? " " + FisherTarget.describe(f.model().model()) : "");
    }
}
