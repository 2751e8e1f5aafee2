package org.scorescope.render;

import java.awt.Color;
import java.awt.Graphics2D;

/** The data points as small squares (smaller above 3000 points), light over the heat map, dark over white. */
final class DataLayer implements Layer {
    private Sprite sprite;
    private double radius;
    private Color color;

    @Override
    public boolean shows(LayerContext c) {
        return c.frame() != null && c.has(ViewLayers.Switch.DATA);
    }

    @Override
    public void draw(Graphics2D g, LayerContext c) {
        double r = (c.frame().pointCount() > 3000 ? 1.3 : 1.9) * c.scale();
        Color col = c.dark() ? Draw.rgba(255, 255, 255, 0.78) : Draw.rgba(30, 40, 60, 0.6);
        if (sprite == null || radius != r || !col.equals(color)) {
            sprite = Sprite.square(r, col);
            radius = r;
            color = col;
        }
        c.stampAll(sprite, c.frame().points());
    }
}
