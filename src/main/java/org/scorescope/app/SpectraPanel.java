package org.scorescope.app;

import javafx.collections.FXCollections;
import javafx.scene.Cursor;
import javafx.scene.control.ComboBox;
import org.scorescope.worker.SpectraResult;

/**
 * Wires the Spectra tab's own controls to its view-model, so the main controller only calls {@link #bind}: the
 * Hessian | Gauss–Newton choice, clicks on the ladders (which open the eigenvector inspector on the nearest rung
 * with an eigenvector) and the inspector itself.
 */
final class SpectraPanel {
    private SpectraPanel() {
    }

    /**
     * @param vm        the spectra view-model
     * @param view      the ladders
     * @param inspector the eigenvector inspector
     * @param curvature the Hessian | Gauss–Newton choice
     */
    static void bind(SpectraViewModel vm, SpectraView view, EigenvectorInspector inspector,
                     ComboBox<SpectraResult.Curvature> curvature) {
        ControlBinder.combo(curvature, FXCollections.observableArrayList(SpectraResult.Curvature.values()),
                vm.curvatureProperty(), SpectraResult.Curvature::label);
        inspector.bind(vm.inspector());
        view.setOnMouseMoved(e -> view.setCursor(view.rungAt(e.getX(), e.getY()) != null ? Cursor.HAND : Cursor.DEFAULT));
        view.setOnMouseClicked(e -> {
            if (e.getButton() != javafx.scene.input.MouseButton.PRIMARY) {
                return; // the secondary button opens the context menu
            }
            double[] rung = view.rungAt(e.getX(), e.getY());
            if (rung == null) {
                return;
            }
            int column = (int) rung[1];
            SpectraResult r = vm.spectraResultProperty().get();
            double lam = vm.inspect(rung[0], column);
            if (!Double.isNaN(lam) && r != null) {
                view.setPicked(lam, column == 0 ? r.ladder().curvature() : r.companion().curvature());
            }
        });
        javafx.scene.control.MenuItem export = new javafx.scene.control.MenuItem("Export ladders as PNG and CSV…");
        export.setOnAction(e -> exportLadders(vm, view));
        javafx.scene.control.ContextMenu menu = new javafx.scene.control.ContextMenu(export);
        view.setOnContextMenuRequested(e -> {
            export.setDisable(vm.shownLadders().isEmpty());
            menu.show(view, e.getScreenX(), e.getScreenY());
        });
        vm.inspector().openProperty().addListener((o, was, now) -> {
            if (!now) {
                view.setPicked(Double.NaN, null);
            }
        });
    }

    /** Asks for a file, then draws and writes the shown ladders on a background thread. */
    private static void exportLadders(SpectraViewModel vm, SpectraView view) {
        java.util.List<org.scorescope.analysis.LadderComparison.Ladder> ladders = vm.shownLadders();
        if (ladders.isEmpty()) {
            return;
        }
        javafx.stage.FileChooser chooser = new javafx.stage.FileChooser();
        chooser.setTitle("Export ladders (PNG, and CSV beside it)");
        chooser.setInitialFileName("ladders.png");
        chooser.getExtensionFilters().add(new javafx.stage.FileChooser.ExtensionFilter("PNG image", "*.png"));
        java.io.File f = chooser.showSaveDialog(view.getScene() == null ? null : view.getScene().getWindow());
        if (f == null) {
            return;
        }
        String title = vm.shownTitle();
        Thread t = new Thread(() -> {
            String msg;
            try {
                java.nio.file.Path csv = org.scorescope.render.LadderPlot.export(ladders, title, f.toPath());
                msg = "ladders written to " + f + " and " + csv;
            } catch (java.io.IOException | RuntimeException ex) {
                msg = "could not export the ladders: " + ex.getMessage();
            }
            String m = msg;
            javafx.application.Platform.runLater(() -> vm.say(m));
        }, "scorescope-ladder-export");
        t.setDaemon(true);
        t.start();
    }
}
