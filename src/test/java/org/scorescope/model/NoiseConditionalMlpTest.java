package org.scorescope.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.GradCheck;
import org.scorescope.autodiff.Ops;
import org.scorescope.autodiff.ScoreOps;
import org.scorescope.autodiff.Tensor;

class NoiseConditionalMlpTest {
    private static final NoiseConditionalMlp MODEL =
            new NoiseConditionalMlp(2, 16, 2, Activation.SOFTPLUS, 5.0, 0.01, 10);

    /** s(x_b, σ_b) = MLP([x_b, log σ_b]) / σ_b equals the loop-based reference for per-sample σ, to 1e-12. */
    @Test
    void scoreMatchesThePlainReferencePerSample() {
        double[] theta = MODEL.initialParameters(1);
        ModelSpec spec = MODEL.toSpec(theta);
        Random rng = new Random(2);
        int n = 20;
        Tensor x = Ops.mulScalar(Tensor.randn(rng, n, 2), 2.0);
        double[] sigma = new double[n];
        double[] levels = MODEL.sigmas();
        for (int b = 0; b < n; b++) {
            sigma[b] = levels[rng.nextInt(levels.length)];
        }
        Tensor th = MODEL.parameters(theta, false);
        double[][] flat = MODEL.score(th, x, Tensor.vector(sigma)).toArray2D();
        double[][] column = MODEL.score(th, x, Tensor.of(new int[] {n, 1}, sigma)).toArray2D();
        double[][] rows = x.toArray2D();
        for (int b = 0; b < n; b++) {
            double[] ref = PlainReference.noiseConditionalScore(spec, rows[b], sigma[b]);
            for (int i = 0; i < 2; i++) {
                assertEquals(ref[i], flat[b][i], 1e-12 * Math.max(1, Math.abs(ref[i])), "sample " + b);
            }
            assertArrayEquals(flat[b], column[b], "(B) and (B, 1) σ give the same scores");
        }
    }

    /** score(θ, x) is the score at the smallest level σ_L, and the single-σ overload agrees with per-sample σ. */
    @Test
    void defaultScoreIsAtTheSmallestSigma() {
        Tensor th = MODEL.parameters(MODEL.initialParameters(3), false);
        Tensor x = Tensor.randn(4L, 6, 2);
        assertEquals(0.01, MODEL.smallestSigma());
        assertArrayEquals(MODEL.score(th, x, Tensor.full(0.01, 6)).toArray(), MODEL.score(th, x).toArray());
        assertArrayEquals(MODEL.score(th, x, Tensor.full(0.7, 6, 1)).toArray(), MODEL.score(th, x, 0.7).toArray());
    }

    /** The geometric schedule: exact ends, constant ratio σ_{i+1}/σ_i = (σ_min/σ_max)^{1/(L−1)} to 1e-14. */
    @Test
    void geometricScheduleHasExactEndsAndAConstantRatio() {
        double[] s = NoiseConditionalMlp.geometricSigmas(5.0, 0.01, 10);
        assertEquals(10, s.length);
        assertEquals(5.0, s[0]);
        assertEquals(0.01, s[9]);
        double ratio = Math.pow(0.01 / 5.0, 1.0 / 9);
        for (int i = 0; i + 1 < s.length; i++) {
            assertEquals(ratio, s[i + 1] / s[i], 1e-14);
        }
        assertArrayEquals(s, MODEL.sigmas());
        assertArrayEquals(new double[] {0.5}, NoiseConditionalMlp.geometricSigmas(0.5, 0.5, 1));
        assertEquals("levels: expected at least 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> NoiseConditionalMlp.geometricSigmas(1, 0.1, 0)).getMessage());
        assertEquals("expected 0 < sigmaMin ≤ sigmaMax < ∞, got sigmaMin 2.0, sigmaMax 1.0",
                assertThrows(IllegalArgumentException.class, () -> NoiseConditionalMlp.geometricSigmas(1, 2, 5))
                        .getMessage());
        assertEquals("one noise level needs sigmaMin = sigmaMax, got sigmaMin 0.1, sigmaMax 1.0",
                assertThrows(IllegalArgumentException.class, () -> NoiseConditionalMlp.geometricSigmas(1, 0.1, 1))
                        .getMessage());
    }

    @Test
    void badArgumentsAreRejectedClearly() {
        Mlp mlp = new Mlp(new int[] {3, 8, 2}, Activation.TANH, Activation.IDENTITY);
        assertEquals("sigmas[1]: expected strictly descending levels, found 2.0 after 1.0",
                assertThrows(IllegalArgumentException.class, () -> new NoiseConditionalMlp(mlp, new double[] {1, 2}))
                        .getMessage());
        assertEquals("sigmas[0]: expected a positive finite number, found -1.0", assertThrows(
                IllegalArgumentException.class, () -> new NoiseConditionalMlp(mlp, new double[] {-1})).getMessage());
        assertEquals("a noise-conditional network maps [x, log σ] ∈ R^(D+1) to Rᴰ, got 2 → 2",
                assertThrows(IllegalArgumentException.class, () -> new NoiseConditionalMlp(
                        new Mlp(new int[] {2, 8, 2}, Activation.TANH, Activation.IDENTITY), new double[] {1}))
                        .getMessage());
        Tensor th = MODEL.parameters(MODEL.initialParameters(1), false);
        assertEquals("sigma must have shape (3) or (3, 1) for 3 points, got [2]", assertThrows(
                IllegalArgumentException.class, () -> MODEL.score(th, Tensor.zeros(3, 2), Tensor.ones(2))).getMessage());
        assertEquals("x must have shape (B, 2), got [3, 3]", assertThrows(IllegalArgumentException.class,
                () -> MODEL.score(th, Tensor.zeros(3, 3), 1.0)).getMessage());
    }

    /** The score is differentiable in θ, x and σ (directional derivatives vs Richardson FD, GradCheck). */
    @Test
    void scoreIsDifferentiableInThetaXAndSigma() {
        NoiseConditionalMlp small = new NoiseConditionalMlp(2, 6, 1, Activation.TANH, 2.0, 0.1, 4);
        Tensor theta = Tensor.vector(small.initialParameters(5));
        Tensor x = Tensor.randn(6L, 4, 2);
        Tensor sigma = Tensor.vector(0.3, 1.0, 0.15, 2.0);
        for (GradCheck.Mode mode : List.of(GradCheck.Mode.REVERSE, GradCheck.Mode.FORWARD)) {
            double err = GradCheck.check(in -> small.score(in.get(0), in.get(1), in.get(2)),
                    List.of(theta, x, sigma), 1, mode, 3, 8);
            assertTrue(err < 1e-7, mode + ": relative error " + err);
        }
    }

    /** The default exact divergence (D forward tangents) equals D nested reverse passes at σ_L. */
    @Test
    void divergenceMatchesNestedReverse() {
        Tensor th = MODEL.parameters(MODEL.initialParameters(7), false);
        Tensor x = Tensor.randn(8L, 5, 2);
        double[] div = MODEL.scoreAndDivergence(th, x).divergence().toArray();
        double[] ref = ScoreOps.naiveDivergence(z -> MODEL.score(th, z), x).toArray();
        for (int b = 0; b < 5; b++) {
            assertEquals(ref[b], div[b], 1e-10 * Math.max(1, Math.abs(ref[b])));
        }
    }

    @Test
    void specCarriesTheLevelsAndRebuildsTheModel() {
        double[] theta = MODEL.initialParameters(9);
        ModelSpec spec = MODEL.toSpec(theta);
        assertEquals(ModelSpec.Kind.NOISE_CONDITIONAL, spec.kind());
        assertArrayEquals(new int[] {3, 16, 16, 2}, spec.widths());
        assertArrayEquals(MODEL.sigmas(), spec.sigmas());
        ModelState state = ModelState.fromSpec(spec);
        assertTrue(state.model() instanceof NoiseConditionalMlp);
        assertArrayEquals(theta, state.theta());
        assertArrayEquals(MODEL.sigmas(), ((NoiseConditionalMlp) state.model()).sigmas());
        assertEquals(spec, state.toSpec());
    }
}
