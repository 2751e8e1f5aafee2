package org.scorescope.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Tensor;

class SplineFlowTest {
    private static final SplineFlow FLOW = new SplineFlow(4, 6, 3.0, 16, 2, Activation.TANH);

    /** θ away from the identity: the splines bend visibly (raw outputs of size ~1). */
    private static double[] bent(long seed) {
        return bent(seed, 0.5);
    }

    private static double[] bent(long seed, double amount) {
        double[] theta = FLOW.initialParameters(seed);
        Random r = new Random(seed);
        for (int i = 0; i < theta.length; i++) {
            theta[i] += amount * r.nextGaussian();
        }
        return theta;
    }

    private static double[][] points(int n, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[n][2];
        for (double[] p : x) {
            p[0] = 2.2 * r.nextGaussian();
            p[1] = 2.2 * r.nextGaussian();
        }
        return x;
    }

    @Test
    void initialParametersGiveTheIdentity() {
        Tensor th = FLOW.parameters(FLOW.initialParameters(1), false);
        double[][] x = points(20, 2);
        CouplingFlowLatent l = latent(th, x);
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i][0], l.z[2 * i], 1e-12);
            assertEquals(x[i][1], l.z[2 * i + 1], 1e-12);
            assertEquals(0.0, l.logDet[i], 1e-12);
        }
    }

    private record CouplingFlowLatent(double[] z, double[] logDet) {
    }

    private static CouplingFlowLatent latent(Tensor th, double[][] x) {
        CouplingFlow.Latent l = Grad.noGrad(() -> FLOW.toLatent(th, Tensor.of(x)));
        return new CouplingFlowLatent(l.z().toArray(), l.logDet().toArray());
    }

    /**
     * The log-determinant equals log|det| of the central-difference Jacobian of z = f(x) (step 1e-6), to 1e-6,
     * at points inside and outside [−B, B] (identity tails) alike.
     */
    @Test
    void logDeterminantMatchesTheJacobian() {
        Tensor th = FLOW.parameters(bent(3), false);
        double[][] x = points(30, 4);
        CouplingFlowLatent l = latent(th, x);
        double h = 1e-6;
        for (int i = 0; i < x.length; i++) {
            double[] j = new double[4];
            for (int c = 0; c < 2; c++) {
                double[] p = x[i].clone();
                double[] q = x[i].clone();
                p[c] += h;
                q[c] -= h;
                double[] zp = latent(th, new double[][] {p}).z;
                double[] zq = latent(th, new double[][] {q}).z;
                j[c] = (zp[0] - zq[0]) / (2 * h);
                j[2 + c] = (zp[1] - zq[1]) / (2 * h);
            }
            double det = j[0] * j[3] - j[1] * j[2];
            assertEquals(Math.log(Math.abs(det)), l.logDet[i], 1e-6, "point " + i);
        }
    }

    /**
     * ∫ q = 1: trapezoidal quadrature of exp(log q) over [−12, 12]² (801² nodes) is 1 to 1e-4. The bend is milder
     * than elsewhere so that no bin is narrower than the quadrature step can resolve.
     */
    @Test
    void densityIntegratesToOne() {
        double[] theta = bent(5, 0.15);
        Tensor th = FLOW.parameters(theta, false);
        int n = 801;
        double lo = -12;
        double step = 24.0 / (n - 1);
        double[][] pts = new double[n * n][];
        for (int iy = 0; iy < n; iy++) {
            for (int ix = 0; ix < n; ix++) {
                pts[iy * n + ix] = new double[] {lo + ix * step, lo + iy * step};
            }
        }
        double[] lq = Grad.noGrad(() -> FLOW.logProb(th, Tensor.of(pts))).toArray();
        double sum = 0;
        for (int iy = 0; iy < n; iy++) {
            for (int ix = 0; ix < n; ix++) {
                double w = (ix == 0 || ix == n - 1 ? 0.5 : 1) * (iy == 0 || iy == n - 1 ? 0.5 : 1);
                sum += w * Math.exp(lq[iy * n + ix]);
            }
        }
        assertEquals(1.0, sum * step * step, 1e-4);
    }

    @Test
    void samplingInvertsTheForwardMap() {
        double[] theta = bent(7);
        Tensor th = FLOW.parameters(theta, false);
        double[][] x = FLOW.sample(theta, 200, 11);
        double[] z = latent(th, x).z;
        Random rng = new Random(11);
        for (int i = 0; i < x.length; i++) {
            assertEquals(rng.nextGaussian(), z[2 * i], 1e-9, "z0 of sample " + i);
            assertEquals(rng.nextGaussian(), z[2 * i + 1], 1e-9, "z1 of sample " + i);
        }
    }

    /** The exact Hessian of log q is symmetric and equals central differences of the score. */
    @Test
    void hessianOfLogQMatchesFiniteDifferencesOfTheScore() {
        Tensor th = FLOW.parameters(bent(9), false);
        double[][] x = points(8, 10);
        double[] hess = Grad.noGrad(() -> Grad.batchHessian(z -> FLOW.logProb(th, z), Tensor.of(x))).toArray();
        double h = 1e-5;
        for (int i = 0; i < x.length; i++) {
            for (int c = 0; c < 2; c++) {
                double[] p = x[i].clone();
                double[] q = x[i].clone();
                p[c] += h;
                q[c] -= h;
                double[] sp = FLOW.score(th, Tensor.of(new double[][] {p})).toArray();
                double[] sq = FLOW.score(th, Tensor.of(new double[][] {q})).toArray();
                for (int r = 0; r < 2; r++) {
                    double fd = (sp[r] - sq[r]) / (2 * h);
                    assertEquals(fd, hess[i * 4 + r * 2 + c], 1e-5 * Math.max(1, Math.abs(fd)), "point " + i);
                }
            }
            assertEquals(hess[i * 4 + 1], hess[i * 4 + 2], 1e-10);
        }
    }

    @Test
    void defaultTailBoundCoversTheData() {
        double[][] pts = {{0.5, -3.0}, {2.0, 1.0}};
        assertEquals(3.6, SplineFlow.tailBoundFor(pts), 1e-12);
        assertEquals(1.0, SplineFlow.tailBoundFor(new double[][] {{0.1, 0.2}}), 0.0);
        assertEquals(1.0, SplineFlow.tailBoundFor(new double[0][]), 0.0);
        assertThrows(IllegalArgumentException.class, () -> SplineFlow.tailBoundFor(new double[][] {{Double.NaN, 0}}));
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SplineFlow(0, 8, 3, 8, 1, Activation.TANH));
        assertThrows(IllegalArgumentException.class, () -> new SplineFlow(2, 1, 3, 8, 1, Activation.TANH));
        assertThrows(IllegalArgumentException.class, () -> new SplineFlow(2, 8, 0, 8, 1, Activation.TANH));
        assertThrows(IllegalArgumentException.class, () -> FLOW.toSpec(new double[3]));
        assertTrue(FLOW.hasNormalizedDensity());
    }
}
