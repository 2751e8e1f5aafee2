package org.scorescope.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherTest {
    @TempDir
    Path tmp;

    @Test
    void aSingleExistingSessionFileOpensTheWindowEverythingElseIsTheCli() throws Exception {
        Path session = Files.writeString(tmp.resolve("run.scorescope"), "{}");
        assertTrue(Launcher.opensSession(new String[] {session.toString()}));
        assertFalse(Launcher.opensSession(new String[] {tmp.resolve("missing.scorescope").toString()}));
        assertFalse(Launcher.opensSession(new String[] {"train"}));
        assertFalse(Launcher.opensSession(new String[] {session.toString(), "--help"}));
    }
}
