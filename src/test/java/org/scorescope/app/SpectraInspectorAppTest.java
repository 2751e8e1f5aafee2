package org.scorescope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Spinner;
import javafx.scene.control.TabPane;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.SpectraResult;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Spectra tab's Hessian | Gauss–Newton choice and the eigenvector inspector in the real application,
 * headless: both ladders arrive, the choice swaps them, a click on a rung opens the inspector, moving α redraws the
 * field at the moved θ (the live model untouched), and closing it brings the live picture back.
 */
class SpectraInspectorAppTest extends AppTestBase {
    @Start
    void start(Stage stage) {
        launch(stage);
    }

    @Test
    @SuppressWarnings("unchecked")
    void curvatureChoiceSwapsLaddersAndTheInspectorMovesTheField(FxRobot robot) throws Exception {
        MainViewModel vm = app.viewModel();
        FieldCanvas canvas = robot.lookup("#fieldCanvas").queryAs(FieldCanvas.class);
        Spinner<Integer> width = robot.lookup("#width").queryAs(Spinner.class);
        robot.interact(() -> width.getValueFactory().setValue(8));
        robot.interact(() -> vm.view().showSamplesProperty().set(false));
        TabPane tabs = robot.lookup("#chartTabs").queryAs(TabPane.class);
        robot.interact(() -> tabs.getSelectionModel().select(1));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> {
            FrameData f = vm.frameProperty().get();
            return f != null && f.model() != null && f.model().model().parameterCount() == 105 && f.field() != null;
        });
        robot.interact(() -> vm.spectra().computeSpectraNow());
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> {
            SpectraResult r = vm.spectra().spectraResultProperty().get();
            return r != null && r.ok() && r.parameters() == 105 && !vm.spectra().spectraService().isBusy();
        });
        SpectraResult r = vm.spectra().spectraResultProperty().get();
        assertEquals(SpectraResult.Curvature.HESSIAN, r.curvature());
        assertNotNull(r.companion());
        assertEquals(SpectraResult.Curvature.GAUSS_NEWTON, r.companion().curvature());
        assertEquals(105, r.companion().eigenvalues().length, "all P Gauss–Newton eigenvalues");
        assertTrue(r.companion().eigenvalues()[0] >= 0, "Gauss–Newton is PSD");

        // the shown ladders export as a PNG and a CSV (what the view's context menu writes)
        java.util.List<org.scorescope.analysis.LadderComparison.Ladder> shown = vm.spectra().shownLadders();
        assertEquals(2, shown.size());
        assertEquals("Hessian", shown.get(0).label());
        assertEquals("Gauss–Newton", shown.get(1).label());
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("ladders");
        java.nio.file.Path csv = org.scorescope.render.LadderPlot.export(shown, vm.spectra().shownTitle(),
                dir.resolve("l.png"));
        assertEquals(dir.resolve("l.csv"), csv);
        assertEquals(1 + 2 * 105, java.nio.file.Files.readAllLines(csv).size());
        assertNotNull(javax.imageio.ImageIO.read(dir.resolve("l.png").toFile()));

        ComboBox<SpectraResult.Curvature> choice = robot.lookup("#spectraCurvatureChoice").queryAs(ComboBox.class);
        robot.interact(() -> choice.setValue(SpectraResult.Curvature.GAUSS_NEWTON));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(SpectraResult.Curvature.GAUSS_NEWTON, vm.spectra().spectraResultProperty().get().curvature(),
                "the choice swaps the ladders at once");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !vm.spectra().spectraService().isBusy()
                && vm.spectra().spectraResultProperty().get().curvature() == SpectraResult.Curvature.GAUSS_NEWTON);
        Thread.sleep(500);
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage live = SpectraAppTest.snapshot(robot, canvas);

        // a click on the top rung of the first ladder opens the inspector on its eigenvector
        SpectraView view = robot.lookup("#spectraView").queryAs(SpectraView.class);
        SpectraResult g = vm.spectra().spectraResultProperty().get();
        double top = g.ladder().vectors().values()[g.ladder().vectors().count() - 1];
        double[] hit = null;
        for (double y = 0; y < view.getHeight() && hit == null; y += 1) {
            for (double x = 0; x < view.getWidth() * 0.3 && hit == null; x += 4) {
                double[] at = view.rungAt(x, y);
                if (at != null && at[1] == 0 && at[0] == top) {
                    hit = new double[] {x, y};
                }
            }
        }
        assertNotNull(hit, "the top rung is under some point of the ladder");
        // a MouseEvent's x, y are scene coordinates (the node gets them converted to its own)
        javafx.geometry.Point2D scene = view.localToScene(hit[0], hit[1]);
        double[] click = {scene.getX(), scene.getY()};
        robot.interact(() -> view.fireEvent(new javafx.scene.input.MouseEvent(javafx.scene.input.MouseEvent.MOUSE_CLICKED,
                click[0], click[1], click[0], click[1], javafx.scene.input.MouseButton.PRIMARY, 1, false, false, false,
                false, true, false, false, true, false, false, null)));
        InspectorViewModel insp = vm.spectra().inspector();
        assertTrue(insp.openProperty().get(), "the inspector opened");
        // all P Gauss–Newton eigenvectors are on demand: the vector arrives from the background a frame later
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> insp.direction() != null);
        assertEquals(top, insp.direction().lambda(), 0);
        EigenvectorInspector node = robot.lookup("#spectraInspector").queryAs(EigenvectorInspector.class);
        assertTrue(node.isVisible());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> insp.curveProperty().get() != null);

        double[] theta = vm.frameProperty().get().model().theta();
        robot.interact(() -> node.slider().setValue(2.0));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, insp::showsMovedModel);
        Thread.sleep(500);
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage moved = SpectraAppTest.snapshot(robot, canvas);
        assertTrue(SpectraAppTest.changedFraction(live, moved) > 0.01, "the field redraws at the moved θ");
        assertEquals(java.util.Arrays.toString(theta), java.util.Arrays.toString(vm.frameProperty().get().model().theta()),
                "the live model is not moved");

        robot.interact(insp::close);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !insp.showsMovedModel());
        assertFalse(node.isVisible());
        Thread.sleep(600);
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage back = SpectraAppTest.snapshot(robot, canvas);
        assertEquals(0.0, SpectraAppTest.changedFraction(live, back), 2e-3, "closing brings the live picture back");
    }

    /**
     * A rung from the middle of the full Hessian ladder (no stored vector there: the Lanczos ends are its top and
     * bottom) opens the inspector on that rung's own eigenvector: H v = λ v for the snapshot's θ, drawn as bars.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aMidLadderRungShowsItsOwnEigenvector(FxRobot robot) throws Exception {
        MainViewModel vm = app.viewModel();
        Spinner<Integer> width = robot.lookup("#width").queryAs(Spinner.class);
        robot.interact(() -> width.getValueFactory().setValue(8));
        TabPane tabs = robot.lookup("#chartTabs").queryAs(TabPane.class);
        robot.interact(() -> tabs.getSelectionModel().select(1));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> {
            FrameData f = vm.frameProperty().get();
            return f != null && f.model() != null && f.model().model().parameterCount() == 105;
        });
        robot.interact(() -> vm.spectra().computeSpectraNow());
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> {
            SpectraResult r = vm.spectra().spectraResultProperty().get();
            return r != null && r.ok() && r.parameters() == 105 && !vm.spectra().spectraService().isBusy();
        });
        WaitForAsyncUtils.waitForFxEvents();
        SpectraResult r = vm.spectra().spectraResultProperty().get();
        assertEquals(SpectraResult.Curvature.HESSIAN, r.curvature());
        assertEquals("full", r.method());
        assertNotNull(r.ladder().source(), "all P Hessian eigenvectors are on demand");

        // the point of the first ladder whose rung is nearest the middle of the spectrum
        double[] values = r.eigenvalues();
        int mid = values.length / 2;
        SpectraView view = robot.lookup("#spectraView").queryAs(SpectraView.class);
        double[] hit = null;
        int bestDistance = Integer.MAX_VALUE;
        for (double x = 0; x < view.getWidth() * 0.3; x += 3) {
            for (double y = 0; y < view.getHeight(); y += 1) {
                double[] at = view.rungAt(x, y);
                if (at != null && at[1] == 0 && at[2] >= 0 && Math.abs((int) at[2] - mid) < bestDistance) {
                    bestDistance = Math.abs((int) at[2] - mid);
                    hit = new double[] {x, y};
                }
            }
        }
        assertNotNull(hit, "some point of the ladder is on a rung");
        int k = (int) view.rungAt(hit[0], hit[1])[2];
        int bottom = r.ladder().vectors().count() - 20;
        assertTrue(k >= bottom && k < values.length - 20, "rung " + k + " is mid-ladder, none of the Lanczos ends with"
                + " stored vectors");
        javafx.geometry.Point2D scene = view.localToScene(hit[0], hit[1]);
        robot.interact(() -> view.fireEvent(new javafx.scene.input.MouseEvent(javafx.scene.input.MouseEvent.MOUSE_CLICKED,
                scene.getX(), scene.getY(), scene.getX(), scene.getY(), javafx.scene.input.MouseButton.PRIMARY, 1, false,
                false, false, false, true, false, false, true, false, false, null)));
        InspectorViewModel insp = vm.spectra().inspector();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> insp.direction() != null);
        assertEquals(values[k], insp.direction().lambda(), 0, "the clicked rung's eigenvalue");

        // H v = λ v at the snapshot's θ, with H from the engine's Hessian-vector product on the spectra's batch
        FrameData f = insp.direction().frame();
        org.scorescope.analysis.ParameterHessian h = new org.scorescope.analysis.ParameterHessian(f.model().model(),
                f.config().buildObjective(), org.scorescope.worker.SpectraComputer.evaluationBatch(f.points()),
                org.scorescope.worker.SpectraComputer.SEED);
        double[] v = insp.direction().vector();
        double[] hv = new double[v.length];
        h.hvp(f.model().theta(), v, hv);
        double res = 0;
        double nn = 0;
        int nonzero = 0;
        for (int i = 0; i < v.length; i++) {
            double d = hv[i] - values[k] * v[i];
            res += d * d;
            nn += v[i] * v[i];
            nonzero += Math.abs(v[i]) > 1e-3 ? 1 : 0;
        }
        double norm = Math.max(Math.abs(values[0]), Math.abs(values[values.length - 1]));
        assertEquals(1, Math.sqrt(nn), 1e-12);
        assertTrue(Math.sqrt(res) <= 1e-9 * norm, "‖Hv − λv‖ = " + Math.sqrt(res) + ", ‖H‖ = " + norm);
        assertTrue(nonzero > 10, "a spread-out direction, not a basis vector: " + nonzero + " components above 1e-3");

        // its bars are drawn: many coloured pixels in the inspector's bar canvas
        EigenvectorInspector node = robot.lookup("#spectraInspector").queryAs(EigenvectorInspector.class);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> insp.curveProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(node.isVisible());
        WritableImage bars = barsSnapshot(robot, node);
        int coloured = 0;
        for (int y = 0; y < (int) bars.getHeight(); y++) {
            for (int x = 0; x < (int) bars.getWidth(); x++) {
                javafx.scene.paint.Color c = bars.getPixelReader().getColor(x, y);
                if (c.getSaturation() > 0.4 && c.getBrightness() > 0.3) {
                    coloured++;
                }
            }
        }
        assertTrue(coloured > 200, "the bars show the vector: " + coloured + " coloured pixels");
        robot.interact(insp::close);
    }

    private static WritableImage barsSnapshot(FxRobot robot, EigenvectorInspector node) {
        WritableImage[] img = new WritableImage[1];
        robot.interact(() -> img[0] = node.bars().snapshot(null, null));
        return img[0];
    }
}
