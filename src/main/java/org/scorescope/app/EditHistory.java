package org.scorescope.app;

import java.util.ArrayDeque;
import java.util.Deque;
import org.scorescope.train.TrainingConfig;

/**
 * Undo and redo of the user's edits of settings and data: each entry is the state before an edit,
 * the settings and (for drawn or imported data) the points; generated data are described by the
 * settings alone. At most {@link #LIMIT} edits are kept. Plain Java, owner thread only.
 */
final class EditHistory {
    /** Edits kept for undo. */
    static final int LIMIT = 100;

    /**
     * A state to return to.
     *
     * @param config the settings
     * @param points the user's points, or null when the data are the settings' generated data
     */
    record State(TrainingConfig config, double[][] points) {
    }

    private final Deque<State> undo = new ArrayDeque<>();
    private final Deque<State> redo = new ArrayDeque<>();

    /** Records the state before an edit; a new edit clears what could be redone. */
    void record(State before) {
        undo.push(before);
        if (undo.size() > LIMIT) {
            undo.removeLast();
        }
        redo.clear();
    }

    /**
     * @param current the state now, which redo returns to
     * @return the state before the last edit, or null when there is none
     */
    State undo(State current) {
        if (undo.isEmpty()) {
            return null;
        }
        redo.push(current);
        return undo.pop();
    }

    /**
     * @param current the state now, which undo returns to
     * @return the state the last undo left, or null when there is none
     */
    State redo(State current) {
        if (redo.isEmpty()) {
            return null;
        }
        undo.push(current);
        return redo.pop();
    }

    /** @return whether there is an edit to undo */
    boolean canUndo() {
        return !undo.isEmpty();
    }

    /** @return whether there is an undone edit to redo */
    boolean canRedo() {
        return !redo.isEmpty();
    }
}
