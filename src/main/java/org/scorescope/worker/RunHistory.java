package org.scorescope.worker;

import java.util.concurrent.TimeUnit;
import org.scorescope.train.Series;
import org.scorescope.train.TrainingSnapshot;

/**
 * The metric history of a run in the training worker: the trainer's own (bounded, decimated) series of step, loss,
 * Fisher divergence and held-out NLL, and their decimated lines for the charts, redrawn at most every 100 ms while
 * training. It holds the trainer's immutable views rather than a copy, so the worker's memory does not grow with the
 * run either. Worker thread only.
 */
final class RunHistory {
    private static final long CHART_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int CHART_BUCKETS = 200;
    private static final Decimator.Line NO_LINE = new Decimator.Line(new double[0], new double[0]);

    private TrainingSnapshot.Curves curves;
    private boolean dirty = true;
    private long lastChart;
    private Decimator.Line lossLine = NO_LINE;
    private Decimator.Line fisherLine = NO_LINE;
    private Decimator.Line nllLine = NO_LINE;

    /** Forgets everything (a fresh model or a loaded one). */
    void clear() {
        curves = null;
        dirty = true;
    }

    /**
     * Takes the trainer's newest series.
     *
     * @param snap the trainer's newest snapshot, or null
     */
    void sync(TrainingSnapshot snap) {
        if (snap == null) {
            return;
        }
        TrainingSnapshot.Curves c = snap.curves();
        if (curves == null || c.steps().length() != curves.steps().length()
                || c.steps().last() != curves.steps().last() || c.nlls().last() != curves.nlls().last()) {
            dirty = true;
        }
        curves = c;
    }

    /**
     * Redraws the chart lines if the history changed and they are due.
     *
     * @param now     System.nanoTime()
     * @param running whether training is running (when paused, every change is drawn at once)
     */
    void decimate(long now, boolean running) {
        if (dirty && (now - lastChart >= CHART_NANOS || !running)) {
            if (curves == null) {
                lossLine = NO_LINE;
                fisherLine = NO_LINE;
                nllLine = NO_LINE;
            } else {
                Series.View s = curves.steps();
                lossLine = Decimator.decimate(s, curves.losses(), CHART_BUCKETS, false);
                fisherLine = Decimator.decimate(s, curves.fishers(), CHART_BUCKETS, true);
                nllLine = Decimator.decimate(s, curves.nlls(), CHART_BUCKETS, false);
            }
            dirty = false;
            lastChart = now;
        }
    }

    /** @return the decimated loss line */
    Decimator.Line lossLine() {
        return lossLine;
    }

    /** @return the decimated Fisher divergence line */
    Decimator.Line fisherLine() {
        return fisherLine;
    }

    /** @return the decimated held-out NLL line */
    Decimator.Line nllLine() {
        return nllLine;
    }

    /** @return the steps, a read-only view */
    Series.View steps() {
        return curves == null ? StillFrame.NO_HISTORY : curves.steps();
    }

    /** @return the losses, a read-only view */
    Series.View losses() {
        return curves == null ? StillFrame.NO_HISTORY : curves.losses();
    }

    /** @return the held-out NLLs, a read-only view */
    Series.View nlls() {
        return curves == null ? StillFrame.NO_HISTORY : curves.nlls();
    }

    /** @return the Fisher divergences, a read-only view */
    Series.View fishers() {
        return curves == null ? StillFrame.NO_HISTORY : curves.fishers();
    }
}
