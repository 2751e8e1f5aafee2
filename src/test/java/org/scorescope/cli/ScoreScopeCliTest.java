package org.scorescope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scorescope.Version;

class ScoreScopeCliTest extends CliTestBase {
    @Test
    void versionPrintsTheBuildVersion() {
        assertEquals(0, run("--version"));
        assertTrue(out.toString().startsWith("ScoreScope " + Version.get()), out.toString());
        assertTrue(out.toString().contains("SIMD kernels: on"), "the test JVM resolves the Vector API: " + out);
        assertTrue(Version.get().matches("\\d+\\.\\d+\\.\\d+.*"), "filtered version " + Version.get());
    }

    @Test
    void helpListsUsageAndCommands() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("Usage: scorescope"), out.toString());
        assertTrue(out.toString().contains("Commands:"), out.toString());
    }

    @Test
    void unknownOptionIsAUsageErrorWithOneClearLine() {
        assertEquals(2, run("--frobnicate"));
        assertTrue(err.toString().contains("Unknown option: '--frobnicate'"), err.toString());
    }
}
