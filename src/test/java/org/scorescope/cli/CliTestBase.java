package org.scorescope.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs CLI commands in-process, collecting what they print on standard output and error. */
abstract class CliTestBase {
    protected final StringWriter out = new StringWriter();
    protected final StringWriter err = new StringWriter();

    /** @return the exit code of {@code scorescope args…} */
    protected int run(String... args) {
        return ScoreScopeCli.execute(args, new PrintWriter(out), new PrintWriter(err));
    }
}
