package org.scorescope.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Ops;
import org.scorescope.autodiff.Tensor;
import org.scorescope.model.CouplingFlow;
import org.scorescope.model.Mlp;
import org.scorescope.model.ModelSpec;
import org.scorescope.model.NoiseConditionalMlp;
import org.scorescope.model.PlainReference;
import org.scorescope.model.ScoreMlp;

class MultiNoiseDenoisingTest {

    /**
     * The loop-based reference with the documented draw order: B level indices rng.nextInt(L), then B×D Gaussians
     * row-major; per sample ½‖σ_b·s(x_b + σ_b ε_b, σ_b) + ε_b‖², averaged.
     */
    private static double reference(NoiseConditionalMlp model, double[] theta, double[][] x, long seed) {
        ModelSpec spec = model.toSpec(theta);
        double[] levels = model.sigmas();
        Random rng = new Random(seed);
        int b = x.length;
        int d = x[0].length;
        double[] sigma = new double[b];
        for (int i = 0; i < b; i++) {
            sigma[i] = levels[rng.nextInt(levels.length)];
        }
        double[][] eps = new double[b][d];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < d; j++) {
                eps[i][j] = rng.nextGaussian();
            }
        }
        double total = 0;
        for (int i = 0; i < b; i++) {
            double[] noisy = new double[d];
            for (int j = 0; j < d; j++) {
                noisy[j] = x[i][j] + sigma[i] * eps[i][j];
            }
            double[] s = PlainReference.noiseConditionalScore(spec, noisy, sigma[i]);
            for (int j = 0; j < d; j++) {
                double r = sigma[i] * s[j] + eps[i][j];
                total += 0.5 * r * r;
            }
        }
        return total / b;
    }

    @Test
    void lossEqualsTheNaivePerSampleReference() {
        NoiseConditionalMlp model = new NoiseConditionalMlp(2, 16, 2, Activation.SILU, 3.0, 0.02, 8);
        MultiNoiseDenoising obj = new MultiNoiseDenoising(3.0, 0.02, 8);
        Tensor x = Ops.mulScalar(Tensor.randn(3L, 64, 2), 2.0);
        for (long seed = 1; seed <= 3; seed++) {
            double[] theta = model.initialParameters(seed);
            double loss = obj.loss(model, model.parameters(theta, false), x, new Random(seed + 100)).item();
            double ref = reference(model, theta, x.toArray2D(), seed + 100);
            assertEquals(ref, loss, 1e-12 * Math.max(1, Math.abs(ref)), "seed " + seed);
        }
    }

    /** ∇_θ L equals Richardson central differences of L with the same rng seed: ‖g − g_FD‖ ≤ 1e-6·‖g‖. */
    @Test
    void gradientMatchesFiniteDifferencesWithTheSameSeed() {
        NoiseConditionalMlp model = new NoiseConditionalMlp(2, 8, 1, Activation.TANH, 2.0, 0.05, 5);
        MultiNoiseDenoising obj = new MultiNoiseDenoising(2.0, 0.05, 5);
        double[] theta = model.initialParameters(4);
        Tensor x = Tensor.randn(5L, 32, 2);
        Objective.LossAndGradient lg = obj.lossAndGradient(model, theta, x, new Random(9));
        double[] fd = FiniteDifferences.gradient(
                t -> obj.loss(model, model.parameters(t, false), x, new Random(9)).item(), theta, 1e-3);
        double err = FiniteDifferences.relativeError(lg.gradient(), fd);
        assertTrue(err < 1e-6, "relative gradient error " + err);
    }

    /** Every level is drawn, each about 1/L of the time (a large batch; ±5 binomial standard deviations). */
    @Test
    void levelsAreDrawnUniformly() {
        NoiseConditionalMlp model = new NoiseConditionalMlp(2, 4, 1, Activation.TANH, 1.0, 0.1, 4);
        double[] levels = model.sigmas();
        Random rng = new Random(11);
        int n = 4000;
        int[] counts = new int[levels.length];
        for (int i = 0; i < n; i++) {
            counts[rng.nextInt(levels.length)]++;
        }
        double sd = Math.sqrt(n * 0.25 * 0.75);
        for (int c : counts) {
            assertEquals(n / 4.0, c, 5 * sd);
        }
        // The objective consumes the generator in exactly that order, so its loss is the reference's.
        Tensor x = Tensor.randn(6L, n, 2);
        double[] theta = model.initialParameters(2);
        double loss = new MultiNoiseDenoising(1.0, 0.1, 4).loss(model, model.parameters(theta, false), x,
                new Random(11)).item();
        assertEquals(reference(model, theta, x.toArray2D(), 11), loss, 1e-12);
    }

    @Test
    void rejectsOtherModelsAndOtherSchedules() {
        MultiNoiseDenoising obj = new MultiNoiseDenoising(1.0, 0.1, 3);
        Tensor x = Tensor.zeros(2, 2);
        ScoreMlp score = new ScoreMlp(2, 4, 1, Activation.TANH);
        assertEquals("multi-noise denoising needs a noise-conditional model (kind noise-conditional, s(x, σ)); a score "
                + "model has no noise input", assertThrows(IllegalArgumentException.class, () -> obj.loss(score,
                        score.parameters(score.initialParameters(1), false), x, new Random(1))).getMessage());
        CouplingFlow flow = new CouplingFlow(2, 2, 4, 1, Activation.TANH, 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> obj.loss(flow,
                flow.parameters(flow.initialParameters(1), false), x, new Random(1))).getMessage()
                .contains("a flow model has no noise input"));
        NoiseConditionalMlp other = new NoiseConditionalMlp(2, 4, 1, Activation.TANH, 1.0, 0.1, 4);
        String msg = assertThrows(IllegalArgumentException.class, () -> obj.loss(other,
                other.parameters(other.initialParameters(1), false), x, new Random(1))).getMessage();
        assertTrue(msg.startsWith("the model's noise levels [1.0, 0.46") && msg.endsWith(", 0.1] are not this "
                + "objective's geometric schedule [1.0, 0.31622776601683794, 0.1] (σ_max 1.0, σ_min 0.1, 3 levels)"), msg);
        // A hand-written (non-geometric) schedule is accepted when the objective takes the model's levels.
        NoiseConditionalMlp custom = new NoiseConditionalMlp(
                new Mlp(new int[] {3, 4, 2}, Activation.TANH, Activation.IDENTITY), new double[] {2.0, 0.3, 0.2});
        double[] theta = custom.initialParameters(3);
        Tensor xs = Tensor.randn(7L, 10, 2);
        double loss = MultiNoiseDenoising.ofModelLevels().loss(custom, custom.parameters(theta, false), xs,
                new Random(4)).item();
        assertEquals(reference(custom, theta, xs.toArray2D(), 4), loss, 1e-12);
        assertEquals("multi-noise denoising (σ 1.0 → 0.1, 3 levels)", obj.describe());
        assertEquals("multi-noise denoising (model's levels)", MultiNoiseDenoising.ofModelLevels().describe());
    }
}
