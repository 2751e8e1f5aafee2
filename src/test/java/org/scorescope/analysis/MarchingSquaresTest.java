package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;

class MarchingSquaresTest {

    private static double[] sample(Grid2D g, DoubleBinaryOperator f) {
        double[] v = new double[g.size()];
        for (int iy = 0; iy < g.ny(); iy++) {
            for (int ix = 0; ix < g.nx(); ix++) {
                v[g.index(ix, iy)] = f.applyAsDouble(g.x(ix), g.y(iy));
            }
        }
        return v;
    }

    private static double shoelace(ContourLine c) {
        double a = 0;
        for (int i = 0; i < c.size(); i++) {
            int j = (i + 1) % c.size();
            a += c.x(i) * c.y(j) - c.x(j) * c.y(i);
        }
        return Math.abs(a) / 2;
    }

    private static boolean onBoundary(Grid2D g, double x, double y) {
        double eps = 1e-12;
        return Math.abs(x - g.xmin()) < eps || Math.abs(x - g.xmax()) < eps
                || Math.abs(y - g.ymin()) < eps || Math.abs(y - g.ymax()) < eps;
    }

    @Test
    void circleFieldGivesOneClosedPolygonOfTheRightRadius() {
        Grid2D g = Grid2D.square(2, 81);
        double[] f = sample(g, (x, y) -> x * x + y * y);
        List<ContourLine> lines = MarchingSquares.contours(g, f, 1.0);
        assertEquals(1, lines.size());
        ContourLine c = lines.get(0);
        assertTrue(c.closed());
        assertTrue(c.size() > 50, "points: " + c.size());
        // linear interpolation of r² along an edge of length h = 0.05 misplaces the crossing by <= h²/4
        for (int i = 0; i < c.size(); i++) {
            assertEquals(1.0, Math.hypot(c.x(i), c.y(i)), 7e-4);
        }
        // an inscribed polygon: area and perimeter fall short of π, 2π by O(h²)
        assertEquals(Math.PI, shoelace(c), 5e-3);
        assertEquals(2 * Math.PI, c.length(), 5e-3);
        assertEquals(1.0, Math.hypot(c.anchorX(), c.anchorY()), 2e-3);
        assertTrue(c.anchorAngle() > -Math.PI / 2 && c.anchorAngle() <= Math.PI / 2);
    }

    @Test
    void linearFieldGivesOneStraightOpenLineBetweenBoxEdges() {
        Grid2D g = new Grid2D(-1, 1, 0, 3, 11, 16);
        double[] f = sample(g, (x, y) -> 2 * x - 0.5);
        List<ContourLine> lines = MarchingSquares.contours(g, f, 0.1);
        assertEquals(1, lines.size());
        ContourLine c = lines.get(0);
        assertFalse(c.closed());
        assertEquals(16, c.size());
        for (int i = 0; i < c.size(); i++) {
            assertEquals(0.3, c.x(i), 1e-12);
        }
        assertTrue(onBoundary(g, c.x(0), c.y(0)) && onBoundary(g, c.x(c.size() - 1), c.y(c.size() - 1)));
        assertEquals(3.0, c.length(), 1e-12);
        assertEquals(1.5, c.anchorY(), 1e-12);
        assertEquals(Math.PI / 2, Math.abs(c.anchorAngle()), 1e-12);
    }

    @Test
    void saddleCellIsResolvedByTheCentreAverage() {
        // one cell: bottom-left 1, bottom-right 0, top-right 1, top-left 0; centre average 0.5
        Grid2D g = new Grid2D(0, 1, 0, 1, 2, 2);
        double[] f = {1, 0, 0, 1};
        // level 0.4: centre (0.5) is above, so the two high corners connect and the segments cut off
        // the low corners (1,0) and (0,1)
        List<ContourLine> hi = MarchingSquares.contours(g, f, 0.4);
        assertEquals(2, hi.size());
        for (ContourLine c : hi) {
            assertEquals(2, c.size());
            double mx = 0.5 * (c.x(0) + c.x(1));
            double my = 0.5 * (c.y(0) + c.y(1));
            // each segment sits next to a low corner: its midpoint is at distance 0.4/√2·… from it
            boolean nearBr = Math.hypot(mx - 1, my) < 0.5;
            boolean nearTl = Math.hypot(mx, my - 1) < 0.5;
            assertTrue(nearBr ^ nearTl, "segment " + c);
        }
        // level 0.6: centre is below, so the segments cut off the high corners (0,0) and (1,1)
        List<ContourLine> lo = MarchingSquares.contours(g, f, 0.6);
        assertEquals(2, lo.size());
        for (ContourLine c : lo) {
            double mx = 0.5 * (c.x(0) + c.x(1));
            double my = 0.5 * (c.y(0) + c.y(1));
            boolean nearBl = Math.hypot(mx, my) < 0.5;
            boolean nearTr = Math.hypot(mx - 1, my - 1) < 0.5;
            assertTrue(nearBl ^ nearTr, "segment " + c);
        }
        // exact crossing positions: on the bottom edge f = 1 − x, so level 0.6 crosses at x = 0.4
        double[] all = new double[8];
        int k = 0;
        for (ContourLine c : lo) {
            for (int i = 0; i < 2; i++) {
                all[k++] = c.x(i);
                all[k++] = c.y(i);
            }
        }
        boolean found = false;
        for (int i = 0; i < 8; i += 2) {
            found |= Math.abs(all[i] - 0.4) < 1e-15 && all[i + 1] == 0;
        }
        assertTrue(found);
    }

    @Test
    void hyperbolicSaddleGridGivesConsistentOpenBranches() {
        // even node count: the origin is the centre of a saddle cell with corners ±h²/4
        Grid2D g = Grid2D.square(1, 40);
        double[] f = sample(g, (x, y) -> x * y);
        for (double level : new double[] {0.05, -0.05, 0.0}) {
            List<ContourLine> lines = MarchingSquares.contours(g, f, level);
            assertEquals(2, lines.size(), "level " + level);
            for (ContourLine c : lines) {
                assertFalse(c.closed());
                assertTrue(onBoundary(g, c.x(0), c.y(0)));
                assertTrue(onBoundary(g, c.x(c.size() - 1), c.y(c.size() - 1)));
                for (int i = 0; i < c.size(); i++) {
                    // xy is bilinear, so edge interpolation is exact
                    assertEquals(level, c.x(i) * c.y(i), 1e-12);
                }
            }
        }
    }

    @Test
    void levelHelpers() {
        double[] even = MarchingSquares.evenLevels(-1, 3, 7);
        assertEquals(7, even.length);
        assertEquals(-0.5, even[0], 1e-15);
        assertEquals(2.5, even[6], 1e-15);
        double[] nice = MarchingSquares.niceLevels(0, 1, 10);
        assertEquals(9, nice.length);
        assertEquals(0.1, nice[0], 1e-15);
        assertEquals(0.9, nice[8], 1e-15);
        double[] odd = MarchingSquares.niceLevels(-3.7, 12.2, 5);
        // raw step 3.18 → nearest nice step 2.5 → −2.5, 0, …, 10
        assertArrayEquals(new double[] {-2.5, 0, 2.5, 5, 7.5, 10}, odd, 1e-12);
        for (int n = 1; n <= 40; n++) {
            double[] lv = MarchingSquares.niceLevels(0.0137, 7.91, n);
            assertTrue(lv.length >= n / 1.6 - 1 && lv.length <= 1.6 * n + 1, n + " → " + lv.length);
            for (double v : lv) {
                assertTrue(v > 0.0137 && v < 7.91);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> MarchingSquares.niceLevels(1, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> MarchingSquares.evenLevels(0, 1, 0));
    }

    @Test
    void hdrLevelsOfAGaussianMatchClosedFormAndContourAtTheRightRadius() {
        // standard normal: {p >= t} is the disc of radius r with mass 1 − e^{−r²/2}, so t = (1 − m)/(2π)
        Grid2D g = Grid2D.square(6, 241);
        double[] p = sample(g, (x, y) -> Math.exp(-(x * x + y * y) / 2) / (2 * Math.PI));
        double[] masses = {0.5, 0.9, 0.99};
        double[] t = MarchingSquares.hdrLevels(g, p, masses);
        for (int i = 0; i < masses.length; i++) {
            double expected = (1 - masses[i]) / (2 * Math.PI);
            // the region boundary is resolved to about a cell (h = 0.05): ~1% in threshold
            assertEquals(expected, t[i], 0.01 * expected, "mass " + masses[i]);
            List<ContourLine> lines = MarchingSquares.contours(g, p, t[i]);
            assertEquals(1, lines.size());
            ContourLine c = lines.get(0);
            assertTrue(c.closed());
            double r = Math.sqrt(-2 * Math.log(1 - masses[i]));
            assertEquals(r, Math.hypot(c.anchorX(), c.anchorY()), 0.01 * r);
        }
        assertTrue(t[0] > t[1] && t[1] > t[2]);
        assertThrows(IllegalArgumentException.class, () -> MarchingSquares.hdrLevels(g, p, 1.5));
    }

    @Test
    void nonFiniteValuesAreRejected() {
        Grid2D g = Grid2D.square(1, 3);
        double[] f = new double[9];
        f[5] = Double.POSITIVE_INFINITY;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MarchingSquares.contours(g, f, 0.5));
        assertTrue(e.getMessage().contains("node 5"), e.getMessage());
    }
}
