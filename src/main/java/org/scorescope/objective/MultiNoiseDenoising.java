package org.scorescope.objective;

import java.util.Arrays;
import java.util.Random;
import org.scorescope.autodiff.Ops;
import org.scorescope.autodiff.Tensor;
import org.scorescope.model.NoiseConditionalMlp;
import org.scorescope.model.ScoreModel;

/**
 * Multi-level denoising score matching (Song &amp; Ermon 2019) for a {@link NoiseConditionalMlp}: each sample b
 * gets a level σ_b drawn uniformly from the model's noise levels σ_1 &gt; … &gt; σ_L, x̃_b = x_b + σ_b ε_b with
 * ε_b ~ N(0, I), and
 * <pre>
 *   L(θ) = mean_b ½‖σ_b·s(x̃_b, σ_b; θ) + ε_b‖²,
 * </pre>
 * i.e. the per-level denoising loss ½‖s + ε/σ‖² weighted by λ(σ) = σ², which makes every level's term O(1).
 *
 * <p>The levels are the model's own. Built with (σ_max, σ_min, L), the objective also checks that the model's
 * levels are that geometric schedule ({@link NoiseConditionalMlp#geometricSigmas}, each level to a relative
 * 1e-12, so files written elsewhere with a rounding difference still match); built with {@link #ofModelLevels()},
 * any schedule is used as is.
 *
 * <p>Random draws, in this order: B level indices {@code rng.nextInt(L)}, then the B×D noise values
 * {@code rng.nextGaussian()} row-major; a fixed seed therefore gives a fixed loss.
 */
public final class MultiNoiseDenoising implements Objective {
    private static final double LEVEL_TOLERANCE = 1e-12;

    /** The expected schedule, or null to accept the model's levels whatever they are. */
    private final double[] expected;

    /**
     * @param sigmaMax σ_1, the largest level
     * @param sigmaMin σ_L, the smallest level
     * @param levels L
     * @throws IllegalArgumentException for an invalid schedule (see {@link NoiseConditionalMlp#geometricSigmas})
     */
    public MultiNoiseDenoising(double sigmaMax, double sigmaMin, int levels) {
        this(NoiseConditionalMlp.geometricSigmas(sigmaMax, sigmaMin, levels));
    }

    private MultiNoiseDenoising(double[] expected) {
        this.expected = expected;
    }

    /** @return an objective that uses whatever noise levels the model has */
    public static MultiNoiseDenoising ofModelLevels() {
        return new MultiNoiseDenoising((double[]) null);
    }

    /**
     * σ_b uniform over the model's levels (B, 1), then ε (B, D).
     *
     * @throws IllegalArgumentException if the model is not noise-conditional or its levels differ from the
     *                                  schedule this objective was built with
     */
    @Override
    public BatchDraws draw(ScoreModel model, Tensor x, Random rng) {
        double[] sigmas = noiseConditional(model).sigmas();
        checkLevels(sigmas);
        int b = x.dim(0);
        int d = x.dim(1);
        double[] sigma = new double[b];
        for (int i = 0; i < b; i++) {
            sigma[i] = sigmas[rng.nextInt(sigmas.length)];
        }
        return BatchDraws.of(b, Tensor.of(new int[] {b, 1}, sigma), Tensor.randn(rng, b, d));
    }

    /**
     * mean_b ½‖σ_b·s(x̃_b, σ_b) + ε_b‖² with the drawn σ_b (B, 1) and ε_b (B, D).
     *
     * @throws IllegalArgumentException if the model is not noise-conditional
     */
    @Override
    public Tensor lossWith(ScoreModel model, Tensor theta, Tensor x, BatchDraws draws) {
        NoiseConditionalMlp nc = noiseConditional(model);
        Tensor sig = draws.part(0);
        Tensor eps = draws.part(1);
        Tensor noisy = Ops.add(x, Ops.mul(eps, sig));
        Tensor residual = Ops.add(Ops.mul(nc.score(theta, noisy, sig), sig), eps);
        return Ops.mulScalar(Ops.mean(Ops.sum(Ops.square(residual), -1, false)), 0.5);
    }

    private static NoiseConditionalMlp noiseConditional(ScoreModel model) {
        if (!(model instanceof NoiseConditionalMlp nc)) {
            throw new IllegalArgumentException("multi-noise denoising needs a noise-conditional model (kind "
                    + "noise-conditional, s(x, σ)); a " + model.kind().id() + " model has no noise input");
        }
        return nc;
    }

    private void checkLevels(double[] sigmas) {
        if (expected == null) {
            return;
        }
        boolean same = sigmas.length == expected.length;
        for (int i = 0; same && i < sigmas.length; i++) {
            same = Math.abs(sigmas[i] - expected[i]) <= LEVEL_TOLERANCE * expected[i];
        }
        if (!same) {
            throw new IllegalArgumentException("the model's noise levels " + Arrays.toString(sigmas)
                    + " are not this objective's geometric schedule " + Arrays.toString(expected)
                    + " (σ_max " + expected[0] + ", σ_min " + expected[expected.length - 1] + ", " + expected.length
                    + " levels)");
        }
    }

    @Override
    public String describe() {
        return expected == null ? "multi-noise denoising (model's levels)"
                : "multi-noise denoising (σ " + expected[0] + " → " + expected[expected.length - 1] + ", "
                + expected.length + " levels)";
    }
}
