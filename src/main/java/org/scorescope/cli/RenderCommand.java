package org.scorescope.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.scorescope.field.Colormap;
import org.scorescope.field.FieldRequest;
import org.scorescope.field.ViewBox;
import org.scorescope.model.ModelState;
import org.scorescope.render.ViewImage;
import org.scorescope.render.ViewLayers;
import org.scorescope.train.SessionFile;
import org.scorescope.train.TrainingConfig;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.StillFrame;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code scorescope render}: draws the field view of a session as a PNG with the same layers and look as the
 * app (heat map, contours, true density, score arrows or streamlines, data, settled Langevin samples, colour
 * bar and notes), over the dataset's default view, with no display: Java2D into an image, headless.
 */
@Command(name = "render", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw the field view of a session as PNG, as the app shows it (no display needed).")
public final class RenderCommand implements Callable<Integer> {
    private static final double STEP_SIZE = 0.01;
    private static final double ARROW_SPACING = 30;

    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--session", required = true, paramLabel = "S.scorescope",
            description = "Session file (a bare model file opens as a session too).")
    Path session;
    @Option(names = "--out", required = true, paramLabel = "PNG", description = "Output image.")
    Path out;
    @Option(names = "--width", description = "Image width, pixels (default ${DEFAULT-VALUE}).")
    int width = 800;
    @Option(names = "--height", description = "Image height, pixels (default ${DEFAULT-VALUE}).")
    int height = 600;
    @Option(names = "--streamlines", description = "Draw the score as streamlines instead of arrows.")
    boolean streamlines;
    @Option(names = "--colormap", paramLabel = "NAME", description = "viridis or magma (default ${DEFAULT-VALUE}).")
    String colormap = "viridis";
    // The defaults below are the app's: its view options, and its samples some 4 s after a session opens
    // (400 particles, ε = 0.01, 240 frames of 2 steps).
    @Option(names = "--resolution", description = "Grid nodes along the longer side, 8..400 (default ${DEFAULT-VALUE}).")
    int resolution = 64;
    @Option(names = "--contours", description = "Number of contour levels, 0..40 (default ${DEFAULT-VALUE}).")
    int contours = 8;
    @Option(names = "--range", description = "Log-density range shown, nats (default ${DEFAULT-VALUE}).")
    double rangeNats = 10;
    @Option(names = "--samples", description = "Langevin samples to draw, 0 for none (default ${DEFAULT-VALUE}).")
    int samples = 400;
    @Option(names = "--sample-steps", description = "Langevin steps from a uniform start (default ${DEFAULT-VALUE}).")
    int sampleSteps = 480;

    /** What the command needs from a session file. */
    private record Opened(TrainingConfig config, double[][] points, ModelState model, long step) {
    }

    @Override
    public Integer call() throws Exception {
        // Before any AWT class loads: no display is needed or looked for.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        try {
            ViewImage.checkSize(width, height);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--width and --height must be in [1, 16384]");
        }
        if (samples < 0 || samples > 20_000 || sampleSteps < 0) {
            throw new ParameterException(spec.commandLine(), "--samples must be in [0, 20000] and --sample-steps ≥ 0");
        }
        Colormap cmap = switch (colormap.toLowerCase(Locale.ROOT)) {
            case "viridis" -> Colormap.VIRIDIS;
            case "magma" -> Colormap.MAGMA;
            default -> throw new ParameterException(spec.commandLine(), "--colormap must be viridis or magma, got "
                    + colormap);
        };
        Opened s = open(session);
        ViewBox view = ViewBox.of(s.config().data().dataset().defaultBox());
        double[] r = view.visible(width, height);
        FieldRequest request;
        try {
            request = new FieldRequest(new FieldRequest.Area(r[0], r[1], r[2], r[3]),
                    new FieldRequest.Canvas(width, height),
                    new FieldRequest.Options(resolution, contours, rangeNats, streamlines, ARROW_SPACING, cmap));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        FrameData f = StillFrame.of(s.config(), s.points(), s.model(), s.step(), request, samples, STEP_SIZE,
                sampleSteps);
        ViewLayers shown = ViewLayers.standard().with(ViewLayers.Switch.STREAMLINES, streamlines)
                .with(ViewLayers.Switch.SAMPLES, samples > 0);
        BufferedImage img = ViewImage.render(f, view, width, height, shown, null, null, width, height);
        ViewImage.writePng(img, out);
        if (!f.message().isEmpty()) {
            spec.commandLine().getErr().println("note: " + f.message());
        }
        spec.commandLine().getOut().println("wrote " + width + "x" + height + " " + out);
        return 0;
    }

    /** The one place that reads a session file. */
    private static Opened open(Path file) throws IOException {
        SessionFile.Session s = SessionFile.read(file);
        return new Opened(s.config(), s.points(), s.model(), s.step());
    }
}
