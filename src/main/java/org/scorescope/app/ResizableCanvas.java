package org.scorescope.app;

import javafx.scene.Node;
import javafx.scene.canvas.Canvas;

/**
 * A Canvas that takes whatever size its layout cell gives it and redraws itself on every resize
 * (a plain Canvas has a fixed size and is not resizable). Redraws wait while the canvas is not showing
 * (e.g. in a tab that is not selected): issuing thousands of drawing commands nobody sees cost the FX
 * thread frames; {@link #drawIfStale} catches up once it shows.
 */
public abstract class ResizableCanvas extends Canvas {
    private final double prefW;
    private final double prefH;
    private boolean stale = true;

    /**
     * @param prefWidth  preferred width, px
     * @param prefHeight preferred height, px
     */
    protected ResizableCanvas(double prefWidth, double prefHeight) {
        super(1, 1);
        this.prefW = prefWidth;
        this.prefH = prefHeight;
        widthProperty().addListener(o -> redraw());
        heightProperty().addListener(o -> redraw());
    }

    /** Draws everything at the current size, now. */
    public abstract void draw();

    /** Marks the picture out of date and draws it now if the canvas is showing (else {@link #drawIfStale} will). */
    public final void redraw() {
        stale = true;
        drawIfStale();
    }

    /**
     * Draws if the picture is out of date and the canvas is showing: in a scene, itself and every ancestor
     * visible. Cheap when there is nothing to do, so callers may ask once per frame.
     *
     * @return whether it drew
     */
    public final boolean drawIfStale() {
        if (!stale || !showing()) {
            return false;
        }
        stale = false;
        draw();
        return true;
    }

    private boolean showing() {
        if (getScene() == null) {
            return false;
        }
        for (Node n = this; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        return true;
    }

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
