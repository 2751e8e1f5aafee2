package org.scorescope.field;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The polynomial colormaps against matplotlib's reference end and mid points, and their monotone lightness. */
class ColormapTest {
    /** matplotlib's viridis/magma entries 0, 128 and 255 (from the published 256-entry tables). */
    private static final double[][] VIRIDIS_REF = {{0.267004, 0.004874, 0.329415}, {0.127568, 0.566949, 0.550556},
        {0.993248, 0.906157, 0.143936}};
    private static final double[][] MAGMA_REF = {{0.001462, 0.000466, 0.013866}, {0.716387, 0.214982, 0.475290},
        {0.987053, 0.991438, 0.749504}};

    @Test
    void matchesReferenceTablesWithinTwoPercent() {
        double[] ts = {0, 128 / 255.0, 1};
        for (int i = 0; i < 3; i++) {
            double[] v = Colormap.VIRIDIS.rgb(ts[i]);
            double[] m = Colormap.MAGMA.rgb(ts[i]);
            for (int c = 0; c < 3; c++) {
                assertEquals(VIRIDIS_REF[i][c], v[c], 0.02, "viridis t=" + ts[i] + " channel " + c);
                assertEquals(MAGMA_REF[i][c], m[c], 0.02, "magma t=" + ts[i] + " channel " + c);
            }
        }
    }

    @Test
    void lightnessIncreasesMonotonically() {
        for (Colormap map : Colormap.values()) {
            double prev = -1;
            for (int i = 0; i < Colormap.SIZE; i++) {
                double y = map.luminance(i / (Colormap.SIZE - 1.0));
                assertTrue(y > prev - 1e-3, map + " luminance drops at entry " + i + ": " + prev + " -> " + y);
                prev = y;
            }
        }
    }

    @Test
    void argbIsOpaqueAndClampsOutOfRangeAndNaN() {
        assertEquals(Colormap.VIRIDIS.argb(0), Colormap.VIRIDIS.argb(-3));
        assertEquals(Colormap.VIRIDIS.argb(1), Colormap.VIRIDIS.argb(7));
        assertEquals(Colormap.VIRIDIS.argb(0), Colormap.VIRIDIS.argb(Double.NaN));
        for (int i = 0; i < Colormap.SIZE; i++) {
            assertEquals(0xFF, Colormap.MAGMA.argb(i / 255.0) >>> 24);
        }
        int mid = Colormap.VIRIDIS.argb(0.5);
        double[] rgb = Colormap.VIRIDIS.rgb(0.5);
        assertEquals(Math.round(rgb[0] * 255), (mid >> 16) & 0xFF);
        assertEquals(Math.round(rgb[1] * 255), (mid >> 8) & 0xFF);
        assertEquals(Math.round(rgb[2] * 255), mid & 0xFF);
    }
}
