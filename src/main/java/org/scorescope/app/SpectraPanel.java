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
        vm.inspector().openProperty().addListener((o, was, now) -> {
            if (!now) {
                view.setPicked(Double.NaN, null);
            }
        });
    }
}
