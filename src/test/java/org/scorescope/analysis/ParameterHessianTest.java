package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Probe;
import org.scorescope.model.EnergyMlp;
import org.scorescope.model.ScoreMlp;
import org.scorescope.model.ScoreModel;
import org.scorescope.objective.DenoisingScoreMatching;
import org.scorescope.objective.ExactScoreMatching;
import org.scorescope.objective.Objective;
import org.scorescope.objective.SlicedScoreMatching;

class ParameterHessianTest {
    /** 2-8-8-1 softplus energy: P = 24 + 72 + 9 = 105. */
    private static final ScoreModel ENERGY = new EnergyMlp(2, 8, 2, Activation.SOFTPLUS);
    /** 2-6-6-2 tanh score net: P = 18 + 42 + 14 = 74. */
    private static final ScoreModel SCORE = new ScoreMlp(2, 6, 2, Activation.TANH);
    private static final double[][] X = points(24, 3);

    private static double[][] points(int n, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[n][2];
        for (double[] row : x) {
            row[0] = 1.5 * r.nextGaussian();
            row[1] = r.nextGaussian() - 0.5;
        }
        return x;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** Central differences of the reverse-mode gradient, column by column: H_ij ≈ (g_i(θ+he_j) − g_i(θ−he_j))/2h. */
    private static double[] finiteDifferenceHessian(ParameterHessian ph, double[] theta, double h) {
        int p = theta.length;
        double[] fd = new double[p * p];
        for (int j = 0; j < p; j++) {
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[j] += h;
            minus[j] -= h;
            double[] gp = ph.lossAndGradient(plus).gradient();
            double[] gm = ph.lossAndGradient(minus).gradient();
            for (int i = 0; i < p; i++) {
                fd[i * p + j] = (gp[i] - gm[i]) / (2 * h);
            }
        }
        return fd;
    }

    private static void assertMatchesFiniteDifferences(ScoreModel m, Objective obj, long thetaSeed, double tol) {
        double[] theta = m.initialParameters(thetaSeed);
        ParameterHessian ph = new ParameterHessian(m, obj, X, 42).withColumnsPerPass(16);
        ParameterHessian.Dense d = ph.assemble(theta);
        int p = m.parameterCount();
        assertEquals(p, d.n());
        assertTrue(d.asymmetry() <= 1e-10, obj.describe() + ": asymmetry before symmetrizing " + d.asymmetry());
        double[] fd = finiteDifferenceHessian(ph, theta, 1e-5);
        double scale = maxAbs(d.entries());
        double worst = 0;
        for (int i = 0; i < p * p; i++) {
            worst = Math.max(worst, Math.abs(fd[i] - d.entries()[i]));
        }
        assertTrue(worst <= tol * scale, obj.describe() + " on " + m.kind() + ": max |H − H_fd| = " + worst
                + " vs max|H| = " + scale);
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                assertEquals(d.entries()[i * p + j], d.entries()[j * p + i], 0.0, "symmetrized (" + i + "," + j + ")");
            }
        }
    }

    @Test
    void exactObjectiveHessianIsSymmetricAndMatchesFiniteDifferencesOfTheGradient() {
        // FD truncation ~h²·L''' and rounding ~ε·|g|/h give ≲ 1e-8 relative; 1e-6 leaves a margin.
        // ENERGY (two hidden layers) takes the factored Hessian, SCORE the engine's HVP columns.
        assertTrue(new ParameterHessian(ENERGY, new ExactScoreMatching(), X, 0).structured());
        assertMatchesFiniteDifferences(ENERGY, new ExactScoreMatching(), 5, 1e-6);
        assertMatchesFiniteDifferences(SCORE, new ExactScoreMatching(), 6, 1e-6);
    }

    @Test
    void stochasticObjectivesUseOneFixedDrawSoTheirHessianMatchesFiniteDifferences() {
        assertMatchesFiniteDifferences(ENERGY, new SlicedScoreMatching(2, Probe.RADEMACHER, true), 7, 1e-6);
        assertMatchesFiniteDifferences(SCORE, new SlicedScoreMatching(1, Probe.GAUSSIAN, false), 8, 1e-6);
        assertMatchesFiniteDifferences(ENERGY, new DenoisingScoreMatching(0.3), 9, 1e-6);
    }

    @Test
    void hvpEqualsTheDenseHessianTimesV() {
        double[] theta = ENERGY.initialParameters(11);
        int p = theta.length;
        ParameterHessian one = new ParameterHessian(ENERGY, new ExactScoreMatching(), X, 0).withThreads(1);
        ParameterHessian two = one.withThreads(2);
        double[] h = one.assemble(theta).entries();
        Random r = new Random(4);
        double[] v = new double[p];
        for (int i = 0; i < p; i++) {
            v[i] = r.nextGaussian();
        }
        double[] hv = new double[p];
        new DenseSymmetric(p, h).apply(v, hv);
        double scale = maxAbs(hv);
        double[] got1 = new double[p];
        double[] got2 = new double[p];
        one.hvp(theta, v, got1);
        // two threads split the rows of the exact objective into blocks and sum their weighted products
        two.hvp(theta, v, got2);
        double[] viaOp = new double[p];
        two.hvpOperator(theta).apply(v, viaOp);
        for (int i = 0; i < p; i++) {
            assertEquals(hv[i], got1[i], 1e-11 * scale, "one thread, entry " + i);
            assertEquals(hv[i], got2[i], 1e-11 * scale, "split rows, entry " + i);
            // the operator of this two-hidden-layer energy model is the factored Hessian: equal up to rounding
            assertEquals(hv[i], viaOp[i], 1e-11 * scale, "operator, entry " + i);
        }
        // K directions in one pass equal K single products
        int k = 3;
        double[] vs = new double[k * p];
        for (int i = 0; i < vs.length; i++) {
            vs[i] = r.nextGaussian();
        }
        double[] batch = new double[k * p];
        one.hvpBatch(theta, vs, k, batch);
        double[] single = new double[p];
        for (int j = 0; j < k; j++) {
            one.hvp(theta, java.util.Arrays.copyOfRange(vs, j * p, (j + 1) * p), single);
            double s = maxAbs(single);
            for (int i = 0; i < p; i++) {
                assertEquals(single[i], batch[j * p + i], 1e-11 * s, "batched direction " + j + ", entry " + i);
            }
        }
    }

    @Test
    void columnBatchingAndThreadsDoNotChangeTheMatrix() {
        double[] theta = ENERGY.initialParameters(12);
        ParameterHessian base = new ParameterHessian(ENERGY, new ExactScoreMatching(), X, 0).withThreads(1)
                .withStructure(false);
        double[] a = base.withColumnsPerPass(1).assemble(theta).entries();
        double[] b = base.withColumnsPerPass(10).assemble(theta).entries();
        ParameterHessian.Dense c = base.withColumnsPerPass(10).withThreads(2).assemble(theta);
        assertEquals(2, c.threads());
        double scale = maxAbs(a);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-12 * scale, "K = 1 vs K = 10 at " + i);
        }
        // the same column blocks computed on other threads give bit-identical columns
        assertArrayEquals(b, c.entries());
    }

    @Test
    void fullDecompositionReproducesTheMatrixAndTheTrace() {
        double[] theta = ENERGY.initialParameters(13);
        int p = theta.length;
        ParameterHessian ph = new ParameterHessian(ENERGY, new ExactScoreMatching(), X, 0);
        double[] h = ph.assemble(theta).entries();
        ParameterHessianResult r = ph.full(theta, true);
        assertEquals(ParameterHessian.Method.FULL, r.method());
        assertEquals(p, r.parameters());
        assertEquals(p, r.eigenvalues().length);
        assertEquals(p, r.hessianVectorProducts());
        double[] lam = r.eigenvalues();
        double sum = 0;
        for (double l : lam) {
            sum += l;
        }
        double trace = 0;
        for (int i = 0; i < p; i++) {
            trace += h[i * p + i];
        }
        assertEquals(trace, r.trace(), 1e-12 * Math.abs(trace));
        assertEquals(trace, sum, 1e-10 * maxAbs(lam) * p);
        // H u_i = λ_i u_i for every pair
        double[] hu = new double[p];
        DenseSymmetric op = new DenseSymmetric(p, h);
        for (int i = 0; i < p; i++) {
            double[] u = r.eigenvector(i);
            op.apply(u, hu);
            for (int c = 0; c < p; c++) {
                assertEquals(lam[i] * u[c], hu[c], 1e-10 * maxAbs(lam), "pair " + i + ", entry " + c);
            }
        }
        assertEquals(0.0, r.traceStandardError());
        assertTrue(r.asymmetry() <= 1e-10);
        assertTrue(r.spanDecades() > 3, "a trained-or-not MLP Hessian spans decades, got " + r.spanDecades());
        assertNull(r.densityNodes());
    }

    @Test
    void lanczosTopFiveMatchTheFullDecomposition() {
        double[] theta = ENERGY.initialParameters(14);
        int p = theta.length;
        ParameterHessian ph = new ParameterHessian(ENERGY, new ExactScoreMatching(), X, 0);
        double[] full = ph.full(theta, false).eigenvalues();
        ParameterHessianResult r = ph.lanczos(theta, 5, 2, true,
                new ParameterHessian.KrylovSettings(p, 1e-10, 3, 0));
        assertTrue(r.converged(), "Lanczos did not converge in " + r.hessianVectorProducts() + " products");
        double[] got = r.eigenvalues();
        assertEquals(7, got.length);
        for (int t = 0; t < 5; t++) {
            double want = full[p - 1 - t];
            double have = got[got.length - 1 - t];
            assertTrue(Math.abs(have - want) <= 1e-8 * Math.abs(want), "top " + t + ": " + have + " vs " + want);
        }
        // the bottom pair is the most negative end of the spectrum, resolved to the rounding floor of ‖H‖
        double norm = Math.max(Math.abs(full[0]), Math.abs(full[p - 1]));
        for (int t = 0; t < 2; t++) {
            assertEquals(full[t], got[t], 1e-8 * norm, "bottom " + t);
        }
        // Ritz vectors are eigenvectors: H y ≈ θ y
        double[] hy = new double[p];
        for (int i = 0; i < got.length; i++) {
            double[] y = r.eigenvector(i);
            ph.hvp(theta, y, hy);
            double res = 0;
            for (int c = 0; c < p; c++) {
                res += (hy[c] - got[i] * y[c]) * (hy[c] - got[i] * y[c]);
            }
            assertTrue(Math.sqrt(res) <= 1e-6 * norm, "residual of Ritz pair " + i + ": " + Math.sqrt(res));
        }
        assertTrue(Double.isNaN(r.trace()), "no probes, no trace");
    }

    @Test
    void hutchinsonTraceIsUnbiasedWithinItsStandardError() {
        double[] theta = ENERGY.initialParameters(15);
        ParameterHessian ph = new ParameterHessian(ENERGY, new ExactScoreMatching(), X, 0);
        double exact = ph.assemble(theta).trace();
        Hutchinson.Estimate e = ph.trace(theta, 60, 5);
        assertTrue(Math.abs(e.trace() - exact) <= 4 * e.standardError(),
                "trace " + e.trace() + " ± " + e.standardError() + " vs exact " + exact);
        ParameterHessianResult r = ph.lanczos(theta, 2, 0, false,
                ParameterHessian.KrylovSettings.defaults(2).withTraceProbes(60));
        assertTrue(Math.abs(r.trace() - exact) <= 4 * r.traceStandardError());
    }

    @Test
    void slqDensityIntegratesToPAndItsNodesLieInTheSpectrum() {
        double[] theta = ENERGY.initialParameters(16);
        int p = theta.length;
        ParameterHessian ph = new ParameterHessian(ENERGY, new ExactScoreMatching(), X, 0);
        double[] full = ph.full(theta, false).eigenvalues();
        double norm = Math.max(Math.abs(full[0]), Math.abs(full[p - 1]));
        ParameterHessianResult r = ph.slq(theta, 2, 24, 8);
        double[] nodes = r.densityNodes();
        double[] w = r.densityWeights();
        double total = 0;
        for (double x : w) {
            total += x;
        }
        assertEquals(p, total, 1e-9 * p);
        // Gaussian broadening of the pooled rule integrates to P as well (trapezoid over ±10σ around the nodes)
        StochasticLanczosQuadrature s = StochasticLanczosQuadrature.compute(ph.hvpOperator(theta), 2, 24, 8);
        double sigma = 0.02 * norm;
        int grid = 20001;
        double lo = full[0] - 10 * sigma;
        double hi = full[p - 1] + 10 * sigma;
        double[] ls = new double[grid];
        for (int i = 0; i < grid; i++) {
            ls[i] = lo + (hi - lo) * i / (grid - 1);
        }
        double[] phi = new double[grid];
        s.density(ls, sigma, phi);
        double integral = 0;
        for (int i = 1; i < grid; i++) {
            integral += 0.5 * (phi[i] + phi[i - 1]) * (ls[i] - ls[i - 1]);
        }
        assertEquals(p, integral, 1e-6 * p);
        // the extreme nodes (best converged Ritz values) lie within the spectrum and the top ones reach λ_max
        double maxNode = Double.NEGATIVE_INFINITY;
        for (double x : nodes) {
            assertTrue(x >= full[0] - 1e-8 * norm && x <= full[p - 1] + 1e-8 * norm, "node " + x + " outside the spectrum");
            maxNode = Math.max(maxNode, x);
        }
        assertEquals(full[p - 1], maxNode, 1e-6 * norm);
        assertEquals(ph.seed(), 0);
        assertEquals(s.trace(), r.trace(), 1e-12 * Math.abs(s.trace()));
    }

    @Test
    void lossAlongTheTopEigenvectorCurvesWithTheTopEigenvalue() {
        double[] theta = ENERGY.initialParameters(17);
        ParameterHessian ph = new ParameterHessian(ENERGY, new ExactScoreMatching(), X, 0);
        ParameterHessianResult r = ph.full(theta, true);
        int top = r.eigenvalues().length - 1;
        double[] u = r.eigenvector(top);
        double a = 1e-3;
        double[] l = ph.lossAlongDirection(theta, u, new double[] {-a, 0, a});
        assertEquals(ph.loss(theta), l[1], 0.0);
        assertEquals(ph.lossAndGradient(theta).loss(), l[1], 1e-14 * Math.abs(l[1]));
        double curvature = (l[0] - 2 * l[1] + l[2]) / (a * a);
        // second difference error O(a²·L'''') plus rounding ~4ε|L|/a²
        assertEquals(r.largest(), curvature, 1e-4 * r.largest());
    }

    @Test
    void resultRecordComputesSpanAndNegatives() {
        ParameterHessianResult r = new ParameterHessianResult(ParameterHessian.Method.FULL, 4,
                new ParameterHessianResult.Spectrum(new double[] {-2, 0, 1e-3, 10}, null),
                new ParameterHessianResult.Diagnostics(8.001, 0, 0, true),
                new ParameterHessianResult.Cost(1, 2, 0, 1, 4), null);
        assertEquals(1, r.negativeCount());
        assertEquals(4.0, r.spanDecades(), 1e-12);
        // with a floor at 1e-3·max|λ| = 0.01 the smallest counted magnitude is 2
        assertEquals(Math.log10(5), r.spanDecades(1e-3), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new ParameterHessianResult(ParameterHessian.Method.FULL, 2,
                new ParameterHessianResult.Spectrum(new double[] {1, 0}, null),
                new ParameterHessianResult.Diagnostics(1, 0, 0, true),
                new ParameterHessianResult.Cost(0, 0, 0, 1, 2), null));
        assertThrows(IllegalStateException.class, () -> r.eigenvector(0));
    }

    @Test
    void badInputIsRejectedWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ParameterHessian(ENERGY, new ExactScoreMatching(), new double[][] {{1, 2}, {3}}, 0));
        assertTrue(e.getMessage().contains("point 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ParameterHessian(ENERGY, new ExactScoreMatching(), new double[][] {{1, Double.NaN}}, 0));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        ParameterHessian ph = new ParameterHessian(ENERGY, new ExactScoreMatching(), X, 0);
        e = assertThrows(IllegalArgumentException.class, () -> ph.assemble(new double[3]));
        assertTrue(e.getMessage().contains("105"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ph.withThreads(0));
        assertThrows(IllegalArgumentException.class, () -> ParameterHessian.Method.parse("dense"));
        assertEquals(ParameterHessian.Method.SLQ, ParameterHessian.Method.parse(" SLQ "));
    }
}
