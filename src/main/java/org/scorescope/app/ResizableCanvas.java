package org.scorescope.app;

import javafx.scene.canvas.Canvas;

/**
 * A Canvas that takes whatever size its layout cell gives it and redraws itself on every resize
 * (a plain Canvas has a fixed size and is not resizable).
 */
public abstract class ResizableCanvas extends Canvas {
    private final double prefW;
    private final double prefH;

    /**
     * @param prefWidth  preferred width, px
     * @param prefHeight preferred height, px
     */
    protected ResizableCanvas(double prefWidth, double prefHeight) {
        super(1, 1);
        this.prefW = prefWidth;
        this.prefH = prefHeight;
        widthProperty().addListener(o -> draw());
        heightProperty().addListener(o -> draw());
    }

    /** Redraws everything at the current size. */
    public abstract void draw();

    /** @return true: the layout sizes the canvas */
    @Override
    public boolean isResizable() {
        return true;
    }

    /** @return 1: it can shrink to nothing */
    @Override
    public double minWidth(double height) {
        return 1;
    }

    /** @return 1: it can shrink to nothing */
    @Override
    public double minHeight(double width) {
        return 1;
    }

    @Override
    public double prefWidth(double height) {
        return prefW;
    }

    @Override
    public double prefHeight(double width) {
        return prefH;
    }

    /** @return unbounded: it fills its cell */
    @Override
    public double maxWidth(double height) {
        return Double.MAX_VALUE;
    }

    /** @return unbounded: it fills its cell */
    @Override
    public double maxHeight(double width) {
        return Double.MAX_VALUE;
    }

    /** Takes the size the layout gives (the size listeners redraw). */
    @Override
    public void resize(double width, double height) {
        setWidth(width);
        setHeight(height);
    }
}
