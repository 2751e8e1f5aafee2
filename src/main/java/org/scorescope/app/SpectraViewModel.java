package org.scorescope.app;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.scorescope.field.ViewBox;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.SpectraComputer;
import org.scorescope.worker.SpectraResult;
import org.scorescope.worker.SpectraService;
import org.scorescope.worker.WorkerState;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * The Spectra panel's view-model: when to compute the parameter-curvature ladders, the local Hessian glyphs and
 * the critical points of the newest snapshot (in the background, {@link SpectraService}); which curvature is shown
 * first (Hessian or Gauss–Newton: every result holds both); when to ask for all P Hessian eigenvalues (the dense
 * decomposition: when none is known for the model, when not training, or after {@link #FULL_IDLE_FACTOR} times its
 * last duration); the newest result, the ladder history, the one-line summary and the eigenvector inspector.
 * Results that belong to data or a model that have since been replaced are dropped. Owner (FX) thread only.
 */
public final class SpectraViewModel {
    /** Default training steps between background spectra computations. */
    static final int DEFAULT_SPECTRA_EVERY = 200;
    /**
     * While training, the next scheduled spectra computation waits at least this many times as long as
     * the last one took, so that the spectra thread takes at most 1/(1 + factor) of a core: a large
     * model's Lanczos run takes seconds of CPU, and back to back it would starve the FX and render
     * threads of a small machine.
     */
    static final double SPECTRA_IDLE_FACTOR = 3;
    /**
     * While training, all P Hessian eigenvalues (the dense decomposition, seconds at P ≈ 4400) are asked for again
     * only after this many times as long as the last one took: the Lanczos ends, a fraction of the cost, keep the
     * ladder's top and bottom current meanwhile, and the dense run takes at most 1/(1 + factor) of a core.
     */
    static final double FULL_IDLE_FACTOR = 5;
    /** Spectra computations kept for the ladder history chart. */
    private static final int MAX_SPECTRA_HISTORY = 300;
    private final IntegerProperty spectraEvery = new SimpleIntegerProperty(DEFAULT_SPECTRA_EVERY);
    private final BooleanProperty showGlyphs = new SimpleBooleanProperty(false);
    private final BooleanProperty spectraShown = new SimpleBooleanProperty(false);
    private final ReadOnlyObjectWrapper<SpectraResult> spectraResult = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper spectraText = new ReadOnlyStringWrapper("no spectra yet: press Compute now or train");
    private final ArrayList<SpectraResult> spectraHistory = new ArrayList<>();
    private final SpectraService spectra = new SpectraService();
    private final InspectorViewModel inspector = new InspectorViewModel();
    private long spectraRequestedStep = -1;
    /** The snapshots of the last requests: the inspector moves the θ of the one a result came from. */
    private final java.util.ArrayDeque<FrameData> requestedFrames = new java.util.ArrayDeque<>();
    private long spectraNotBefore = System.nanoTime();
    private long fullNotBefore = System.nanoTime();
    private final ObjectProperty<SpectraResult.Curvature> curvature =
            new SimpleObjectProperty<>(SpectraResult.Curvature.HESSIAN);
    /** The newest complete Hessian spectrum (all P) and its step, drawn behind newer Lanczos ends. */
    private SpectraResult.Ladder lastFull;
    private long lastFullStep = -1;

    private final ReadOnlyObjectProperty<FrameData> frame;
    private final ObjectProperty<ViewBox> viewBox;

    /**
     * @param frame the newest frame (the main view-model's)
     * @param viewBox the visible part of the plane (glyphs are computed over it)
     */
    SpectraViewModel(ReadOnlyObjectProperty<FrameData> frame, ObjectProperty<ViewBox> viewBox) {
        this.frame = frame;
        this.viewBox = viewBox;
        spectraShown.addListener((o, was, now) -> {
            FrameData f = frame.get();
            SpectraResult r = spectraResult.get();
            if (now && f != null && f.model() != null && f.pointCount() > 0 && !spectra.isBusy()
                    && (r == null ? spectraRequestedStep != f.step() : r.step() != f.step())) {
                requestSpectra(f);
            }
        });
        curvature.addListener((o, was, now) -> {
            // Both ladders are in every result: swap them at once, then recompute the slice along the new top vector.
            SpectraResult r = spectraResult.get();
            if (r != null && r.ok() && r.companion() != null && r.curvature() != now) {
                spectraResult.set(r.withLadders(r.companion(), r.ladder(), r.millis()));
                spectraText.set(summary(spectraResult.get()));
            }
            FrameData f = frame.get();
            if (f != null && f.model() != null && f.pointCount() > 0) {
                requestSpectra(f);
            }
        });
    }

    /**
     * Per animation frame: asks the {@link SpectraService} for the spectra of the newest snapshot when they are
     * on screen (the Spectra tab or the glyphs), training has advanced {@link #spectraEveryProperty()} steps since
     * the last request, no computation is under way and the thread has rested {@link #SPECTRA_IDLE_FACTOR} times
     * the last computation's duration, then takes a finished result (if any) into {@link #spectraResultProperty()}
     * and the history. Never computes on the calling thread.
     *
     * @return the new result, or null if none arrived since the last call
     */
    public SpectraResult pollSpectra() {
        FrameData f = frame.get();
        if (f != null && f.state() == WorkerState.RUNNING && f.model() != null && f.pointCount() > 0
                && (spectraShown.get() || showGlyphs.get()) && !spectra.isBusy() && System.nanoTime() - spectraNotBefore >= 0
                && (spectraRequestedStep < 0 || f.step() < spectraRequestedStep
                || f.step() - spectraRequestedStep >= Math.max(1, spectraEvery.get()))) {
            requestSpectra(f);
        }
        SpectraResult r = spectra.take();
        if (r == null) {
            return null;
        }
        SpectraResult prev = spectraResult.get();
        boolean completion = prev != null && prev.ok() && prev.step() == r.step() && (prev.pending()
                || prev.companion() != null && prev.companion().pending());
        if (!completion) {
            spectraNotBefore = System.nanoTime() + (long) (SPECTRA_IDLE_FACTOR * r.millis() * 1e6);
        }
        if (r.ok() && r.curvature() != curvature.get() && r.companion() != null) {
            r = r.withLadders(r.companion(), r.ladder(), r.millis()); // the toggle moved while it was computed
        }
        if (r.ok() && lastFull != null && lastFullStep == r.step()) {
            // Ends of a step whose all P eigenvalues are known (e.g. the glyphs were asked for): show all P.
            boolean hFirst = r.curvature() == SpectraResult.Curvature.HESSIAN;
            SpectraResult.Ladder h = hFirst ? r.ladder() : r.companion();
            if (h != null && !"full".equals(h.method())) {
                SpectraResult.Ladder all = lastFull;
                r = r.withLadders(hFirst ? all : r.ladder(), hFirst ? r.companion() : all, r.millis());
            }
        }
        if (r.ok()) {
            SpectraResult.Ladder h = r.curvature() == SpectraResult.Curvature.HESSIAN ? r.ladder() : r.companion();
            if (h != null && "full".equals(h.method()) && h.parameters() > FULL_LIMIT_APP) {
                lastFull = h;
                lastFullStep = r.step();
                if (completion) {
                    fullNotBefore = System.nanoTime() + (long) (FULL_IDLE_FACTOR * r.millis() * 1e6);
                }
            }
            if (!spectraHistory.isEmpty() && r.step() < spectraHistory.get(spectraHistory.size() - 1).step()) {
                spectraHistory.clear(); // a reset: the old ladders belong to another run
            }
            // the history draws eigenvalues only: the on-demand eigenvectors (up to half a P × P matrix) stay with r
            if (completion && !spectraHistory.isEmpty()
                    && spectraHistory.get(spectraHistory.size() - 1).step() == r.step()) {
                spectraHistory.set(spectraHistory.size() - 1, r.withoutSources());
            } else {
                spectraHistory.add(r.withoutSources());
            }
            if (spectraHistory.size() > MAX_SPECTRA_HISTORY) {
                spectraHistory.remove(0);
            }
            spectraText.set(summary(r));
        } else {
            spectraText.set("spectra failed at step " + r.step() + ": " + r.error());
        }
        spectraResult.set(r);
        return r;
    }

    private static final int FULL_LIMIT_APP = org.scorescope.worker.SpectraComputer.FULL_LIMIT;

    private String summary(SpectraResult r) {
        String all = r.pending() ? " · all P computing…" : "";
        return String.format(Locale.ROOT, "step %,d · %s %s · P = %,d · B = %d · %.1f decades above the float64 floor · "
                        + "%d negative · %,d ms%s", r.step(), r.curvature().label(), r.method(), r.parameters(), r.batch(),
                r.span(), r.negatives(), r.millis(), all) + (r.outcome().detail().isEmpty() ? "" : "\n" + r.outcome().detail());
    }

    /**
     * @return the newest complete Hessian spectrum when it is older than the result shown (drawn behind newer
     *         Lanczos ends), else null
     */
    public SpectraResult.Ladder olderFullLadder() {
        SpectraResult r = spectraResult.get();
        if (lastFull == null || r == null || !r.ok() || r.curvature() != SpectraResult.Curvature.HESSIAN
                || "full".equals(r.method())) {
            return null;
        }
        return lastFull;
    }

    /** @return the step of {@link #olderFullLadder()}, −1 when there is none */
    public long olderFullStep() {
        return lastFull == null ? -1 : lastFullStep;
    }

    /** @return the curvature whose ladder is shown first and followed by the slice and the history */
    public ObjectProperty<SpectraResult.Curvature> curvatureProperty() {
        return curvature;
    }

    /** The data or the model changed: the spectra shown belong to something else. */
    void spectraStale() {
        spectra.invalidate();
        lastFull = null;
        lastFullStep = -1;
        fullNotBefore = System.nanoTime();
        spectraHistory.clear();
        requestedFrames.clear();
        inspector.close();
        spectraResult.set(null);
        spectraRequestedStep = -1;
        spectraText.set("the data or the model changed: no spectra yet (Compute now, or train)");
    }

    /** Computes the spectra of the newest snapshot now (in the background); a pending older request is dropped. */
    public void computeSpectraNow() {
        FrameData f = frame.get();
        if (f == null || f.model() == null || f.pointCount() == 0) {
            spectraText.set("no model or no data to analyse yet");
            return;
        }
        requestSpectra(f);
    }

    private void requestSpectra(FrameData f) {
        spectraRequestedStep = f.step();
        requestedFrames.addFirst(f);
        while (requestedFrames.size() > 4) {
            requestedFrames.removeLast();
        }
        spectraText.set(String.format(Locale.ROOT, "computing spectra of step %,d …", f.step()));
        // All P eigenvalues, unless those of this very step are known: when none is known yet for this model, when
        // training is not running (Compute now, paused), or when the last dense run has rested FULL_IDLE_FACTOR times
        // its duration.
        boolean full = lastFullStep != f.step() && (lastFull == null || f.state() != WorkerState.RUNNING
                || System.nanoTime() - fullNotBefore >= 0);
        spectra.request(f, viewBox.get(), new SpectraComputer.Options(curvature.get(), full));
    }

    /** @return the ladder history, oldest first (FX thread only) */
    public List<SpectraResult> spectraHistory() {
        return Collections.unmodifiableList(spectraHistory);
    }

    /** @return the newest spectra result, or null before the first */
    public ReadOnlyObjectProperty<SpectraResult> spectraResultProperty() {
        return spectraResult.getReadOnlyProperty();
    }

    /** @return a one-line summary of the newest spectra (span, P, method, time) or the computation's state */
    public ReadOnlyStringProperty spectraTextProperty() {
        return spectraText.getReadOnlyProperty();
    }

    /** @return every how many training steps the spectra are recomputed while running */
    public IntegerProperty spectraEveryProperty() {
        return spectraEvery;
    }

    /**
     * Whether the spectra view is on screen (the controller binds it to the Spectra tab). Spectra are
     * recomputed while training only when they are shown here or as glyphs: on a two-core machine a hidden
     * ladder would take a quarter of a core from training and drawing. Showing it asks at once for the spectra
     * of the newest snapshot if the last ones are of an older step.
     *
     * @return the property
     */
    public BooleanProperty spectraShownProperty() {
        return spectraShown;
    }

    /** @return whether the local-Hessian glyphs are drawn over the field */
    public BooleanProperty showGlyphsProperty() {
        return showGlyphs;
    }

    /** @return the background spectra service (for tests and shutdown) */
    public SpectraService spectraService() {
        return spectra;
    }

    /**
     * The ladders on screen as comparable ladders (each normalized by its own λmax when drawn or written).
     *
     * @return the shown ladder and its companion, or an empty list before the first result
     */
    public List<org.scorescope.analysis.LadderComparison.Ladder> shownLadders() {
        SpectraResult r = spectraResult.get();
        List<org.scorescope.analysis.LadderComparison.Ladder> out = new ArrayList<>();
        if (r == null || !r.ok()) {
            return out;
        }
        for (SpectraResult.Ladder l : new SpectraResult.Ladder[] {r.ladder(), r.companion()}) {
            if (l != null && l.eigenvalues().length > 0) {
                String what = l.method().startsWith("full") ? "full" : "lanczos";
                out.add(new org.scorescope.analysis.LadderComparison.Ladder(
                        l.curvature() == SpectraResult.Curvature.HESSIAN ? "Hessian" : "Gauss–Newton", what,
                        l.eigenvalues(), l.maxAbs(), l.noiseFloor(), l.span()));
            }
        }
        return out;
    }

    /** Largest P whose compared ladders are all P eigenvalues; beyond it each loss shows its Lanczos ends. */
    static final int COMPARE_FULL_LIMIT = 1500;

    /**
     * The newest frame's model under the exact, sliced and denoising losses and as Gauss–Newton, on the spectra's
     * evaluation batch ({@link org.scorescope.analysis.LadderComparison}): all P eigenvalues up to
     * {@link #COMPARE_FULL_LIMIT}, the Lanczos top and bottom 20 beyond (Gauss–Newton is always complete).
     * Computed on its own thread from the frame's immutable copy of θ.
     *
     * @return the ladders, in that order, or a failed future without a model or data
     */
    public java.util.concurrent.CompletableFuture<List<org.scorescope.analysis.LadderComparison.Ladder>>
            compareLosses() {
        FrameData f = frame.get();
        if (f == null || f.model() == null || f.pointCount() == 0) {
            return java.util.concurrent.CompletableFuture.failedFuture(
                    new IllegalStateException("no model and data to compare yet"));
        }
        org.scorescope.model.ModelState m = f.model();
        double[][] batch = SpectraComputer.evaluationBatch(f.points());
        double sigma = f.config().objective().sigma();
        java.util.concurrent.CompletableFuture<List<org.scorescope.analysis.LadderComparison.Ladder>> out =
                new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                out.complete(org.scorescope.analysis.LadderComparison.compute(m.model(), m.theta(), batch,
                        SpectraComputer.SEED, org.scorescope.analysis.LadderComparison.NAMES, sigma,
                        COMPARE_FULL_LIMIT, 20));
            } catch (RuntimeException | OutOfMemoryError e) {
                out.completeExceptionally(e);
            }
        }, "scorescope-ladder-compare");
        t.setDaemon(true);
        t.start();
        return out;
    }

    /** @return a title for compared ladders: the step, P and B of the newest frame */
    public String compareTitle() {
        FrameData f = frame.get();
        return f == null || f.model() == null ? "" : String.format(Locale.ROOT,
                "step %,d, P = %,d, %d points: the losses' Hessians and Gauss–Newton, each over its λmax", f.step(),
                f.model().model().parameterCount(), SpectraComputer.evaluationBatch(f.points()).length);
    }

    /** @return a title for exported ladders: the step, P and B of the result shown */
    public String shownTitle() {
        SpectraResult r = spectraResult.get();
        return r == null ? "" : String.format(Locale.ROOT, "step %,d, P = %,d, %d points: ladders normalized by λmax",
                r.step(), r.parameters(), r.batch());
    }

    /**
     * Shows a line in the status (e.g. where an export went).
     *
     * @param message the line
     */
    void say(String message) {
        spectraText.set(message);
    }

    /** @return the eigenvector inspector */
    public InspectorViewModel inspector() {
        return inspector;
    }

    /**
     * A click on the ladders: opens the inspector on a rung's eigenvector of the ladder (0 the shown one, 1 its
     * companion), for the snapshot the result was computed from: rung {@code index} of a ladder with all P
     * eigenvectors on demand, else the nearest rung with a stored eigenvector.
     *
     * @param lambda the eigenvalue under the pointer
     * @param column 0 or 1
     * @param index  the rung's index in the ladder's eigenvalues (ascending), −1 to pick the nearest stored vector
     * @return the eigenvalue inspected, NaN when none
     */
    public double inspect(double lambda, int column, int index) {
        SpectraResult r = spectraResult.get();
        if (r == null || !r.ok()) {
            return Double.NaN;
        }
        for (FrameData f : requestedFrames) {
            if (f.step() == r.step()) {
                return inspector.inspect(f, column == 0 ? r.ladder() : r.companion(), lambda, index);
            }
        }
        return Double.NaN;
    }

    /** Stops the spectra and inspector threads. */
    void close() {
        spectra.close();
        inspector.shutdown();
    }
}
