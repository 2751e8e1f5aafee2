package org.scorescope.cli;

import java.io.PrintWriter;
import org.scorescope.Version;
import org.scorescope.autodiff.Simd;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The headless command line: {@code scorescope <command> [options]}. Every command drives the
 * numerical core only, so it runs on machines without a display.
 */
@Command(name = "scorescope",
        mixinStandardHelpOptions = true,
        versionProvider = ScoreScopeCli.VersionProvider.class,
        description = {
            "Train and inspect small 2-D score-based generative models.",
            "Without arguments, `java -jar scorescope.jar` opens the desktop application."})
public final class ScoreScopeCli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the command line and returns its exit code (0 success, 1 failure, 2 usage error). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new ScoreScopeCli());
        // train's setting options are generated from the settings' descriptions, so it is built in code.
        cl.addSubcommand(TrainCommand.commandLine());
        for (Object sub : new Object[] {new EvalCommand(), new SampleCommand(), new HessianCommand(), new RenderCommand(), new BenchCommand(),
            new CommandLine.HelpCommand()}) {
            cl.addSubcommand(sub);
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            line.getErr().println("error: " + describe(ex));
            return 1;
        });
        // One clear line for a usage error; the full usage stays one --help away.
        cl.setParameterExceptionHandler((ex, ignored) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("error: " + ex.getMessage() + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** One line that says what went wrong, naming the file where a file is the problem. */
    static String describe(Exception ex) {
        if (ex instanceof java.nio.file.NoSuchFileException) {
            return "no such file: " + ex.getMessage();
        }
        if (ex instanceof java.nio.file.AccessDeniedException) {
            return "permission denied: " + ex.getMessage();
        }
        if (ex instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getFile() + ": " + fse.getReason();
        }
        return ex.getMessage() == null ? ex.toString() : ex.getMessage();
    }

    /** Entry point for tools that run the CLI without the desktop launcher. */
    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Supplies {@code --version} from the version filtered into the build. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ScoreScope " + Version.get(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
                "SIMD kernels: " + (Simd.available() ? "on (Vector API)"
                        : "off (start Java with --add-modules jdk.incubator.vector to enable)")};
        }
    }
}
