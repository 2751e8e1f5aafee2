package org.scorescope.app;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;

/**
 * Undo and redo of settings and data edits: the {@link EditHistory} and whether each direction has an edit,
 * as properties for the menu items. What a restored state does to the run is the owner's business. Owner
 * (FX) thread only.
 */
final class UndoViewModel {
    private final EditHistory edits = new EditHistory();
    private final ReadOnlyBooleanWrapper canUndo = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper canRedo = new ReadOnlyBooleanWrapper(false);

    /** Records the state before an edit. */
    void record(EditHistory.State before) {
        edits.record(before);
        update();
    }

    /** @return the state to go back to from {@code now}, or null when there is none */
    EditHistory.State undo(EditHistory.State now) {
        EditHistory.State s = edits.undo(now);
        update();
        return s;
    }

    /** @return the state to go forward to from {@code now}, or null when there is none */
    EditHistory.State redo(EditHistory.State now) {
        EditHistory.State s = edits.redo(now);
        update();
        return s;
    }

    ReadOnlyBooleanProperty canUndoProperty() {
        return canUndo.getReadOnlyProperty();
    }

    ReadOnlyBooleanProperty canRedoProperty() {
        return canRedo.getReadOnlyProperty();
    }

    private void update() {
        canUndo.set(edits.canUndo());
        canRedo.set(edits.canRedo());
    }
}
