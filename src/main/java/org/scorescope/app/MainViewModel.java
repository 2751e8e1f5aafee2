package org.scorescope.app;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.scorescope.Version;

/**
 * State of the main window as JavaFX properties. Controllers bind to these; the view-model talks to
 * the numerical core. It holds no references to nodes, so it is testable without a stage.
 */
public final class MainViewModel {
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper("ScoreScope " + Version.get());
    private final StringProperty status = new SimpleStringProperty("Ready");
    private final ObservableList<String> datasets = FXCollections.observableArrayList(
            "8gaussians", "25gaussians", "mixture2", "swissroll", "circles", "rings", "moons",
            "pinwheel", "2spirals", "checkerboard");
    private final StringProperty dataset = new SimpleStringProperty("8gaussians");
    private final ObservableList<String> modelKinds = FXCollections.observableArrayList("energy", "score", "flow");
    private final StringProperty modelKind = new SimpleStringProperty("energy");

    /** @return the window title, "ScoreScope" and the version. */
    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** @return the one-line status shown in the status bar. */
    public StringProperty statusProperty() {
        return status;
    }

    /** @return the dataset names offered. */
    public ObservableList<String> datasets() {
        return datasets;
    }

    /** @return the selected dataset name. */
    public StringProperty datasetProperty() {
        return dataset;
    }

    /** @return the model kinds offered. */
    public ObservableList<String> modelKinds() {
        return modelKinds;
    }

    /** @return the selected model kind. */
    public StringProperty modelKindProperty() {
        return modelKind;
    }

    /** Stops background work; called when the application exits. */
    public void shutdown() {
        status.set("Stopped");
    }
}
