package org.scorescope.worker;

import java.util.concurrent.TimeUnit;
import org.scorescope.data.GaussianMixture;
import org.scorescope.field.FieldComputer;
import org.scorescope.field.FieldFrame;
import org.scorescope.field.FieldRequest;
import org.scorescope.model.ModelState;
import org.scorescope.threads.Mailbox;

/**
 * The fields of the view in the training worker (grids, images, contours, arrows): recomputed at once when the
 * view changes, and for a changed model while training at most every max(80 ms, 4 × their cost), so they take
 * at most about a fifth of the worker's time. The view arrives from any thread through a mailbox
 * ({@link #post}); the rest runs on the worker thread.
 */
final class ViewFields {
    private static final long MIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(80);

    private final Mailbox<FieldRequest> pending = new Mailbox<>();
    private final FieldComputer computer = new FieldComputer();
    private FieldRequest view;
    private FieldFrame field;
    private long modelVersion = -1;
    private long at;
    private long cost;
    private String error = "";

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
     * @param truth   the true density to draw, or null
     * @param running whether training is running (paused, every change is computed at once)
     * @return whether the fields (or the error) changed
     */
    boolean update(ModelState model, long version, long step, GaussianMixture truth, boolean running) {
        if (model == null || view == null) {
            return false;
        }
        boolean viewChanged = field == null || !view.equals(field.request());
        if (!viewChanged && modelVersion == version) {
            return false;
        }
        long now = System.nanoTime();
        if (!viewChanged && running && now - at < Math.max(MIN_INTERVAL_NANOS, 4 * cost)) {
            return false;
        }
        modelVersion = version;
        try {
            field = computer.compute(model, step, truth, view);
            error = "";
        } catch (IllegalStateException | IllegalArgumentException e) {
            // Keep the last drawable fields; say why they are stale without hiding other diagnoses.
            error = "Cannot draw the current model: " + e.getMessage();
        }
        at = System.nanoTime();
        cost = at - now;
        return true;
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
