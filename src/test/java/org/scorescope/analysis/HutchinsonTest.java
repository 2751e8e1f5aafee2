package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HutchinsonTest {

    @Test
    void rademacherIsExactOnDiagonalMatrices() {
        int n = 50;
        double[] a = new double[n * n];
        double tr = 0;
        for (int i = 0; i < n; i++) {
            a[i * n + i] = i - 20.5;
            tr += a[i * n + i];
        }
        // zᵀDz = Σ d_i z_i² = tr D for every ±1 vector
        Hutchinson.Estimate e = Hutchinson.estimate(new DenseSymmetric(n, a), 5, Hutchinson.Probe.RADEMACHER, 1);
        assertEquals(tr, e.trace(), 1e-12);
        assertEquals(0.0, e.standardError(), 1e-12);
    }

    @Test
    void estimateAndStandardErrorMatchTheClosedFormVariances() {
        int n = 80;
        SplittableRandom r = new SplittableRandom(4);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = r.nextGaussian() + (i == j ? 3 : 0);
                a[i * n + j] = v;
                a[j * n + i] = v;
            }
        }
        double tr = 0;
        double fro2 = 0;
        double diag2 = 0;
        for (int i = 0; i < n; i++) {
            tr += a[i * n + i];
            diag2 += a[i * n + i] * a[i * n + i];
            for (int j = 0; j < n; j++) {
                fro2 += a[i * n + j] * a[i * n + j];
            }
        }
        DenseSymmetric op = new DenseSymmetric(n, a);
        int probes = 600;
        double[][] cases = {
            {Hutchinson.Probe.RADEMACHER.ordinal(), Math.sqrt(2 * (fro2 - diag2) / probes)},
            {Hutchinson.Probe.GAUSSIAN.ordinal(), Math.sqrt(2 * fro2 / probes)},
        };
        for (double[] c : cases) {
            Hutchinson.Probe p = Hutchinson.Probe.values()[(int) c[0]];
            Hutchinson.Estimate e = Hutchinson.estimate(op, probes, p, 17);
            double se = c[1];
            // the sample SE of 600 probes is within ~10% of the exact one (its own relative SE is
            // ~√(κ/(4N)), a few percent for these near-Gaussian quadratic forms)
            assertEquals(se, e.standardError(), 0.15 * se, p + " standard error");
            assertTrue(Math.abs(e.trace() - tr) < 4 * se, p + ": " + e.trace() + " vs " + tr + " (se " + se + ")");
            assertEquals(probes, e.probes());
        }
        assertThrows(IllegalArgumentException.class, () -> Hutchinson.estimate(op, 1, Hutchinson.Probe.GAUSSIAN, 1));
    }
}
