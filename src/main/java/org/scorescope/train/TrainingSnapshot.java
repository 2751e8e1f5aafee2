package org.scorescope.train;

import org.scorescope.model.ModelState;

/**
 * What the training worker publishes: an immutable picture of the run after {@code step} steps,
 * safe to read on any thread. Histories are per recorded step (see {@link Trainer}).
 *
 * @param step steps taken
 * @param status running state
 * @param message human-readable diagnosis (why it stopped, what was restored), empty if none
 * @param model the current (last finite) model and its parameters
 * @param loss loss of the last step
 * @param fisher Fisher divergence ½E‖s_θ − s_true‖² of the last evaluation, NaN where the data has no known score
 * @param gradNorm gradient norm before clipping of the last step
 * @param learningRate learning rate used by the last step
 * @param msPerStep smoothed wall time per step, milliseconds
 * @param curves the metric histories
 */
public record TrainingSnapshot(long step, Status status, String message, ModelState model, double loss,
                               double fisher, double gradNorm, double learningRate, double msPerStep, Curves curves) {

    /**
     * The metric histories, immutable views of the trainer's series.
     *
     * @param steps step number of each history entry
     * @param losses loss history
     * @param fishers Fisher divergence history (NaN between evaluations or when unknown)
     * @param nlls held-out NLL history, nats (NaN between evaluations or when unknown)
     */
    public record Curves(Series.View steps, Series.View losses, Series.View fishers, Series.View nlls) {
    }

    /** @return step number of each history entry */
    public Series.View steps() {
        return curves.steps();
    }

    /** @return the loss history */
    public Series.View losses() {
        return curves.losses();
    }

    /** @return the Fisher divergence history */
    public Series.View fishers() {
        return curves.fishers();
    }

    /** @return the held-out NLL history */
    public Series.View nlls() {
        return curves.nlls();
    }

    /** State of a run. */
    public enum Status {
        /** Ready, no step taken since the last reset. */
        IDLE,
        /** Steps are being taken. */
        RUNNING,
        /** Stopped by the user. */
        PAUSED,
        /** Stopped because the loss or the parameters stopped being finite; the last finite model is kept. */
        DIVERGED
    }
}
