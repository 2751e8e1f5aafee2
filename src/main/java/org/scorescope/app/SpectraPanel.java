package org.scorescope.app;

import javafx.collections.FXCollections;
import javafx.scene.Cursor;
import javafx.scene.control.ComboBox;
import org.scorescope.worker.SpectraResult;

/**
 * Wires the Spectra tab's own controls to its view-model, so the main controller only calls {@link #bind}: the
 * Hessian | Gauss–Newton choice, clicks on the ladders (which open the eigenvector inspector on the rung under the
 * pointer, or the nearest one with a stored eigenvector where not all P are known) and the inspector itself.
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
            double lam = vm.inspect(rung[0], column, (int) rung[2]);
            if (!Double.isNaN(lam) && r != null) {
                view.setPicked(lam, column == 0 ? r.ladder().curvature() : r.companion().curvature());
            }
        });
        javafx.scene.control.MenuItem export = new javafx.scene.control.MenuItem("Export ladders as PNG and CSV…");
        export.setOnAction(e -> exportLadders(vm, view));
        javafx.scene.control.MenuItem compare = new javafx.scene.control.MenuItem(
                "Compare the losses' ladders side by side…");
        compare.setOnAction(e -> compareLosses(vm, view));
        javafx.scene.control.ContextMenu menu = new javafx.scene.control.ContextMenu(export, compare);
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

    /**
     * Computes the exact, sliced and denoising Hessians and Gauss–Newton of the current model in the background,
     * then shows them side by side in their own window, with a button that saves them as PNG and CSV.
     */
    private static void compareLosses(SpectraViewModel vm, SpectraView view) {
        String title = vm.compareTitle();
        vm.say("comparing the losses' ladders…");
        int w = 1120;
        int h = 520;
        vm.compareLosses().whenComplete((ladders, err) -> {
            if (err != null) {
                Throwable cause = err.getCause() != null ? err.getCause() : err;
                javafx.application.Platform.runLater(() -> vm.say("could not compare the ladders: " + cause.getMessage()));
                return;
            }
            // drawn on the comparing thread, not the FX thread
            int[] argb = org.scorescope.render.LadderPlot.render(ladders, title, w, h).getRGB(0, 0, w, h, null, 0, w);
            javafx.application.Platform.runLater(() -> showComparison(vm, view, ladders, title, w, h, argb));
        });
    }

    private static void showComparison(SpectraViewModel vm, SpectraView view,
                                       java.util.List<org.scorescope.analysis.LadderComparison.Ladder> ladders,
                                       String title, int w, int h, int[] argb) {
        javafx.scene.image.WritableImage fx = new javafx.scene.image.WritableImage(w, h);
        fx.getPixelWriter().setPixels(0, 0, w, h, javafx.scene.image.PixelFormat.getIntArgbInstance(), argb, 0, w);
        javafx.scene.control.Button save = new javafx.scene.control.Button("Save as PNG and CSV…");
        save.setOnAction(a -> saveLadders(vm, save, ladders, title));
        javafx.scene.layout.VBox box = new javafx.scene.layout.VBox(8, new javafx.scene.image.ImageView(fx), save);
        box.setPadding(new javafx.geometry.Insets(8));
        javafx.stage.Stage stage = new javafx.stage.Stage();
        stage.setTitle("Ladders compared: " + title);
        if (view.getScene() != null) {
            stage.initOwner(view.getScene().getWindow());
        }
        stage.setScene(new javafx.scene.Scene(box));
        stage.show();
        vm.say("ladders compared");
    }

    /** Saves the ladders on screen (the shown curvature and its companion). */
    private static void exportLadders(SpectraViewModel vm, SpectraView view) {
        java.util.List<org.scorescope.analysis.LadderComparison.Ladder> ladders = vm.shownLadders();
        if (!ladders.isEmpty()) {
            saveLadders(vm, view, ladders, vm.shownTitle());
        }
    }

    /** Asks for a file, then draws and writes the ladders on a background thread. */
    private static void saveLadders(SpectraViewModel vm, javafx.scene.Node owner,
                                    java.util.List<org.scorescope.analysis.LadderComparison.Ladder> ladders,
                                    String title) {
        javafx.stage.FileChooser chooser = new javafx.stage.FileChooser();
        chooser.setTitle("Export ladders (PNG, and CSV beside it)");
        chooser.setInitialFileName("ladders.png");
        chooser.getExtensionFilters().add(new javafx.stage.FileChooser.ExtensionFilter("PNG image", "*.png"));
        java.io.File f = chooser.showSaveDialog(owner.getScene() == null ? null : owner.getScene().getWindow());
        if (f == null) {
            return;
        }
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
