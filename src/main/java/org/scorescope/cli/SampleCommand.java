package org.scorescope.cli;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.scorescope.analysis.AnnealedLangevinSampler;
import org.scorescope.analysis.LangevinSampler;
import org.scorescope.analysis.ModelFields;
import org.scorescope.data.PointsCsv;
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
 */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw samples from a model by Langevin dynamics (CSV out).")
public final class SampleCommand implements Callable<Integer> {
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
        if (n < 1 || n > 10_000_000 || steps < 0 || !(radius > 0)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--n must be in [1, 10000000], --steps ≥ 0 and --radius > 0");
        }
        ModelState state = ModelState.read(modelFile);
        if (state.model().inputDim() != 2) {
            throw new IllegalArgumentException("sample supports 2-D models; this one is " + state.model().inputDim() + "-D");
        }
        double[] xs = new double[2 * n];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (2 * rng.nextDouble() - 1) * radius;
        }
        double[] p;
        if (state.model() instanceof NoiseConditionalMlp nc) {
            AnnealedLangevinSampler sampler = new AnnealedLangevinSampler(ModelFields.noiseConditional(state, nc), xs, n,
                    nc.sigmas(), steps, stepSize, seed + 1);
            sampler.run();
            p = sampler.positions();
        } else {
            LangevinSampler sampler = new LangevinSampler(ModelFields.score(state), xs, n, stepSize, seed + 1);
            sampler.run(steps);
            p = sampler.positions();
        }
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = new double[] {p[2 * i], p[2 * i + 1]};
            if (!Double.isFinite(rows[i][0]) || !Double.isFinite(rows[i][1])) {
                throw new IllegalStateException("samples diverged (non-finite after " + steps
                        + " steps): lower --step-size");
            }
        }
        PointsCsv.write(out, rows, "x", "y");
        spec.commandLine().getOut().println("samples=" + n + " steps=" + steps + " out=" + out);
        return 0;
    }
}
