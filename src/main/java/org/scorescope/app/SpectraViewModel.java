package org.scorescope.app;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.scorescope.field.ViewBox;
import org.scorescope.worker.FrameData;
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

/**
 * The Spectra panel's view-model: when to compute the parameter-Hessian ladder and the local
 * Hessian glyphs of the newest snapshot (in the background, {@link SpectraService}), the newest
 * result, the ladder history and the one-line summary. Results that belong to data or a model that
 * have since been replaced are dropped. Owner (FX) thread only.
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
    /** Spectra computations kept for the ladder history chart. */
    private static final int MAX_SPECTRA_HISTORY = 300;
    private final IntegerProperty spectraEvery = new SimpleIntegerProperty(DEFAULT_SPECTRA_EVERY);
    private final BooleanProperty showGlyphs = new SimpleBooleanProperty(false);
    private final BooleanProperty spectraShown = new SimpleBooleanProperty(false);
    private final ReadOnlyObjectWrapper<SpectraResult> spectraResult = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper spectraText = new ReadOnlyStringWrapper("no spectra yet: press Compute now or train");
    private final ArrayList<SpectraResult> spectraHistory = new ArrayList<>();
    private final SpectraService spectra = new SpectraService();
    private long spectraRequestedStep = -1;
    private boolean dropNextSpectra;
    private long spectraNotBefore = System.nanoTime();

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
        if (dropNextSpectra) {
            dropNextSpectra = false;
            return null; // computed for data or a model that are gone
        }
        spectraNotBefore = System.nanoTime() + (long) (SPECTRA_IDLE_FACTOR * r.millis() * 1e6);
        if (r.ok()) {
            if (!spectraHistory.isEmpty() && r.step() < spectraHistory.get(spectraHistory.size() - 1).step()) {
                spectraHistory.clear(); // a reset: the old ladders belong to another run
            }
            spectraHistory.add(r);
            if (spectraHistory.size() > MAX_SPECTRA_HISTORY) {
                spectraHistory.remove(0);
            }
            spectraText.set(String.format(Locale.ROOT, "step %,d · %s · P = %,d · B = %d · %.1f decades · %d negative · %,d ms",
                    r.step(), r.method(), r.parameters(), r.batch(), r.span(), r.negatives(), r.millis()));
        } else {
            spectraText.set("spectra failed at step " + r.step() + ": " + r.error());
        }
        spectraResult.set(r);
        return r;
    }

    /** The data or the model changed: the spectra shown belong to something else. */
    void spectraStale() {
        dropNextSpectra = spectra.isBusy();
        spectraHistory.clear();
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
        spectraText.set(String.format(Locale.ROOT, "computing spectra of step %,d …", f.step()));
        spectra.request(f, viewBox.get());
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

    /** Stops the spectra thread. */
    void close() {
        spectra.close();
    }
}
