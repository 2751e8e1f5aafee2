package org.scorescope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.prefs.Preferences;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Plain JUnit, no JavaFX: window memory and recent files. */
class UserPrefsTest {
    private final Preferences node = Preferences.userRoot().node("org/scorescope/test-" + System.nanoTime());
    private final UserPrefs prefs = new UserPrefs(node);

    @AfterEach
    void removeNode() throws Exception {
        node.removeNode();
    }

    @Test
    void firstWindowTakesAbout85PercentOfTheScreenThenRemembersAndStaysOnScreen() {
        UserPrefs.Bounds b = prefs.window(new double[] {0, 0, 1600, 1000});
        assertEquals(1360, b.width(), 1e-9);
        assertEquals(850, b.height(), 1e-9);
        assertEquals(120, b.x(), 1e-9);
        prefs.saveWindow(new UserPrefs.Bounds(3000, 50, 900, 700, false));
        UserPrefs.Bounds again = prefs.window(new double[] {0, 0, 1600, 1000});
        assertEquals(900, again.width(), 1e-9);
        assertEquals(700, again.x(), 1e-9, "moved back onto the screen");
        assertEquals(640, prefs.window(new double[] {0, 0, 800, 640}).height(), 1e-9, "never larger than the screen");
    }

    @Test
    void recentFilesAreNewestFirstWithoutDuplicatesAndBounded() {
        for (int i = 0; i < 10; i++) {
            prefs.addRecent(Path.of("/tmp/s" + i + ".scorescope"));
        }
        prefs.addRecent(Path.of("/tmp/s5.scorescope"));
        List<Path> recent = prefs.recentFiles();
        assertEquals(UserPrefs.MAX_RECENT, recent.size());
        assertEquals(Path.of("/tmp/s5.scorescope"), recent.get(0));
        assertEquals(Path.of("/tmp/s9.scorescope"), recent.get(1));
        assertEquals(1, recent.stream().filter(p -> p.endsWith("s5.scorescope")).count());
    }
}
