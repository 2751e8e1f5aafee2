package org.scorescope.app;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.scorescope.cli.ScoreScopeCli;
import org.scorescope.train.SessionFile;

/**
 * The jar's main class. With no arguments it opens the desktop window; with one argument naming an
 * existing session file (what a desktop passes when a {@code .scorescope} file is double-clicked) it
 * opens the window with that session; otherwise it runs a headless command. It is not an {@code Application} subclass because the JavaFX launcher refuses
 * to start one as the main class from a plain class path.
 */
public final class Launcher {
    private Launcher() {
    }

    /** Opens the app (no arguments, or a session file) or runs the CLI and exits with its code. */
    public static void main(String[] args) {
        if (args.length == 0 || opensSession(args)) {
            ScoreScopeApp.launchDesktop(args);
            // The window is closed: end the JVM even if a library left a non-daemon thread behind.
            System.exit(0);
        }
        System.exit(ScoreScopeCli.execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** @return true for a single argument that names an existing {@code .scorescope} file */
    static boolean opensSession(String[] args) {
        return args.length == 1 && args[0].endsWith(SessionFile.EXTENSION) && Files.isRegularFile(Path.of(args[0]));
    }
}
