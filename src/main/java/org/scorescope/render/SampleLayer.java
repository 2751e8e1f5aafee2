package org.scorescope.render;

import java.awt.Color;
import java.awt.Graphics2D;

/**
 * The Langevin samples: discs of radius 2.8 logical pixels with a thin dark edge, stamped as sprites. The one
 * layer that moves every frame.
 */
final class SampleLayer implements Layer {
    private static final Color FILL = new Color(255, 94, 58);
    private static final Color EDGE = Draw.rgba(60, 10, 0, 0.8);
    private Sprite sprite;
    private double spriteScale;

    @Override
    public boolean shows(LayerContext c) {
        return c.frame() != null && c.has(ViewLayers.Switch.SAMPLES) && c.frame().samples().length > 0;
    }

    @Override
    public void draw(Graphics2D g, LayerContext c) {
        double scale = c.scale();
        if (sprite == null || spriteScale != scale) {
            sprite = Sprite.disc(2.8 * scale, FILL, EDGE, 0.9 * scale);
            spriteScale = scale;
        }
        c.stampAll(sprite, c.frame().samples());
    }

    @Override
    public boolean moving() {
        return true;
    }
}
