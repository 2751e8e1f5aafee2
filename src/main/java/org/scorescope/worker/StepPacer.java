package org.scorescope.worker;

/**
 * The training speed of the worker: an optional cap in steps per second (set from any thread), the time the
 * next capped step is due, and the measured rate (steps over windows of at least 0.4 s, restarted after 2 s
 * without steps).
 */
final class StepPacer {
    private volatile double maxPerSecond = Double.POSITIVE_INFINITY;
    private long nextAt;
    private long windowStart;
    private long windowSteps;
    private double perSecond;

    /**
     * @param perSecond the cap; +∞ for as fast as possible
     * @throws IllegalArgumentException unless &gt; 0
     */
    void setMax(double perSecond) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("speed must be > 0 steps/s, got " + perSecond);
        }
        maxPerSecond = perSecond;
    }

    /** @return whether a cap is set */
    boolean capped() {
        return Double.isFinite(maxPerSecond);
    }

    /** @return nanoseconds between capped steps, 0 without a cap */
    long interval() {
        double cap = maxPerSecond;
        return Double.isFinite(cap) ? (long) (1e9 / cap) : 0;
    }

    /** @param now training (re)starts now: the next step is due at once */
    void start(long now) {
        nextAt = now;
    }

    /** @return when the next capped step is due, System.nanoTime() */
    long nextAt() {
        return nextAt;
    }

    /**
     * A capped step was taken.
     *
     * @param now      System.nanoTime()
     * @param interval {@link #interval()}
     */
    void stepped(long now, long interval) {
        nextAt = Math.max(nextAt + interval, now);
    }

    /**
     * Counts the steps of one slice into the measured rate.
     *
     * @param taken steps taken
     * @param now   System.nanoTime()
     */
    void count(int taken, long now) {
        if (windowStart == 0 || now - windowStart > 2_000_000_000L) {
            windowStart = now;
            windowSteps = 0;
        }
        windowSteps += taken;
        if (now - windowStart >= 400_000_000L) {
            perSecond = windowSteps / ((now - windowStart) / 1e9);
            windowStart = now;
            windowSteps = 0;
        }
    }

    /** Training stopped: the rate reads 0 until it is measured again. */
    void stop() {
        perSecond = 0;
    }

    /** @return the measured rate, steps per second */
    double perSecond() {
        return perSecond;
    }
}
