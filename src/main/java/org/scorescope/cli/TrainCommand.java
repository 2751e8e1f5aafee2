package org.scorescope.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Probe;
import org.scorescope.data.AtomicFiles;
import org.scorescope.data.GaussianMixture;
import org.scorescope.data.PointsCsv;
import org.scorescope.data.ToyDataset;
import org.scorescope.model.ModelSpec;
import org.scorescope.model.ModelState;
import org.scorescope.train.SessionFile;
import org.scorescope.train.Trainer;
import org.scorescope.train.TrainingConfig;
import org.scorescope.train.TrainingSnapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scorescope train}: trains a model headless and writes DIR/model.json, DIR/metrics.csv and
 * DIR/session.scorescope (which the desktop app opens). Every file is written atomically at the end, so
 * an interrupted or failed run never leaves a partial file.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a 2-D score model on a toy dataset or a CSV of points.")
public final class TrainCommand implements Callable<Integer> {
    private static final TrainingConfig D = TrainingConfig.defaults();

    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", converter = Converters.DatasetConverter.class, paramLabel = "NAME",
            description = "Toy dataset: ${COMPLETION-CANDIDATES} (default 8gaussians).",
            completionCandidates = DatasetNames.class)
    ToyDataset dataset = D.dataset();
    @Option(names = "--samples", description = "Number of data points (default ${DEFAULT-VALUE}).")
    int samples = D.samples();
    @Option(names = "--noise", description = "Dataset noise (default: the dataset's standard value).")
    double noise = Double.NaN;
    @Option(names = "--points", paramLabel = "CSV", description = "Train on these points instead of a dataset.")
    Path points;
    @Option(names = "--model", converter = Converters.KindConverter.class, paramLabel = "KIND",
            description = "energy, score, noise-conditional or flow (default energy).")
    ModelSpec.Kind kind = D.modelKind();
    @Option(names = "--width", description = "Hidden width (default ${DEFAULT-VALUE}).")
    int width = D.width();
    @Option(names = "--depth", description = "Hidden layers (default ${DEFAULT-VALUE}).")
    int depth = D.depth();
    @Option(names = "--activation", converter = Converters.ActivationConverter.class, paramLabel = "NAME",
            description = "softplus, tanh, sigmoid, silu, elu, gelu (default softplus).")
    Activation activation = D.activation();
    @Option(names = "--couplings", description = "Flow: coupling layers (default ${DEFAULT-VALUE}).")
    int couplings = D.couplings();
    @Option(names = "--objective", converter = Converters.ObjectiveConverter.class, paramLabel = "NAME",
            description = "exact, sliced, sliced-vr, denoising, denoising-multi (noise-conditional models) or "
                    + "max-likelihood (flows); default exact.")
    TrainingConfig.ObjectiveKind objective = D.objective();
    @Option(names = "--projections", description = "Sliced: projections per sample (default ${DEFAULT-VALUE}).")
    int projections = D.projections();
    @Option(names = "--probe", converter = Converters.ProbeConverter.class, paramLabel = "NAME",
            description = "Sliced: gaussian or rademacher (default rademacher).")
    Probe probe = D.probe();
    @Option(names = "--sigma", description = "Denoising: noise σ; multi-σ: the smallest (default ${DEFAULT-VALUE}).")
    double sigma = D.sigma();
    @Option(names = "--sigma-max", description = "Multi-σ: the largest σ (default ${DEFAULT-VALUE}).")
    double sigmaMax = D.sigmaMax();
    @Option(names = "--sigma-levels", description = "Multi-σ: number of σ levels (default ${DEFAULT-VALUE}).")
    int sigmaLevels = D.sigmaLevels();
    @Option(names = "--optimizer", converter = Converters.OptimizerConverter.class, paramLabel = "NAME",
            description = "adam or sgd (default adam).")
    TrainingConfig.OptimizerKind optimizer = D.optimizer();
    @Option(names = "--lr", description = "Learning rate (default ${DEFAULT-VALUE}).")
    double lr = D.learningRate();
    @Option(names = "--momentum", description = "SGD momentum (default ${DEFAULT-VALUE}).")
    double momentum = D.momentum();
    @Option(names = "--weight-decay", description = "Weight decay (default ${DEFAULT-VALUE}).")
    double weightDecay = D.weightDecay();
    @Option(names = "--batch", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch = D.batchSize();
    @Option(names = "--schedule", converter = Converters.ScheduleConverter.class, paramLabel = "NAME",
            description = "constant or cosine (default cosine).")
    TrainingConfig.Schedule schedule = D.schedule();
    @Option(names = "--steps", description = "Training steps (default ${DEFAULT-VALUE}).")
    int steps = D.steps();
    @Option(names = "--clip", description = "Clip the gradient's global norm to this; 0 = off (default 0).")
    double clip = D.clipNorm();
    @Option(names = "--seed", description = "Seed of data, initialization, batches (default ${DEFAULT-VALUE}).")
    long seed = D.seed();
    @Option(names = "--init", paramLabel = "MODEL", description = "Start from this model file.")
    Path init;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created if needed).")
    Path out;
    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    /** Lists dataset names for the help text. */
    static final class DatasetNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(ToyDataset.values()).map(ToyDataset::id).iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        TrainingConfig config;
        try {
            config = new TrainingConfig(dataset, samples, noise, kind, width, depth, activation, couplings, objective,
                    projections, probe, sigma, sigmaMax, sigmaLevels, optimizer, lr, momentum, weightDecay, batch,
                    schedule, steps, clip, seed);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        ModelState initial = init == null ? null : ModelState.read(init);
        double[][] data;
        GaussianMixture truth = null;
        if (points != null) {
            data = PointsCsv.read(points, 2);
        } else {
            data = dataset.sample(samples, config.effectiveDataNoise(), seed);
            truth = dataset.mixture(config.effectiveDataNoise()).orElse(null);
        }
        Trainer trainer = new Trainer(config, data, truth, initial);
        StringBuilder metrics = new StringBuilder("step,loss,fisher,grad_norm,ms_per_step\n");
        double fisher0 = trainer.fisherDivergence();
        if (!Double.isNaN(fisher0)) {
            metrics.append("0,,").append(fisher0).append(",,\n");
        }
        Progress progress = new Progress(err, steps, quiet, System.console() != null);
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            if (!trainer.step()) {
                break;
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            TrainingSnapshot s = trainer.snapshot();
            metrics.append(s.step()).append(',').append(s.loss()).append(',')
                    .append(Double.isNaN(s.fishers().last()) ? "" : Double.toString(s.fishers().last())).append(',')
                    .append(s.gradNorm()).append(',').append(String.format(Locale.ROOT, "%.4f", ms)).append('\n');
            progress.update(s);
        }
        progress.done();
        TrainingSnapshot last = trainer.snapshot();
        Files.createDirectories(out);
        trainer.model().write(out.resolve("model.json"));
        AtomicFiles.writeString(out.resolve("metrics.csv"), metrics.toString());
        SessionFile.write(out.resolve("session" + SessionFile.EXTENSION),
                new SessionFile.Session(config, data, trainer.model(), last.step()));
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "steps=%d loss=%.6g fisher_initial=%s fisher=%s ms_per_step=%.3f out=%s%n", last.step(),
                last.loss(), Double.isNaN(fisher0) ? "n/a" : String.format(Locale.ROOT, "%.6g", fisher0),
                Double.isNaN(last.fisher()) ? "n/a" : String.format(Locale.ROOT, "%.6g", last.fisher()),
                last.msPerStep(), out);
        o.flush();
        if (last.status() == TrainingSnapshot.Status.DIVERGED) {
            err.println("error: " + last.message());
            return 1;
        }
        return 0;
    }

    /**
     * A progress bar on stderr: on a terminal one line redrawn at most ten times a second, otherwise
     * (a log file, CI) one line per tenth of the run.
     */
    private static final class Progress {
        private final PrintWriter err;
        private final int total;
        private final boolean quiet;
        private final boolean terminal;
        private long lastDraw;
        private long lastTenth = -1;

        Progress(PrintWriter err, int total, boolean quiet, boolean terminal) {
            this.err = err;
            this.total = total;
            this.quiet = quiet;
            this.terminal = terminal;
        }

        void update(TrainingSnapshot s) {
            if (quiet) {
                return;
            }
            long now = System.nanoTime();
            long tenth = 10L * s.step() / total;
            boolean due = terminal ? now - lastDraw >= 100_000_000L || s.step() == total : tenth != lastTenth;
            if (!due) {
                return;
            }
            lastDraw = now;
            lastTenth = tenth;
            int filled = (int) (30L * s.step() / total);
            err.printf(Locale.ROOT, "%s[%s%s] %d/%d loss %.4g%s %.2f ms/step", terminal ? "\r" : "",
                    "#".repeat(filled), " ".repeat(30 - filled),
                    s.step(), total, s.loss(), Double.isNaN(s.fisher()) ? "" : String.format(Locale.ROOT, " fisher %.4g", s.fisher()),
                    s.msPerStep());
            if (!terminal) {
                err.println();
            }
            err.flush();
        }

        void done() {
            if (!quiet && terminal) {
                err.println();
                err.flush();
            }
        }
    }

}
