package org.scorescope.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.GradCheck;
import org.scorescope.autodiff.Probe;
import org.scorescope.autodiff.Tensor;
import org.scorescope.objective.SlicedScoreMatching;

class SlicedTermsTest {
    private static final EnergyMlp ENERGY = new EnergyMlp(3, 12, 2, Activation.SOFTPLUS);

    /** The energy seen only through its score: {@link ScoreModel#slicedTerms}'s generic default. */
    private static ScoreModel generic(EnergyMlp e) {
        return new ScoreModel() {
            @Override
            public ModelSpec.Kind kind() {
                return e.kind();
            }

            @Override
            public int inputDim() {
                return e.inputDim();
            }

            @Override
            public int parameterCount() {
                return e.parameterCount();
            }

            @Override
            public double[] initialParameters(long seed) {
                return e.initialParameters(seed);
            }

            @Override
            public Tensor score(Tensor theta, Tensor x) {
                return e.score(theta, x);
            }

            @Override
            public ModelSpec toSpec(double[] theta) {
                return e.toSpec(theta);
            }
        };
    }

    private static void assertClose(Tensor want, Tensor got, double rel, String what) {
        double[] w = want.toArray();
        double[] g = got.toArray();
        assertEquals(w.length, g.length, what);
        double scale = 1;
        for (double v : w) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], g[i], rel * scale, what + " [" + i + "]");
        }
    }

    @Test
    void directionalJetMatchesTheGenericForwardOverReversePath() {
        Tensor theta = ENERGY.parameters(ENERGY.initialParameters(3), false);
        Tensor x = Tensor.randn(4, 9, 3);
        for (int k : new int[] {1, 3}) {
            Tensor v = Tensor.randn(5 + k, k, 9, 3);
            ScoreModel.SlicedTerms jet = Grad.noGrad(() -> ENERGY.slicedTerms(theta, x, v, true));
            ScoreModel.SlicedTerms ref = Grad.noGrad(() -> generic(ENERGY).slicedTerms(theta, x, v, true));
            assertClose(ref.projected(), jet.projected(), 1e-12, "vᵀs, K = " + k);
            assertClose(ref.curvature(), jet.curvature(), 1e-12, "Σ vᵀ(∂s/∂x)v, K = " + k);
            assertClose(ref.score(), jet.score(), 1e-14, "s, K = " + k);
            assertNull(ENERGY.slicedTerms(theta, x, v, false).score());
        }
    }

    @Test
    void directionalJetMatchesFiniteDifferencesOfTheEnergy() {
        Tensor theta = ENERGY.parameters(ENERGY.initialParameters(5), false);
        double[][] x = Tensor.randn(6, 4, 3).toArray2D();
        Tensor v = Tensor.randn(7, 2, 4, 3);
        ScoreModel.SlicedTerms t = Grad.noGrad(() -> ENERGY.slicedTerms(theta, Tensor.of(x), v, false));
        double h = 1e-3;
        for (int b = 0; b < 4; b++) {
            double second = 0;
            for (int k = 0; k < 2; k++) {
                double[] p = x[b].clone();
                double[] q = x[b].clone();
                for (int d = 0; d < 3; d++) {
                    p[d] += h * v.get(k, b, d);
                    q[d] -= h * v.get(k, b, d);
                }
                double ep = energyAt(theta, p);
                double eq = energyAt(theta, q);
                double e0 = energyAt(theta, x[b]);
                // vᵀs = −∂_vE (central difference, error O(h²)); vᵀ(∂s/∂x)v = −∂²_vE
                assertEquals(-(ep - eq) / (2 * h), t.projected().get(k, b), 1e-6, "vᵀs at b" + b + " k" + k);
                second += -(ep - 2 * e0 + eq) / (h * h);
            }
            assertEquals(second, t.curvature().get(b), 1e-5 * Math.max(1, Math.abs(second)), "Σ vᵀ(∂s/∂x)v at b" + b);
        }
    }

    private static double energyAt(Tensor theta, double[] x) {
        return Grad.noGrad(() -> ENERGY.energy(theta, Tensor.of(new double[][] {x}))).item();
    }

    @Test
    void slicedLossThroughTheJetHasCorrectThetaDerivatives() {
        Tensor x = Tensor.randn(8, 10, 3);
        Tensor theta = ENERGY.parameters(ENERGY.initialParameters(9), false);
        for (boolean vr : new boolean[] {false, true}) {
            SlicedScoreMatching o = new SlicedScoreMatching(2, Probe.GAUSSIAN, vr);
            // first order: the reverse pass through the fused jet layers
            double g1 = GradCheck.check(th -> o.loss(ENERGY, th, x, new Random(3)), theta, 1, GradCheck.Mode.REVERSE, 12);
            assertTrue(g1 < 1e-6, "θ-gradient, VR " + vr + ": relative error " + g1);
            // second order (θ-HVPs, as the parameter Hessian takes them): the composite jet rules on dual weights
            double g2 = GradCheck.check(th -> o.loss(ENERGY, th, x, new Random(3)), theta, 2, GradCheck.Mode.MIXED, 13);
            assertTrue(g2 < 1e-5, "θ-HVP, VR " + vr + ": relative error " + g2);
            double viaGeneric = o.loss(generic(ENERGY), theta, x, new Random(3)).item();
            double viaJet = o.loss(ENERGY, theta, x, new Random(3)).item();
            assertEquals(viaGeneric, viaJet, 1e-12 * Math.max(1, Math.abs(viaGeneric)), "loss, VR " + vr);
        }
    }
}
