package org.scorescope.app;

import java.util.Locale;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import org.scorescope.render.Fmt;
import org.scorescope.worker.DirectionFrames;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.SpectraResult;

/**
 * The eigenvector inspector's view-model: a picked rung's unit eigenvector v (of eigenvalue λ), the slider α in units
 * of 1/√|λ|, and the frames at θ + (α/√|λ|)·v computed in the background ({@link DirectionFrames}) on a copy of the
 * snapshot's θ. While it is open and α ≠ 0 the field view shows the moved model instead of the live one. Owner (FX)
 * thread only.
 */
public final class InspectorViewModel {
    private final DirectionFrames frames = new DirectionFrames();
    private final BooleanProperty open = new SimpleBooleanProperty(false);
    private final DoubleProperty alpha = new SimpleDoubleProperty(0);
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<DirectionFrames.Result> curve = new ReadOnlyObjectWrapper<>();
    private DirectionFrames.Direction direction;
    private DirectionFrames.Result shown;
    private boolean moved;

    InspectorViewModel() {
        alpha.addListener((o, was, now) -> {
            if (direction != null) {
                frames.request(direction, now.doubleValue(), false);
            }
        });
    }

    /**
     * Opens the inspector on the eigenvector of a ladder nearest to an eigenvalue.
     *
     * @param frame  the snapshot the ladder belongs to (its θ is moved, on a copy)
     * @param ladder the ladder with the vectors
     * @param lambda the picked eigenvalue
     * @return the eigenvalue of the vector inspected, NaN when the ladder has none
     */
    public double inspect(FrameData frame, SpectraResult.Ladder ladder, double lambda) {
        if (frame == null || frame.model() == null || ladder == null || ladder.vectors() == null
                || ladder.vectors().count() == 0) {
            return Double.NaN;
        }
        SpectraResult.Vectors vs = ladder.vectors();
        int k = vs.nearest(lambda);
        double lam = vs.values()[k];
        if (lam == 0 || vs.vector(k).length != frame.model().theta().length) {
            return Double.NaN;
        }
        int rank = 0;
        double[] all = ladder.eigenvalues();
        for (double v : all) {
            if (v > lam) {
                rank++;
            }
        }
        String label = String.format(Locale.ROOT, "%s eigenvector %s: λ = %s (%s of %,d), α in units of 1/√|λ| = %s",
                ladder.curvature().label(), lam > 0 ? "λ" + sub(rank + 1) : "λ<0", Fmt.num(lam),
                ordinal(rank + 1) + " largest", ladder.parameters(), Fmt.num(1 / Math.sqrt(Math.abs(lam))));
        direction = new DirectionFrames.Direction(frame, vs.vector(k), lam, label);
        title.set(label);
        open.set(true);
        frames.request(direction, alpha.get(), true);
        return lam;
    }

    private static String sub(int n) {
        String digits = "₀₁₂₃₄₅₆₇₈₉";
        StringBuilder sb = new StringBuilder();
        for (char c : Integer.toString(n).toCharArray()) {
            sb.append(digits.charAt(c - '0'));
        }
        return sb.toString();
    }

    private static String ordinal(int n) {
        String suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }

    /**
     * Per animation frame: takes a finished frame along the direction.
     *
     * @return a new frame of the moved model (θ moved, α ≠ 0) for the field view, or null when there is no new one
     *         (then {@link #showsMovedModel()} says whether the view should keep the moved model or show the live one)
     */
    public FrameData poll() {
        DirectionFrames.Result r = frames.take();
        boolean fresh = false;
        if (r != null && direction != null && r.direction() == direction) {
            shown = r;
            fresh = true;
            if (r.alphas() != null) {
                curve.set(r);
            }
        }
        moved = open.get() && shown != null && shown.frame() != null && shown.direction() == direction
                && shown.alpha() != 0;
        return moved && fresh ? shown.frame() : null;
    }

    /** @return whether the field view shows a moved model now */
    public boolean showsMovedModel() {
        return moved;
    }

    /** Closes the inspector: α back to 0, the field view back to the live model. */
    public void close() {
        open.set(false);
        direction = null;
        shown = null;
        alpha.set(0);
        title.set("");
    }

    /** @return whether the inspector is open */
    public BooleanProperty openProperty() {
        return open;
    }

    /** @return α in units of 1/√|λ|, in [−{@link DirectionFrames#ALPHA_MAX}, +{@link DirectionFrames#ALPHA_MAX}] */
    public DoubleProperty alphaProperty() {
        return alpha;
    }

    /** @return what is inspected */
    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** @return the newest result with the loss curve and the groups (the bars and the curve draw from it) */
    public ReadOnlyObjectProperty<DirectionFrames.Result> curveProperty() {
        return curve.getReadOnlyProperty();
    }

    /** @return the direction inspected, or null */
    public DirectionFrames.Direction direction() {
        return direction;
    }

    /** Stops the background thread. */
    void shutdown() {
        frames.close();
    }
}
