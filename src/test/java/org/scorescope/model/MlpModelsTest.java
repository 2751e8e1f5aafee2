package org.scorescope.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.ScoreOps;
import org.scorescope.autodiff.Tensor;

class MlpModelsTest {
    private static final Tensor X = Tensor.of(new double[][] {{0.3, -1.2}, {1.5, 0.4}, {-0.7, 2.1}, {0, 0}});

    private static double maxRel(Tensor a, Tensor b) {
        double[] x = a.toArray();
        double[] y = b.toArray();
        assertEquals(x.length, y.length);
        double m = 0;
        for (int i = 0; i < x.length; i++) {
            m = Math.max(m, Math.abs(x[i] - y[i]) / Math.max(1, Math.abs(y[i])));
        }
        return m;
    }

    @Test
    void energyForwardLaplacianMatchesNestedReverseForEveryActivation() {
        for (Activation a : Activation.values()) {
            EnergyMlp m = new EnergyMlp(2, 7, 2, a);
            Tensor theta = m.parameters(m.initialParameters(3), false);
            ScoreModel.ScoreAndDivergence sd = m.scoreAndDivergence(theta, X);
            assertTrue(maxRel(sd.score(), m.score(theta, X)) < 1e-12, a + " score");
            Tensor naive = ScoreOps.naiveDivergence(z -> m.score(theta, z), X);
            assertTrue(maxRel(sd.divergence(), naive) < 1e-10, a + " divergence");
        }
    }

    @Test
    void energyScoreIsMinusGradientByFiniteDifferences() {
        EnergyMlp m = new EnergyMlp(2, 5, 1, Activation.SOFTPLUS);
        Tensor theta = m.parameters(m.initialParameters(1), false);
        double[][] s = m.score(theta, X).toArray2D();
        double h = 1e-6;
        for (int b = 0; b < 4; b++) {
            for (int d = 0; d < 2; d++) {
                double[][] p = X.toArray2D();
                double[][] q = X.toArray2D();
                p[b][d] += h;
                q[b][d] -= h;
                double fd = -(m.energy(theta, Tensor.of(p)).get(b) - m.energy(theta, Tensor.of(q)).get(b)) / (2 * h);
                assertEquals(fd, s[b][d], 1e-8);
            }
        }
    }

    @Test
    void scoreNetworkDivergenceMatchesNestedReverseAndThetaGradientsAgree() {
        ScoreMlp m = new ScoreMlp(2, 6, 2, Activation.TANH);
        Tensor theta = m.parameters(m.initialParameters(5), true);
        Tensor fast = m.scoreAndDivergence(theta, X).divergence();
        Tensor naive = ScoreOps.naiveDivergence(z -> m.score(theta, z), X);
        assertTrue(maxRel(fast, naive) < 1e-10);
        Tensor gFast = Grad.grad(fast.sum(), theta).get(0);
        Tensor gNaive = Grad.grad(naive.sum(), theta).get(0);
        assertTrue(maxRel(gFast, gNaive) < 1e-10);
    }

    @Test
    void specRoundTripIsBitExactAndLayoutMatchesTheFile() {
        for (ScoreModel m : List.of(new EnergyMlp(2, 4, 2, Activation.GELU), new ScoreMlp(2, 3, 1, Activation.ELU))) {
            double[] theta = m.initialParameters(9);
            ModelState back = ModelState.fromSpec(m.toSpec(theta));
            assertArrayEquals(theta, back.theta());
            assertEquals(m.kind(), back.model().kind());
            assertEquals(m.parameterCount(), back.model().parameterCount());
        }
        // layer 0 weight row-major first, then its bias
        ScoreMlp m = new ScoreMlp(2, 3, 1, Activation.TANH);
        double[] theta = new double[m.parameterCount()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = i;
        }
        ModelSpec.Layer first = m.toSpec(theta).layers().get(0);
        assertEquals(1.0, first.weight(0, 1));
        assertEquals(2.0, first.weight(1, 0));
        assertEquals(6.0, first.bias(0));
    }

    @Test
    void seedExampleSigmoidLinearScoreModel() {
        ModelSpec spec = new ModelSpec(ModelSpec.Kind.SCORE, 2, Activation.IDENTITY, Activation.SIGMOID,
                List.of(new ModelSpec.Layer(new double[][] {{1, 3}, {2, 4}}, new double[] {0, 0})));
        ModelState st = ModelState.fromSpec(spec);
        Tensor x = Tensor.of(new double[][] {{1, 1}});
        double[] s = st.model().score(st.thetaTensor(), x).toArray();
        assertEquals(0.9820137900379085, s[0], 1e-15);
        assertEquals(0.9975273768433653, s[1], 1e-15);
        Tensor jac = Grad.batchJacobian(z -> st.model().score(st.thetaTensor(), z), x);
        assertEquals(0.017662706213291107, jac.get(0, 0, 0), 1e-15);
        assertEquals(0.009866037165439724, jac.get(0, 1, 1), 1e-15);
    }

    @Test
    void energyInitializationAnchorsEveryFirstLayerHyperplaneAtATrainingPoint() {
        double[][] points = {{2.8, 0}, {-2.8, 0}, {0, 2.8}, {0, -2.8}, {2, 2}, {-2, -2}};
        EnergyMlp m = new EnergyMlp(2, 16, 2, Activation.SOFTPLUS);
        double[] plain = m.initialParameters(7);
        double[] anchored = m.initialParameters(7, points);
        assertArrayEquals(anchored, m.initialParameters(7, points), "deterministic for a seed and the points");
        int weights = 16 * 2;
        for (int i = 0; i < plain.length; i++) {
            if (i < weights || i >= weights + 16) {
                assertEquals(plain[i], anchored[i], "only the first layer's biases move, index " + i);
            }
        }
        for (int u = 0; u < 16; u++) {
            double w0 = anchored[2 * u];
            double w1 = anchored[2 * u + 1];
            double b = anchored[weights + u];
            double closest = Double.POSITIVE_INFINITY;
            for (double[] p : points) {
                closest = Math.min(closest, Math.abs(w0 * p[0] + w1 * p[1] + b));
            }
            assertEquals(0, closest, 1e-12, "unit " + u + "'s hyperplane passes through a training point");
        }
        assertArrayEquals(plain, m.initialParameters(7, new double[0][]), "no points: the default initialization");
        ScoreMlp score = new ScoreMlp(2, 16, 2, Activation.SOFTPLUS);
        assertArrayEquals(score.initialParameters(7), score.initialParameters(7, points),
                "a score network keeps the default (anchoring measured worse for it)");
    }

    @Test
    void wrongParameterCountIsRejectedClearly() {
        EnergyMlp m = new EnergyMlp(2, 4, 1, Activation.TANH);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.parameters(new double[3], false));
        assertTrue(e.getMessage().contains("needs " + m.parameterCount()), e.getMessage());
    }
}
