package org.scorescope.autodiff;

/** Per-thread autodiff state: grad mode and the dual-level counter. */
final class State {
    private static final ThreadLocal<State> CURRENT = ThreadLocal.withInitial(State::new);

    boolean gradEnabled = true;
    /**
     * Last level handed out. Levels only grow, so a new level is larger than every active one and a
     * dual that escapes its jvp can never be confused with a later level.
     */
    int lastLevel;

    static State get() {
        return CURRENT.get();
    }
}
