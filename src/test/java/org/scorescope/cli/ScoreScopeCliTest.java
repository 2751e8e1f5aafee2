package org.scorescope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.scorescope.Version;

class ScoreScopeCliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return ScoreScopeCli.execute(args, new PrintWriter(out), new PrintWriter(err));
    }

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
