package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StreamlinesTest {

    /** Interleaved field (a·x + b·y + e, c·x + d·y + f) on the grid; bilinear interpolation is exact. */
    private static double[] linearField(Grid2D g, double a, double b, double c, double d, double e, double f) {
        double[] v = new double[2 * g.size()];
        for (int iy = 0; iy < g.ny(); iy++) {
            for (int ix = 0; ix < g.nx(); ix++) {
                int k = g.index(ix, iy);
                double x = g.x(ix);
                double y = g.y(iy);
                v[2 * k] = a * x + b * y + e;
                v[2 * k + 1] = c * x + d * y + f;
            }
        }
        return v;
    }

    private static double maxRadiusError(Streamlines.Scheme scheme, double h) {
        Grid2D g = Grid2D.square(2, 21);
        double[] rot = linearField(g, 0, -1, 1, 0, 0, 0);
        Streamlines s = new Streamlines(g, rot, new Streamlines.Options(scheme, h, 100_000, 100, 1e-3));
        Streamline l = s.trace(1, 0, Streamlines.Direction.BOTH);
        assertTrue(l.closed(), l.toString());
        assertEquals(Streamline.Termination.CLOSED_LOOP, l.finishEnd());
        assertEquals(Streamline.Termination.NOT_TRACED, l.startEnd());
        double err = 0;
        for (int i = 0; i < l.size(); i++) {
            err = Math.max(err, Math.abs(Math.hypot(l.x(i), l.y(i)) - 1));
        }
        // one revolution: the polyline length approaches 2π
        assertEquals(2 * Math.PI, l.length(), 2 * h);
        return err;
    }

    @Test
    void rotationOrbitIsAClosedCircleWithTheSchemesOrder() {
        double e4 = maxRadiusError(Streamlines.Scheme.RK4, 0.05);
        // RK4 on a circle of radius 1 over one turn: error ~ 2π·h⁴/120 ≈ 3e-7 at h = 0.05
        assertTrue(e4 < 2e-6, "RK4 radius error " + e4);
        double e2a = maxRadiusError(Streamlines.Scheme.RK2, 0.05);
        double e2b = maxRadiusError(Streamlines.Scheme.RK2, 0.025);
        // midpoint rule: at least second order (its radial error on a circle is even O(h³): ratio ≈ 8)
        double ratio = e2a / e2b;
        assertTrue(ratio > 3.5 && ratio < 9, "RK2 ratio " + ratio + " (" + e2a + ", " + e2b + ")");
        assertTrue(e4 < e2a / 100);
    }

    @Test
    void uniformFieldRunsStraightToTheBoxEdge() {
        Grid2D g = new Grid2D(-1, 1, -1, 1, 11, 11);
        double[] v = linearField(g, 0, 0, 0, 0, 1, 0.5);
        Streamlines s = new Streamlines(g, v, Streamlines.Options.defaults(g));
        Streamline l = s.trace(-0.9, -0.2, Streamlines.Direction.BOTH);
        assertFalse(l.closed());
        assertEquals(Streamline.Termination.BOUNDARY, l.finishEnd());
        assertEquals(Streamline.Termination.BOUNDARY, l.startEnd());
        int last = l.size() - 1;
        // forward end: x = 1 reached at y = −0.2 + 0.5·1.9 = 0.75; backward end: x = −1 at y = −0.25
        assertEquals(1.0, l.x(last), 0);
        assertEquals(0.75, l.y(last), 1e-12);
        assertEquals(-1.0, l.x(0), 0);
        assertEquals(-0.25, l.y(0), 1e-12);
        for (int i = 0; i < l.size(); i++) {
            assertEquals(-0.2 + 0.5 * (l.x(i) + 0.9), l.y(i), 1e-12);
        }
        assertEquals(-0.9, l.x(l.seedIndex()), 0);
    }

    @Test
    void sinkStopsAtStagnationAndSourceSideAtBoundary() {
        Grid2D g = Grid2D.square(1, 21);
        double[] v = linearField(g, -1, 0, 0, -1, 0, 0);
        Streamlines.Options o = new Streamlines.Options(Streamlines.Scheme.RK4, 0.01, 10_000, 10, 1e-3);
        Streamline l = new Streamlines(g, v, o).trace(0.5, 0.3, Streamlines.Direction.BOTH);
        assertEquals(Streamline.Termination.STAGNATION, l.finishEnd());
        int last = l.size() - 1;
        assertTrue(Math.hypot(l.x(last), l.y(last)) < 0.02, "stopped at " + l.x(last) + ", " + l.y(last));
        assertEquals(Streamline.Termination.BOUNDARY, l.startEnd());
        assertEquals(1.0, l.x(0), 0);
        assertEquals(0.6, l.y(0), 1e-6);
        // the budgets terminate too
        Streamline shortLine = new Streamlines(g, v, new Streamlines.Options(Streamlines.Scheme.RK2, 0.01, 10_000, 0.2, 0))
                .trace(0.5, 0.3, Streamlines.Direction.FORWARD);
        assertEquals(Streamline.Termination.MAX_LENGTH, shortLine.finishEnd());
        assertEquals(0.2, shortLine.length(), 0.011);
        Streamline fewSteps = new Streamlines(g, v, new Streamlines.Options(Streamlines.Scheme.RK4, 0.01, 7, 10, 0))
                .trace(0.5, 0.3, Streamlines.Direction.FORWARD);
        assertEquals(Streamline.Termination.MAX_STEPS, fewSteps.finishEnd());
        assertEquals(8, fewSteps.size());
    }

    @Test
    void evenlySpacedLinesKeepTheirDistanceAndCoverTheBox() {
        Grid2D g = Grid2D.square(1, 41);
        // a rotation plus a weak uniform drift: orbits and boundary-to-boundary lines
        double[] v = linearField(g, 0, -1, 1, 0, 0.3, 0);
        Streamlines s = new Streamlines(g, v, Streamlines.Options.defaults(g));
        double dSep = 0.1;
        double ratio = 0.5;
        List<Streamline> lines = s.evenlySpaced(dSep, ratio);
        assertTrue(lines.size() >= 8, "lines: " + lines.size());
        double h = Math.min(s.options().step(), 0.5 * ratio * dSep);
        // points of different lines never come closer than dTest (up to one step of slack)
        for (int a = 0; a < lines.size(); a++) {
            for (int b = a + 1; b < lines.size(); b++) {
                Streamline la = lines.get(a);
                Streamline lb = lines.get(b);
                for (int i = 0; i < la.size(); i++) {
                    for (int j = 0; j < lb.size(); j++) {
                        double ex = la.x(i) - lb.x(j);
                        double ey = la.y(i) - lb.y(j);
                        double min = ratio * dSep - h;
                        assertTrue(ex * ex + ey * ey >= min * min, "lines " + a + "/" + b + " too close");
                    }
                }
            }
        }
        // every lattice point away from the centre of rotation (0, 0.3) is near some line
        double worst = 0;
        for (double x = -0.95; x <= 0.95; x += 0.05) {
            for (double y = -0.95; y <= 0.95; y += 0.05) {
                if (Math.hypot(x, y - 0.3) < 2 * dSep) {
                    continue;
                }
                double best = Double.POSITIVE_INFINITY;
                for (Streamline l : lines) {
                    for (int i = 0; i < l.size(); i++) {
                        double ex = l.x(i) - x;
                        double ey = l.y(i) - y;
                        best = Math.min(best, ex * ex + ey * ey);
                    }
                }
                worst = Math.max(worst, Math.sqrt(best));
            }
        }
        assertTrue(worst < 1.5 * dSep, "uncovered gap " + worst);
    }

    @Test
    void badInputIsRejected() {
        Grid2D g = Grid2D.square(1, 5);
        double[] v = new double[2 * g.size()];
        Streamlines s = new Streamlines(g, v, Streamlines.Options.defaults(g));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.trace(2, 0, Streamlines.Direction.BOTH));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Streamlines.Options(Streamlines.Scheme.RK4, -1, 10, 1, 0));
        assertTrue(e.getMessage().contains("step"), e.getMessage());
        v[3] = Double.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> new Streamlines(g, v, Streamlines.Options.defaults(g)));
        assertTrue(e.getMessage().contains("node 1"), e.getMessage());
        // a zero field: the seed itself is stagnant
        double[] zero = new double[2 * g.size()];
        Streamline l = new Streamlines(g, zero, Streamlines.Options.defaults(g)).trace(0, 0, Streamlines.Direction.BOTH);
        assertEquals(1, l.size());
        assertEquals(Streamline.Termination.STAGNATION, l.finishEnd());
        assertEquals(9, Streamlines.seedLattice(g, 3, 3).length / 2);
    }
}
