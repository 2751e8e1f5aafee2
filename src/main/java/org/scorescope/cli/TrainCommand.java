package org.scorescope.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.scorescope.analysis.Likelihood;
import org.scorescope.data.PointsCsv;
import org.scorescope.model.ModelSpec;
import org.scorescope.model.ModelState;
import org.scorescope.train.HeldOutQuality;
import org.scorescope.train.HeldOutSplit;
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
 * seeded 10% of the rows ({@link #split}), which are not trained on and not saved in the session. The held-out mean
 * negative log-likelihood ({@link Likelihood}) is evaluated every {@link Settings#NLL_EVERY} steps and written in
 * metrics.csv's {@code nll} column on those rows; at the end it is evaluated once more on a finer grid, printed as
 * {@code nll=} and written on the last row. metrics.csv is streamed to disk as the run goes ({@link MetricsLog}), so
 * memory stays flat however many steps. The last line also names the best model ({@code best_step=N best_nll=X},
 * saved as the session's {@code run.best}); quality far from it, or a degenerate fit, is a {@code warning:} on stderr.
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
        trainer.holdOut(heldOut);
        try (MetricsLog metrics = new MetricsLog(trainer.checkpoint().history())) {
            return train(trainer, data, heldOut, noHeldOut, steps, start, metrics, err);
        }
    }

    private int train(Trainer trainer, double[][] data, double[][] heldOut, String noHeldOut, int steps, long start,
            MetricsLog metrics, PrintWriter err) throws java.io.IOException {
        Progress progress = new Progress(err, start, start + steps, quiet, System.console() != null);
        int fisherEvery = trainer.config().run().fisherEvery();
        int nllEvery = trainer.config().get(Settings.NLL_EVERY);
        java.util.Set<String> warned = new java.util.HashSet<>();
        double totalMs = 0;
        int done = 0;
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            if (!trainer.step()) {
                break;
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            totalMs += ms;
            done++;
            TrainingSnapshot s = trainer.snapshot();
            long k = s.step();
            boolean fisherDue = k % fisherEvery == 0 || k == trainer.config().run().steps(); // as the Trainer
            metrics.row(k, s.loss(), fisherDue ? s.fisher() : Double.NaN, s.gradNorm(), ms,
                    k % nllEvery == 0 ? trainer.quality().nll() : Double.NaN);
            progress.update(s);
            String w = trainer.quality().warning();
            if (w != null && warned.add(w.substring(0, Math.max(0, w.indexOf(':'))))) {
                progress.interrupt();
                err.println("warning: step " + k + ": " + w);
                err.flush();
            }
            if (checkpointEvery > 0 && trainer.stepCount() % checkpointEvery == 0 && i + 1 < steps) {
                write(trainer, data, metrics, Double.NaN);
            }
        }
        progress.done();
        TrainingSnapshot last = trainer.snapshot();
        double nll = heldOutNll(trainer.model(), heldOut, data, noHeldOut, err);
        write(trainer, data, metrics, nll);
        PrintWriter o = spec.commandLine().getOut();
        double fisher0 = trainer.initialFisher();
        HeldOutQuality.Best best = trainer.quality().best();
        String bestText = best == null ? "best_step=n/a"
                : String.format(Locale.ROOT, "best_step=%d best_%s=%s", best.step(),
                        best.metric() == HeldOutQuality.Metric.NLL ? "nll" : "fisher", orNa(best.value()));
        // the mean over this run's steps, evaluations included: the trainer's smoothed figure would end on the last
        // step, which also evaluates the Fisher divergence and the held-out NLL
        o.printf(Locale.ROOT, "steps=%d loss=%.6g fisher_initial=%s fisher=%s nll=%s ms_per_step=%.3f %s out=%s%n",
                last.step(), last.loss(), orNa(fisher0), orNa(last.fisher()), orNa(nll),
                done == 0 ? Double.NaN : totalMs / done, bestText, out);
        o.flush();
        // A diffusion model's Fisher divergence is that of s(x, ε) = output/s(ε): output noise amplified ~100-fold, so
        // its ups and downs say nothing about the learning rate.
        String degraded = trainer.quality().warning();
        if (degraded == null && trainer.model().model().kind() != ModelSpec.Kind.DIFFUSION) {
            degraded = degradation(trainer.checkpoint().history());
        }
        if (degraded != null) {
            err.println("warning: " + degraded + (best == null ? "" : "; the best model (step " + best.step()
                    + ") is saved as run.best in " + RunFolder.SESSION));
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
        return HeldOutSplit.split(all, seed);
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

    /**
     * Replaces the run folder's model, metrics and session as one set; {@code nll} (NaN: none) goes on the last
     * metrics row.
     */
    private void write(Trainer trainer, double[][] data, MetricsLog metrics, double nll) throws java.io.IOException {
        long step = trainer.stepCount();
        RunFolder.write(out, trainer.model(), w -> metrics.copyTo(w, step, nll), SessionFile.Session.of(trainer, data));
    }

    /** @return the settings given on the command line, parsed and range-checked by their descriptions */
    /**
     * The small-data default ({@link SmallData}) when no loss was chosen (by an option or a preset); the options
     * given win over it, and it says nothing when they leave it nothing to change.
     */
    private TrainingConfig smallData(TrainingConfig config, double[][] data, Map<Setting<?>, Object> given,
            PrintWriter err) {
        if (preset != null || given.containsKey(Settings.OBJECTIVE)) {
            return config;
        }
        return SmallData.advice(config, data).map(a -> {
            Map<Setting<?>, Object> changes = new LinkedHashMap<>(a.changes());
            changes.putAll(given);
            TrainingConfig changed = config.withAll(changes);
            if (!changed.changesTo(config).isEmpty()) {
                err.println("note: " + a.message());
            }
            return changed;
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

        /** Ends a bar drawn on a terminal, so that a message can take the next line. */
        void interrupt() {
            if (!quiet && terminal && lastDraw != 0) {
                err.println();
            }
        }

        void done() {
            if (!quiet && terminal) {
                err.println();
                err.flush();
            }
        }
    }

}
