package org.scorescope.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.scorescope.field.Colormap;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.SamplerRun;

class ViewImageTest {
    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    /** The exported picture is what the screen shows: an animated sampler run's particles and paths included. */
    @Test
    void anExportedViewDrawsTheSamplerRunOnScreen() {
        FrameData f = RenderScenes.frame(false, Colormap.VIRIDIS);
        SamplerRun.Frame run = RenderScenes.sampler();
        int w = RenderScenes.W;
        int h = RenderScenes.H;
        int[] with = pixels(ViewImage.render(f, RenderScenes.VIEW, w, h, ViewLayers.standard(), null, run, w, h));
        int[] without = pixels(ViewImage.render(f, RenderScenes.VIEW, w, h, ViewLayers.standard(), null, null, w, h));
        assertFalse(Arrays.equals(with, without), "the sampler run is drawn");

        BufferedImage screen = FieldRenderer.newImage(w, h);
        FieldRenderer r = new FieldRenderer();
        r.renderBase(screen, 1, w, h, RenderScenes.VIEW, f, f.field(), ViewLayers.standard(), null);
        r.renderMoving(screen, 1, w, h, RenderScenes.VIEW, f, ViewLayers.standard(), run);
        assertArrayEquals(pixels(FieldRenderer.wrapOpaque(Sprite.pixels(screen), w, h)), with,
                "the same layers as the screen's base and moving passes");
    }
}
