package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scorescope.autodiff.Activation;
import org.scorescope.data.GaussianMixture;
import org.scorescope.data.ToyDataset;
import org.scorescope.model.EnergyMlp;
import org.scorescope.model.ModelState;
import org.scorescope.model.NoiseConditionalMlp;

class FisherTargetTest {
    private static final GaussianMixture TRUTH = ToyDataset.EIGHT_GAUSSIANS.mixture().orElseThrow();

    @Test
    void noiseConditionalModelsTargetThePerturbedTruth() {
        NoiseConditionalMlp nc = new NoiseConditionalMlp(2, 8, 1, Activation.SOFTPLUS, 5, 0.1, 10);
        GaussianMixture t = FisherTarget.of(nc, TRUTH);
        for (int k = 0; k < TRUTH.components(); k++) {
            double s = TRUTH.sigma(k)[0];
            assertEquals(s * s + 0.01, t.sigma(k)[0] * t.sigma(k)[0], 1e-12);
        }
        assertTrue(FisherTarget.describe(nc).contains("0.1"));
        EnergyMlp e = new EnergyMlp(2, 8, 1, Activation.SOFTPLUS);
        assertSame(TRUTH, FisherTarget.of(e, TRUTH));
    }

    /** The seeded estimate equals the mixture's own Fisher divergence on the same points. */
    @Test
    void fisherDivergenceIsTheMixturesOnTheSamePoints() {
        EnergyMlp e = new EnergyMlp(2, 8, 1, Activation.SOFTPLUS);
        ModelState st = new ModelState(e, e.initialParameters(2));
        double[][] pts = TRUTH.sample(300, 4);
        double[][] s = org.scorescope.autodiff.Grad.noGrad(() -> e.score(st.thetaTensor(),
                org.scorescope.autodiff.Tensor.of(pts))).toArray2D();
        double f = FisherTarget.fisherDivergence(st, TRUTH, 300, 4);
        assertEquals(TRUTH.fisherDivergence(pts, s), f, 1e-12 * f);
        assertEquals(f, FisherTarget.fisherDivergence(st, TRUTH, 300, 4), 0.0, "deterministic for a seed");
    }
}
