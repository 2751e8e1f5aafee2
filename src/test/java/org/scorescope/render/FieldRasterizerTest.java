package org.scorescope.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scorescope.analysis.Grid2D;
import org.scorescope.field.Colormap;
import org.scorescope.field.FieldFrame;
import org.scorescope.field.FieldRequest;
import org.scorescope.field.ViewBox;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.WorkerState;

/**
 * The off-thread Java2D renderer on small images: heat-map pixels against the closed form of the
 * bilinear interpolation of a linear log p, sample and data markers on their pixels, source-over
 * blending of sprites, base-layer caching and the renderer thread.
 */
class FieldRasterizerTest {
    private static final int W = 200;
    private static final int H = 100;
    /** k = min(200, 100) / (2·4) = 12.5 px per unit; visible x ∈ [−8, 8], y ∈ [−4, 4]. */
    private static final ViewBox VIEW = new ViewBox(0, 0, 4);
    /** log p = A·x + B·y + C on the grid: bilinear interpolation reproduces it exactly. */
    private static final double A = 0.3;
    private static final double B = -0.5;
    private static final double C = -2;
    private static final ViewLayers HEAT_ONLY = ViewLayers.of(ViewLayers.Switch.DENSITY);

    private static FieldFrame linearField() {
        FieldRequest req = new FieldRequest(new FieldRequest.Area(-8, 8, -4, 4),
                new FieldRequest.Canvas(W, H), new FieldRequest.Options(32, 0, 10, false, 30, Colormap.VIRIDIS));
        Grid2D grid = new Grid2D(-8, 8, -4, 4, req.nx(), req.ny());
        double[] pts = grid.points();
        double[] logp = new double[grid.size()];
        double top = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < logp.length; k++) {
            logp[k] = A * pts[2 * k] + B * pts[2 * k + 1] + C;
            top = Math.max(top, logp[k]);
        }
        return new FieldFrame(req, 0, new FieldFrame.Density(grid, logp, top, top - 10, "test", null),
                new FieldFrame.Arrows(new double[0], new double[0], null, 1, 1),
                new FieldFrame.Lines(new double[0], List.of(), List.of(), List.of()),
                new FieldFrame.Stats(0, Double.NaN, Double.NaN, 0));
    }

    private static FrameData frame(FieldFrame field, double[] points, double[] samples) {
        return new FrameData(1,
                new FrameData.Run(0, WorkerState.PAUSED, "", 0, Double.NaN, Double.NaN, 0, 0, 0, 0),
                new FrameData.Data(null, null, true, points, 1, false),
                new FrameData.Picture(samples, 0, field, null),
                new FrameData.Charts(null, null, null, null, null));
    }

    private static int px(FieldRasterizer.Raster r, double worldX, double worldY) {
        int x = (int) Math.floor(VIEW.toScreenX(worldX, W, H));
        int y = (int) Math.floor(VIEW.toScreenY(worldY, W, H));
        return r.pixels()[y * r.pixelWidth() + x];
    }

    private static void assertColor(int expected, int actual, int tolerance, String what) {
        for (int shift = 0; shift <= 24; shift += 8) {
            int e = (expected >>> shift) & 0xFF;
            int a = (actual >>> shift) & 0xFF;
            assertTrue(Math.abs(e - a) <= tolerance, what + ": expected " + Integer.toHexString(expected) + ", got "
                    + Integer.toHexString(actual) + " (channel at bit " + shift + ")");
        }
    }

    @Test
    void heatMapPixelsAreTheColormapOfTheInterpolatedLogDensity() {
        FieldFrame field = linearField();
        FieldRasterizer rz = new FieldRasterizer();
        rz.close();
        FieldRasterizer.Raster r = rz.render(new FieldRasterizer.Job(frame(field, new double[0], new double[0]), field,
                VIEW, W, H, 1, HEAT_ONLY, null));
        assertEquals(W, r.pixelWidth());
        assertEquals(H, r.pixelHeight());
        // Pixels away from the grid lines (ticks every 5 units) and their labels.
        int[][] probes = {{70, 30}, {120, 20}, {180, 70}, {30, 60}, {140, 85}};
        for (int[] p : probes) {
            double x = VIEW.toWorldX(p[0] + 0.5, W, H);
            double y = VIEW.toWorldY(p[1] + 0.5, W, H);
            double t = (A * x + B * y + C - field.bottom()) / (field.top() - field.bottom());
            // One colormap entry of slack: the index is round(255·t), and t carries rounding.
            assertColor(Colormap.VIRIDIS.argb(t), r.pixels()[p[1] * W + p[0]], 3, "pixel " + p[0] + "," + p[1]);
        }
        // Every pixel is opaque: the picture replaces whatever was shown.
        for (int v : r.pixels()) {
            assertEquals(0xFF, v >>> 24);
        }
    }

    @Test
    void samplesAndDataPointsLandOnTheirPixelsOverAnUnchangedBase() {
        FieldFrame field = linearField();
        ViewLayers layers = ViewLayers.of(ViewLayers.Switch.DATA, ViewLayers.Switch.DENSITY, ViewLayers.Switch.SAMPLES);
        FieldRasterizer rz = new FieldRasterizer();
        rz.close();
        FrameData empty = frame(field, new double[0], new double[0]);
        FieldRasterizer.Raster bare = rz.render(new FieldRasterizer.Job(empty, field, VIEW, W, H, 1, HEAT_ONLY, null));
        double[] data = {2.02, 1.02};
        double[] samples = {-2.98, -1.98};
        FrameData f = frame(field, data, samples);
        FieldRasterizer.Raster r = rz.render(new FieldRasterizer.Job(f, field, VIEW, W, H, 1, layers, null));
        // The sample disc (radius 2.8 px) is opaque at its centre: the sample colour.
        assertColor(0xFFFF5E3A, px(r, samples[0], samples[1]), 2, "sample centre");
        // The data square (half side 1.9 px) is white at 78 % over the heat map: s + d·(1 − α).
        int under = px(bare, data[0], data[1]);
        int alpha = 199; // round(0.78·255)
        int expected = 0xFF000000;
        for (int shift = 0; shift <= 16; shift += 8) {
            int d = (under >>> shift) & 0xFF;
            expected |= (int) Math.round(alpha + d * (255 - alpha) / 255.0) << shift;
        }
        assertColor(expected, px(r, data[0], data[1]), 2, "data point centre");
        // Far from both markers the picture equals the bare heat map.
        assertEquals(px(bare, 5.5, -2.5), px(r, 5.5, -2.5));
        assertEquals(px(bare, -6.3, 3.1), px(r, -6.3, 3.1));
    }

    @Test
    void baseLayersAreReusedWhenOnlyTheSamplesMove() {
        FieldFrame field = linearField();
        ViewLayers layers = ViewLayers.of(ViewLayers.Switch.DATA, ViewLayers.Switch.DENSITY, ViewLayers.Switch.CONTOURS,
                ViewLayers.Switch.SAMPLES, ViewLayers.Switch.LEGEND);
        FieldRasterizer rz = new FieldRasterizer();
        rz.close();
        double[] data = {0.5, 0.5};
        rz.render(new FieldRasterizer.Job(frame(field, data, new double[] {1, 1}), field, VIEW, W, H, 1, layers, null));
        assertEquals(1, rz.baseRenderCount());
        FieldRasterizer.Raster moved = rz.render(new FieldRasterizer.Job(frame(field, data, new double[] {-1, 1}), field,
                VIEW, W, H, 1, layers, null));
        assertEquals(1, rz.baseRenderCount(), "same fields, data, view and sample count: the base is reused");
        assertEquals(0, moved.baseMillis());
        assertColor(0xFFFF5E3A, px(moved, -1, 1), 2, "the moved sample is drawn");
        rz.render(new FieldRasterizer.Job(frame(field, data, new double[] {-1, 1}), field, new ViewBox(0.5, 0, 4), W, H, 1,
                layers, null));
        assertEquals(2, rz.baseRenderCount(), "a new view repaints the base");
    }

    @Test
    void theRendererThreadPublishesTheNewestJobAndRecyclesBuffers() throws InterruptedException {
        FieldFrame field = linearField();
        try (FieldRasterizer rz = new FieldRasterizer()) {
            FieldRasterizer.Job job = new FieldRasterizer.Job(frame(field, new double[0], new double[0]), field, VIEW, W, H,
                    2, HEAT_ONLY, null);
            rz.submit(job);
            FieldRasterizer.Raster r = null;
            for (int i = 0; i < 500 && r == null; i++) {
                Thread.sleep(10);
                r = rz.poll();
            }
            assertNotNull(r, "a raster arrives from the renderer thread");
            assertSame(job, r.job());
            assertEquals(2 * W, r.pixelWidth(), "HiDPI: drawn at twice the logical size");
            assertEquals(2 * H, r.pixelHeight());
            int[] buffer = r.pixels();
            rz.release(r);
            rz.submit(new FieldRasterizer.Job(job.frame(), field, new ViewBox(1, 0, 4), W, H, 2, HEAT_ONLY, null));
            FieldRasterizer.Raster next = null;
            for (int i = 0; i < 500 && next == null; i++) {
                Thread.sleep(10);
                next = rz.poll();
            }
            assertNotNull(next);
            assertSame(buffer, next.pixels(), "the released buffer is reused");
        }
    }

    @Test
    void spritesBlendSourceOverAtSubPixelPositions() {
        int[] dst = new int[16 * 16];
        java.util.Arrays.fill(dst, 0xFF204060);
        Sprite opaque = Sprite.square(2, new Color(10, 200, 30));
        opaque.stamp(dst, 16, 16, 5.25, 8.75);
        assertEquals(0xFF0AC81E, dst[8 * 16 + 5], "inside an opaque square: the fill colour");
        assertEquals(0xFF204060, dst[8 * 16 + 10], "outside: untouched");
        Sprite half = Sprite.square(3, new Color(255, 255, 255, 128));
        int[] one = {0xFF204060};
        int[] grid = new int[12 * 12];
        java.util.Arrays.fill(grid, one[0]);
        half.stamp(grid, 12, 12, 6, 6);
        // Premultiplied white at α = 128 over (32, 64, 96): c' = 128 + c·127/255.
        int expected = 0xFF000000 | (int) Math.round(128 + 32 * 127 / 255.0) << 16
                | (int) Math.round(128 + 64 * 127 / 255.0) << 8 | (int) Math.round(128 + 96 * 127 / 255.0);
        assertColor(expected, grid[6 * 12 + 6], 1, "translucent centre");
        // Stamps that fall partly or wholly outside are clipped, not errors.
        half.stamp(grid, 12, 12, -1.5, 11.7);
        half.stamp(grid, 12, 12, 400, -300);
        assertThrows(IllegalArgumentException.class, () -> Sprite.square(0, Color.BLACK));
    }

    @Test
    void badJobsAreRejectedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FieldRasterizer.Job(null, null,
                VIEW, 0, 10, 1, HEAT_ONLY, null));
        assertTrue(e.getMessage().contains("raster size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new FieldRasterizer.Job(null, null, VIEW, 10, 10, 0,
                HEAT_ONLY, null));
        assertTrue(e.getMessage().contains("render scale"), e.getMessage());
    }
}
