package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Grid2DTest {

    @Test
    void nodesIncludeBothEdgesAndPointsAreRowMajor() {
        Grid2D g = new Grid2D(-1, 3, 2, 5, 5, 4);
        assertEquals(1.0, g.dx(), 0);
        assertEquals(1.0, g.dy(), 0);
        assertEquals(-1.0, g.x(0), 0);
        assertEquals(3.0, g.x(4), 0);
        assertEquals(5.0, g.y(3), 0);
        assertEquals(1.0, g.cellArea(), 0);
        double[] pts = g.points();
        assertEquals(40, pts.length);
        int k = g.index(2, 3);
        assertEquals(17, k);
        assertEquals(g.x(2), pts[2 * k], 0);
        assertEquals(g.y(3), pts[2 * k + 1], 0);
    }

    @Test
    void trapezoidWeightsSumToBoxArea() {
        Grid2D g = new Grid2D(-1, 2, 0, 0.5, 7, 3);
        double s = 0;
        for (int iy = 0; iy < g.ny(); iy++) {
            for (int ix = 0; ix < g.nx(); ix++) {
                s += g.quadratureWeight(ix, iy);
            }
        }
        assertEquals(g.boxArea(), s, 1e-14);
    }

    @Test
    void bilinearIsExactForBilinearFunctions() {
        Grid2D g = new Grid2D(-2, 1, -1, 3, 6, 9);
        double[] f = new double[g.size()];
        double[] v = new double[2 * g.size()];
        for (int iy = 0; iy < g.ny(); iy++) {
            for (int ix = 0; ix < g.nx(); ix++) {
                double x = g.x(ix);
                double y = g.y(iy);
                int k = g.index(ix, iy);
                f[k] = 1 + 2 * x - 3 * y + 0.5 * x * y;
                v[2 * k] = -y;
                v[2 * k + 1] = x + 2 * x * y;
            }
        }
        double[] out = new double[2];
        double[][] probes = {{-2, -1}, {1, 3}, {0.123, 2.77}, {-1.5, 0.0}, {1, -1}};
        for (double[] q : probes) {
            double x = q[0];
            double y = q[1];
            // bilinear interpolation reproduces a + bx + cy + dxy exactly (up to rounding)
            assertEquals(1 + 2 * x - 3 * y + 0.5 * x * y, g.interpolate(f, x, y), 1e-12);
            assertTrue(g.interpolateVector(v, x, y, out));
            assertEquals(-y, out[0], 1e-12);
            assertEquals(x + 2 * x * y, out[1], 1e-12);
            assertEquals(x + 2 * x * y, g.interpolate(v, 2, 1, x, y), 1e-12);
        }
        assertTrue(Double.isNaN(g.interpolate(f, 1.0001, 0)));
        assertFalse(g.interpolateVector(v, 0, -1.01, out));
        assertTrue(Double.isNaN(out[0]));
    }

    @Test
    void badInputIsRejectedWithTheFieldName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Grid2D(0, 0, 0, 1, 3, 3));
        assertTrue(e.getMessage().contains("xmax"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Grid2D(0, 1, 0, 1, 3, 1));
        assertTrue(e.getMessage().contains("ny"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Grid2D(0, 1, Double.NaN, 1, 3, 3));
        assertTrue(e.getMessage().contains("ymin"), e.getMessage());
        Grid2D g = Grid2D.square(1, 4);
        e = assertThrows(IllegalArgumentException.class, () -> g.interpolate(new double[3], 0, 0));
        assertTrue(e.getMessage().contains("values"), e.getMessage());
    }
}
