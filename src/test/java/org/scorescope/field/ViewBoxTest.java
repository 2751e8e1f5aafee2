package org.scorescope.field;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** World/screen mapping, zoom about a fixed point, pan, and validation. */
class ViewBoxTest {
    @Test
    void squareFitsTheShorterSideAndScreenRoundTrips() {
        ViewBox v = new ViewBox(1, -2, 4);
        double w = 800;
        double h = 400;
        assertEquals(50, v.scale(w, h), 1e-12);
        assertArrayEquals(new double[] {1 - 8, 1 + 8, -2 - 4, -2 + 4}, v.visible(w, h), 1e-12);
        assertEquals(400, v.toScreenX(1, w, h), 1e-12);
        assertEquals(200, v.toScreenY(-2, w, h), 1e-12);
        assertEquals(0, v.toScreenY(2, w, h), 1e-12, "top edge is y = cy + half");
        for (double sx : new double[] {0, 123.4, 800}) {
            assertEquals(sx, v.toScreenX(v.toWorldX(sx, w, h), w, h), 1e-9);
            assertEquals(sx / 2, v.toScreenY(v.toWorldY(sx / 2, w, h), w, h), 1e-9);
        }
    }

    @Test
    void zoomKeepsTheCursorPointFixed() {
        ViewBox v = new ViewBox(0, 0, 4);
        double w = 600;
        double h = 500;
        double sx = 450;
        double sy = 120;
        double x = v.toWorldX(sx, w, h);
        double y = v.toWorldY(sy, w, h);
        ViewBox z = v.zoom(1.7, x, y);
        assertEquals(4 / 1.7, z.half(), 1e-12);
        assertEquals(sx, z.toScreenX(x, w, h), 1e-9);
        assertEquals(sy, z.toScreenY(y, w, h), 1e-9);
    }

    @Test
    void zoomClampsAndStillKeepsThePointFixed() {
        ViewBox v = new ViewBox(0, 0, 2 * ViewBox.MIN_HALF);
        ViewBox z = v.zoom(1000, 0.001, 0.001);
        assertEquals(ViewBox.MIN_HALF, z.half(), 0);
        assertEquals(0.0005, z.cx(), 1e-15, "centre moved by the factor actually applied (2)");
    }

    @Test
    void panMovesContentWithTheMouse() {
        ViewBox v = new ViewBox(0, 0, 3).pan(1, -2);
        assertEquals(-1, v.cx(), 0);
        assertEquals(2, v.cy(), 0);
    }

    @Test
    void rejectsAbsurdValues() {
        assertThrows(IllegalArgumentException.class, () -> new ViewBox(Double.NaN, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ViewBox(0, 0, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ViewBox(0, 0, 1).zoom(-1, 0, 0));
        assertTrue(e.getMessage().contains("zoom factor"), e.getMessage());
    }

    @Test
    void ofDatasetBoxAddsAMargin() {
        ViewBox v = ViewBox.of(new double[] {-4, 4, -2, 2});
        assertEquals(4 * 1.05, v.half(), 1e-12);
        assertEquals(0, v.cx(), 0);
    }
}
