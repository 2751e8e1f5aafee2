package org.scorescope.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.scorescope.analysis.BatchScore;
import org.scorescope.analysis.ModeWeights;
import org.scorescope.analysis.ModelFields;
import org.scorescope.analysis.Samplers;
import org.scorescope.data.GaussianMixture;
import org.scorescope.data.PointsCsv;
import org.scorescope.data.ToyDataset;
import org.scorescope.io.MemoryBudget;
import org.scorescope.io.OutputPaths;
import org.scorescope.model.ModelState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scorescope sample}: draws points from a model with the {@code --sampler} of the user's choice, by default the
 * kind's own ({@link Samplers}):
 * <ul>
 *   <li>{@code langevin} (energy, score, flow; every kind): unadjusted Langevin dynamics x ← x + ε·s(x) + √(2ε)·z from
 *       a uniform spread over the box [−r, r]² (a diffusion model's s(x, ε), a noise-conditional model's s(x, σ_L));</li>
 *   <li>{@code annealed-langevin} (noise-conditional's default; VE diffusion): Langevin over a σ ladder (Song &amp; Ermon
 *       2019), {@code --steps} steps per level with α_i = ε·σ_i²/σ_L²; a diffusion model's ladder is {@code --levels}
 *       geometric values of its s(t) from s(1) to s(ε);</li>
 *   <li>{@code reverse-sde}, {@code pf-ode} (diffusion's default), {@code pc} (diffusion; noise-conditional as the
 *       VE SDE through its σ range): the reverse SDE by Euler–Maruyama, the probability-flow ODE by adaptive
 *       Dormand–Prince ({@code --rtol}, {@code --atol}), predictor–corrector with a Langevin corrector
 *       ({@code --snr}), all from the SDE's prior.</li>
 * </ul>
 * The output line reports the network evaluations; {@code --mode-weights DATASET} adds the fraction of the samples in
 * each component of that dataset's mixture.
 *
 * <p>Langevin step sizes are checked against the scale of the run: ε whose noise √(2ε) exceeds the starting box is
 * refused, and a warning goes to stderr when ε times the score's typical slope exceeds 2 (steps overshoot) or when
 * the samples end up far outside the box.
 */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw samples from a model by Langevin dynamics, the reverse SDE, the probability-flow ODE or "
                + "predictor-corrector (CSV out).")
public final class SampleCommand implements Callable<Integer> {
    /** Largest number of samples, so that positions and output stay a bounded size. */
    private static final int MAX_SAMPLES = 10_000_000;
    /** Samples farther out than this many radii signal a step size far too large for the model. */
    private static final int FAR = 100;

    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model file (JSON).")
    Path modelFile;
    @Option(names = "--sampler", paramLabel = "NAME", description = Samplers.SAMPLER_HELP)
    String sampler;
    @Option(names = "--n", description = "Number of samples (default ${DEFAULT-VALUE}).")
    int n = 1000;
    @Option(names = "--steps", description = Samplers.STEPS_HELP)
    Integer steps;
    @Option(names = "--step-size", description = "Langevin step size ε (annealed: at the last level) (default 0.01; "
            + "0.1·σ_L² for annealed Langevin of a diffusion model).")
    Double stepSize;
    @Option(names = "--radius", description = "Langevin: initial points uniform in [-r, r]² (default "
            + "${DEFAULT-VALUE}).")
    double radius = 4;
    @Option(names = "--levels", description = "Annealed Langevin of a VE diffusion model: σ levels (default "
            + "${DEFAULT-VALUE}).")
    int levels = 10;
    @Option(names = "--snr", description = Samplers.SNR_HELP)
    double snr = Samplers.DEFAULT_SNR;
    @Option(names = "--corrector-steps", description = "pc: Langevin corrector steps per time (default "
            + "${DEFAULT-VALUE}).")
    int correctorSteps = 1;
    @Option(names = "--rtol", description = "pf-ode: relative tolerance (default ${DEFAULT-VALUE}).")
    double rtol = Samplers.DEFAULT_TOLERANCE;
    @Option(names = "--atol", description = "pf-ode: absolute tolerance (default ${DEFAULT-VALUE}).")
    double atol = Samplers.DEFAULT_TOLERANCE;
    @Option(names = "--mode-weights", paramLabel = "DATASET", description = "Also print the fraction of the samples "
            + "in each component of this dataset's Gaussian mixture (e.g. mixture2).")
    String modeWeights;
    @Option(names = "--seed", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed = 1;
    @Option(names = "--out", required = true, paramLabel = "CSV", description = "Output points.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (n < 1 || n > MAX_SAMPLES) {
            throw usage("--n must be in [1, " + MAX_SAMPLES + "], found " + n);
        }
        if (steps != null && steps < 0) {
            throw usage("--steps must be >= 0, found " + steps);
        }
        if (!(radius > 0) || !Double.isFinite(radius) || radius > 1e12) {
            throw usage("--radius must be a positive number up to 1e12, found " + radius);
        }
        if (stepSize != null && (!(stepSize > 0) || !Double.isFinite(stepSize))) {
            throw usage("--step-size must be a positive finite number, found " + stepSize);
        }
        if (!(snr > 0) || !Double.isFinite(snr) || correctorSteps < 0 || levels < 2) {
            throw usage("--snr must be positive, --corrector-steps >= 0 and --levels >= 2; found " + snr + ", "
                    + correctorSteps + ", " + levels);
        }
        if (!(rtol > 0) || !(atol > 0) || !Double.isFinite(rtol) || !Double.isFinite(atol)) {
            throw usage("--rtol and --atol must be positive finite numbers, found " + rtol + ", " + atol);
        }
        Samplers.Kind kind0 = null;
        if (sampler != null) {
            try {
                kind0 = Samplers.Kind.fromId(sampler);
            } catch (IllegalArgumentException e) {
                throw usage("--sampler: " + e.getMessage());
            }
        }
        GaussianMixture modes = null;
        if (modeWeights != null) {
            try {
                modes = ToyDataset.fromId(modeWeights).mixture().orElseThrow(() -> new IllegalArgumentException(
                        modeWeights + " has no Gaussian mixture"));
            } catch (IllegalArgumentException e) {
                throw usage("--mode-weights: " + e.getMessage());
            }
        }
        boolean langevin = kind0 == null || kind0 == Samplers.Kind.LANGEVIN || kind0 == Samplers.Kind.ANNEALED_LANGEVIN;
        // One step moves a particle by √(2ε) of noise alone; beyond the size of the starting box that is no
        // longer sampling the model but scattering the points.
        double maxStep = radius * radius / 2;
        if (langevin && stepSize != null && stepSize > maxStep) {
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
        Samplers.Kind kind = kind0 != null ? kind0 : Samplers.defaultFor(state.model());
        if (!Samplers.offers(kind, state.model())) {
            throw usage("--sampler " + kind.id() + " does not apply to " + state.model().kind().id() + " models (this "
                    + "one offers " + Samplers.offered(state.model()).stream().map(Samplers.Kind::id)
                    .collect(java.util.stream.Collectors.joining(", ")) + ")");
        }
        langevin = kind == Samplers.Kind.LANGEVIN || kind == Samplers.Kind.ANNEALED_LANGEVIN;
        if (stepSize == null) {
            stepSize = Samplers.defaultStepSize(kind, state.model(), levels);
        }
        int nSteps = steps != null ? steps : Samplers.defaultSteps(kind, state.model());
        if (nSteps < 1 && kind != Samplers.Kind.LANGEVIN && kind != Samplers.Kind.PROBABILITY_FLOW) {
            throw usage("--steps must be >= 1 for " + kind.id() + (kind == Samplers.Kind.ANNEALED_LANGEVIN
                    ? " (steps per σ level)" : "") + ", found " + nSteps);
        }
        long hidden = 0;
        for (int w : state.toSpec().widths()) {
            hidden += w;
        }
        // Positions, scores and noise (2 values each; 10 arrays for the Runge-Kutta stages of pf-ode), plus the
        // hidden activations of one batched evaluation.
        MemoryBudget.require("sampling " + n + " points", MemoryBudget.times(n, MemoryBudget.plus(12 * 2 * 8,
                MemoryBudget.times(hidden + 2, 8, 3))), "use a smaller --n");
        double[] xs = new double[2 * n];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (2 * rng.nextDouble() - 1) * radius;
        }
        PrintWriter err = spec.commandLine().getErr();
        Samplers.Outcome p;
        // Warnings are held back until the run succeeds: a failure is reported as one line.
        List<String> warnings = new ArrayList<>();
        long started = System.nanoTime();
        try (Heartbeat hb = Heartbeat.start(err, () -> "sample: " + n + " points, " + kind.id())) {
            if (langevin) {
                checkStability(warnings, kind == Samplers.Kind.LANGEVIN ? ModelFields.score(state)
                        : Samplers.smallestLevelScore(state));
            }
            Samplers.Options o = new Samplers.Options(nSteps, stepSize, levels, snr, correctorSteps, rtol, atol);
            p = Samplers.run(kind, state, xs, n, o, seed + 1);
        } catch (IllegalStateException e) {
            // The sampler stops at the first non-finite score; the stability check may say why.
            throw new IllegalStateException(e.getMessage() + (warnings.isEmpty() ? "" : "; " + warnings.get(0)), e);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double reach = 0;
        for (double v : p.positions()) {
            if (!Double.isFinite(v)) {
                throw new IllegalStateException("samples diverged (non-finite after " + nSteps + " steps)"
                        + (langevin ? ": lower --step-size" : "") + (warnings.isEmpty() ? "" : "; " + warnings.get(0)));
            }
            reach = Math.max(reach, Math.abs(v));
        }
        if (langevin && reach > FAR * radius) {
            warnings.add(String.format(Locale.ROOT, "samples reach |x| = %.3g, more than %d times --radius %s: "
                    + "--step-size %s is probably too large for this model", reach, FAR, fmt(radius), fmt(stepSize)));
        }
        PointsCsv.writeInterleaved(out, p.positions(), 2, "x", "y");
        for (String w : warnings) {
            err.println("warning: " + w);
        }
        StringBuilder line = new StringBuilder("samples=" + n + " sampler=" + kind.id() + " steps=" + p.steps()
                + " nfe=" + p.evaluations() + String.format(Locale.ROOT, " seconds=%.2f", seconds));
        if (modes != null) {
            double[] w = ModeWeights.of(modes, p.positions(), n);
            line.append(" modeWeights=[");
            for (int k = 0; k < w.length; k++) {
                line.append(k > 0 ? "," : "").append(String.format(Locale.ROOT, "%.4f", w[k]));
            }
            line.append(']');
        }
        spec.commandLine().getOut().println(line.append(" out=").append(out));
        return 0;
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
