package org.scorescope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javafx.scene.Scene;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** A canvas in a tab that is not selected issues no drawing commands until it shows, then draws once. */
@ExtendWith(ApplicationExtension.class)
class ResizableCanvasTest {
    /** Counts its draws. */
    static final class Counting extends ResizableCanvas {
        int draws;

        Counting() {
            super(200, 100);
        }

        @Override
        public void draw() {
            draws++;
        }
    }

    private final Counting shown = new Counting();
    private final Counting hidden = new Counting();
    private TabPane tabs;

    @Start
    void start(Stage stage) {
        tabs = new TabPane(new Tab("first", new StackPane(shown)), new Tab("second", new StackPane(hidden)));
        stage.setScene(new Scene(tabs, 400, 300));
        stage.show();
    }

    @Test
    void drawsWaitUntilTheCanvasShows(FxRobot robot) {
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> {
            int before = shown.draws;
            shown.redraw();
            assertEquals(before + 1, shown.draws, "a showing canvas draws at once");
            assertFalse(shown.drawIfStale(), "and is then up to date");

            int hiddenBefore = hidden.draws;
            hidden.redraw();
            hidden.redraw();
            assertEquals(hiddenBefore, hidden.draws, "a canvas in an unselected tab does not draw");
            assertFalse(hidden.drawIfStale());
        });
        robot.interact(() -> tabs.getSelectionModel().select(1));
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> {
            int before = hidden.draws;
            // the resize on first layout may already have drawn it; either way it is now up to date
            hidden.drawIfStale();
            assertTrue(hidden.draws >= before && hidden.draws <= before + 1);
            assertFalse(hidden.drawIfStale(), "drawn once, then up to date");
            assertTrue(hidden.draws >= 1, "drawn after it showed");
        });
    }
}
