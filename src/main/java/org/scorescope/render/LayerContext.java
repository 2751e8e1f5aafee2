package org.scorescope.render;

import java.awt.Color;
import java.awt.image.BufferedImage;
import org.scorescope.field.Colormap;
import org.scorescope.field.FieldFrame;
import org.scorescope.field.ViewBox;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.SamplerRun;
import org.scorescope.worker.SpectraResult;

/**
 * What the layers of one picture draw: the target (logical size w × h drawn at {@code scale} device pixels per
 * logical pixel, and its device pixels for layers that write them directly), the visible square, the frame, the
 * fields, the glyphs and the switches; and what every layer derives the same way (dark or light background,
 * colormap, the colour of the true density). Immutable, made per picture by {@link FieldRenderer}.
 */
public final class LayerContext {
    private final BufferedImage image;
    private final int[] pixels;
    private final double scale;
    private final double w;
    private final double h;
    private final ViewBox view;
    private final FrameData frame;
    private final FieldFrame field;
    private final SpectraResult.Glyphs glyphs;
    private final ViewLayers shown;
    private final boolean dark;
    private final Colormap colormap;
    private final Color truthColor;
    private final SamplerRun.Frame sampler;

    /**
     * @param image  target, int ARGB premultiplied ({@link FieldRenderer#newImage})
     * @param scale  device pixels per logical pixel
     * @param w      width in logical pixels
     * @param h      height in logical pixels
     * @param view   the visible square
     * @param frame  the frame, or null (axes only)
     * @param field  the fields to draw (usually {@code frame.field()}), or null; ignored without a frame
     * @param glyphs local-Hessian glyphs, or null
     * @param shown  the switches
     */
    public LayerContext(BufferedImage image, double scale, double w, double h, ViewBox view, FrameData frame,
                        FieldFrame field, SpectraResult.Glyphs glyphs, ViewLayers shown) {
        this(image, scale, w, h, view, frame, field, glyphs, shown, null);
    }

    /**
     * @param image   target, int ARGB premultiplied ({@link FieldRenderer#newImage})
     * @param scale   device pixels per logical pixel
     * @param w       width in logical pixels
     * @param h       height in logical pixels
     * @param view    the visible square
     * @param frame   the frame, or null (axes only)
     * @param field   the fields to draw (usually {@code frame.field()}), or null; ignored without a frame
     * @param glyphs  local-Hessian glyphs, or null
     * @param shown   the switches
     * @param sampler an animated sampler run's newest frame, or null
     */
    public LayerContext(BufferedImage image, double scale, double w, double h, ViewBox view, FrameData frame,
                        FieldFrame field, SpectraResult.Glyphs glyphs, ViewLayers shown, SamplerRun.Frame sampler) {
        this.sampler = sampler;
        this.image = image;
        this.pixels = Sprite.pixels(image);
        this.scale = scale;
        this.w = w;
        this.h = h;
        this.view = view;
        this.frame = frame;
        this.field = frame == null ? null : field;
        this.glyphs = glyphs;
        this.shown = shown;
        this.dark = shown.has(ViewLayers.Switch.DENSITY) && this.field != null;
        this.colormap = this.field != null ? this.field.request().colormap() : Colormap.VIRIDIS;
        // Pink reads on viridis' blues and greens, cyan on magma's purples and oranges.
        this.truthColor = colormap == Colormap.MAGMA ? Draw.rgba(60, 220, 255, 0.85) : Draw.rgba(255, 70, 170, 0.85);
    }

    /** @return the animated sampler run's newest frame, or null */
    public SamplerRun.Frame sampler() {
        return sampler;
    }

    /** @return the target image */
    public BufferedImage image() {
        return image;
    }

    /** @return the target's device pixels, int ARGB premultiplied, row-major */
    public int[] pixels() {
        return pixels;
    }

    /** @return the target's width in device pixels */
    public int pixelWidth() {
        return image.getWidth();
    }

    /** @return the target's height in device pixels */
    public int pixelHeight() {
        return image.getHeight();
    }

    /** @return device pixels per logical pixel */
    public double scale() {
        return scale;
    }

    /** @return width in logical pixels */
    public double width() {
        return w;
    }

    /** @return height in logical pixels */
    public double height() {
        return h;
    }

    /** @return the visible square */
    public ViewBox view() {
        return view;
    }

    /** @return the frame, or null */
    public FrameData frame() {
        return frame;
    }

    /** @return the fields, or null (always null without a frame) */
    public FieldFrame field() {
        return field;
    }

    /** @return the local-Hessian glyphs, or null */
    public SpectraResult.Glyphs glyphs() {
        return glyphs;
    }

    /** @return the switches */
    public ViewLayers shown() {
        return shown;
    }

    /**
     * @param s a switch
     * @return whether it is on
     */
    public boolean has(ViewLayers.Switch s) {
        return shown.has(s);
    }

    /** @return whether the heat map is the background, so that lines and text are drawn light */
    public boolean dark() {
        return dark;
    }

    /** @return the heat map's colormap (viridis without fields) */
    public Colormap colormap() {
        return colormap;
    }

    /** @return the colour of the true density's lines over the heat map */
    public Color truthColor() {
        return truthColor;
    }

    /**
     * @return whether there is a reference density to draw: the frame's true density, or for a time-conditional
     *         model the perturbed p_t of the truth or of the data's KDE
     */
    public boolean hasTruth() {
        return frame != null && (frame.hasTruth() || field != null && field.noise() != null
                && field.noise().reference() != null);
    }

    /**
     * @return whether the score field is drawn as streamlines: switched on and traced (with none traced, the
     *         arrows stand in)
     */
    public boolean streamlinesDrawn() {
        return field != null && has(ViewLayers.Switch.FIELD) && has(ViewLayers.Switch.STREAMLINES)
                && !field.streamlines().isEmpty();
    }

    /** @return world x to logical screen x */
    double sx(double x) {
        return view.toScreenX(x, w, h);
    }

    /** @return world y to logical screen y */
    double sy(double y) {
        return view.toScreenY(y, w, h);
    }

    /**
     * Stamps one sprite at every point of {@code p} (interleaved world x, y), in device pixels.
     *
     * @param sprite the marker
     * @param p      interleaved world coordinates
     */
    void stampAll(Sprite sprite, double[] p) {
        int pw = pixelWidth();
        int ph = pixelHeight();
        for (int i = 0; i < p.length; i += 2) {
            sprite.stamp(pixels, pw, ph, sx(p[i]) * scale, sy(p[i + 1]) * scale);
        }
    }
}
