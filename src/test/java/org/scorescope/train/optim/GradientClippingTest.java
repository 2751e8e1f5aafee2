package org.scorescope.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GradientClippingTest {

    @Test
    void clipsToMaxNormAndReturnsThePreClipNorm() {
        double[] g = {3.0, 4.0};
        assertEquals(5.0, GradientClipping.clipGlobalNorm(g, 1.0));
        assertArrayEquals(new double[] {0.6, 0.8}, g, 1e-15);
        assertEquals(1.0, GradientClipping.globalNorm(g), 1e-15);
    }

    @Test
    void leavesSmallGradientsAlone() {
        double[] g = {0.3, -0.4};
        assertEquals(0.5, GradientClipping.clipGlobalNorm(g, 0.5));
        assertArrayEquals(new double[] {0.3, -0.4}, g, 0.0);
        assertEquals(0.5, GradientClipping.clipGlobalNorm(g, 10.0));
        assertArrayEquals(new double[] {0.3, -0.4}, g, 0.0);
    }

    @Test
    void clipsSeveralArraysJointly() {
        double[] a = {1.0, 2.0};
        double[] b = {2.0};
        // ‖(1, 2, 2)‖ = 3; scale by 1.5 / 3 = 0.5.
        assertEquals(3.0, GradientClipping.clipGlobalNorm(1.5, a, b), 1e-15);
        assertArrayEquals(new double[] {0.5, 1.0}, a, 1e-15);
        assertArrayEquals(new double[] {1.0}, b, 1e-15);
    }

    @Test
    void extremeMagnitudesDoNotOverflowOrUnderflow() {
        double[] big = {3e200, 4e200};
        assertEquals(5e200, GradientClipping.globalNorm(big), 1e186);
        double[] tiny = {3e-200, 4e-200};
        assertEquals(5e-200, GradientClipping.globalNorm(tiny), 1e-214);
        assertEquals(5e200, GradientClipping.clipGlobalNorm(big, 1.0), 1e186);
        assertEquals(1.0, Math.hypot(big[0], big[1]), 1e-15);
    }

    @Test
    void nonFiniteGradientsAreReportedNotClipped() {
        double[] g = {1.0, Double.NaN};
        assertTrue(Double.isNaN(GradientClipping.clipGlobalNorm(g, 1.0)));
        assertEquals(1.0, g[0]);
        double[] h = {Double.NEGATIVE_INFINITY, 1.0};
        assertEquals(Double.POSITIVE_INFINITY, GradientClipping.clipGlobalNorm(h, 1.0));
        assertEquals(1.0, h[1]);
        assertEquals(0.0, GradientClipping.clipGlobalNorm(new double[3], 1.0));
        assertEquals("maxNorm: must be finite and positive, found 0.0",
                assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipGlobalNorm(g, 0.0))
                        .getMessage());
    }
}
