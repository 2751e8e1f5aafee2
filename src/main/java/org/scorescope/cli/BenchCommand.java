package org.scorescope.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.ComputeThreads;
import org.scorescope.bench.TrainStepBenchmark;
import org.scorescope.data.AtomicFiles;
import org.scorescope.io.MemoryBudget;
import org.scorescope.io.OutputPaths;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scorescope bench}: times one full training step (minibatch, loss, θ-gradient, Adam update)
 * for one model/objective/size configuration ({@link TrainStepBenchmark}) and prints a one-row table
 * and, as its last line, {@code median_ms=<number>}, the median wall time of the timed steps.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time one training step (loss + θ-gradient + Adam) of an energy or score MLP.",
            "Prints a table row and, as the last line, median_ms=<number>."})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", description = "energy or score (default ${DEFAULT-VALUE}).")
    String model = "energy";
    @Option(names = "--objective", description = "exact, sliced, sliced-vr or denoising (default ${DEFAULT-VALUE}).")
    String objective = "exact";
    @Option(names = "--dim", description = "Input dimension D (default ${DEFAULT-VALUE}).")
    int dim = 2;
    @Option(names = "--width", description = "Hidden width (default ${DEFAULT-VALUE}).")
    int width = 64;
    @Option(names = "--depth", description = "Hidden layers (default ${DEFAULT-VALUE}).")
    int depth = 2;
    @Option(names = "--batch", description = "Minibatch rows (default ${DEFAULT-VALUE}).")
    int batch = 512;
    @Option(names = "--activation", description = "softplus, tanh, sigmoid, silu, elu, gelu (default ${DEFAULT-VALUE}).")
    String activation = "softplus";
    @Option(names = "--sigma", description = "Denoising noise σ (default ${DEFAULT-VALUE}).")
    double sigma = 0.1;
    @Option(names = "--steps", description = "Timed steps (default ${DEFAULT-VALUE}).")
    int steps = 200;
    @Option(names = "--warmup", description = "Untimed warm-up steps (default ${DEFAULT-VALUE}).")
    int warmup = 100;
    @Option(names = "--threads", description = "Compute threads (default: available processors).")
    Integer threads;
    @Option(names = "--seed", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed = 1;
    @Option(names = "--raw", paramLabel = "FILE", description = "Also write every timed step's ms, one per line.")
    Path raw;

    /**
     * Runs the command on its own (what bench/compare.sh uses, so it works with or without the
     * {@code scorescope bench} registration), exiting with picocli's exit code.
     *
     * @param args the command's options
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        TrainStepBenchmark.ModelKind kind = switch (model.trim().toLowerCase(Locale.ROOT)) {
            case "energy" -> TrainStepBenchmark.ModelKind.ENERGY;
            case "score" -> TrainStepBenchmark.ModelKind.SCORE;
            default -> throw usage("--model: '" + model + "' is not one of energy, score");
        };
        TrainStepBenchmark.ObjectiveKind obj;
        Activation act;
        TrainStepBenchmark.Config config;
        try {
            obj = TrainStepBenchmark.ObjectiveKind.parse(objective);
            act = Activation.fromJson(activation);
            if (act == Activation.IDENTITY) {
                throw new IllegalArgumentException("--activation: identity makes every trace term zero; pick a nonlinearity");
            }
            config = new TrainStepBenchmark.Config(kind, obj, dim, width, depth, batch, act, sigma, warmup, steps, seed);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage().replaceFirst("^benchmark config: ", "--"));
        }
        if (steps < 1) {
            throw usage("--steps must be >= 1, found " + steps);
        }
        long params = parameterCount(kind, dim, width, depth);
        if (params > Integer.MAX_VALUE) {
            throw usage("--dim " + dim + " --width " + width + " --depth " + depth + " gives "
                    + (params == MemoryBudget.OVERFLOW ? "more than 9.2e18" : Long.toString(params))
                    + " parameters: too large (at most " + Integer.MAX_VALUE + ")");
        }
        // θ, gradient, two Adam moments and scratch; activations of the batch with the tapes of the trace terms.
        long bytes = MemoryBudget.plus(MemoryBudget.times(params, 8, 6),
                MemoryBudget.times(batch, MemoryBudget.plus(MemoryBudget.times(width, depth), dim), 8, 24L + 4L * dim));
        MemoryBudget.require("bench of " + params + " parameters at --batch " + batch, bytes,
                "lower --width, --depth or --batch");
        if (raw != null) {
            new OutputPaths().checkFile("--raw", raw);
        }
        int previous = ComputeThreads.get();
        if (threads != null) {
            try {
                ComputeThreads.set(threads);
            } catch (IllegalArgumentException e) {
                throw usage("--threads: " + e.getMessage());
            }
        }
        TrainStepBenchmark.Result r;
        try (Heartbeat hb = Heartbeat.start(spec.commandLine().getErr(), () -> "bench: " + warmup + " + " + steps
                + " steps of " + config.describe())) {
            r = new TrainStepBenchmark(config).run();
        } finally {
            ComputeThreads.set(previous);
        }
        if (raw != null) {
            StringBuilder sb = new StringBuilder();
            for (double t : r.stepMs()) {
                sb.append(String.format(Locale.ROOT, "%.6f%n", t));
            }
            AtomicFiles.writeString(raw, sb.toString());
        }
        PrintWriter out = spec.commandLine().getOut();
        int usedThreads = threads != null ? threads : previous;
        out.println("| config | threads | median ms/step | IQR ms | main-thread CPU ms/step | steps | final loss |");
        out.println("|---|---|---|---|---|---|---|");
        out.printf(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %d | %.9g |%n", config.describe(), usedThreads,
                r.medianMs(), r.iqrMs(), r.cpuMedianMs(), steps, r.finalLoss());
        out.printf(Locale.ROOT, "median_ms=%.6f%n", r.medianMs());
        out.flush();
        return 0;
    }

    /**
     * P of an MLP D → width (× depth) → 1 (energy) or D (score), in overflow-checked long arithmetic.
     *
     * @return P, or {@link MemoryBudget#OVERFLOW} if it does not fit in a long
     */
    static long parameterCount(TrainStepBenchmark.ModelKind kind, long dim, long width, long depth) {
        long out = kind == TrainStepBenchmark.ModelKind.ENERGY ? 1 : dim;
        if (depth == 0) {
            return MemoryBudget.plus(MemoryBudget.times(dim, out), out);
        }
        // Closed form, not a loop over the layers: --depth may be 2³¹ − 1.
        long first = MemoryBudget.plus(MemoryBudget.times(dim, width), width);
        long hidden = MemoryBudget.times(depth - 1, MemoryBudget.plus(MemoryBudget.times(width, width), width));
        long last = MemoryBudget.plus(MemoryBudget.times(width, out), out);
        return MemoryBudget.plus(first, hidden, last);
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
