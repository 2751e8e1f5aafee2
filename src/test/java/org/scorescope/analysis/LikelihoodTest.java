package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Ops;
import org.scorescope.autodiff.Tensor;
import org.scorescope.data.GaussianMixture;
import org.scorescope.model.CouplingFlow;
import org.scorescope.model.EnergyMlp;
import org.scorescope.model.ModelSpec;
import org.scorescope.model.ModelState;
import org.scorescope.model.ScoreModel;

class LikelihoodTest {
    /** An anisotropic, off-centre Gaussian N(m, diag(s²)), the known answer for every quadrature path. */
    private static final double[] M = {0.7, -0.4};
    private static final double[] S = {0.8, 1.5};
    private static final GaussianMixture TRUTH = GaussianMixture.diagonal(new double[] {1.0}, new double[][] {M},
            new double[][] {S});

    /**
     * E(x) = ½ Σ_j ((x_j − m_j)/s_j)² + c with a deliberately large offset c = θ₀ (so log Z must absorb it):
     * the exact normalizer is log Z = −c + log(2π s₁ s₂).
     */
    private static final class GaussianEnergy implements ScoreModel {
        private final ModelSpec.Kind kind;

        GaussianEnergy(ModelSpec.Kind kind) {
            this.kind = kind;
        }

        @Override
        public ModelSpec.Kind kind() {
            return kind;
        }

        @Override
        public int inputDim() {
            return 2;
        }

        @Override
        public int parameterCount() {
            return 1;
        }

        @Override
        public double[] initialParameters(long seed) {
            return new double[] {-40.0};
        }

        private Tensor standardized(Tensor x) {
            Tensor m = Tensor.of(new int[] {1, 2}, M.clone());
            Tensor inv = Tensor.of(new int[] {1, 2}, new double[] {1 / S[0], 1 / S[1]});
            return Ops.mul(Ops.sub(x, m), inv);
        }

        @Override
        public Tensor score(Tensor theta, Tensor x) {
            Tensor inv = Tensor.of(new int[] {1, 2}, new double[] {1 / S[0], 1 / S[1]});
            return Ops.neg(Ops.mul(standardized(x), inv));
        }

        @Override
        public java.util.Optional<Tensor> logDensity(Tensor theta, Tensor x) {
            if (kind != ModelSpec.Kind.ENERGY) {
                return java.util.Optional.empty();
            }
            Tensor e = Ops.mulScalar(Ops.sum(Ops.square(standardized(x)), -1, false), 0.5);
            return java.util.Optional.of(Ops.neg(Ops.add(e, Ops.mul(Ops.slice(theta, 0, 1), Tensor.ones(x.dim(0))))));
        }

        @Override
        public ModelSpec toSpec(double[] theta) {
            throw new UnsupportedOperationException("test model");
        }
    }

    private static double[][] heldOut() {
        return TRUTH.sample(400, 3);
    }

    @Test
    void energyQuadratureRecoversTheGaussianNormalizer() {
        ScoreModel model = new GaussianEnergy(ModelSpec.Kind.ENERGY);
        ModelState state = new ModelState(model, model.initialParameters(0));
        double[][] train = TRUTH.sample(1000, 1);
        double[][] test = heldOut();
        Likelihood.Result r = Likelihood.evaluate(state, test, train);
        assertEquals(Likelihood.Method.ENERGY_QUADRATURE, r.method());
        double exactLogZ = 40.0 + Math.log(2 * Math.PI * S[0] * S[1]);
        // The box holds all but ~1e-4 of the mass and the trapezoidal rule on a Gaussian converges spectrally:
        // the stated accuracy target is 0.01 nat, the measured error is far smaller.
        assertEquals(exactLogZ, r.logZ(), 1e-3, "log Z");
        assertEquals(r.logZ(), r.logZWideBox(), 1e-3, "mass outside the box");
        assertTrue(r.quadratureError() < Likelihood.QUADRATURE_TOLERANCE, "refinement settled: " + r.quadratureError());
        assertEquals(Likelihood.meanNegLogLikelihood(TRUTH, test), r.meanNegLogLikelihood(), 1e-3, "NLL");
        double[] lq = r.logDensity();
        for (int i = 0; i < test.length; i++) {
            assertEquals(TRUTH.logDensity(test[i]), lq[i], 1e-3, "log q at point " + i);
        }
    }

    @Test
    void scoreIntegrationRecoversTheGaussianDensity() {
        ScoreModel model = new GaussianEnergy(ModelSpec.Kind.SCORE);
        ModelState state = new ModelState(model, model.initialParameters(0));
        double[][] train = TRUTH.sample(1000, 1);
        double[][] test = heldOut();
        Likelihood.Result r = Likelihood.evaluate(state, test, train);
        assertEquals(Likelihood.Method.SCORE_INTEGRATION, r.method());
        assertTrue(r.nonConservativeFraction() < 1e-6, "a gradient field: " + r.nonConservativeFraction());
        // Second-order potential and bilinear interpolation: 0.01 nat is the stated target.
        assertEquals(Likelihood.meanNegLogLikelihood(TRUTH, test), r.meanNegLogLikelihood(), 0.01, "NLL");
        double[] lq = r.logDensity();
        for (int i = 0; i < test.length; i++) {
            assertEquals(TRUTH.logDensity(test[i]), lq[i], 0.02, "log q at point " + i);
        }
    }

    @Test
    void flowsAreExact() {
        CouplingFlow flow = new CouplingFlow(2, 4, 16, 2, Activation.TANH, 1.0);
        double[] theta = flow.initialParameters(7);
        java.util.Random rng = new java.util.Random(3);
        for (int i = 0; i < theta.length; i++) {
            theta[i] += 0.3 * rng.nextGaussian(); // away from the identity flow
        }
        ModelState state = new ModelState(flow, theta);
        double[][] test = heldOut();
        Likelihood.Result r = Likelihood.evaluate(state, test, null);
        assertEquals(Likelihood.Method.EXACT, r.method());
        Tensor th = state.thetaTensor();
        double[] expected = Grad.noGrad(() -> flow.logProb(th, Tensor.of(test))).toArray();
        double[] lq = r.logDensity();
        double sum = 0;
        for (int i = 0; i < test.length; i++) {
            assertEquals(expected[i], lq[i], 0.0);
            sum -= expected[i];
        }
        assertEquals(sum / test.length, r.meanNegLogLikelihood(), 1e-12);
    }

    @Test
    void refinementCanBeCapped() {
        ScoreModel model = new GaussianEnergy(ModelSpec.Kind.SCORE);
        ModelState state = new ModelState(model, model.initialParameters(0));
        double[][] test = heldOut();
        Likelihood.Result coarse = Likelihood.evaluate(state, test, null, 65);
        assertEquals(65, coarse.gridNodes());
        assertTrue(Double.isNaN(coarse.quadratureError()), "one level: no error estimate");
        Likelihood.Result two = Likelihood.evaluate(state, test, null, 129);
        assertEquals(129, two.gridNodes());
        assertEquals(Likelihood.meanNegLogLikelihood(TRUTH, test), two.meanNegLogLikelihood(), 0.02);
    }

    /** A real energy MLP: the box quadrature equals a much finer quadrature over a much wider box. */
    @Test
    void energyMlpNormalizerIsConverged() {
        EnergyMlp model = new EnergyMlp(2, 16, 2, Activation.SOFTPLUS);
        double[] theta = model.initialParameters(5);
        ModelState state = new ModelState(model, theta);
        double[][] train = TRUTH.sample(300, 1);
        Likelihood.Result r = Likelihood.evaluate(state, heldOut(), train);
        assertTrue(Double.isFinite(r.meanNegLogLikelihood()));
        assertTrue(r.quadratureError() < Likelihood.QUADRATURE_TOLERANCE, "settled: " + r.quadratureError());
        assertTrue(r.gridNodes() >= 65 && r.gridNodes() <= 513);
    }

    @Test
    void boxCoversThePointsWithPadding() {
        double[][] a = {{0, 0}, {2, 0}};
        double[][] b = {{1, 4}};
        Likelihood.Box box = Likelihood.Box.covering(a, null, b);
        // std of x over {0, 2, 1} is √(2/3), of y over {0, 0, 4} is √(32/9)
        assertEquals(-3 * Math.sqrt(2.0 / 3), box.xmin(), 1e-12);
        assertEquals(2 + 3 * Math.sqrt(2.0 / 3), box.xmax(), 1e-12);
        assertEquals(-3 * Math.sqrt(32.0 / 9), box.ymin(), 1e-12);
        assertEquals(4 + 3 * Math.sqrt(32.0 / 9), box.ymax(), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Likelihood.Box.covering(new double[][] {{Double.NaN, 0}}));
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
        ScoreModel model = new GaussianEnergy(ModelSpec.Kind.ENERGY);
        ModelState state = new ModelState(model, model.initialParameters(0));
        e = assertThrows(IllegalArgumentException.class, () -> Likelihood.evaluateInBox(state, a, null));
        assertTrue(e.getMessage().contains("needs a box"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Likelihood.evaluate(state, new double[0][], a));
        assertTrue(e.getMessage().contains("no held-out"), e.getMessage());
    }
}
