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
import org.scorescope.model.EnergyMlp;
import org.scorescope.model.ModelSpec;
import org.scorescope.model.NoiseConditionalMlp;
import org.scorescope.model.PlainReference;
import org.scorescope.model.ScoreMlp;

class MaxLikelihoodTest {
    private static final MaxLikelihood ML = new MaxLikelihood();

    /** θ with non-zero last layers (the flow's own init would make it the identity). */
    private static double[] randomTheta(CouplingFlow flow, long seed) {
        double[] theta = new double[flow.parameterCount()];
        int off = 0;
        for (int k = 0; k < flow.couplingCount(); k++) {
            double[] part = flow.conditioner(k).initialParameters(seed + k);
            System.arraycopy(part, 0, theta, off, part.length);
            off += part.length;
        }
        return theta;
    }

    /** L = −mean_b log q(x_b) equals the loop-based per-sample reference computed from the model file, to 1e-12. */
    @Test
    void lossEqualsTheNaivePerSampleReference() {
        CouplingFlow flow = new CouplingFlow(2, 4, 12, 2, Activation.SOFTPLUS, 2.0);
        double[] theta = randomTheta(flow, 3);
        ModelSpec spec = flow.toSpec(theta);
        Tensor x = Ops.mulScalar(Tensor.randn(5L, 40, 2), 1.7);
        double loss = ML.loss(flow, flow.parameters(theta, false), x, new Random(1)).item();
        double ref = 0;
        for (double[] row : x.toArray2D()) {
            ref -= PlainReference.flowLogProb(spec, row) / 40;
        }
        assertEquals(ref, loss, 1e-12 * Math.max(1, Math.abs(ref)));
    }

    /**
     * With smoothing σ the loss is the plain loss of x + σε for ε the batch's N(0, I) draws (B×D Gaussians from the
     * Random, row-major), to 1e-12; σ = 0 draws nothing; a negative or NaN σ is refused.
     */
    @Test
    void smoothingIsMaximumLikelihoodOfTheBlurredBatch() {
        CouplingFlow flow = new CouplingFlow(2, 4, 12, 2, Activation.SOFTPLUS, 2.0);
        Tensor theta = flow.parameters(randomTheta(flow, 3), false);
        Tensor x = Ops.mulScalar(Tensor.randn(5L, 40, 2), 1.7);
        double sigma = 0.3;
        double smoothed = new MaxLikelihood(sigma).loss(flow, theta, x, new Random(9)).item();
        Tensor blurred = Ops.add(x, Ops.mulScalar(Tensor.randn(new Random(9), 40, 2), sigma));
        double plain = ML.loss(flow, theta, blurred, new Random(0)).item();
        assertEquals(plain, smoothed, 1e-12 * Math.max(1, Math.abs(plain)));
        assertTrue(Math.abs(smoothed - ML.loss(flow, theta, x, new Random(0)).item()) > 1e-3, "the blur matters");
        assertEquals(ML.loss(flow, theta, x, new Random(1)).item(),
                new MaxLikelihood(0).loss(flow, theta, x, new Random(2)).item(), "σ = 0 draws nothing");
        assertThrows(IllegalArgumentException.class, () -> new MaxLikelihood(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new MaxLikelihood(Double.NaN));
    }

    /** ∇_θ L (one reverse pass) equals Richardson central differences of L: ‖g − g_FD‖ ≤ 1e-6·‖g‖. */
    @Test
    void gradientMatchesFiniteDifferences() {
        CouplingFlow flow = new CouplingFlow(2, 3, 6, 1, Activation.TANH, 1.0);
        double[] theta = randomTheta(flow, 7);
        Tensor x = Ops.mulScalar(Tensor.randn(8L, 24, 2), 1.5);
        Objective.LossAndGradient lg = ML.lossAndGradient(flow, theta, x, new Random(0));
        double[] fd = FiniteDifferences.gradient(
                t -> ML.loss(flow, flow.parameters(t, false), x, new Random(0)).item(), theta, 1e-3);
        double err = FiniteDifferences.relativeError(lg.gradient(), fd);
        assertTrue(err < 1e-6, "relative gradient error " + err);
        assertEquals(ML.loss(flow, flow.parameters(theta, false), x, new Random(0)).item(), lg.loss());
    }

    @Test
    void rejectsModelsWithoutANormalizedDensity() {
        Tensor x = Tensor.zeros(3, 2);
        EnergyMlp energy = new EnergyMlp(2, 4, 1, Activation.SOFTPLUS);
        assertEquals("maximum likelihood needs a model with a normalized density (a flow); a energy model has none",
                assertThrows(IllegalArgumentException.class, () -> ML.loss(energy,
                        energy.parameters(energy.initialParameters(1), false), x, new Random(1))).getMessage());
        ScoreMlp score = new ScoreMlp(2, 4, 1, Activation.SOFTPLUS);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ML.loss(score,
                score.parameters(score.initialParameters(1), false), x, new Random(1))).getMessage()
                .contains("a score model has none"));
        NoiseConditionalMlp nc = new NoiseConditionalMlp(2, 4, 1, Activation.SOFTPLUS, 1, 0.1, 3);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ML.loss(nc,
                nc.parameters(nc.initialParameters(1), false), x, new Random(1))).getMessage()
                .contains("a noise-conditional model has none"));
    }

    @Test
    void describesItself() {
        assertEquals("maximum likelihood", ML.describe());
    }
}
