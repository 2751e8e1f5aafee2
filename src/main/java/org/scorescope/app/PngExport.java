package org.scorescope.app;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;
import org.scorescope.data.AtomicFiles;

/**
 * Exports the view as a PNG at a chosen pixel size: the frame's layers are drawn by the same
 * {@link FieldRenderer} into an offscreen canvas scaled by s = min(W/w, H/h) (so lines and labels
 * keep their on-screen proportions at any resolution), snapshotted on the FX thread, and encoded and
 * written (atomically) on a background thread.
 */
final class PngExport {
    private PngExport() {
    }

    /**
     * Renders and writes the PNG; reports the outcome in the status bar or through {@code onError}.
     *
     * @param vm      the view-model (its latest frame is drawn)
     * @param view    the visible square
     * @param viewW   on-screen canvas width
     * @param viewH   on-screen canvas height
     * @param layers  the layers shown
     * @param w       image width, pixels
     * @param h       image height, pixels
     * @param file    target file
     * @param onError receives an error message (on the FX thread)
     */
    static void export(MainViewModel vm, ViewBox view, double viewW, double viewH, FieldRenderer.Layers layers,
                       int w, int h, Path file, Consumer<String> onError) {
        FrameData f = vm.frameProperty().get();
        WritableImage img = render(f, view, viewW, viewH, layers, w, h);
        BufferedImage bi = SwingFXUtils.fromFXImage(img, null);
        Thread t = new Thread(() -> {
            try {
                AtomicFiles.writeBytes(file, out -> {
                    if (!ImageIO.write(bi, "png", out)) {
                        throw new IOException("no PNG encoder available");
                    }
                });
                Platform.runLater(() -> vm.reportStatus("Wrote a " + w + " × " + h + " PNG to " + file.getFileName()));
            } catch (IOException | RuntimeException e) {
                Platform.runLater(() -> onError.accept("Cannot write " + file + ": " + e.getMessage()));
            }
        }, "scorescope-png");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Draws a frame offscreen at w × h pixels (FX thread).
     *
     * @return the snapshot
     */
    static WritableImage render(FrameData f, ViewBox view, double viewW, double viewH, FieldRenderer.Layers layers,
                                int w, int h) {
        if (w < 1 || h < 1 || w > 16384 || h > 16384) {
            throw new IllegalArgumentException("image size must be in [1, 16384] per side, got " + w + " × " + h);
        }
        double s = Math.max(1, Math.min(w / Math.max(1, viewW), h / Math.max(1, viewH)));
        Canvas c = new Canvas(w, h);
        GraphicsContext g = c.getGraphicsContext2D();
        g.scale(s, s);
        new FieldRenderer().render(g, w / s, h / s, view, f, layers);
        return c.snapshot(null, null);
    }
}
