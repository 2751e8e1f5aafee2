package org.scorescope.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ErfTest {
    private static void assertRel(double expected, double actual, double tol) {
        double rel = Math.abs(actual - expected) / Math.abs(expected);
        assertTrue(rel <= tol, "expected " + expected + " got " + actual + " (rel err " + rel + ")");
    }

    @Test
    void knownValuesToOneUlpScale() {
        // Reference values (mpmath at 30 digits, rounded); tolerance 2e-16 relative ≈ 1 ulp.
        assertRel(0.5204998778130465, Erf.erf(0.5), 2e-16);
        assertRel(0.8427007929497149, Erf.erf(1.0), 2e-16);
        assertRel(0.9953222650189527, Erf.erf(2.0), 2e-16);
        assertRel(-0.9999779095030014, Erf.erf(-3.0), 2e-16);
        assertRel(0.0011283787909692363, Erf.erf(1e-3), 2e-16);
    }

    @Test
    void complementAndTails() {
        // erfc(5) = 1.5374597944280349e-12 and erfc(10) = 2.0884875837625447e-45: no cancellation.
        assertRel(1.5374597944280349e-12, Erf.erfc(5.0), 1e-14);
        assertRel(2.0884875837625447e-45, Erf.erfc(10.0), 1e-14);
        assertEquals(2.0, Erf.erfc(-30.0), 0.0);
        assertEquals(0.0, Erf.erfc(30.0), 0.0);
        assertEquals(1.0, Erf.erf(7.0), 0.0);
        assertEquals(0.0, Erf.erf(0.0), 0.0);
        assertTrue(Double.isNaN(Erf.erf(Double.NaN)));
    }

    @Test
    void oddAndConsistentWithComplement() {
        for (double x = -6; x <= 6; x += 0.37) {
            assertEquals(-Erf.erf(x), Erf.erf(-x), 0.0, "odd at " + x);
            assertEquals(1.0, Erf.erf(x) + Erf.erfc(x), 2e-16, "erf+erfc at " + x);
        }
    }

    @Test
    void derivativeMatchesFiniteDifference() {
        // d/dx erf = 2/√π e^{-x²}; central differences across all three approximation intervals.
        double h = 1e-6;
        for (double x : new double[] {0.1, 0.46875, 0.47, 1.3, 3.9, 4.1, 5.0}) {
            double fd = (Erf.erf(x + h) - Erf.erf(x - h)) / (2 * h);
            double exact = 2 / Math.sqrt(Math.PI) * Math.exp(-x * x);
            assertEquals(exact, fd, 1e-9, "at " + x);
        }
    }
}
