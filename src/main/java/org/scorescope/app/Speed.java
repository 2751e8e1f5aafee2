package org.scorescope.app;

/** Training speed caps offered in the toolbar. */
public enum Speed {
    /** 2 steps per second: watch single updates. */
    CRAWL("2 steps/s", 2),
    /** 10 steps per second. */
    SLOW("10 steps/s", 10),
    /** 60 steps per second. */
    MEDIUM("60 steps/s", 60),
    /** As fast as the worker can go. */
    FULL("full speed", Double.POSITIVE_INFINITY);

    private final String label;
    private final double perSecond;

    Speed(String label, double perSecond) {
        this.label = label;
        this.perSecond = perSecond;
    }

    /** @return the cap in steps per second (+∞ for none) */
    public double perSecond() {
        return perSecond;
    }

    /** @return the label shown in the UI */
    @Override
    public String toString() {
        return label;
    }
}
