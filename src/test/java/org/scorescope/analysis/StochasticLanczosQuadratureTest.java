package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StochasticLanczosQuadratureTest {

    @Test
    void eachRunIsAGaussQuadratureExactToDegreeTwoMMinusOne() {
        int n = 200;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = -1 + 3.0 * i / n + (i % 7 == 0 ? 2 : 0);
        }
        double[] a = SpectralFixtures.withSpectrum(lambda, 5);
        DenseSymmetric op = new DenseSymmetric(n, a);
        int m = 8;
        StochasticLanczosQuadrature slq = StochasticLanczosQuadrature.compute(op, 3, m, 21);
        double[] v = new double[n];
        double[] akv = new double[n];
        double[] tmp = new double[n];
        for (int r = 0; r < 3; r++) {
            assertEquals(m, slq.nodeCount(r));
            slq.startVector(r, v);
            System.arraycopy(v, 0, akv, 0, n);
            for (int k = 0; k <= 2 * m - 1; k++) {
                double exact = Lanczos.dot(v, 0, akv, n);
                double quad = 0;
                for (int j = 0; j < m; j++) {
                    quad += slq.weight(r, j) * Math.pow(slq.node(r, j), k);
                }
                // |vᵀA^k v| <= 4^k here; Lanczos with full reorthogonalization keeps this to rounding
                assertEquals(exact, quad, 1e-11 * Math.pow(4, k), "run " + r + ", k = " + k);
                op.apply(akv, tmp);
                System.arraycopy(tmp, 0, akv, 0, n);
            }
        }
        assertEquals(n, slq.moment(0), 1e-10);
    }

    @Test
    void densityAndLogDensityIntegrateToTheDimension() {
        int n = 300;
        double[] lambda = SpectralFixtures.logSpaced(n, -6, 2);
        for (int i = 0; i < 20; i++) {
            lambda[i] = -lambda[i];
        }
        LinearOperator op = SpectralFixtures.householderOperator(lambda, 6);
        StochasticLanczosQuadrature slq = StochasticLanczosQuadrature.compute(op, 6, 40, 2);
        int g = 6001;
        double sigma = 0.5;
        double lo = -110;
        double hi = 110;
        double[] grid = new double[g];
        for (int i = 0; i < g; i++) {
            grid[i] = lo + (hi - lo) * i / (g - 1);
        }
        double[] phi = new double[g];
        slq.density(grid, sigma, phi);
        // trapezoid with spacing σ/13.6 on Gaussians is accurate far below 1e-9
        assertEquals(n, trapezoid(grid, phi), 1e-9 * n);
        double[] u = new double[g];
        for (int i = 0; i < g; i++) {
            u[i] = -12 + 18.0 * i / (g - 1);
        }
        double[] psi = new double[g];
        slq.logDensity(u, 0.1, 1e-8, psi);
        assertEquals(n, trapezoid(u, psi), 1e-9 * n);
        // the pooled weights carry the same mass
        double[] nodes = new double[slq.totalNodes()];
        double[] w = new double[slq.totalNodes()];
        slq.pooled(nodes, w);
        double sw = 0;
        for (double x : w) {
            sw += x;
        }
        assertEquals(n, sw, 1e-9 * n);
    }

    @Test
    void densityPutsTheRightMassInEachClusterAndTheTraceIsUnbiased() {
        int n = 400;
        double[] lambda = new double[n];
        double tr = 0;
        for (int i = 0; i < n; i++) {
            // 300 eigenvalues near 1, 100 near 10, 20 of them negative near −5
            lambda[i] = i < 300 ? 0.9 + 0.2 * i / 300 : (i < 380 ? 9 + 2.0 * (i - 300) / 80 : -5 - 0.01 * (i - 380));
            tr += lambda[i];
        }
        double[] a = SpectralFixtures.withSpectrum(lambda, 8);
        DenseSymmetric op = new DenseSymmetric(n, a);
        int runs = 30;
        StochasticLanczosQuadrature slq = StochasticLanczosQuadrature.compute(op, runs, 30, 3);
        double[] grid = new double[3001];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = -10 + 25.0 * i / (grid.length - 1);
        }
        double[] phi = new double[grid.length];
        slq.density(grid, 0.2, phi);
        double near1 = 0;
        double near10 = 0;
        double neg = 0;
        for (int i = 0; i + 1 < grid.length; i++) {
            double m = 0.5 * (phi[i] + phi[i + 1]) * (grid[i + 1] - grid[i]);
            double x = grid[i];
            if (x > -1 && x < 4) {
                near1 += m;
            } else if (x > 6) {
                near10 += m;
            } else if (x < -2) {
                neg += m;
            }
        }
        // each cluster's mass is P·E[Σ τ² over its nodes] = P·E[‖Π v‖²]; with Rademacher v and a random
        // eigenbasis its relative SD is about √(2(1−f)/(f·P·n_v)): ≈ 1.5%, 3%, 7% here; allow ~4 SD
        assertEquals(300, near1, 18);
        assertEquals(80, near10, 10);
        assertEquals(20, neg, 6);
        assertEquals(20.0 / n, slq.negativeFraction(), 0.015);
        // trace: the Hutchinson (Rademacher) standard error is √(2(‖A‖_F² − Σ a_ii²)/n_v)
        double fro2 = 0;
        double diag2 = 0;
        for (int i = 0; i < n; i++) {
            fro2 += lambda[i] * lambda[i];
            diag2 += a[i * n + i] * a[i * n + i];
        }
        double se = Math.sqrt(2 * (fro2 - diag2) / runs);
        assertTrue(Math.abs(slq.trace() - tr) < 4 * se, slq.trace() + " vs " + tr + " (se " + se + ")");
    }

    private static double trapezoid(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i + 1 < x.length; i++) {
            s += 0.5 * (y[i] + y[i + 1]) * (x[i + 1] - x[i]);
        }
        return s;
    }
}
