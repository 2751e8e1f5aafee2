package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.scorescope.autodiff.Activation;
import org.scorescope.model.EnergyMlp;
import org.scorescope.model.ScoreMlp;
import org.scorescope.objective.DenoisingScoreMatching;
import org.scorescope.objective.ExactScoreMatching;

/** The factored Hessian against the engine's forward-over-reverse columns (the reference). */
class FactoredEnergyHessianTest {

    private static double[] flat(int n, int d, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1.3 * r.nextGaussian();
        }
        return x;
    }

    private static double[][] rows(double[] x, int n, int d) {
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * d, out[i], 0, d);
        }
        return out;
    }

    /** Engine reference H (P HVP columns) vs the factored dense H and its products, relative to max|H|. */
    @ParameterizedTest
    @CsvSource({"2, 5, 4, softplus", "3, 4, 6, tanh", "2, 6, 3, gelu", "1, 3, 5, elu", "2, 4, 4, silu"})
    void equalsEngineHessian(int d, int n1, int n2, String act) {
        EnergyMlp model = new EnergyMlp(new org.scorescope.model.Mlp(new int[] {d, n1, n2, 1},
                Activation.fromJson(act), Activation.IDENTITY));
        double[] theta = model.initialParameters(7);
        for (int i = 0; i < theta.length; i++) {
            theta[i] *= 1.7; // larger weights: curvature terms of all orders matter
        }
        int n = 9;
        double[] x = flat(n, d, 11);
        ParameterHessian ph = new ParameterHessian(model, new ExactScoreMatching(), rows(x, n, d), 0)
                .withStructure(false);
        ParameterHessian.Dense ref = ph.assemble(theta);
        FactoredEnergyHessian f = FactoredEnergyHessian.compute(model, theta, x, n);
        double[] h = f.dense();
        double[] hPlain = FactoredEnergyHessian.compute(model, theta, x, n, false).dense(); // build without SIMD
        int p = theta.length;
        double scale = 0;
        for (double v : ref.entries()) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        for (int i = 0; i < p * p; i++) {
            worst = Math.max(worst, Math.abs(h[i] - ref.entries()[i]));
            worst = Math.max(worst, Math.abs(hPlain[i] - ref.entries()[i]));
        }
        assertTrue(worst <= 1e-11 * scale, "max |H_factored − H_engine| = " + worst + " vs max|H| = " + scale);
        double tr = 0;
        for (int i = 0; i < p; i++) {
            tr += h[i * p + i];
        }
        assertEquals(ref.trace(), f.trace(), 1e-11 * Math.abs(ref.trace()) + 1e-12 * scale * p);
        assertEquals(tr, f.trace(), 1e-12 * scale * p);

        double[] v = flat(1, p, 5);
        double[] hv = new double[p];
        f.apply(v, hv);
        double[] hvPlain = new double[p]; // the plain-Java loops (tests run with the Vector API on)
        f.apply(v, hvPlain, false);
        double[] eng = new double[p];
        ph.hvp(theta, v, eng);
        for (int i = 0; i < p; i++) {
            double dense = 0;
            for (int j = 0; j < p; j++) {
                dense += h[i * p + j] * v[j];
            }
            assertEquals(dense, hv[i], 1e-11 * scale * p, "(Hv)_" + i + " vs dense");
            assertEquals(dense, hvPlain[i], 1e-11 * scale * p, "(Hv)_" + i + " plain loops vs dense");
            assertEquals(eng[i], hv[i], 1e-10 * scale * p, "(Hv)_" + i + " vs engine");
        }
    }

    @Test
    void supportsOnlyTwoHiddenLayerEnergyWithExactObjective() {
        ExactScoreMatching exact = new ExactScoreMatching();
        assertTrue(FactoredEnergyHessian.supports(new EnergyMlp(2, 64, 2, Activation.SOFTPLUS), exact, 256));
        assertFalse(FactoredEnergyHessian.supports(new EnergyMlp(2, 16, 3, Activation.SOFTPLUS), exact, 256));
        assertFalse(FactoredEnergyHessian.supports(new EnergyMlp(2, 16, 1, Activation.SOFTPLUS), exact, 256));
        assertFalse(FactoredEnergyHessian.supports(new ScoreMlp(2, 16, 2, Activation.SOFTPLUS), exact, 256));
        assertFalse(FactoredEnergyHessian.supports(new EnergyMlp(2, 16, 2, Activation.SOFTPLUS),
                new DenoisingScoreMatching(0.1), 256));
        assertFalse(FactoredEnergyHessian.supports(new EnergyMlp(2, 512, 2, Activation.SOFTPLUS), exact, 4096),
                "factors beyond the memory budget fall back to engine products");
    }
}
