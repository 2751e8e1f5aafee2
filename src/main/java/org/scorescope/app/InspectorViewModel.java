package org.scorescope.app;

import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import org.scorescope.analysis.EigenvectorSource;
import org.scorescope.render.Fmt;
import org.scorescope.threads.BackgroundPriority;
import org.scorescope.threads.Mailbox;
import org.scorescope.worker.DirectionFrames;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.SpectraResult;

/**
 * The eigenvector inspector's view-model: a picked rung's unit eigenvector v (of eigenvalue λ; any rung of a ladder
 * with all P eigenvalues, computed on demand in the background), a note when v is noise-dominated, the slider α in
 * units of 1/√|λ| (of the float64 floor for rungs below it), and the frames at θ + (α/√|λ|)·v computed in the
 * background ({@link DirectionFrames}) on a copy of the snapshot's θ. While it is open and α ≠ 0 the field view shows
 * the moved model instead of the live one. Owner (FX) thread only.
 */
public final class InspectorViewModel {
    private final DirectionFrames frames = new DirectionFrames();
    private final BooleanProperty open = new SimpleBooleanProperty(false);
    private final DoubleProperty alpha = new SimpleDoubleProperty(0);
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<DirectionFrames.Result> curve = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper note = new ReadOnlyStringWrapper("");
    /** On-demand eigenvectors are computed here, off the FX thread (milliseconds to a fraction of a second). */
    private final ExecutorService vectorThread = Executors.newSingleThreadExecutor(
            r -> BackgroundPriority.daemon("scorescope-eigenvector", r));
    private final Mailbox<Picked> picked = new Mailbox<>();
    /** Counts picks and closes: a computed vector is shown only if no newer pick or close came after it. */
    private long requests;
    private DirectionFrames.Direction direction;
    private DirectionFrames.Result shown;
    private boolean moved;

    /** An eigenvector computed on demand for pick number {@code serial}. */
    private record Picked(long serial, FrameData frame, SpectraResult.Ladder ladder, EigenvectorSource.Eigenpair pair,
                          String error) {
    }

    InspectorViewModel() {
        alpha.addListener((o, was, now) -> {
            if (direction != null) {
                frames.request(direction, now.doubleValue(), false);
            }
        });
    }

    /**
     * Opens the inspector on a rung: rung {@code index} of a ladder with eigenvectors on demand (computed on this
     * view-model's "scorescope-eigenvector" thread, taken by {@link #poll}), else the stored eigenvector nearest to
     * an eigenvalue.
     *
     * @param frame  the snapshot the ladder belongs to (its θ is moved, on a copy)
     * @param ladder the ladder
     * @param lambda the picked eigenvalue
     * @param index  the rung's index in {@code ladder.eigenvalues()}, or −1 for the nearest stored vector
     * @return the eigenvalue of the vector inspected, NaN when the ladder has none
     */
    public double inspect(FrameData frame, SpectraResult.Ladder ladder, double lambda, int index) {
        if (frame == null || frame.model() == null || ladder == null) {
            return Double.NaN;
        }
        int p = frame.model().theta().length;
        EigenvectorSource source = ladder.source();
        if (index >= 0 && source != null && index < ladder.eigenvalues().length && source.dim() == p) {
            long serial = ++requests;
            double lam = ladder.eigenvalues()[index];
            direction = null;
            shown = null;
            curve.set(null);
            note.set("");
            title.set(String.format(Locale.ROOT, "%s eigenvector %s: λ = %s (%s of %,d), computing…",
                    ladder.curvature().label(), name(lam, ladder.parameters() - 1 - index), Fmt.num(lam),
                    rank(lam, index, ladder.parameters()), ladder.parameters()));
            open.set(true);
            vectorThread.execute(() -> {
                Picked done;
                try {
                    done = new Picked(serial, frame, ladder, source.eigenpair(index), "");
                } catch (RuntimeException | OutOfMemoryError e) {
                    done = new Picked(serial, frame, ladder, null, e.getClass().getSimpleName() + ": " + e.getMessage());
                }
                picked.post(done);
            });
            return lam;
        }
        SpectraResult.Vectors vs = ladder.vectors();
        if (vs == null || vs.count() == 0) {
            return Double.NaN;
        }
        int k = vs.nearest(lambda);
        double lam = vs.values()[k];
        if (lam == 0 || vs.vector(k).length != p) {
            return Double.NaN;
        }
        requests++;
        int above = 0;
        for (double v : ladder.eigenvalues()) {
            if (v > lam) {
                above++;
            }
        }
        note.set("");
        show(frame, ladder, vs.vector(k), lam, above, ladder.parameters() - 1 - above);
        return lam;
    }

    /** Opens the direction along v: the title, α's unit (at least the float64 floor) and the first frame. */
    private void show(FrameData frame, SpectraResult.Ladder ladder, double[] v, double lam, int above, int index) {
        double floor = ladder.noiseFloor();
        // below the floor 1/√|λ| is meaningless (and huge): the floor sets α's unit instead
        double unit = Math.abs(lam) > floor || floor == 0 ? lam : (lam < 0 ? -floor : floor);
        String label = String.format(Locale.ROOT, "%s eigenvector %s: λ = %s (%s of %,d), α in units of %s = %s",
                ladder.curvature().label(), name(lam, above), Fmt.num(lam), rank(lam, index, ladder.parameters()),
                ladder.parameters(), unit == lam ? "1/√|λ|" : "1/√(P·ε·|λ|max)", Fmt.num(1 / Math.sqrt(Math.abs(unit))));
        direction = new DirectionFrames.Direction(frame, v, unit, label);
        title.set(label);
        open.set(true);
        frames.request(direction, alpha.get(), true);
    }

    private static String name(double lam, int above) {
        return lam > 0 ? "λ" + sub(above + 1) : lam < 0 ? "λ<0" : "λ=0";
    }

    private static String rank(double lam, int index, int p) {
        return lam < 0 ? ordinal(index + 1) + " smallest" : ordinal(p - index) + " largest";
    }

    /**
     * What the inspected vector is worth, one short line under the title ({@link #NOTE_HELP} explains it): empty for a
     * direction set by the matrix; for a zero eigenvalue of a rank-deficient matrix that it is one direction of the
     * null space; for a rung below the float64 floor, or within it of a neighbour, that the vector is noise-dominated;
     * else, when the Davis–Kahan bound is above a degree, how far the direction can turn.
     *
     * @param e     the eigenpair
     * @param zeros how many eigenvalues of the ladder are exactly 0
     * @return the note, empty when none is needed
     */
    static String note(EigenvectorSource.Eigenpair e, int zeros) {
        if (e.value() == 0 && zeros > 1) {
            return String.format(Locale.ROOT, "λ = 0 (%,d times): one direction of the null space", zeros);
        }
        if (e.belowFloor()) {
            return String.format(Locale.ROOT, "Noise-dominated: |λ| = %s < float64 floor %s",
                    Fmt.num(Math.abs(e.value())), Fmt.num(e.noiseFloor()));
        }
        if (e.noiseDominated()) {
            return String.format(Locale.ROOT, "Noise-dominated: gap %s < float64 floor %s",
                    Fmt.num(e.gap()), Fmt.num(e.noiseFloor()));
        }
        double deg = e.angleDegrees();
        return deg < 1 ? "" : String.format(Locale.ROOT, "Close rungs: the direction can turn by up to %.0f°", deg);
    }

    /** What the notes mean (the note's tooltip). */
    static final String NOTE_HELP = "A float64 decomposition is exact for a matrix within P·ε·|λ|max (the floor, dashed on"
            + " the ladder) of H, and such a perturbation turns an eigenvector by up to asin(floor / gap), the gap being"
            + " the distance to the nearest other eigenvalue (Davis–Kahan). Below the floor, or within it of a"
            + " neighbouring rung, the direction is set by rounding, not by the model: any direction of the nearly"
            + " degenerate subspace is as good. An exact zero of a rank-deficient matrix (Gauss–Newton beyond rank N·D)"
            + " has a whole null space of eigenvectors, the directions the batch does not constrain; one is shown.";

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
        Picked p = picked.take();
        if (p != null && p.serial() == requests && open.get()) {
            if (p.pair() == null) {
                title.set("could not compute the eigenvector: " + p.error());
            } else {
                EigenvectorSource.Eigenpair e = p.pair();
                int zeros = 0;
                for (double v : p.ladder().eigenvalues()) {
                    if (v == 0) {
                        zeros++;
                    }
                }
                note.set(note(e, zeros));
                int above = 0;
                for (double v : p.ladder().eigenvalues()) {
                    if (v > e.value()) {
                        above++;
                    }
                }
                show(p.frame(), p.ladder(), e.vector(), e.value(), above, e.index());
            }
        }
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
        requests++;
        note.set("");
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

    /** @return what the vector is worth when that needs saying (noise-dominated, a null space), else empty */
    public ReadOnlyStringProperty noteProperty() {
        return note.getReadOnlyProperty();
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
        vectorThread.shutdownNow();
    }
}
