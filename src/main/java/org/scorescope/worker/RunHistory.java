package org.scorescope.worker;

import java.util.concurrent.TimeUnit;
import org.scorescope.train.Series;
import org.scorescope.train.TrainingSnapshot;

/**
 * The metric history of a run in the training worker: step, loss and Fisher divergence of every step, and their
 * decimated lines for the charts, redrawn at most every 100 ms while training. Worker thread only.
 */
final class RunHistory {
    private static final long CHART_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int CHART_BUCKETS = 200;

    private Series steps = new Series();
    private Series losses = new Series();
    private Series fishers = new Series();
    private int copied;
    private boolean dirty = true;
    private long lastChart;
    private Decimator.Line lossLine = new Decimator.Line(new double[0], new double[0]);
    private Decimator.Line fisherLine = new Decimator.Line(new double[0], new double[0]);

    /** Forgets everything (a fresh model or a loaded one). */
    void clear() {
        steps = new Series();
        losses = new Series();
        fishers = new Series();
        copied = 0;
        dirty = true;
    }

    /**
     * Copies the trainer's new entries.
     *
     * @param snap the trainer's newest snapshot, or null
     */
    void sync(TrainingSnapshot snap) {
        if (snap == null) {
            return;
        }
        Series.View s = snap.steps();
        Series.View l = snap.losses();
        Series.View f = snap.fishers();
        if (s.length() < copied) {
            // The trainer dropped the steps after a divergence's restore point: copy its history afresh.
            steps = new Series();
            losses = new Series();
            fishers = new Series();
            copied = 0;
        }
        for (int i = copied; i < s.length(); i++) {
            steps.add(s.get(i));
            losses.add(l.get(i));
            fishers.add(f.get(i));
        }
        if (s.length() > copied) {
            dirty = true;
        }
        copied = s.length();
    }

    /**
     * Redraws the chart lines if the history changed and they are due.
     *
     * @param now     System.nanoTime()
     * @param running whether training is running (when paused, every change is drawn at once)
     */
    void decimate(long now, boolean running) {
        if (dirty && (now - lastChart >= CHART_NANOS || !running)) {
            Series.View s = steps.view();
            lossLine = Decimator.decimate(s, losses.view(), CHART_BUCKETS, false);
            fisherLine = Decimator.decimate(s, fishers.view(), CHART_BUCKETS, true);
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

    /** @return the steps, a read-only view */
    Series.View steps() {
        return steps.view();
    }

    /** @return the losses, a read-only view */
    Series.View losses() {
        return losses.view();
    }

    /** @return the Fisher divergences, a read-only view */
    Series.View fishers() {
        return fishers.view();
    }
}
