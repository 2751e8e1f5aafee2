package org.scorescope.worker;

import java.util.concurrent.TimeUnit;
import org.scorescope.data.GaussianMixture;
import org.scorescope.field.FieldComputer;
import org.scorescope.field.FieldFrame;
import org.scorescope.field.HoverInfo;
import org.scorescope.model.ModelState;
import org.scorescope.threads.Mailbox;

/**
 * The inspector of the training worker: the values under the pointer ({@link HoverInfo}), recomputed for a new
 * point at once and for a changed model at most every 50 ms. The point arrives from any thread through a
 * mailbox ({@link #point}, {@link #clear}); the rest runs on the worker thread.
 */
final class HoverInspector {
    private static final long REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final double[] NONE = {Double.NaN, Double.NaN};

    private final Mailbox<double[]> pending = new Mailbox<>();
    private double[] at;
    private HoverInfo info;
    private long modelVersion = -1;
    private long atNanos;

    /** Asks for the values at (x, y); any thread. */
    void point(double x, double y) {
        pending.post(new double[] {x, y});
    }

    /** Clears the inspector; any thread. */
    void clear() {
        pending.post(NONE);
    }

    /** @return whether a point is waiting */
    boolean hasPending() {
        return !pending.isEmpty();
    }

    /** @return true if a new point (or a clear) was taken over (a new frame is due) */
    boolean applyPending() {
        double[] h = pending.take();
        if (h == null) {
            return false;
        }
        at = Double.isNaN(h[0]) ? null : h;
        modelVersion = -1;
        if (at == null) {
            info = null;
        }
        return true;
    }

    /**
     * Recomputes for a new point, or for a changed model when due.
     *
     * @param model        the current model, or null
     * @param version      its version (changes with every step)
     * @param field        the current fields, or null
     * @param truth        the true density, or null
     * @return whether the values changed
     */
    boolean update(ModelState model, long version, FieldFrame field, GaussianMixture truth) {
        if (at == null || model == null) {
            return false;
        }
        long now = System.nanoTime();
        if (modelVersion == version || (modelVersion >= 0 && now - atNanos < REFRESH_NANOS)) {
            return false;
        }
        modelVersion = version;
        atNanos = now;
        try {
            info = FieldComputer.inspect(model, field, truth, at[0], at[1]);
        } catch (RuntimeException e) {
            info = null;
        }
        return true;
    }

    /** @return the values at the point, or null */
    HoverInfo info() {
        return info;
    }
}
