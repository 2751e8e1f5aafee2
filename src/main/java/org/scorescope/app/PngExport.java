package org.scorescope.app;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.scorescope.data.AtomicFiles;

/**
 * Exports the view as a PNG at a chosen pixel size: the frame's layers are drawn by the same Java2D
 * {@link FieldRenderer} as the screen, into a W × H image scaled by s = max(1, min(W/w, H/h)) (so lines
 * and labels keep their on-screen proportions at any resolution), then encoded and written (atomically),
 * all as a job of the view-model's file thread ({@link MainViewModel#fileJob}, the same mechanism as every
 * other file operation): the FX thread only takes the immutable frame.
 */
final class PngExport {
    private PngExport() {
    }

    /**
     * Renders and writes the PNG without glyphs; see {@link #export(MainViewModel, ViewBox, double, double,
     * FieldRenderer.Layers, SpectraResult.Glyphs, int, int, Path)}.
     */
    static CompletableFuture<String> export(MainViewModel vm, ViewBox view, double viewW, double viewH,
                                            FieldRenderer.Layers layers, int w, int h, Path file) {
        return export(vm, view, viewW, viewH, layers, null, w, h, file);
    }

    /**
     * Renders the view-model's newest frame and writes it as PNG on the file thread; the outcome goes to the
     * status bar (owner thread). Owner thread only.
     *
     * @param vm      the view-model (its latest frame is drawn)
     * @param view    the visible square
     * @param viewW   on-screen view width
     * @param viewH   on-screen view height
     * @param layers  the layers shown
     * @param glyphs  local-Hessian glyphs shown, or null
     * @param w       image width, pixels
     * @param h       image height, pixels
     * @param file    target file
     * @return completes on the owner thread with null on success, the error message otherwise
     * @throws IllegalArgumentException if a side is outside [1, 16384]
     */
    static CompletableFuture<String> export(MainViewModel vm, ViewBox view, double viewW, double viewH,
                                            FieldRenderer.Layers layers, SpectraResult.Glyphs glyphs, int w, int h,
                                            Path file) {
        checkSize(w, h);
        FrameData f = vm.frameProperty().get();
        String name = String.valueOf(file.getFileName());
        return vm.fileJob("Writing a " + w + " × " + h + " PNG to " + name + "…",
                () -> {
                    BufferedImage bi = render(f, view, viewW, viewH, layers, glyphs, w, h);
                    AtomicFiles.writeBytes(file, out -> {
                        if (!ImageIO.write(bi, "png", out)) {
                            throw new IOException("no PNG encoder available");
                        }
                    });
                    return file;
                },
                written -> {
                    vm.reportStatus("Wrote a " + w + " × " + h + " PNG to " + name);
                    return null;
                },
                e -> "Cannot write " + file + ": " + MainViewModel.reason(e));
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
     * @param w      image width, pixels
     * @param h      image height, pixels
     * @return an opaque RGB image
     */
    static BufferedImage render(FrameData f, ViewBox view, double viewW, double viewH, FieldRenderer.Layers layers,
                                SpectraResult.Glyphs glyphs, int w, int h) {
        checkSize(w, h);
        double s = Math.max(1, Math.min(w / Math.max(1, viewW), h / Math.max(1, viewH)));
        BufferedImage img = FieldRenderer.newImage(w, h);
        new FieldRenderer().render(img, s, w / s, h / s, view, f, layers, glyphs);
        // The picture is opaque, so its premultiplied pixels are plain RGB: the same array, read as RGB.
        return FieldRenderer.wrapOpaque(Sprite.pixels(img), w, h);
    }

    private static void checkSize(int w, int h) {
        if (w < 1 || h < 1 || w > 16384 || h > 16384) {
            throw new IllegalArgumentException("image size must be in [1, 16384] per side, got " + w + " × " + h);
        }
    }
}
