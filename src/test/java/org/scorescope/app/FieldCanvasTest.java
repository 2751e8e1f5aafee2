package org.scorescope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scorescope.field.ViewBox;

/** The canvas's pan/zoom placement of an older picture, without starting JavaFX. */
class FieldCanvasTest {
    @Test
    void placementKeepsWorldPointsWhereTheNewViewDrawsThem() {
        ViewBox v0 = new ViewBox(0.3, -0.2, 2);
        ViewBox v1 = v0.zoom(1.7, 0.9, 0.4).pan(0.25, -0.1);
        double w0 = 300;
        double h0 = 200;
        double w1 = 320;
        double h1 = 180;
        double[] m = FieldCanvas.placement(v0, w0, h0, v1, w1, h1);
        for (double[] p : new double[][] {{0, 0}, {1.3, -0.7}, {-2, 1.5}}) {
            double sx0 = v0.toScreenX(p[0], w0, h0);
            double sy0 = v0.toScreenY(p[1], w0, h0);
            assertEquals(v1.toScreenX(p[0], w1, h1), m[0] * sx0 + m[1], 1e-9);
            assertEquals(v1.toScreenY(p[1], w1, h1), m[0] * sy0 + m[2], 1e-9);
        }
        double[] same = FieldCanvas.placement(v0, w0, h0, v0, w0, h0);
        assertEquals(1, same[0], 1e-15);
        assertEquals(0, same[1], 1e-12);
        assertEquals(0, same[2], 1e-12);
        assertNotEquals(0, m[1], "the pan moved the picture");
    }

    @Test
    void onlyAnUnscaledUnmovedPictureCoversTheView() {
        assertTrue(FieldCanvas.coversView(1, 0, 0, 300, 200, 300, 200));
        assertTrue(FieldCanvas.coversView(1, 0, 0, 300, 200, 299, 200), "a larger picture is clipped");
        assertFalse(FieldCanvas.coversView(1, 0, 0, 300, 200, 320, 200), "the view grew past the picture");
        assertFalse(FieldCanvas.coversView(1, 4, 0, 300, 200, 300, 200), "panned");
        assertFalse(FieldCanvas.coversView(1, 0, -1, 300, 200, 300, 200), "panned");
        assertFalse(FieldCanvas.coversView(1.25, 0, 0, 300, 200, 300, 200), "zoomed");
    }
}
