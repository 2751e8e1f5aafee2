package org.scorescope.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * A small antialiased marker (a square or an edged disc) rasterized once by Java2D at
 * {@value #PHASES} × {@value #PHASES} sub-pixel offsets, then stamped into an int ARGB-premultiplied
 * pixel array by source-over blending, d' = s + d·(255 − α_s)/255 per channel. Thousands of points
 * cost a few hundred thousand integer blends instead of one antialiased path over the whole image
 * (which the scanline rasterizer pays for in proportion to its bounding box). Immutable.
 */
public final class Sprite {
    /** Sub-pixel positions per axis: the stamp is placed to within 1/PHASES pixel. */
    static final int PHASES = 4;

    private final int size;
    private final double origin;
    private final int[][] phases;

    private Sprite(Shape atOrigin, Color fill, Color edge, float edgeWidth, double extent) {
        size = (int) Math.ceil(2 * extent) + 3;
        origin = size / 2.0;
        phases = new int[PHASES * PHASES][];
        for (int py = 0; py < PHASES; py++) {
            for (int px = 0; px < PHASES; px++) {
                int[] pixels = new int[size * size];
                BufferedImage img = FieldRenderer.wrap(pixels, size, size, true);
                Graphics2D g = img.createGraphics();
                try {
                    FieldRenderer.configure(g);
                    g.translate(origin + (double) px / PHASES, origin + (double) py / PHASES);
                    g.setColor(fill);
                    g.fill(atOrigin);
                    if (edge != null) {
                        g.setColor(edge);
                        g.setStroke(new BasicStroke(edgeWidth));
                        g.draw(atOrigin);
                    }
                } finally {
                    g.dispose();
                }
                phases[py * PHASES + px] = pixels;
            }
        }
    }

    /**
     * @param r    half side in device pixels, &gt; 0
     * @param fill colour (may be translucent)
     * @return a filled square of side 2r centred on the stamp point
     */
    static Sprite square(double r, Color fill) {
        checkRadius(r);
        return new Sprite(new Rectangle2D.Double(-r, -r, 2 * r, 2 * r), fill, null, 0, r);
    }

    /**
     * @param r         radius in device pixels, &gt; 0
     * @param fill      fill colour
     * @param edge      edge colour
     * @param edgeWidth edge stroke width in device pixels
     * @return a filled disc with a stroked edge centred on the stamp point
     */
    static Sprite disc(double r, Color fill, Color edge, double edgeWidth) {
        checkRadius(r);
        return new Sprite(new Ellipse2D.Double(-r, -r, 2 * r, 2 * r), fill, edge, (float) edgeWidth, r + edgeWidth);
    }

    private static void checkRadius(double r) {
        if (!(r > 0) || r > 256) {
            throw new IllegalArgumentException("marker radius must be in (0, 256] pixels, got " + r);
        }
    }

    /** @return side of the stamp in pixels */
    int size() {
        return size;
    }

    /**
     * Blends the sprite centred at (cx, cy) over an image (source over, premultiplied), clipped to it.
     *
     * @param dst pixels, int ARGB premultiplied, row-major
     * @param dw  image width
     * @param dh  image height
     * @param cx  centre x in device pixels
     * @param cy  centre y in device pixels
     */
    void stamp(int[] dst, int dw, int dh, double cx, double cy) {
        double qx = cx - origin;
        double qy = cy - origin;
        if (!(qx > -size && qy > -size && qx < dw && qy < dh)) {
            return;
        }
        int x0 = (int) Math.floor(qx);
        int y0 = (int) Math.floor(qy);
        int ax = (int) Math.round((qx - x0) * PHASES);
        int ay = (int) Math.round((qy - y0) * PHASES);
        if (ax == PHASES) {
            ax = 0;
            x0++;
        }
        if (ay == PHASES) {
            ay = 0;
            y0++;
        }
        int[] src = phases[ay * PHASES + ax];
        int sx0 = Math.max(0, -x0);
        int sy0 = Math.max(0, -y0);
        int sx1 = Math.min(size, dw - x0);
        int sy1 = Math.min(size, dh - y0);
        for (int sy = sy0; sy < sy1; sy++) {
            int srow = sy * size;
            int drow = (y0 + sy) * dw + x0;
            for (int sx = sx0; sx < sx1; sx++) {
                int s = src[srow + sx];
                int sa = s >>> 24;
                if (sa == 0) {
                    continue;
                }
                int k = drow + sx;
                if (sa == 255) {
                    dst[k] = s;
                    continue;
                }
                int d = dst[k];
                int inv = 255 - sa;
                int a = sa + div255((d >>> 24) * inv);
                int r = ((s >> 16) & 0xFF) + div255(((d >> 16) & 0xFF) * inv);
                int g = ((s >> 8) & 0xFF) + div255(((d >> 8) & 0xFF) * inv);
                int b = (s & 0xFF) + div255((d & 0xFF) * inv);
                dst[k] = a << 24 | r << 16 | g << 8 | b;
            }
        }
    }

    /** Exact round(v / 255) for v in [0, 255²]. */
    private static int div255(int v) {
        v += 128;
        return (v + (v >> 8)) >> 8;
    }

    /**
     * @param img an image made by {@link FieldRenderer#wrap} or of type TYPE_INT_ARGB_PRE
     * @return its pixel array
     */
    static int[] pixels(BufferedImage img) {
        if (img.getType() != BufferedImage.TYPE_INT_ARGB_PRE || !(img.getRaster().getDataBuffer() instanceof DataBufferInt)) {
            throw new IllegalArgumentException("expected an int ARGB-premultiplied image, got type " + img.getType());
        }
        return ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    }
}
