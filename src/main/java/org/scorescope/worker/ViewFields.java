package org.scorescope.worker;

import java.util.concurrent.TimeUnit;
import org.scorescope.analysis.PerturbedDensity;
import org.scorescope.data.GaussianMixture;
import org.scorescope.field.FieldComputer;
import org.scorescope.field.FieldFrame;
import org.scorescope.field.FieldRequest;
import org.scorescope.field.FlowDensity;
import org.scorescope.model.DiffusionMlp;
import org.scorescope.model.ModelState;
import org.scorescope.threads.Mailbox;

/**
 * The fields of the view in the training worker (grids, images, contours, arrows): recomputed at once when the
 * view changes or a new probability-flow density arrives, and for a changed model while training at most every
 * max(80 ms, 4 × their cost), so they take at most about a fifth of the worker's time. The view arrives from any
 * thread through a mailbox ({@link #post}); the rest runs on the worker thread. A diffusion model's own density
 * comes from a {@link FlowDensityService} (started with the first diffusion model), asked for the shown snapshot
 * and noise level with every computation; without a true density, the perturbed densities of a time-conditional
 * model are those of the data's KDE, built once per data version.
 */
final class ViewFields implements AutoCloseable {
    private static final long MIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(80);
    /** Kernels of the data's KDE (p_t of data without a closed form). */
    private static final int KDE_POINTS = 400;

    private final Mailbox<FieldRequest> pending = new Mailbox<>();
    private final FieldComputer computer = new FieldComputer();
    private FieldRequest view;
    private FieldFrame field;
    private long modelVersion = -1;
    private long at;
    private long cost;
    private String error = "";
    private final Runnable wake;
    private volatile FlowDensityService flows;
    private FlowDensity usedFlow;
    private GaussianMixture kde;
    private long kdeVersion = -1;

    /** @param wake wakes the worker thread (a new flow density is ready) */
    ViewFields(Runnable wake) {
        this.wake = wake;
    }

    /** @param request the view to compute fields for (the newest wins); any thread */
    void post(FieldRequest request) {
        pending.post(request);
    }

    /** @return whether a view is waiting */
    boolean hasPending() {
        return !pending.isEmpty();
    }

    /** @return true if a different view was taken over (a new frame is due) */
    boolean applyPending() {
        FieldRequest v = pending.take();
        if (v != null && !v.equals(view)) {
            view = v;
            return true;
        }
        return false;
    }

    /**
     * Recomputes the fields when the view changed, or the model changed and they are due.
     *
     * @param model   the current model, or null
     * @param version its version (changes with every step)
     * @param step    its step count (shown with the fields)
     * @param data    the data and their true density (null when unknown)
     * @param running whether training is running (paused, every change is computed at once)
     * @return whether the fields (or the error) changed
     */
    boolean update(ModelState model, long version, long step, RunData data, boolean running) {
        if (model == null || view == null) {
            return false;
        }
        FlowDensity flow = flows == null ? null : flows.latest();
        boolean viewChanged = field == null || !view.equals(field.request()) || flow != usedFlow;
        if (!viewChanged && modelVersion == version) {
            return false;
        }
        long now = System.nanoTime();
        if (!viewChanged && running && now - at < Math.max(MIN_INTERVAL_NANOS, 4 * cost)) {
            return false;
        }
        modelVersion = version;
        GaussianMixture truth = data.shownTruth();
        try {
            if (model.model() instanceof DiffusionMlp && view.density()) {
                if (flows == null) {
                    flows = new FlowDensityService(wake);
                }
                flows.post(new FlowDensityService.Request(model, version, step, view.area(),
                        PerturbedDensity.time(model.model(), view.noise().time()), view.resolution()));
            }
            usedFlow = flow;
            field = computer.compute(model, step, truth, truth == null ? dataKde(model, data) : null, view, flow);
            error = "";
        } catch (IllegalStateException | IllegalArgumentException e) {
            // Keep the last drawable fields; say why they are stale without hiding other diagnoses.
            error = "Cannot draw the current model: " + e.getMessage();
        }
        at = System.nanoTime();
        cost = at - now;
        return true;
    }

    /** @return the KDE of the data for a time-conditional model, or null */
    private GaussianMixture dataKde(ModelState model, RunData data) {
        if (!PerturbedDensity.applies(model.model()) || data.flat().length < 4) {
            return null;
        }
        if (kdeVersion != data.version()) {
            kdeVersion = data.version();
            try {
                kde = PerturbedDensity.kde(data.flat(), data.flat().length / 2, KDE_POINTS, data.version());
            } catch (IllegalArgumentException e) {
                kde = null;
            }
        }
        return kde;
    }

    /** Stops the flow-density thread, if any. */
    @Override
    public void close() {
        if (flows != null) {
            flows.close();
        }
    }

    /** @return the newest fields, or null */
    FieldFrame field() {
        return field;
    }

    /** @return why the model could not be drawn last time, or "" */
    String error() {
        return error;
    }
}
