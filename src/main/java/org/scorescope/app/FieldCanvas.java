package org.scorescope.app;

import javafx.scene.canvas.Canvas;

/**
 * The central drawing surface: a Canvas that takes whatever size its parent gives it and draws the
 * newest frame through a {@link FieldRenderer}. It redraws only when told something changed
 * ({@link #markDirty()}): a new frame, a view or layer change, a resize.
 */
public class FieldCanvas extends Canvas {
    private final FieldRenderer renderer = new FieldRenderer();
    private ViewBox view = new ViewBox(0, 0, 4);
    private FrameData frame;
    private FieldRenderer.Layers layers = new FieldRenderer.Layers(true, true, MainViewModel.FieldStyle.ARROWS,
            true, true, true, true, true);
    private boolean dirty = true;
    private long draws;

    /** Creates a 1 × 1 canvas; the layout gives it its size. */
    public FieldCanvas() {
        super(1, 1);
        widthProperty().addListener(o -> dirty = true);
        heightProperty().addListener(o -> dirty = true);
    }

    @Override
    public boolean isResizable() {
        return true;
    }

    @Override
    public double minWidth(double height) {
        return 1;
    }

    @Override
    public double minHeight(double width) {
        return 1;
    }

    @Override
    public double prefWidth(double height) {
        return 400;
    }

    @Override
    public double prefHeight(double width) {
        return 400;
    }

    @Override
    public double maxWidth(double height) {
        return Double.MAX_VALUE;
    }

    @Override
    public double maxHeight(double width) {
        return Double.MAX_VALUE;
    }

    @Override
    public void resize(double width, double height) {
        setWidth(width);
        setHeight(height);
    }

    /** @param v the visible square (redraws on the next frame) */
    public void setView(ViewBox v) {
        view = v;
        dirty = true;
    }

    /** @return the visible square */
    public ViewBox view() {
        return view;
    }

    /** @param f the frame to draw */
    public void setFrame(FrameData f) {
        frame = f;
        dirty = true;
    }

    /** @param l the layers to draw */
    public void setLayers(FieldRenderer.Layers l) {
        layers = l;
        dirty = true;
    }

    /** Asks for a redraw on the next animation frame. */
    public void markDirty() {
        dirty = true;
    }

    /** Draws if anything changed since the last draw. */
    public void drawIfDirty() {
        if (dirty) {
            dirty = false;
            draws++;
            renderer.render(getGraphicsContext2D(), getWidth(), getHeight(), view, frame, layers);
        }
    }

    /** @return how many times the canvas was drawn */
    public long drawCount() {
        return draws;
    }

    /** @return world x under screen x */
    public double toWorldX(double sx) {
        return view.toWorldX(sx, getWidth(), getHeight());
    }

    /** @return world y under screen y */
    public double toWorldY(double sy) {
        return view.toWorldY(sy, getWidth(), getHeight());
    }

    /** @return pixels per world unit */
    public double scale() {
        return view.scale(getWidth(), getHeight());
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
