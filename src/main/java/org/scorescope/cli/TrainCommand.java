package org.scorescope.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.scorescope.analysis.Likelihood;
import org.scorescope.data.PointsCsv;
import org.scorescope.model.ModelSpec;
import org.scorescope.model.ModelState;
import org.scorescope.train.Preset;
import org.scorescope.train.SessionFile;
import org.scorescope.train.Setting;
import org.scorescope.train.Settings;
import org.scorescope.train.SmallData;
import org.scorescope.train.Trainer;
import org.scorescope.train.TrainingConfig;
import org.scorescope.train.TrainingSnapshot;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code scorescope train}: trains a model headless and writes DIR/model.json, DIR/metrics.csv and
 * DIR/session.scorescope (which the desktop app opens, and {@code --resume} continues), as one set
 * ({@link RunFolder}): a killed or failed run leaves the previous set or the new one, never a mix. The setting
 * options ({@code --lr}, {@code --width}, …) are generated from {@link Settings#ALL}; each one not
 * given takes its default for the model kind, or the preset's or resumed session's value.
 *
 * <p>Held-out data: for a dataset {@link Trainer#heldOut} fresh points from its generator; for {@code --points} a
 * seeded 10% of the rows ({@link #split}), which are not trained on and not saved in the session. At the end the
 * held-out mean negative log-likelihood ({@link Likelihood}) is printed as {@code nll=} and written on the last row
 * of metrics.csv's {@code nll} column.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a 2-D score model on a toy dataset or a CSV of points.")
public final class TrainCommand implements Callable<Integer> {
    /**
     * Finest grid of the final held-out NLL. An energy's log Z settles by 129 nodes; score integration (score and
     * noise-conditional models) at 257 is within ~0.002 nats of 513 on the defaults (8gaussians) and costs ~0.5 s
     * instead of ~3 s, under 10% of a default run.
     */
    static final int NLL_GRID_NODES = 257;

    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--points", paramLabel = "CSV", description = "Train on these points instead of a dataset.")
    Path points;
    @Option(names = "--preset", paramLabel = "NAME", description = "Start from a lesson's settings: ${COMPLETION-CANDIDATES}.",
            completionCandidates = PresetNames.class)
    String preset;
    @Option(names = "--resume", paramLabel = "SESSION",
            description = "Continue a saved session (settings, data, model, optimizer and random state); "
                    + "--steps then counts the steps to add.")
    Path resume;
    @Option(names = "--init", paramLabel = "MODEL", description = "Start from this model file.")
    Path init;
    @Option(names = "--checkpoint-every", paramLabel = "N",
            description = "Also write DIR/session.scorescope every N steps, so a killed run can be resumed.")
    int checkpointEvery;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created if needed).")
    Path out;
    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    /** Lists preset names for the help text. */
    static final class PresetNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Preset.all().stream().map(Preset::name).iterator();
        }
    }

    /** @return the train command with one option per setting */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new TrainCommand());
        CommandSpec cs = cl.getCommandSpec();
        TrainingConfig energy = TrainingConfig.defaults();
        for (Setting<?> s : Settings.ALL) {
            cs.addOption(OptionSpec.builder(s.option()).type(String.class).paramLabel(paramLabel(s))
                    .description(s.help() + defaults(s, energy)).build());
        }
        return cl;
    }

    private static String paramLabel(Setting<?> s) {
        return s.choices().isEmpty() ? s.type() == Double.class ? "X" : "N" : "NAME";
    }

    private static <T> String defaults(Setting<T> s, TrainingConfig energy) {
        StringBuilder b = new StringBuilder(" (");
        if (!s.choices().isEmpty()) {
            b.append(s.choices().stream().map(s::format).collect(Collectors.joining(", "))).append("; ");
        }
        b.append("default ").append(s.format(energy.get(s)));
        for (ModelSpec.Kind k : ModelSpec.Kind.values()) {
            T d = s.defaultFor(k);
            if (!d.equals(s.defaultFor(ModelSpec.Kind.ENERGY))) {
                b.append(", ").append(k.id()).append(' ').append(s.format(d));
            }
        }
        for (TrainingConfig.ObjectiveKind o : TrainingConfig.ObjectiveKind.values()) {
            T d = s.defaultFor(ModelSpec.Kind.ENERGY, o);
            if (!d.equals(s.defaultFor(ModelSpec.Kind.ENERGY))) {
                b.append(", with ").append(o.id()).append(' ').append(s.format(d));
            }
        }
        return b.append(')').toString();
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        SessionFile.Session resumed = resume == null ? null : SessionFile.read(resume);
        if (resumed != null && (preset != null || points != null || init != null)) {
            throw new ParameterException(spec.commandLine(), "--resume takes the settings, data and model from the "
                    + "session; it cannot be combined with --preset, --points or --init");
        }
        TrainingConfig base = resumed != null ? resumed.config()
                : preset != null ? Preset.byName(preset).orElseThrow(() -> new ParameterException(spec.commandLine(),
                        "--preset: '" + preset + "' is not one of " + String.join(", ", new PresetNames())))
                        .config()
                : TrainingConfig.defaults();
        Map<Setting<?>, Object> given = givenSettings();
        int steps = given.containsKey(Settings.STEPS) ? (Integer) given.get(Settings.STEPS)
                : resumed != null ? base.run().steps() - (int) Math.min(resumed.step(), base.run().steps())
                : base.withAll(given).run().steps();
        long start = resumed == null ? 0 : resumed.step();
        if (resumed != null) {
            // The planned total is the schedule's horizon: it grows to cover the steps asked for.
            long total = start + steps;
            if (total > base.run().steps()) {
                given.put(Settings.STEPS, (int) Math.min(total, Settings.STEPS.max()));
            } else {
                given.remove(Settings.STEPS);
            }
        }
        TrainingConfig config;
        try {
            config = base.withAll(given);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (resumed != null && resumed.model() != null && base.needsNewModel(config)) {
            throw new ParameterException(spec.commandLine(), "--resume: " + base.changesTo(config).get(0).option()
                    + " changes the model; start a new run instead");
        }
        if (resumed != null && config.run().steps() != base.run().steps()
                && config.optimizer().schedule() == TrainingConfig.Schedule.COSINE) {
            err.println("note: the cosine schedule now ends at step " + config.run().steps() + " (was "
                    + base.run().steps() + ")");
        }
        RunFolder.check(out, points != null ? points : resume, init);
        Trainer trainer;
        double[][] data;
        double[][] heldOut;
        String noHeldOut = null;
        if (resumed != null) {
            data = resumed.points();
            trainer = new Trainer(config, data, Trainer.truthOf(config, data), resumed.model(), resumed.run());
            // The session keeps only the trained points: a dataset's held-out sample is drawn again, a CSV's split
            // is gone.
            heldOut = Arrays.deepEquals(data, Trainer.sample(config)) ? Trainer.heldOut(config) : null;
            noHeldOut = "the session's points are not its dataset's sample, and a session keeps no held-out split";
        } else if (points != null) {
            double[][][] parts = split(PointsCsv.read(points, 2), config.run().seed());
            data = parts[0];
            heldOut = parts[1];
            noHeldOut = "fewer than 10 points, nothing held out";
            config = smallData(config, data, given, err);
            ModelState initial = init == null ? null : ModelState.read(init);
            trainer = new Trainer(config, data, null, initial);
        } else {
            data = Trainer.sample(config);
            heldOut = Trainer.heldOut(config);
            config = smallData(config, data, given, err);
            ModelState initial = init == null ? null : ModelState.read(init);
            trainer = new Trainer(config, data, Trainer.truth(config), initial);
        }
        Map<Long, Double> msPerStep = new HashMap<>();
        Progress progress = new Progress(err, start, start + steps, quiet, System.console() != null);
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            if (!trainer.step()) {
                break;
            }
            msPerStep.put(trainer.stepCount(), (System.nanoTime() - t0) / 1e6);
            progress.update(trainer.snapshot());
            if (checkpointEvery > 0 && trainer.stepCount() % checkpointEvery == 0 && i + 1 < steps) {
                write(trainer, data, msPerStep);
            }
        }
        progress.done();
        TrainingSnapshot last = trainer.snapshot();
        double nll = heldOutNll(trainer.model(), heldOut, data, noHeldOut, err);
        write(trainer, data, msPerStep, nll);
        PrintWriter o = spec.commandLine().getOut();
        double fisher0 = trainer.initialFisher();
        o.printf(Locale.ROOT, "steps=%d loss=%.6g fisher_initial=%s fisher=%s nll=%s ms_per_step=%.3f out=%s%n",
                last.step(), last.loss(), orNa(fisher0), orNa(last.fisher()), orNa(nll), last.msPerStep(), out);
        o.flush();
        String degraded = degradation(trainer.checkpoint().history());
        if (degraded != null) {
            err.println("warning: " + degraded);
        }
        if (last.status() == TrainingSnapshot.Status.DIVERGED) {
            err.println("error: " + last.message());
            return 1;
        }
        return 0;
    }

    private static String orNa(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.6g", v);
    }

    /**
     * Splits CSV rows into trained and held-out points: a seeded random tenth (⌊n/10⌋ rows, none below 10 rows) is
     * held out; both parts keep the file's order.
     *
     * @param all  the rows
     * @param seed the run's seed
     * @return {trained, held out}, the held-out part null when nothing is held out
     */
    static double[][][] split(double[][] all, long seed) {
        int n = all.length;
        int m = n / 10;
        if (m == 0) {
            return new double[][][] {all, null};
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        boolean[] held = new boolean[n];
        for (int i = 0; i < m; i++) { // the first m of a Fisher–Yates shuffle
            int j = i + r.nextInt(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
            held[order[i]] = true;
        }
        double[][] trained = new double[n - m][];
        double[][] out = new double[m][];
        for (int i = 0, a = 0, b = 0; i < n; i++) {
            if (held[i]) {
                out[b++] = all[i];
            } else {
                trained[a++] = all[i];
            }
        }
        return new double[][][] {trained, out};
    }

    /** @return the held-out mean NLL in nats, NaN (with a note on stderr why) when there is none */
    private static double heldOutNll(ModelState model, double[][] heldOut, double[][] data, String noHeldOut,
            PrintWriter err) {
        if (!Likelihood.hasDensity(model.model())) {
            return Double.NaN;
        }
        if (heldOut == null) {
            err.println("warning: no held-out likelihood: " + noHeldOut);
            return Double.NaN;
        }
        try (Heartbeat hb = Heartbeat.start(err, () -> "train: held-out likelihood of " + heldOut.length + " points")) {
            return Likelihood.evaluate(model, heldOut, data, NLL_GRID_NODES).meanNegLogLikelihood();
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("warning: no held-out likelihood: " + e.getMessage());
            return Double.NaN;
        }
    }

    /**
     * A run can get worse without ever producing a NaN (Adam at a rate far too high): say so when the
     * final Fisher divergence is more than twice the best this run reached.
     *
     * @return the warning, or null when the run ended near its best or has no Fisher divergence
     */
    static String degradation(Trainer.History h) {
        double best = h.initialFisher();
        long bestStep = 0;
        double last = Double.NaN;
        for (int i = 0; i < h.fishers().length; i++) {
            double f = h.fishers()[i];
            if (Double.isNaN(f)) {
                continue;
            }
            last = f;
            if (!(f >= best)) {
                best = f;
                bestStep = (long) h.steps()[i];
            }
        }
        if (Double.isNaN(last) || !(last > 2 * best)) {
            return null;
        }
        return "the Fisher divergence ended at " + fourDigits(last) + ", more than twice the " + fourDigits(best)
                + " of step " + bestStep + "; the learning rate may be too high";
    }

    private static String fourDigits(double v) {
        return Setting.number(Double.parseDouble(String.format(Locale.ROOT, "%.4g", v)));
    }

    /** Replaces the run folder's model, metrics and session as one set. */
    private void write(Trainer trainer, double[][] data, Map<Long, Double> msPerStep) throws java.io.IOException {
        write(trainer, data, msPerStep, Double.NaN);
    }

    /** As {@link #write(Trainer, double[][], Map)} with the held-out NLL on the last metrics row (NaN: none). */
    private void write(Trainer trainer, double[][] data, Map<Long, Double> msPerStep, double nll)
            throws java.io.IOException {
        RunFolder.write(out, trainer.model(), metrics(trainer.checkpoint().history(), msPerStep, nll),
                SessionFile.Session.of(trainer, data));
    }

    /** @return the settings given on the command line, parsed and range-checked by their descriptions */
    /** The small-data default ({@link SmallData}) when no loss was chosen (by an option or a preset). */
    private TrainingConfig smallData(TrainingConfig config, double[][] data, Map<Setting<?>, Object> given,
            PrintWriter err) {
        if (preset != null || given.containsKey(Settings.OBJECTIVE)) {
            return config;
        }
        return SmallData.advice(config, data).map(a -> {
            Map<Setting<?>, Object> changes = new LinkedHashMap<>(a.changes());
            changes.putAll(given);
            err.println("note: " + a.message());
            return config.withAll(changes);
        }).orElse(config);
    }

    private Map<Setting<?>, Object> givenSettings() {
        Map<Setting<?>, Object> given = new LinkedHashMap<>();
        for (Setting<?> s : Settings.ALL) {
            String text = spec.findOption(s.option()).getValue();
            if (text != null) {
                try {
                    given.put(s, s.parse(text));
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), s.option() + ": "
                            + e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
                }
            }
        }
        return given;
    }

    /**
     * The whole run's metrics: step 0 (the initial Fisher divergence), then one row per step. The held-out NLL is
     * evaluated once, at the end: only the last row has an {@code nll}.
     */
    private static String metrics(Trainer.History h, Map<Long, Double> msPerStep, double nll) {
        StringBuilder b = new StringBuilder("step,loss,fisher,grad_norm,ms_per_step,nll\n");
        int rows = h.steps().length;
        String last = Double.isNaN(nll) ? "" : Double.toString(nll);
        if (!Double.isNaN(h.initialFisher())) {
            b.append("0,,").append(h.initialFisher()).append(",,,").append(rows == 0 ? last : "").append('\n');
        }
        for (int i = 0; i < rows; i++) {
            long step = (long) h.steps()[i];
            Double ms = msPerStep.get(step);
            b.append(step).append(',').append(h.losses()[i]).append(',')
                    .append(Double.isNaN(h.fishers()[i]) ? "" : Double.toString(h.fishers()[i])).append(',')
                    .append(h.gradNorms()[i]).append(',')
                    .append(ms == null ? "" : String.format(Locale.ROOT, "%.4f", ms)).append(',')
                    .append(i == rows - 1 ? last : "").append('\n');
        }
        return b.toString();
    }

    /**
     * A progress bar on stderr: on a terminal one line redrawn at most ten times a second, otherwise
     * (a log file, CI) one line per tenth of the run.
     */
    private static final class Progress {
        private final PrintWriter err;
        private final long first;
        private final long total;
        private final boolean quiet;
        private final boolean terminal;
        private long lastDraw;
        private long lastTenth = -1;

        Progress(PrintWriter err, long first, long total, boolean quiet, boolean terminal) {
            this.err = err;
            this.first = first;
            this.total = total;
            this.quiet = quiet;
            this.terminal = terminal;
        }

        void update(TrainingSnapshot s) {
            if (quiet) {
                return;
            }
            long now = System.nanoTime();
            long tenth = 10L * (s.step() - first) / Math.max(1, total - first);
            boolean due = terminal ? now - lastDraw >= 100_000_000L || s.step() == total : tenth != lastTenth;
            if (!due) {
                return;
            }
            lastDraw = now;
            lastTenth = tenth;
            int filled = (int) (30L * (s.step() - first) / Math.max(1, total - first));
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
