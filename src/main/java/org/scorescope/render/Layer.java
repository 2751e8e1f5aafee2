package org.scorescope.render;

import java.awt.Graphics2D;

/**
 * One layer of the field view (heat map, contours, arrows, points, …). {@link FieldRenderer} holds a list of
 * layers and draws, bottom to top, those that {@link #shows show} something; so a new way to draw is one class
 * and one line in {@link FieldRenderer#standardLayers()} (plus a {@link ViewLayers.Switch} constant if it is to
 * be switched on and off on its own). A layer may keep scratch buffers: an instance belongs to one renderer and
 * is used by one thread at a time.
 */
public interface Layer {
    /**
     * Whether this layer draws anything: its switch is on and the frame holds what it needs. Cheap.
     *
     * @param c the picture being drawn
     * @return true to draw
     */
    boolean shows(LayerContext c);

    /**
     * Draws the layer. The graphics are configured ({@link FieldRenderer#configure}) and scaled to logical
     * pixels; set the stroke, colour and font you use, the previous layer's are left as they were.
     *
     * @param g target, in logical pixels
     * @param c the picture being drawn: sizes, view, frame, fields, switches, device pixels
     */
    void draw(Graphics2D g, LayerContext c);

    /**
     * Whether this layer changes with every frame (the Langevin samples) rather than only when the fields, the
     * data, the view or the switches change. Moving layers are drawn over a cached picture of the others, so
     * they must come last in the list.
     *
     * @return true for a moving layer
     */
    default boolean moving() {
        return false;
    }

    /** @return a short name, for messages and tests */
    default String name() {
        return getClass().getSimpleName();
    }
}
