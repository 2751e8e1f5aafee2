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
    /** Nodes in this thread's last reverse pass: the initial size of the next pass's maps. */
    int lastGraphSize = 32;

    static State get() {
        return CURRENT.get();
    }
}
