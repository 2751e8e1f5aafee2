package org.scorescope.render;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.List;
import java.util.Locale;
import org.scorescope.field.FieldFrame;
import org.scorescope.field.ViewBox;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.SamplerRun;
import org.scorescope.worker.SpectraResult;

/**
 * Draws one {@link FrameData} with Java2D onto an image at any size: the on-screen view (rasterized off the FX
 * thread by {@link FieldRasterizer}), PNG export and the headless {@code render} command share this code. It
 * holds a list of {@link Layer}s and draws, bottom to top, those that show something under the given
 * {@link ViewLayers}; the standard list is {@link #standardLayers()}. It uses only headless-safe Java2D (image
 * graphics, fonts, shapes; no AWT windows), so it runs on any thread, but one instance must be used by one
 * thread at a time (its layers keep scratch buffers).
 *
 * <p>World-to-screen mapping: {@link ViewBox#toScreenX}/{@link ViewBox#toScreenY} on a w × h surface in
 * logical pixels; a caller that renders at another resolution passes the scale and the layers draw scaled.
 */
public final class FieldRenderer {
    private final List<Layer> layers;
    private final Rectangle2D.Double rect = new Rectangle2D.Double();

    /** A renderer with the {@link #standardLayers() standard layers}. */
    public FieldRenderer() {
        this(standardLayers());
    }

    /**
     * A renderer with the given layers.
     *
     * @param layers bottom to top; the {@link Layer#moving() moving} ones last; owned by this renderer from now on
     * @throws IllegalArgumentException if a moving layer comes before a still one
     */
    public FieldRenderer(List<Layer> layers) {
        this.layers = List.copyOf(layers);
        boolean moving = false;
        for (Layer l : this.layers) {
            if (moving && !l.moving()) {
                throw new IllegalArgumentException("moving layers must come last, but " + l.name() + " follows one");
            }
            moving |= l.moving();
        }
    }

    /**
     * The layers of the field view, bottom to top, as new instances (layers keep scratch buffers, so every
     * renderer has its own): density heat map, grid and axes, true contours, model contours with labels, true
     * score arrows, streamlines or score arrows, data points, local-Hessian glyphs, colour bar and notes, and the
     * Langevin samples, which move every frame.
     *
     * @return the list
     */
    public static List<Layer> standardLayers() {
        return List.of(
                new DensityLayer(),
                new GridLayer(),
                new TrueContourLayer(),
                new ContourLayer(),
                ArrowLayer.truth(),
                new StreamlineLayer(),
                ArrowLayer.model(),
                new DataLayer(),
                new GlyphLayer(),
                new LegendLayer(),
                new SampleLayer(),
                new SamplerRunLayer());
    }

    /** @return this renderer's layers, bottom to top */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * Turns on the quality settings every layer relies on: antialiased shapes and text, pure strokes
     * (sub-pixel line positions, so 1-px grid lines at x + 0.5 stay crisp) and bilinear image scaling.
     *
     * @param g the graphics to configure
     */
    public static void configure(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    }

    /**
     * A new opaque-white-free (all zero) image in the pixel format every method here draws into: int
     * ARGB, premultiplied, backed by one int array.
     *
     * @param pw width in device pixels
     * @param ph height in device pixels
     * @return the image
     */
    public static BufferedImage newImage(int pw, int ph) {
        if (pw < 1 || ph < 1 || (long) pw * ph > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("image size must be positive and fit one array, got " + pw + " × " + ph);
        }
        return wrap(new int[pw * ph], pw, ph, true);
    }

    /**
     * Draws a whole frame: the still layers, then the moving ones. What PNG export and {@code render} use.
     *
     * @param img    target, int ARGB premultiplied ({@link #newImage}), at least ⌈w·scale⌉ × ⌈h·scale⌉
     * @param scale  device pixels per logical pixel
     * @param w      width in logical pixels
     * @param h      height in logical pixels
     * @param view   the visible square
     * @param f      the frame, or null (draws axes only)
     * @param shown  the switches
     * @param glyphs local-Hessian glyphs, or null
     * @param sampler an animated sampler run's newest frame (particles and paths), or null
     */
    public void render(BufferedImage img, double scale, double w, double h, ViewBox view, FrameData f, ViewLayers shown,
                       SpectraResult.Glyphs glyphs, SamplerRun.Frame sampler) {
        renderBase(img, scale, w, h, view, f, f == null ? null : f.field(), shown, glyphs);
        renderMoving(img, scale, w, h, view, f, shown, sampler);
    }

    /**
     * Draws the still layers: those that change only when the fields, the data, the view, the glyphs or the
     * switches change. The surface is filled first (opaque): the heat map's lowest colour under a heat map,
     * white otherwise.
     *
     * @param img    target, int ARGB premultiplied ({@link #newImage}), at least ⌈w·scale⌉ × ⌈h·scale⌉
     * @param scale  device pixels per logical pixel
     * @param w      width in logical pixels
     * @param h      height in logical pixels
     * @param view   the visible square
     * @param f      the frame (data, truth flag, sample count for the note), or null (draws axes only)
     * @param field  the fields to draw (usually {@code f.field()}; may be an older one), or null
     * @param shown  the switches
     * @param glyphs local-Hessian glyphs, or null
     */
    public void renderBase(BufferedImage img, double scale, double w, double h, ViewBox view, FrameData f,
                           FieldFrame field, ViewLayers shown, SpectraResult.Glyphs glyphs) {
        LayerContext c = new LayerContext(img, scale, w, h, view, f, field, glyphs, shown);
        Graphics2D g = img.createGraphics();
        try {
            configure(g);
            g.scale(scale, scale);
            g.setColor(c.dark() ? new Color(c.colormap().argb(0)) : Color.WHITE);
            rect.setRect(0, 0, w, h);
            g.fill(rect);
            if (w < 4 || h < 4) {
                return;
            }
            for (Layer l : layers) {
                if (!l.moving() && l.shows(c)) {
                    l.draw(g, c);
                }
            }
        } finally {
            g.dispose();
        }
    }

    /**
     * Draws the moving layers (the Langevin samples) over a picture of the still ones.
     *
     * @param img    target, int ARGB premultiplied ({@link #newImage})
     * @param scale  device pixels per logical pixel
     * @param w      width in logical pixels
     * @param h      height in logical pixels
     * @param view   the visible square
     * @param f      the frame, or null
     * @param shown  the switches
     */
    public void renderMoving(BufferedImage img, double scale, double w, double h, ViewBox view, FrameData f,
                             ViewLayers shown) {
        renderMoving(img, scale, w, h, view, f, shown, null);
    }

    /**
     * Draws the moving layers (the Langevin samples, an animated sampler run) over a picture of the still ones.
     *
     * @param img     target, int ARGB premultiplied ({@link #newImage})
     * @param scale   device pixels per logical pixel
     * @param w       width in logical pixels
     * @param h       height in logical pixels
     * @param view    the visible square
     * @param f       the frame, or null
     * @param shown   the switches
     * @param sampler the sampler run's newest frame, or null
     */
    public void renderMoving(BufferedImage img, double scale, double w, double h, ViewBox view, FrameData f,
                             ViewLayers shown, SamplerRun.Frame sampler) {
        LayerContext c = new LayerContext(img, scale, w, h, view, f, f == null ? null : f.field(), null, shown,
                sampler);
        Graphics2D g = null;
        try {
            for (Layer l : layers) {
                if (l.moving() && l.shows(c)) {
                    if (g == null) {
                        g = img.createGraphics();
                        configure(g);
                        g.scale(scale, scale);
                    }
                    l.draw(g, c);
                }
            }
        } finally {
            if (g != null) {
                g.dispose();
            }
        }
    }

    /**
     * Wraps packed ARGB pixels as a BufferedImage without copying them.
     *
     * @param argb          pixels, row-major, at least w·h
     * @param w             width
     * @param h             height
     * @param premultiplied whether the colour channels are premultiplied by alpha (TYPE_INT_ARGB_PRE)
     * @return an image that reads (and, if drawn into, writes) {@code argb}
     */
    public static BufferedImage wrap(int[] argb, int w, int h, boolean premultiplied) {
        if (argb.length < w * h) {
            throw new IllegalArgumentException("pixel array has " + argb.length + " entries, need " + w + " × " + h);
        }
        DirectColorModel cm = new DirectColorModel(java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB),
                32, 0x00FF0000, 0x0000FF00, 0x000000FF, 0xFF000000, premultiplied, java.awt.image.DataBuffer.TYPE_INT);
        WritableRaster raster = Raster.createPackedRaster(new DataBufferInt(argb, w * h), w, h, w,
                new int[] {0x00FF0000, 0x0000FF00, 0x000000FF, 0xFF000000}, null);
        return new BufferedImage(cm, raster, premultiplied, null);
    }

    /**
     * Wraps packed RGB pixels (the alpha byte is ignored) as an opaque TYPE_INT_RGB image without copying.
     *
     * @param rgb pixels, row-major, at least w·h
     * @param w   width
     * @param h   height
     * @return the image
     */
    public static BufferedImage wrapOpaque(int[] rgb, int w, int h) {
        if (rgb.length < w * h) {
            throw new IllegalArgumentException("pixel array has " + rgb.length + " entries, need " + w + " × " + h);
        }
        DirectColorModel cm = new DirectColorModel(24, 0x00FF0000, 0x0000FF00, 0x000000FF);
        WritableRaster raster = Raster.createPackedRaster(new DataBufferInt(rgb, w * h), w, h, w,
                new int[] {0x00FF0000, 0x0000FF00, 0x000000FF}, null);
        return new BufferedImage(cm, raster, false, null);
    }

    /**
     * A "nice" step (1, 2 or 5 times a power of ten) close to {@code raw}.
     *
     * @param raw the desired step, &gt; 0
     * @return the nice step
     */
    public static double niceStep(double raw) {
        if (!(raw > 0) || !Double.isFinite(raw)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double m = raw / p;
        return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
    }

    /**
     * @param v    tick value
     * @param step tick spacing
     * @return v with as many decimals as the step needs, "0" for values within rounding of zero
     */
    public static String tick(double v, double step) {
        if (Math.abs(v) < step * 1e-6) {
            return "0";
        }
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", v).replace('-', '−');
    }
}
