package org.scorescope.app;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javafx.scene.control.ChoiceDialog;
import javafx.stage.Window;
import org.scorescope.field.ViewBox;
import org.scorescope.render.ViewImage;
import org.scorescope.render.ViewLayers;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.SamplerRun;
import org.scorescope.worker.SpectraResult;

/**
 * Exports the view as a PNG at a chosen pixel size ({@link ViewImage}: the same Java2D drawing as the
 * screen), rendered, encoded and written as a job of the view-model's file thread
 * ({@link MainViewModel#fileJob}, the same mechanism as every other file operation): the FX thread only
 * takes the immutable frame.
 */
final class PngExport {
    private PngExport() {
    }

    /**
     * Asks for the picture's size: as shown, twice that, or a fixed size. Owner thread only.
     *
     * @param w     the view's width on screen, pixels
     * @param h     the view's height on screen, pixels
     * @param owner the dialog's owner window
     * @return {width, height}, or null when cancelled
     */
    static int[] askSize(int w, int h, Window owner) {
        List<String> sizes = List.of("as shown (" + w + " × " + h + ")", "2× (" + 2 * w + " × " + 2 * h + ")",
                "1920 × 1080", "3840 × 2160", "2000 × 2000");
        ChoiceDialog<String> d = new ChoiceDialog<>(sizes.get(1), sizes);
        d.setTitle("Export PNG");
        d.setHeaderText("Render the view at which size?");
        d.initOwner(owner);
        String choice = d.showAndWait().orElse(null);
        if (choice == null) {
            return null;
        }
        return switch (sizes.indexOf(choice)) {
            case 0 -> new int[] {w, h};
            case 1 -> new int[] {2 * w, 2 * h};
            case 2 -> new int[] {1920, 1080};
            case 3 -> new int[] {3840, 2160};
            default -> new int[] {2000, 2000};
        };
    }

    /**
     * Renders and writes the PNG without glyphs or a sampler run; see {@link #export(MainViewModel, ViewBox, double,
     * double, ViewLayers, SpectraResult.Glyphs, SamplerRun.Frame, int, int, Path)}.
     */
    static CompletableFuture<String> export(MainViewModel vm, ViewBox view, double viewW, double viewH,
                                            ViewLayers layers, int w, int h, Path file) {
        return export(vm, view, viewW, viewH, layers, null, null, w, h, file);
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
     * @param sampler the sampler run's frame shown, or null
     * @param w       image width, pixels
     * @param h       image height, pixels
     * @param file    target file
     * @return completes on the owner thread with null on success, the error message otherwise
     * @throws IllegalArgumentException if a side is outside [1, 16384]
     */
    static CompletableFuture<String> export(MainViewModel vm, ViewBox view, double viewW, double viewH,
                                            ViewLayers layers, SpectraResult.Glyphs glyphs,
                                            SamplerRun.Frame sampler, int w, int h, Path file) {
        ViewImage.checkSize(w, h);
        FrameData f = vm.frameProperty().get();
        String name = String.valueOf(file.getFileName());
        return vm.files().fileJob("Writing a " + w + " × " + h + " PNG to " + name + "…",
                () -> {
                    BufferedImage bi = ViewImage.render(f, view, viewW, viewH, layers, glyphs, sampler, w, h);
                    ViewImage.writePng(bi, file);
                    return file;
                },
                written -> {
                    vm.reportStatus("Wrote a " + w + " × " + h + " PNG to " + name);
                    return null;
                },
                e -> "Cannot write " + file + ": " + FilesViewModel.reason(e));
    }
}
