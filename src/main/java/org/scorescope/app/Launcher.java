package org.scorescope.app;

import java.io.PrintWriter;
import org.scorescope.cli.ScoreScopeCli;

/**
 * The jar's main class. With no arguments it opens the desktop window; with arguments it runs a
 * headless command. It is not an {@code Application} subclass because the JavaFX launcher refuses
 * to start one as the main class from a plain class path.
 */
public final class Launcher {
    private Launcher() {
    }

    /** Opens the app (no arguments) or runs the CLI and exits with its code. */
    public static void main(String[] args) {
        if (args.length == 0) {
            ScoreScopeApp.launchDesktop();
            // The window is closed: end the JVM even if a library left a non-daemon thread behind.
            System.exit(0);
        }
        System.exit(ScoreScopeCli.execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }
}
