package org.scorescope.app;

import java.util.HashSet;
import java.util.Set;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.scorescope.render.Fmt;
import org.scorescope.worker.FrameData;

/**
 * The held-out quality of the run for the view: whether there is a best model to go back to and what it is, the
 * held-out NLL now, and the warnings (quality degraded far from the best; a degenerate fit whose loss falls while the
 * held-out NLL rises) raised once each per run as a notice. FX thread only.
 */
public final class QualityViewModel {
    private final ReadOnlyBooleanWrapper hasBest = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper bestText = new ReadOnlyStringWrapper("no best model yet");
    /** Kinds of warning (the text before its first colon) shown as a notice since the run started. */
    private final Set<String> noticed = new HashSet<>();
    private FrameData.Quality last = FrameData.Quality.NONE;
    private long lastStep = -1;

    /**
     * Takes a frame's quality.
     *
     * @param f the newest frame
     * @return a notice to show (a warning not shown before in this run, with what to do), or null
     */
    String update(FrameData f) {
        FrameData.Quality q = f.quality();
        if (f.step() < lastStep || f.step() == 0) {
            noticed.clear(); // a new run (reset, new model, loaded session)
        }
        lastStep = f.step();
        last = q;
        hasBest.set(q.hasBest());
        // the notice below is shown once, when a warning first appears; the Best button's tooltip says how it stands
        bestText.set((q.hasBest() ? "best model: step " + q.bestStep() + ", " + q.bestLabel() + " "
                + Fmt.num(q.bestValue()) : "no best model yet") + (q.warning().isEmpty() ? "" : "\nnow, step "
                + f.step() + ": " + q.warning()));
        if (q.warning().isEmpty()) {
            return null;
        }
        String kind = q.warning().substring(0, Math.max(0, q.warning().indexOf(':')));
        if (!noticed.add(kind)) {
            return null;
        }
        return "Warning: " + q.warning() + (q.hasBest() ? " (Run ▸ Go back to best model: step " + q.bestStep() + ")."
                : ".");
    }

    /** @return the confirmation question before going back to the best model, or null when there is none */
    String confirmRestore(long stepNow) {
        if (!last.hasBest()) {
            return null;
        }
        return "Replace the current model (step " + stepNow + (Double.isNaN(last.nll()) ? ""
                : ", held-out NLL " + Fmt.num(last.nll())) + ") with the best model of this run (step "
                + last.bestStep() + ", " + last.bestLabel() + " " + Fmt.num(last.bestValue()) + ")? Training pauses; "
                + "the optimizer's moments restart, the step count and the charts go on.";
    }

    /** @return whether there is a best model to go back to */
    public ReadOnlyBooleanProperty hasBestProperty() {
        return hasBest.getReadOnlyProperty();
    }

    /** @return the best model, and the current warning on a second line when there is one */
    public ReadOnlyStringProperty bestTextProperty() {
        return bestText.getReadOnlyProperty();
    }
}
