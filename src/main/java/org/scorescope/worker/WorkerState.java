package org.scorescope.worker;

/** What the training worker is doing, as shown in the status bar. */
public enum WorkerState {
    /** A fresh model, no step taken. */
    IDLE("idle"),
    /** Taking steps. */
    RUNNING("training"),
    /** Stopped by the user. */
    PAUSED("paused"),
    /** Stopped itself because a step produced non-finite numbers; the last finite model is kept. */
    DIVERGED("diverged"),
    /** There are no data points to train on. */
    NO_DATA("no data"),
    /** An unexpected error stopped training (the message says which). */
    ERROR("error");

    private final String label;

    WorkerState(String label) {
        this.label = label;
    }

    /** @return the status-bar word, e.g. "training" */
    public String label() {
        return label;
    }
}
