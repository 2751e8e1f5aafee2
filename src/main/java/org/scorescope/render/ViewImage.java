package org.scorescope.render;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.scorescope.data.AtomicFiles;
import org.scorescope.field.ViewBox;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.SamplerRun;
import org.scorescope.worker.SpectraResult;

/**
 * The field view as a picture of a chosen pixel size, drawn by the same Java2D {@link FieldRenderer} as the
 * screen into a W × H image scaled by s = max(1, min(W/w, H/h)), so lines and labels keep their on-screen
 * proportions at any resolution; and its PNG encoding. Used by the app's PNG export and the headless
 * {@code render} command; any thread.
 */
public final class ViewImage {
    private ViewImage() {
    }

    /**
     * Draws a frame at w × h pixels (any thread).
     *
     * @param f      the frame, or null (axes only)
     * @param view   the visible square
     * @param viewW  on-screen view width (sets the scale of lines and text)
     * @param viewH  on-screen view height
     * @param layers what to draw
     * @param glyphs local-Hessian glyphs, or null
     * @param sampler an animated sampler run's newest frame, or null
     * @param w      image width, pixels
     * @param h      image height, pixels
     * @return an opaque RGB image
     * @throws IllegalArgumentException if a side is outside [1, 16384]
     */
    public static BufferedImage render(FrameData f, ViewBox view, double viewW, double viewH,
                                       ViewLayers layers, SpectraResult.Glyphs glyphs, SamplerRun.Frame sampler,
                                       int w, int h) {
        checkSize(w, h);
        double s = Math.max(1, Math.min(w / Math.max(1, viewW), h / Math.max(1, viewH)));
        BufferedImage img = FieldRenderer.newImage(w, h);
        new FieldRenderer().render(img, s, w / s, h / s, view, f, layers, glyphs, sampler);
        // The picture is opaque, so its premultiplied pixels are plain RGB: the same array, read as RGB.
        return FieldRenderer.wrapOpaque(Sprite.pixels(img), w, h);
    }

    /**
     * Encodes an image as PNG and writes it atomically (a reader never sees half a file).
     *
     * @param img  the picture
     * @param file target file
     * @throws IOException if writing fails or no PNG encoder is available
     */
    public static void writePng(BufferedImage img, Path file) throws IOException {
        AtomicFiles.writeBytes(file, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG encoder available");
            }
        });
    }

    /**
     * @param w image width, pixels
     * @param h image height, pixels
     * @throws IllegalArgumentException if a side is outside [1, 16384]
     */
    public static void checkSize(int w, int h) {
        if (w < 1 || h < 1 || w > 16384 || h > 16384) {
            throw new IllegalArgumentException("image size must be in [1, 16384] per side, got " + w + " × " + h);
        }
    }
}
