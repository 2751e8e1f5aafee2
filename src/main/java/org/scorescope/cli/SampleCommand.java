package org.scorescope.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.scorescope.analysis.AnnealedLangevinSampler;
import org.scorescope.analysis.BatchScore;
import org.scorescope.analysis.LangevinSampler;
import org.scorescope.analysis.ModelFields;
import org.scorescope.analysis.NoiseConditionalScore;
import org.scorescope.data.PointsCsv;
import org.scorescope.io.MemoryBudget;
import org.scorescope.io.OutputPaths;
import org.scorescope.model.ModelState;
import org.scorescope.model.NoiseConditionalMlp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scorescope sample}: draws points from a model with unadjusted Langevin dynamics,
 * x ← x + ε·s(x) + √(2ε)·z, starting from a uniform spread over the box [−r, r]². A noise-conditional
 * model is sampled by annealed Langevin dynamics over its own σ levels instead (Song &amp; Ermon
 * 2019): {@code --steps} steps per level with α_i = ε·σ_i²/σ_L².
 *
 * <p>Step sizes are checked against the scale of the run: ε whose noise √(2ε) exceeds the starting box is
 * refused, and a warning goes to stderr when ε times the score's typical slope exceeds 2 (steps overshoot) or when
 * the samples end up far outside the box.
 */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw samples from a model by Langevin dynamics (CSV out).")
public final class SampleCommand implements Callable<Integer> {
    /** Largest number of samples, so that positions and output stay a bounded size. */
    private static final int MAX_SAMPLES = 10_000_000;
    /** Samples farther out than this many radii signal a step size far too large for the model. */
    private static final int FAR = 100;

    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model file (JSON).")
    Path modelFile;
    @Option(names = "--n", description = "Number of samples (default ${DEFAULT-VALUE}).")
    int n = 1000;
    @Option(names = "--steps", description = "Langevin steps; per σ level for a noise-conditional model "
            + "(default ${DEFAULT-VALUE}).")
    int steps = 1000;
    @Option(names = "--step-size", description = "Step size ε (default ${DEFAULT-VALUE}).")
    double stepSize = 0.01;
    @Option(names = "--radius", description = "Initial points uniform in [-r, r]² (default ${DEFAULT-VALUE}).")
    double radius = 4;
    @Option(names = "--seed", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed = 1;
    @Option(names = "--out", required = true, paramLabel = "CSV", description = "Output points.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (n < 1 || n > MAX_SAMPLES) {
            throw usage("--n must be in [1, " + MAX_SAMPLES + "], found " + n);
        }
        if (steps < 0) {
            throw usage("--steps must be >= 0, found " + steps);
        }
        if (!(radius > 0) || !Double.isFinite(radius) || radius > 1e12) {
            throw usage("--radius must be a positive number up to 1e12, found " + radius);
        }
        if (!(stepSize > 0) || !Double.isFinite(stepSize)) {
            throw usage("--step-size must be a positive finite number, found " + stepSize);
        }
        // One step moves a particle by √(2ε) of noise alone; beyond the size of the starting box that is no
        // longer sampling the model but scattering the points.
        double maxStep = radius * radius / 2;
        if (stepSize > maxStep) {
            throw usage(String.format(Locale.ROOT, "--step-size %s is too large for --radius %s: one step's noise "
                    + "√(2ε) = %.3g exceeds the box; use at most r²/2 = %s", fmt(stepSize), fmt(radius),
                    Math.sqrt(2 * stepSize), fmt(maxStep)));
        }
        new OutputPaths().input("--model", modelFile).checkFile("--out", out);
        ModelState state = ModelState.read(modelFile);
        if (state.model().inputDim() != 2) {
            throw new IllegalArgumentException(modelFile + ": sample supports 2-D models; this one is "
                    + state.model().inputDim() + "-D");
        }
        boolean annealed = state.model() instanceof NoiseConditionalMlp;
        if (annealed && steps < 1) {
            throw usage("--steps must be >= 1 for a noise-conditional model (steps per σ level), found " + steps);
        }
        long hidden = 0;
        for (int w : state.toSpec().widths()) {
            hidden += w;
        }
        // Positions, scores and noise (2 values each), plus the hidden activations of one batched evaluation.
        MemoryBudget.require("sampling " + n + " points", MemoryBudget.times(n, MemoryBudget.plus(6 * 2 * 8,
                MemoryBudget.times(hidden + 2, 8, 3))), "use a smaller --n");
        double[] xs = new double[2 * n];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (2 * rng.nextDouble() - 1) * radius;
        }
        PrintWriter err = spec.commandLine().getErr();
        double[] p;
        // Warnings are held back until the run succeeds: a failure is reported as one line.
        List<String> warnings = new ArrayList<>();
        try (Heartbeat hb = Heartbeat.start(err, () -> "sample: " + n + " points, " + steps + " steps"
                + (annealed ? " per σ level" : ""))) {
            p = run(state, xs, warnings);
        } catch (IllegalStateException e) {
            // The sampler stops at the first non-finite score; the stability check may say why.
            throw new IllegalStateException(e.getMessage() + (warnings.isEmpty() ? "" : "; " + warnings.get(0)), e);
        }
        double reach = 0;
        for (double v : p) {
            if (!Double.isFinite(v)) {
                throw new IllegalStateException("samples diverged (non-finite after " + steps
                        + " steps): lower --step-size" + (warnings.isEmpty() ? "" : "; " + warnings.get(0)));
            }
            reach = Math.max(reach, Math.abs(v));
        }
        if (reach > FAR * radius) {
            warnings.add(String.format(Locale.ROOT, "samples reach |x| = %.3g, more than %d times --radius %s: "
                    + "--step-size %s is probably too large for this model", reach, FAR, fmt(radius), fmt(stepSize)));
        }
        PointsCsv.writeInterleaved(out, p, 2, "x", "y");
        for (String w : warnings) {
            err.println("warning: " + w);
        }
        spec.commandLine().getOut().println("samples=" + n + " steps=" + steps + " out=" + out);
        return 0;
    }

    private double[] run(ModelState state, double[] xs, List<String> warnings) {
        if (state.model() instanceof NoiseConditionalMlp nc) {
            NoiseConditionalScore score = ModelFields.noiseConditional(state, nc);
            double[] sigmas = nc.sigmas();
            double sigmaMin = sigmas[sigmas.length - 1];
            checkStability(warnings, (x, m, o) -> score.score(x, m, sigmaMin, o));
            AnnealedLangevinSampler sampler = new AnnealedLangevinSampler(score, xs, n, sigmas, steps, stepSize,
                    seed + 1);
            sampler.run();
            return sampler.positions();
        } else {
            BatchScore score = ModelFields.score(state);
            checkStability(warnings, score);
            LangevinSampler sampler = new LangevinSampler(score, xs, n, stepSize, seed + 1);
            sampler.run(steps);
            return sampler.positions();
        }
    }

    /**
     * Adds a warning when ε times the score's typical slope (the median over points of the starting box of a
     * finite-difference Lipschitz estimate) exceeds 2, where a Langevin step overshoots instead of following the
     * score.
     */
    private void checkStability(List<String> warnings, BatchScore score) {
        int m = 64;
        double h = 1e-4 * radius;
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        double[] x = new double[2 * m];
        for (int i = 0; i < x.length; i++) {
            x[i] = (2 * rng.nextDouble() - 1) * radius;
        }
        double[] s0 = new double[2 * m];
        score.score(x, m, s0);
        double[] slopes = new double[m];
        for (int d = 0; d < 2; d++) {
            double[] xh = x.clone();
            for (int i = 0; i < m; i++) {
                xh[2 * i + d] += h;
            }
            double[] sh = new double[2 * m];
            score.score(xh, m, sh);
            for (int i = 0; i < m; i++) {
                double ds = Math.hypot(sh[2 * i] - s0[2 * i], sh[2 * i + 1] - s0[2 * i + 1]) / h;
                slopes[i] = Math.max(slopes[i], ds);
            }
        }
        java.util.Arrays.sort(slopes);
        // The median, not the maximum: one steep spot should not condemn a step size that suits the bulk.
        double slope = slopes[m / 2];
        if (Double.isFinite(slope) && stepSize * slope > 2) {
            warnings.add(String.format(Locale.ROOT, "--step-size %s times the score's typical slope %.3g is %.3g > 2: "
                    + "steps will overshoot; try --step-size %.3g or less", fmt(stepSize), slope, stepSize * slope,
                    1 / slope));
        }
    }

    private picocli.CommandLine.ParameterException usage(String message) {
        return new picocli.CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** Short numbers for messages: integers without a fraction, others in shortest form. */
    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
