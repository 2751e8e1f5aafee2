package org.scorescope.render;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which layers of the field view are switched on: an immutable set of {@link Switch}es that a view-model can
 * hold and compare. The layers themselves ({@link Layer}) decide from it, and from what the frame holds,
 * whether they draw.
 */
public final class ViewLayers {
    /** One switch of the view. */
    public enum Switch {
        /** The log-density heat map (dark background). */
        DENSITY,
        /** Labelled contour lines of log p. */
        CONTOURS,
        /** The true density's contours and the true score, where known. */
        TRUTH,
        /** The score field. */
        FIELD,
        /** The score field as streamlines instead of arrows. */
        STREAMLINES,
        /** The data points. */
        DATA,
        /** The Langevin samples. */
        SAMPLES,
        /** The colour bar and the notes. */
        LEGEND
    }

    private static final ViewLayers NONE = new ViewLayers(EnumSet.noneOf(Switch.class));

    private final Set<Switch> on;

    private ViewLayers(EnumSet<Switch> on) {
        this.on = Collections.unmodifiableSet(on);
    }

    /**
     * @param switches the switches that are on
     * @return the set
     */
    public static ViewLayers of(Switch... switches) {
        EnumSet<Switch> s = EnumSet.noneOf(Switch.class);
        Collections.addAll(s, switches);
        return new ViewLayers(s);
    }

    /** @return every switch on except {@link Switch#STREAMLINES}: what the app shows at start */
    public static ViewLayers standard() {
        EnumSet<Switch> s = EnumSet.allOf(Switch.class);
        s.remove(Switch.STREAMLINES);
        return new ViewLayers(s);
    }

    /** @return the empty set: only the background and the grid are drawn */
    public static ViewLayers none() {
        return NONE;
    }

    /**
     * @param s  a switch
     * @param onOff whether it is on in the result
     * @return this set with {@code s} switched as given
     */
    public ViewLayers with(Switch s, boolean onOff) {
        if (on.contains(s) == onOff) {
            return this;
        }
        EnumSet<Switch> next = on.isEmpty() ? EnumSet.noneOf(Switch.class) : EnumSet.copyOf(on);
        if (onOff) {
            next.add(s);
        } else {
            next.remove(s);
        }
        return new ViewLayers(next);
    }

    /**
     * @param s a switch
     * @return whether it is on
     */
    public boolean has(Switch s) {
        return on.contains(s);
    }

    /** @return the switches that are on, unmodifiable */
    public Set<Switch> switches() {
        return on;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ViewLayers v && on.equals(v.on);
    }

    @Override
    public int hashCode() {
        return on.hashCode();
    }

    @Override
    public String toString() {
        return "ViewLayers" + on;
    }
}
