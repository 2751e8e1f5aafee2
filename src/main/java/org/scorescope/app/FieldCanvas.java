package org.scorescope.app;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;
import javafx.scene.transform.Affine;
import javafx.stage.Window;
import org.scorescope.field.FieldFrame;
import org.scorescope.field.ViewBox;
import org.scorescope.render.FieldRasterizer;
import org.scorescope.render.ViewLayers;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.SamplerRun;
import org.scorescope.worker.SpectraResult;

/**
 * The central view. The picture is rasterized off the FX thread by a {@link FieldRasterizer} (Java2D
 * into a pixel buffer); on the FX thread this region only decides when a new picture is needed, copies
 * a finished one into an image shown by an {@link ImageView}, and maps it into place.
 *
 * <p>Pan and zoom stay immediate: until the picture for the new view arrives, the last one is shown
 * through the affine map from its view V₀ to the current view V₁, x₁ = a·x₀ + t with a = k₁/k₀ (k the
 * pixels per world unit) and t = (w₁/2 + (c₀ₓ − c₁ₓ)k₁ − a·w₀/2, h₁/2 − (c₀ᵧ − c₁ᵧ)k₁ − a·h₀/2).
 *
 * <p>When pictures are asked for: at once when the view, the size, the layers, the data or the glyphs
 * change; for new fields of the same view (training) at most every {@value #FIELD_INTERVAL_MS} ms; for
 * moving samples alone at most every {@value #SAMPLES_INTERVAL_MS} ms (then only the samples are redrawn
 * over the cached base layers).
 */
public class FieldCanvas extends Region {
    /** Shortest time between two pictures that differ only by newer fields of the same view. */
    static final long FIELD_INTERVAL_MS = 150;
    /** Shortest time between two pictures that differ only by the Langevin samples (about 30 Hz). */
    static final long SAMPLES_INTERVAL_MS = 33;

    private final ImageView imageView = new ImageView();
    private final Affine place = new Affine();
    private final Rectangle clip = new Rectangle();
    /**
     * White under a panned or zoomed picture, hidden while the picture covers the view. A shape rather than
     * a CSS background: Prism's software pipeline fills it as a plain rectangle, where it draws a Region's
     * background as a stretched cached image, and the view's ancestors carry no background (main.css).
     */
    private final Rectangle backdrop = new Rectangle();
    private final FieldRasterizer rasterizer = new FieldRasterizer();
    private WritableImage image;
    private PixelBuffer<IntBuffer> pixels;
    private FieldRasterizer.Job shown;
    private FieldRasterizer.Job submitted;
    private long submittedAt;
    private long fieldSubmittedAt;
    private boolean forced = true;
    private ViewBox view = new ViewBox(0, 0, 4);
    private FrameData frame;
    private ViewLayers layers = ViewLayers.standard();
    private SpectraResult.Glyphs glyphs;
    private SamplerRun.Frame sampler;
    private long uploads;

    /** Creates the view and its renderer thread; the layout gives it its size. */
    public FieldCanvas() {
        imageView.setPreserveRatio(false);
        imageView.setMouseTransparent(true);
        imageView.getTransforms().add(place);
        backdrop.setFill(Color.WHITE);
        backdrop.setMouseTransparent(true);
        backdrop.widthProperty().bind(widthProperty());
        backdrop.heightProperty().bind(heightProperty());
        getChildren().addAll(backdrop, imageView);
        clip.widthProperty().bind(widthProperty());
        clip.heightProperty().bind(heightProperty());
        setClip(clip);
        widthProperty().addListener(o -> markDirty());
        heightProperty().addListener(o -> markDirty());
    }

    /** The image is placed by its transform, not by the layout. */
    @Override
    protected void layoutChildren() {
        imageView.relocate(0, 0);
    }

    /** @return the preferred width, 400 px */
    @Override
    protected double computePrefWidth(double height) {
        return 400;
    }

    /** @return the preferred height, 400 px */
    @Override
    protected double computePrefHeight(double width) {
        return 400;
    }

    /** @return 1: the view can shrink to nothing */
    @Override
    protected double computeMinWidth(double height) {
        return 1;
    }

    /** @return 1: the view can shrink to nothing */
    @Override
    protected double computeMinHeight(double width) {
        return 1;
    }

    /** @param v the visible square (the shown picture follows at once; a new one is asked for on the next frame) */
    public void setView(ViewBox v) {
        view = v;
        place();
    }

    /** @return the visible square */
    public ViewBox view() {
        return view;
    }

    /** @param f the newest frame; a picture is asked for when something drawn changed */
    public void setFrame(FrameData f) {
        frame = f;
    }

    /** @param l the layers to draw */
    public void setLayers(ViewLayers l) {
        layers = l;
    }

    /** @param g local-Hessian glyphs to draw over the field, or null for none */
    public void setGlyphs(SpectraResult.Glyphs g) {
        glyphs = g;
    }

    /** @param f an animated sampler run's newest frame to draw over the field, or null for none */
    public void setSampler(SamplerRun.Frame f) {
        sampler = f;
    }

    /** @return the sampler run's frame drawn, or null */
    public SamplerRun.Frame sampler() {
        return sampler;
    }

    /** @return the glyphs drawn, or null */
    public SpectraResult.Glyphs glyphs() {
        return glyphs;
    }

    /** Asks for a new picture on the next animation frame even if nothing drawn changed. */
    public void markDirty() {
        forced = true;
    }

    /**
     * Per animation frame (FX thread): asks the renderer for a new picture if one is due, and shows the
     * newest finished picture, if any.
     *
     * @return true if a picture with freshly painted base layers was shown (a heavier frame: others may
     *         piggyback on it)
     */
    public boolean drawIfDirty() {
        long now = System.nanoTime();
        int w = (int) drawnWidth();
        int h = (int) drawnHeight();
        double scale = renderScale();
        FieldFrame want = frame == null ? null : frame.field();
        FieldFrame field = want;
        if (!forced && submitted != null && want != submitted.field() && submitted.field() != null && want != null
                && now - fieldSubmittedAt < FIELD_INTERVAL_MS * 1_000_000L) {
            // Newer fields of the same view arrive up to ~12 times a second while training: keep the old ones
            // unless something else needs a new base anyway.
            FieldRasterizer.Job same = new FieldRasterizer.Job(frame, submitted.field(), view, w, h, scale, layers, glyphs,
                    sampler);
            if (same.sameBase(submitted)) {
                field = submitted.field();
            }
        }
        FieldRasterizer.Job job = new FieldRasterizer.Job(frame, field, view, w, h, scale, layers, glyphs, sampler);
        boolean newBase = !job.sameBase(submitted);
        boolean newSamples = submitted != null && (sampler != submitted.sampler() || layers.has(ViewLayers.Switch.SAMPLES)
                && frame != null && submitted.frame() != null && frame.samples() != submitted.frame().samples());
        if (forced || newBase || (newSamples && now - submittedAt >= SAMPLES_INTERVAL_MS * 1_000_000L)) {
            forced = false;
            if (submitted == null || field != submitted.field()) {
                fieldSubmittedAt = now;
            }
            submitted = job;
            submittedAt = now;
            rasterizer.submit(job);
        }
        FieldRasterizer.Raster r = rasterizer.poll();
        if (r == null) {
            return false;
        }
        show(r);
        rasterizer.release(r);
        return r.baseMillis() > 0;
    }

    /** Copies a finished picture into the shown image (one memory copy) and maps it to the current view. */
    private void show(FieldRasterizer.Raster r) {
        int pw = r.pixelWidth();
        int ph = r.pixelHeight();
        if (image == null || (int) image.getWidth() != pw || (int) image.getHeight() != ph) {
            IntBuffer buf = ByteBuffer.allocateDirect(4 * pw * ph).order(ByteOrder.nativeOrder()).asIntBuffer();
            pixels = new PixelBuffer<>(pw, ph, buf, PixelFormat.getIntArgbPreInstance());
            image = new WritableImage(pixels);
            imageView.setImage(image);
        }
        int[] src = r.pixels();
        pixels.updateBuffer(pb -> {
            IntBuffer b = pb.getBuffer();
            b.clear();
            b.put(src, 0, pw * ph);
            b.clear();
            return null;
        });
        FieldRasterizer.Job j = r.job();
        imageView.setFitWidth(pw / j.scale());
        imageView.setFitHeight(ph / j.scale());
        shown = j;
        uploads++;
        place();
    }

    /** Maps the shown picture (drawn for its own view and size) onto the current view and size. */
    private void place() {
        if (shown == null) {
            return;
        }
        double w1 = drawnWidth();
        double h1 = drawnHeight();
        double[] m = placement(shown.view(), shown.width(), shown.height(), view, w1, h1);
        double a = m[0];
        double tx = m[1];
        double ty = m[2];
        if (place.getMxx() != a || place.getMyy() != a || place.getTx() != tx || place.getTy() != ty) {
            place.setToTransform(a, 0, tx, 0, a, ty);
        }
        // A picture shown 1:1 over the whole view needs neither the backdrop nor filtering (each costs the
        // software pipeline a few ms per update); a panned or zoomed one needs both.
        boolean covers = coversView(a, tx, ty, shown.width(), shown.height(), w1, h1);
        backdrop.setVisible(!covers);
        imageView.setSmooth(!covers);
    }

    /**
     * Whether a w₀ × h₀ picture placed by p ↦ a·p + (tx, ty) is unscaled and covers the w₁ × h₁ view.
     */
    static boolean coversView(double a, double tx, double ty, double w0, double h0, double w1, double h1) {
        return a == 1 && tx == 0 && ty == 0 && w0 >= w1 && h0 >= h1;
    }

    /**
     * The map that carries a picture drawn for view V₀ on a w₀ × h₀ surface onto view V₁ on a w₁ × h₁
     * surface: screen point p₀ goes to a·p₀ + (tx, ty), with a = k₁/k₀ and
     * tx = w₁/2 + (c₀ₓ − c₁ₓ)k₁ − a·w₀/2, ty = h₁/2 − (c₀ᵧ − c₁ᵧ)k₁ − a·h₀/2, so that every world point
     * lands where V₁ draws it.
     *
     * @return {a, tx, ty}
     */
    static double[] placement(ViewBox v0, double w0, double h0, ViewBox v1, double w1, double h1) {
        double k0 = v0.scale(w0, h0);
        double k1 = v1.scale(w1, h1);
        double a = k1 / k0;
        return new double[] {a, 0.5 * w1 + (v0.cx() - v1.cx()) * k1 - a * 0.5 * w0,
            0.5 * h1 - (v0.cy() - v1.cy()) * k1 - a * 0.5 * h0};
    }

    /** @return device pixels per layout pixel of the window showing this view (1 when unknown) */
    private double renderScale() {
        Window win = getScene() == null ? null : getScene().getWindow();
        double s = win == null ? 1 : win.getOutputScaleX();
        return s >= 1 && s <= 8 ? s : 1;
    }

    /** Stops the renderer thread (the window is closing). */
    public void dispose() {
        rasterizer.close();
    }

    /** @return how many pictures were shown */
    public long shownCount() {
        return uploads;
    }

    /** @return the renderer's counters and mean costs, one line */
    public String rasterSummary() {
        return rasterizer.summary() + ", shown=" + uploads;
    }

    /** @return world x under screen x */
    public double toWorldX(double sx) {
        return view.toWorldX(sx, drawnWidth(), drawnHeight());
    }

    /** @return world y under screen y */
    public double toWorldY(double sy) {
        return view.toWorldY(sy, drawnWidth(), drawnHeight());
    }

    /** @return pixels per world unit */
    public double scale() {
        return view.scale(drawnWidth(), drawnHeight());
    }

    /** @return the width pictures are drawn at: whole pixels, at least 1 */
    private double drawnWidth() {
        return Math.max(1, Math.floor(getWidth()));
    }

    /** @return the height pictures are drawn at: whole pixels, at least 1 */
    private double drawnHeight() {
        return Math.max(1, Math.floor(getHeight()));
    }

    /** @return the layers drawn */
    public ViewLayers layers() {
        return layers;
    }

    /** @return the newest frame handed to the view (its picture may still be on its way) */
    public FrameData frame() {
        return frame;
    }

    /** @return the frame of the picture on screen now, or null before the first */
    public FrameData shownFrame() {
        return shown == null ? null : shown.frame();
    }

    /** @return the glyphs of the picture on screen now, or null */
    public SpectraResult.Glyphs shownGlyphs() {
        return shown == null ? null : shown.glyphs();
    }

    /** @return the fields of the picture on screen now, or null */
    public FieldFrame shownField() {
        return shown == null ? null : shown.field();
    }
}
