package org.scorescope.app;

import javafx.application.Platform;
import javafx.fxml.FXML;
import javafx.scene.control.Alert;
import javafx.scene.control.ComboBox;
import javafx.scene.layout.VBox;
import org.controlsfx.control.StatusBar;
import org.scorescope.Version;

/** Thin controller of {@code MainView.fxml}: binds controls to {@link MainViewModel}, nothing more. */
public final class MainController {
    private final MainViewModel vm;

    @FXML private VBox controlPanel;
    @FXML private ComboBox<String> datasetChoice;
    @FXML private ComboBox<String> modelKindChoice;
    @FXML private FieldCanvas fieldCanvas;
    @FXML private StatusBar statusBar;

    MainController(MainViewModel vm) {
        this.vm = vm;
    }

    @FXML
    private void initialize() {
        datasetChoice.setItems(vm.datasets());
        datasetChoice.valueProperty().bindBidirectional(vm.datasetProperty());
        modelKindChoice.setItems(vm.modelKinds());
        modelKindChoice.valueProperty().bindBidirectional(vm.modelKindProperty());
        statusBar.textProperty().bind(vm.statusProperty());
    }

    @FXML
    private void onQuit() {
        Platform.exit();
    }

    @FXML
    private void onAbout() {
        Alert about = new Alert(Alert.AlertType.INFORMATION);
        about.setTitle("About ScoreScope");
        about.setHeaderText("ScoreScope " + Version.get());
        about.setContentText("Train small 2-D score models and watch their score fields, densities and "
                + "Hessian spectra while they learn.");
        about.initOwner(controlPanel.getScene().getWindow());
        about.show();
    }
}
