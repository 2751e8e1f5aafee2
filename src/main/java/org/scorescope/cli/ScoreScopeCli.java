package org.scorescope.cli;

import java.io.PrintWriter;
import org.scorescope.Version;
import org.scorescope.autodiff.Simd;
import org.scorescope.io.InputLimits;
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

    /**
     * The input size limit for this run. Inherited, so it is accepted after any subcommand too
     * ({@code scorescope eval --max-input-mb 1024 ...}).
     */
    @CommandLine.Option(names = "--max-input-mb", scope = CommandLine.ScopeType.INHERIT, paramLabel = "MB",
            description = "Refuse input files larger than this many MB (default: " + InputLimits.DEFAULT_MB + ").")
    void setMaxInputMb(long mb) {
        if (mb < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-input-mb must be at least 1, found " + mb);
        }
        InputLimits.set(mb, "--max-input-mb N");
    }

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
            c.getErr().println("error: " + oneLine(ex.getMessage()) + " (see '" + c.getCommandSpec().qualifiedName()
                    + " --help')");
            return 2;
        });
        InputLimits.set(InputLimits.maxMb(), "--max-input-mb N");
        int code;
        try {
            code = cl.execute(args);
        } catch (OutOfMemoryError e) {
            code = failWith(err, outOfMemory());
        } catch (StackOverflowError e) {
            code = failWith(err, "input nested too deeply (stack overflow)");
        } finally {
            InputLimits.reset();
        }
        out.flush();
        err.flush();
        return code;
    }

    private static int failWith(PrintWriter err, String message) {
        err.println("error: " + message);
        return 1;
    }

    /** The one line for an out-of-memory failure, with the heap it ran out of. */
    static String outOfMemory() {
        return "out of memory (the Java heap is limited to " + (Runtime.getRuntime().maxMemory() >> 20)
                + " MB; use smaller inputs or raise it with java -Xmx)";
    }

    /** A qualified class name opening a message ("java.io.IOException: ..."), as a wrapped cause's toString() leaves. */
    private static final java.util.regex.Pattern CLASS_PREFIX =
            java.util.regex.Pattern.compile("^(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)?:\\s*");

    /**
     * A CamelCase type name with at least two humps, maybe a method, then a colon: how the numerical core prefixes
     * its messages ("LangevinSampler.run: ...").
     */
    private static final java.util.regex.Pattern SIMPLE_CLASS_PREFIX =
            java.util.regex.Pattern.compile("^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+(?:\\.[a-z][A-Za-z0-9]*)?:\\s+");

    /** One line that says what went wrong, naming the file where a file is the problem. */
    static String describe(Throwable ex) {
        Throwable t = ex;
        // Wrappers carry no information of their own; the cause says what failed.
        while ((t instanceof java.io.UncheckedIOException || t instanceof java.util.concurrent.ExecutionException
                || t instanceof java.util.concurrent.CompletionException
                || t instanceof java.lang.reflect.InvocationTargetException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof OutOfMemoryError) {
            return outOfMemory();
        }
        if (t instanceof StackOverflowError) {
            return "input nested too deeply (stack overflow)";
        }
        if (t instanceof java.nio.file.NoSuchFileException nsf) {
            return "no such file: " + nsf.getFile();
        }
        if (t instanceof java.nio.file.AccessDeniedException ade) {
            return "permission denied: " + ade.getFile()
                    + (ade.getReason() != null ? " (" + ade.getReason() + ")" : "");
        }
        if (t instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getFile() + ": " + fse.getReason();
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            // Without a message only the kind of failure is known; say so without a qualified class name.
            return "unexpected failure (" + t.getClass().getSimpleName() + ")";
        }
        String line = oneLine(CLASS_PREFIX.matcher(message.strip()).replaceFirst(""));
        // Library checks prefix their own class ("LangevinSampler: stepSize must be ..."); the rest says it.
        return SIMPLE_CLASS_PREFIX.matcher(line).replaceFirst("");
    }

    /** Keeps the first line only: messages from parsers may quote input or add a location on further lines. */
    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        String s = message.strip();
        int nl = s.indexOf('\n');
        if (nl >= 0) {
            s = s.substring(0, nl).strip();
        }
        return s.replace('\r', ' ');
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
