package org.scorescope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javafx.scene.layout.Region;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.scorescope.Version;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Starts the real application headless (Monocle) and checks the main layout. */
@ExtendWith(ApplicationExtension.class)
class ScoreScopeAppTest {
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        new ScoreScopeApp().start(stage);
    }

    @Test
    void mainLayoutHasCanvasAndControlPanelWithSize(FxRobot robot) {
        FieldCanvas canvas = robot.lookup("#fieldCanvas").queryAs(FieldCanvas.class);
        Region panel = robot.lookup("#controlPanel").queryAs(Region.class);
        assertTrue(canvas.getWidth() > 100 && canvas.getHeight() > 100,
                "canvas " + canvas.getWidth() + "x" + canvas.getHeight());
        assertTrue(panel.getWidth() > 50 && panel.getHeight() > 50,
                "control panel " + panel.getWidth() + "x" + panel.getHeight());
        assertTrue(robot.lookup("#lossChart").tryQuery().isPresent(), "chart area");
        assertTrue(robot.lookup("#statusBar").tryQuery().isPresent(), "status bar");
        assertEquals("ScoreScope " + Version.get(), stage.getTitle());
        assertTrue(stage.getIcons().size() >= 4, "icons");
    }

    @Test
    void canvasFollowsTheWindowSize(FxRobot robot) {
        FieldCanvas canvas = robot.lookup("#fieldCanvas").queryAs(FieldCanvas.class);
        double before = canvas.getWidth();
        robot.interact(() -> stage.setWidth(stage.getWidth() + 200));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(before + 200, canvas.getWidth(), 1.0);
    }
}
