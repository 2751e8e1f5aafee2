package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.scorescope.autodiff.Activation;
import org.scorescope.data.GaussianMixture;
import org.scorescope.model.EnergyMlp;
import org.scorescope.model.ScoreMlp;

class CriticalPointsTest {
    /** The exact field of a mixture: its score and the Hessian of its log-density. */
    private static CriticalPoints.Field field(GaussianMixture gm) {
        return (xy, n, s, jac) -> {
            double[] pts = Arrays.copyOf(xy, 2 * n);
            double[] sc = new double[2 * n];
            double[] h = new double[4 * n];
            gm.scoreBatch(pts, sc);
            gm.hessianBatch(pts, h);
            System.arraycopy(sc, 0, s, 0, 2 * n);
            System.arraycopy(h, 0, jac, 0, 4 * n);
        };
    }

    @Test
    void twoEqualGaussiansHaveTwoModesAndOneSaddleAtTheMidpoint() {
        GaussianMixture gm = GaussianMixture.isotropic(new double[] {0.5, 0.5}, new double[][] {{-2, 0}, {2, 0}},
                new double[] {1, 1});
        CriticalPoints cp = CriticalPoints.find(field(gm), -5, 5, -4, 4, 16);
        assertEquals(2, cp.count(CriticalPoints.Type.MODE), cp.points().toString());
        assertEquals(1, cp.count(CriticalPoints.Type.SADDLE), cp.points().toString());
        assertEquals(0, cp.count(CriticalPoints.Type.MINIMUM), cp.points().toString());
        // modes on the axis at x = ±m with m = 2·tanh(2m) (the mixture's stationarity condition)
        for (CriticalPoints.Point p : cp.points()) {
            assertEquals(0, p.y(), 1e-9);
            assertEquals(0, p.curl(), 1e-12);
            if (p.type() == CriticalPoints.Type.MODE) {
                double m = Math.abs(p.x());
                assertEquals(m, 2 * Math.tanh(2 * m), 1e-9);
                assertTrue(p.lambda1() < 0);
            } else {
                assertEquals(0, p.x(), 1e-9);
                // saddle: log p curves down across (y) and up along the axis (x): λ_y = −1, λ_x = −1 + 4 = 3
                assertEquals(-1, p.lambda0(), 1e-9);
                assertEquals(3, p.lambda1(), 1e-9);
            }
        }
    }

    @Test
    void threeGaussiansOnATriangleHaveThreeModesThreeSaddlesAndAMinimumInside() {
        double r = 2.5;
        double[][] means = new double[3][];
        for (int k = 0; k < 3; k++) {
            double a = Math.PI / 2 + k * 2 * Math.PI / 3;
            means[k] = new double[] {r * Math.cos(a), r * Math.sin(a)};
        }
        GaussianMixture gm = GaussianMixture.isotropic(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, means,
                new double[] {1, 1, 1});
        CriticalPoints cp = CriticalPoints.find(field(gm), -5, 5, -5, 5, 24);
        assertEquals(3, cp.count(CriticalPoints.Type.MODE), cp.points().toString());
        assertEquals(3, cp.count(CriticalPoints.Type.SADDLE), cp.points().toString());
        assertEquals(1, cp.count(CriticalPoints.Type.MINIMUM), cp.points().toString());
        for (CriticalPoints.Point p : cp.points()) {
            assertTrue(p.residual() < 1e-8, "residual " + p.residual());
            if (p.type() == CriticalPoints.Type.MINIMUM) {
                assertEquals(0, Math.hypot(p.x(), p.y()), 1e-9, "the minimum is the centre by symmetry");
            }
            if (p.type() == CriticalPoints.Type.MODE) {
                double best = Double.POSITIVE_INFINITY;
                for (double[] m : means) {
                    best = Math.min(best, Math.hypot(p.x() - m[0], p.y() - m[1]));
                }
                assertTrue(best < 0.05, "a mode near a component mean, off by " + best);
            }
        }
        // the modes have the most seeds in their basins, and come first
        assertEquals(CriticalPoints.Type.MODE, cp.points().get(0).type());
    }

    @Test
    void aModelFieldUsesTheEngineJacobianAndReportsTheCurl() {
        EnergyMlp energy = new EnergyMlp(2, 8, 2, Activation.SOFTPLUS);
        double[] theta = energy.initialParameters(3);
        CriticalPoints.Field f = CriticalPoints.of(energy, theta);
        double[] s = new double[2];
        double[] j = new double[4];
        f.eval(new double[] {0.3, -0.2}, 1, s, j);
        assertEquals(j[1], j[2], 1e-12, "an energy's ∂s/∂x is symmetric");
        ScoreMlp score = new ScoreMlp(2, 8, 2, Activation.TANH);
        CriticalPoints.Field g = CriticalPoints.of(score, score.initialParameters(4));
        g.eval(new double[] {0.3, -0.2}, 1, s, j);
        // finite differences of the score for the Jacobian
        double h = 1e-6;
        double[] sp = new double[2];
        double[] sm = new double[2];
        double[] tmp = new double[4];
        g.eval(new double[] {0.3 + h, -0.2}, 1, sp, tmp);
        g.eval(new double[] {0.3 - h, -0.2}, 1, sm, tmp);
        assertEquals((sp[1] - sm[1]) / (2 * h), j[2], 1e-6);
        CriticalPoints cp = CriticalPoints.find(g, -3, 3, -3, 3, 8);
        for (CriticalPoints.Point p : cp.points()) {
            assertTrue(p.residual() < 1e-6);
        }
    }
}
