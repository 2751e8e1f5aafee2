package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Ops;
import org.scorescope.autodiff.Tensor;
import org.scorescope.model.EnergyMlp;
import org.scorescope.model.ScoreMlp;
import org.scorescope.model.ScoreModel;

class LocalHessiansTest {
    private static final EnergyMlp ENERGY = new EnergyMlp(2, 16, 2, Activation.SOFTPLUS);
    private static final ScoreMlp SCORE = new ScoreMlp(2, 12, 2, Activation.TANH);

    private static double[][] points(int n, int d, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = 1.3 * r.nextGaussian();
            }
        }
        return x;
    }

    /** Central differences of the score: M_ij ≈ (s_i(x + h e_j) − s_i(x − h e_j)) / 2h. */
    private static double[] scoreJacobianFd(ScoreModel m, double[] theta, double[] x) {
        int d = x.length;
        double h = 1e-5;
        Tensor th = m.parameters(theta, false);
        double[] j = new double[d * d];
        for (int c = 0; c < d; c++) {
            double[] p = x.clone();
            double[] q = x.clone();
            p[c] += h;
            q[c] -= h;
            double[] sp = m.score(th, Tensor.of(new double[][] {p})).toArray();
            double[] sq = m.score(th, Tensor.of(new double[][] {q})).toArray();
            for (int r = 0; r < d; r++) {
                j[r * d + c] = (sp[r] - sq[r]) / (2 * h);
            }
        }
        return j;
    }

    private static void assertMatchesFd(ScoreModel m, double[] theta, double[][] xs, LocalHessians lh) {
        int d = m.inputDim();
        for (int i = 0; i < xs.length; i++) {
            double[] fd = scoreJacobianFd(m, theta, xs[i]);
            for (int r = 0; r < d; r++) {
                for (int c = 0; c < d; c++) {
                    // FD error ~h²·s''' + ε|s|/h ≈ 1e-10; the entries are O(1)
                    assertEquals(fd[r * d + c], lh.entry(i, r, c), 1e-7, "point " + i + " entry (" + r + "," + c + ")");
                }
            }
        }
    }

    private static void assertEigenPairs(LocalHessians lh) {
        int d = lh.dim();
        double[] m = lh.matrices();
        double[] vals = lh.eigenvalues();
        double[] vecs = lh.eigenvectors();
        for (int i = 0; i < lh.count(); i++) {
            for (int k = 0; k < d; k++) {
                if (k > 0) {
                    assertTrue(vals[i * d + k - 1] <= vals[i * d + k], "ascending at point " + i);
                }
                double lam = vals[i * d + k];
                double norm = 0;
                for (int r = 0; r < d; r++) {
                    double su = 0;
                    for (int c = 0; c < d; c++) {
                        double s = 0.5 * (m[i * d * d + r * d + c] + m[i * d * d + c * d + r]);
                        su += s * vecs[i * d * d + k * d + c];
                    }
                    assertEquals(lam * vecs[i * d * d + k * d + r], su, 1e-12 * (1 + Math.abs(lam)),
                            "S u = λ u at point " + i + ", pair " + k);
                    norm += vecs[i * d * d + k * d + r] * vecs[i * d * d + k * d + r];
                }
                assertEquals(1.0, norm, 1e-12);
            }
        }
    }

    @Test
    void energyModelHessianIsTheEnginesBatchedHessianOfMinusEAndMatchesScoreDifferences() {
        double[] theta = ENERGY.initialParameters(3);
        double[][] xs = points(20, 2, 4);
        LocalHessians lh = LocalHessians.compute(ENERGY, theta, xs);
        assertEquals(LocalHessians.Kind.LOG_DENSITY_HESSIAN, lh.kind());
        assertEquals(20, lh.count());
        Tensor th = ENERGY.parameters(theta, false);
        double[] ref = org.scorescope.autodiff.Grad.batchHessian(z -> Ops.neg(ENERGY.energy(th, z)), Tensor.of(xs))
                .toArray();
        double[] got = lh.matrices();
        for (int i = 0; i < ref.length; i++) {
            assertEquals(ref[i], got[i], 1e-14 * (1 + Math.abs(ref[i])), "entry " + i);
        }
        assertMatchesFd(ENERGY, theta, xs, lh);
        assertTrue(lh.maxAsymmetry() <= 1e-12, "a Hessian is symmetric, asymmetry " + lh.maxAsymmetry());
        assertEigenPairs(lh);
    }

    @Test
    void scoreNetworkJacobianMatchesDifferencesAndReportsItsCurl() {
        double[] theta = SCORE.initialParameters(5);
        double[][] xs = points(15, 2, 6);
        LocalHessians lh = LocalHessians.compute(SCORE, theta, xs);
        assertEquals(LocalHessians.Kind.SCORE_JACOBIAN, lh.kind());
        assertMatchesFd(SCORE, theta, xs, lh);
        double[] curl = lh.curl();
        double[] asym = lh.asymmetry();
        double maxCurl = 0;
        for (int i = 0; i < xs.length; i++) {
            assertEquals(lh.entry(i, 1, 0) - lh.entry(i, 0, 1), curl[i], 0.0);
            assertEquals(Math.abs(curl[i]) / Math.sqrt(2), asym[i], 1e-15 * (1 + Math.abs(curl[i])));
            maxCurl = Math.max(maxCurl, Math.abs(curl[i]));
        }
        assertTrue(maxCurl > 1e-3, "a random score net is not a gradient field; max curl " + maxCurl);
        assertEigenPairs(lh);
    }

    @Test
    void stiffAndSloppyDirectionsAreTheExtremeMagnitudeEigenvectors() {
        double[] theta = ENERGY.initialParameters(7);
        LocalHessians lh = LocalHessians.compute(ENERGY, theta, points(30, 2, 8));
        double[] vals = lh.eigenvalues();
        double[] stiff = lh.stiffValues();
        double[] sloppy = lh.sloppyValues();
        double[] sd = lh.stiffDirections();
        double[] pd = lh.sloppyDirections();
        for (int i = 0; i < lh.count(); i++) {
            double a = vals[2 * i];
            double b = vals[2 * i + 1];
            assertEquals(Math.abs(a) >= Math.abs(b) ? a : b, stiff[i], 0.0);
            assertEquals(Math.abs(a) >= Math.abs(b) ? b : a, sloppy[i], 0.0);
            // perpendicular unit directions
            assertEquals(0.0, sd[2 * i] * pd[2 * i] + sd[2 * i + 1] * pd[2 * i + 1], 1e-14);
            // M·stiff = stiff value · stiff (M symmetric here)
            double mx = lh.entry(i, 0, 0) * sd[2 * i] + lh.entry(i, 0, 1) * sd[2 * i + 1];
            double my = lh.entry(i, 1, 0) * sd[2 * i] + lh.entry(i, 1, 1) * sd[2 * i + 1];
            assertEquals(stiff[i] * sd[2 * i], mx, 1e-12 * (1 + Math.abs(stiff[i])));
            assertEquals(stiff[i] * sd[2 * i + 1], my, 1e-12 * (1 + Math.abs(stiff[i])));
        }
    }

    @Test
    void higherDimensionUsesTheDenseEigenSolver() {
        EnergyMlp e3 = new EnergyMlp(3, 10, 2, Activation.TANH);
        double[] theta = e3.initialParameters(9);
        double[][] xs = points(6, 3, 10);
        LocalHessians lh = LocalHessians.compute(e3, theta, xs);
        assertEquals(3, lh.dim());
        assertMatchesFd(e3, theta, xs, lh);
        assertEigenPairs(lh);
        assertThrows(IllegalStateException.class, lh::curl);
    }

    @Test
    void gridAndHistogramCoverEveryEigenvalue() {
        double[] theta = ENERGY.initialParameters(11);
        Grid2D grid = new Grid2D(-2, 2, -1, 1, 7, 5);
        LocalHessians lh = LocalHessians.onGrid(ENERGY, theta, grid);
        assertEquals(35, lh.count());
        double[] pts = grid.points();
        LocalHessians direct = LocalHessians.compute(ENERGY, theta, new double[][] {{pts[2 * 13], pts[2 * 13 + 1]}});
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 2; c++) {
                assertEquals(direct.entry(0, r, c), lh.entry(13, r, c), 1e-13 * (1 + Math.abs(direct.entry(0, r, c))));
            }
        }
        LocalHessians.Histogram h = lh.log10Histogram(12);
        int sum = h.zeros();
        for (int c : h.counts()) {
            sum += c;
        }
        assertEquals(70, h.total());
        assertEquals(70, sum);
        int neg = 0;
        double lo = Double.POSITIVE_INFINITY;
        for (double v : lh.eigenvalues()) {
            if (v < 0) {
                neg++;
            }
            lo = Math.min(lo, Math.log10(Math.abs(v)));
        }
        assertEquals(neg, h.negatives());
        assertTrue(h.lo() <= lo && lo < h.lo() + 1, "range starts at the floor of the smallest decade");
        LocalHessians.Histogram fixed = lh.log10Histogram(4, -1, 1);
        assertEquals(0.5, fixed.binWidth(), 0.0);
        assertEquals(-0.75, fixed.center(0), 0.0);
    }

    @Test
    void badInputIsRejected() {
        double[] theta = ENERGY.initialParameters(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalHessians.compute(ENERGY, theta, new double[][] {{0, 0}, {1, 2, 3}}));
        assertTrue(e.getMessage().contains("point 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LocalHessians.compute(ENERGY, theta, new double[][] {{0, Double.POSITIVE_INFINITY}}));
        assertTrue(e.getMessage().contains("Infinity"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> LocalHessians.onGrid(new EnergyMlp(3, 4, 1, Activation.TANH), new double[3 * 4 + 4 + 5],
                        Grid2D.square(1, 3)));
        LocalHessians lh = LocalHessians.compute(ENERGY, theta, new double[][] {{0, 0}});
        assertThrows(IllegalArgumentException.class, () -> lh.log10Histogram(0));
        assertThrows(IllegalArgumentException.class, () -> lh.log10Histogram(3, 1, 1));
    }

    /**
     * A flow's local matrices are the exact Hessian of its normalized log q (forward-over-reverse through every
     * coupling): symmetric, equal to central differences of its score. This is the call the eval command makes for
     * a flow's per-point "jacobian" and "hessianEigenvalues".
     */
    @Test
    void flowGivesTheExactHessianOfLogQ() {
        org.scorescope.model.CouplingFlow flow = new org.scorescope.model.CouplingFlow(2, 6, 16, 2,
                Activation.SOFTPLUS, 2.0);
        double[] theta = flow.initialParameters(3);
        Random r = new Random(9);
        for (int i = 0; i < theta.length; i++) {
            theta[i] += 0.2 * r.nextGaussian(); // away from the identity, where the Hessian is trivially −I
        }
        double[][] xs = points(6, 2, 4);
        LocalHessians lh = LocalHessians.compute(flow, theta, xs);
        assertEquals(LocalHessians.Kind.LOG_DENSITY_HESSIAN, lh.kind());
        assertMatchesFd(flow, theta, xs, lh);
        for (int i = 0; i < xs.length; i++) {
            assertEquals(lh.entry(i, 0, 1), lh.entry(i, 1, 0), 1e-12, "symmetry at point " + i);
        }
    }
}
