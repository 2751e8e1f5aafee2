package org.scorescope.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/**
 * The real application, headless, started for each test on cleared preferences; after each test its window is
 * closed, and the training worker and the spectra thread must stop promptly. TestFX finds {@code @Start} only on
 * the test class itself, so each subclass declares one that calls {@link #launch}.
 */
@ExtendWith(ApplicationExtension.class)
abstract class AppTestBase {
    protected Stage stage;
    protected ScoreScopeApp app;

    void launch(Stage stage) {
        this.stage = stage;
        UserPrefs.forApp().clear();
        app = new ScoreScopeApp();
        app.start(stage);
    }

    @AfterEach
    void stop(FxRobot robot) throws InterruptedException {
        MainViewModel vm = app.viewModel();
        robot.interact(() -> stage.close());
        assertTrue(vm.worker().awaitTermination(5000), "closing the window stops the worker promptly");
        assertTrue(vm.spectra().spectraService().awaitTermination(5000), "and the spectra thread");
    }
}
