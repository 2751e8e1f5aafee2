package org.scorescope.app;

import javafx.scene.canvas.Canvas;
import javafx.scene.layout.Region;

/**
 * The central drawing surface: two stacked canvases that take whatever size the parent gives them.
 * The base canvas holds the layers that change a few times a second (heat map, contours, field,
 * data, legend); the top canvas holds only the Langevin samples, which move every frame. Each is
 * redrawn only when its own inputs changed, so a frame in which only the samples moved rasterizes
 * a few hundred sprites instead of the whole picture.
 */
public class FieldCanvas extends Region {
    private final Canvas base = new Canvas(1, 1);
    private final Canvas top = new Canvas(1, 1);
    private final FieldRenderer renderer = new FieldRenderer();
    private ViewBox view = new ViewBox(0, 0, 4);
    private FrameData frame;
    private FieldRenderer.Layers layers = new FieldRenderer.Layers(true, true, MainViewModel.FieldStyle.ARROWS,
            true, true, true, true, true);
    private boolean baseDirty = true;
    private boolean topDirty = true;
    private boolean topForced = true;
    private boolean fieldPending;
    private long baseDrawnAt;
    /** While training, new fields arrive up to ~12 times a second; a full base redraw at most 2.5 times (each one is a costly frame in a software pipeline). */
    private static final long FIELD_INTERVAL_NANOS = 400_000_000L;
    private SpectraResult.Glyphs glyphs;
    private FieldFrame drawnField;
    private long drawnData = -1;
    private int drawnSampleCount = -1;
    private double[] drawnSamples;
    private long baseDraws;
    private long topDrawnAt;
    /** The samples move every frame; redrawing them at most 30 times a second halves the compositing load. */
    private static final long TOP_INTERVAL_NANOS = 33_000_000L;

    /** Creates the surface; the layout gives it its size. */
    public FieldCanvas() {
        getChildren().addAll(base, top);
        top.setMouseTransparent(true);
        widthProperty().addListener(o -> markDirty());
        heightProperty().addListener(o -> markDirty());
    }

    /** Sizes both canvases to the region (whole pixels) and marks them for a redraw. */
    @Override
    protected void layoutChildren() {
        double w = Math.max(1, Math.floor(getWidth()));
        double h = Math.max(1, Math.floor(getHeight()));
        for (Canvas c : new Canvas[] {base, top}) {
            if (c.getWidth() != w || c.getHeight() != h) {
                c.setWidth(w);
                c.setHeight(h);
                markDirty();
            }
        }
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

    /** @param v the visible square (redraws on the next frame) */
    public void setView(ViewBox v) {
        view = v;
        markDirty();
    }

    /** @return the visible square */
    public ViewBox view() {
        return view;
    }

    /** @param f the newest frame; only the layers whose inputs changed are redrawn */
    public void setFrame(FrameData f) {
        frame = f;
        int sampleCount = f == null ? -1 : f.samples().length;
        if (f == null || f.dataVersion() != drawnData || sampleCount != drawnSampleCount) {
            baseDirty = true;
        } else if (f.field() != drawnField) {
            // New fields of the same view (training): redrawn at most a few times a second.
            fieldPending = true;
        }
        if (f == null || f.samples() != drawnSamples) {
            topDirty = true;
        }
    }

    /** @param l the layers to draw */
    public void setLayers(FieldRenderer.Layers l) {
        layers = l;
        markDirty();
    }

    /** @param g local-Hessian glyphs to draw over the field on the top layer, or null for none */
    public void setGlyphs(SpectraResult.Glyphs g) {
        if (g != glyphs) {
            glyphs = g;
            topDirty = true;
            topForced = true;
        }
    }

    /** @return the glyphs drawn, or null */
    public SpectraResult.Glyphs glyphs() {
        return glyphs;
    }

    /** Asks for a full redraw on the next animation frame. */
    public void markDirty() {
        baseDirty = true;
        topDirty = true;
        topForced = true;
    }

    /**
     * Redraws the layers whose inputs changed since the last draw.
     *
     * @return true if the base layers were redrawn (a heavy frame: others may piggyback on it)
     */
    public boolean drawIfDirty() {
        double w = base.getWidth();
        double h = base.getHeight();
        long t = System.nanoTime();
        if (fieldPending && t - baseDrawnAt >= FIELD_INTERVAL_NANOS) {
            baseDirty = true;
        }
        boolean drewBase = baseDirty;
        if (baseDirty) {
            baseDirty = false;
            fieldPending = false;
            baseDrawnAt = t;
            baseDraws++;
            drawnField = frame == null ? null : frame.field();
            drawnData = frame == null ? -1 : frame.dataVersion();
            drawnSampleCount = frame == null ? -1 : frame.samples().length;
            renderer.renderBase(base.getGraphicsContext2D(), w, h, view, frame, layers);
        }
        long now = System.nanoTime();
        boolean samplesOnly = frame != null && drawnSamples != null && frame.samples() != drawnSamples
                && frame.samples().length == drawnSamples.length;
        if (topDirty && (topForced || !samplesOnly || now - topDrawnAt >= TOP_INTERVAL_NANOS)) {
            topDirty = false;
            topForced = false;
            topDrawnAt = now;
            drawnSamples = frame == null ? null : frame.samples();
            top.getGraphicsContext2D().clearRect(0, 0, w, h);
            renderer.renderGlyphs(top.getGraphicsContext2D(), w, h, view, glyphs);
            renderer.renderSamples(top.getGraphicsContext2D(), w, h, view, frame, layers);
        }
        return drewBase;
    }

    /** @return how many times the base layers were drawn */
    public long baseDrawCount() {
        return baseDraws;
    }

    /** @return world x under screen x */
    public double toWorldX(double sx) {
        return view.toWorldX(sx, base.getWidth(), base.getHeight());
    }

    /** @return world y under screen y */
    public double toWorldY(double sy) {
        return view.toWorldY(sy, base.getWidth(), base.getHeight());
    }

    /** @return pixels per world unit */
    public double scale() {
        return view.scale(base.getWidth(), base.getHeight());
    }

    /** @return the layers drawn */
    public FieldRenderer.Layers layers() {
        return layers;
    }

    /** @return the frame drawn */
    public FrameData frame() {
        return frame;
    }
}
