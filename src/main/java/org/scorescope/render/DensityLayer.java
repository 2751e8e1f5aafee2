package org.scorescope.render;

import java.awt.Graphics2D;
import org.scorescope.analysis.Grid2D;
import org.scorescope.field.Colormap;
import org.scorescope.field.FieldComputer;
import org.scorescope.field.FieldFrame;
import org.scorescope.field.ViewBox;

/**
 * The heat map of log p (or, for a time-conditional model on request, of log₁₀ of its squared score error at the
 * noise level shown, {@link FieldFrame.Noise#error}), computed per device pixel straight from the field's grid: log p at the pixel centre
 * by bilinear interpolation of the grid values (the same rule as {@link FieldComputer#heatImage}), mapped from
 * [bottom, top] through the colormap. Pixels outside the grid's rectangle keep the background. Separable: the
 * column and row interpolation weights are computed once per picture. Writes device pixels, not through the
 * graphics.
 */
final class DensityLayer implements Layer {
    private int[] colIndex = new int[0];
    private double[] colFrac = new double[0];

    @Override
    public boolean shows(LayerContext c) {
        return c.dark();
    }

    @Override
    public void draw(Graphics2D g, LayerContext c) {
        FieldFrame field = c.field();
        int[] pixels = c.pixels();
        int pw = c.pixelWidth();
        int ph = c.pixelHeight();
        double scale = c.scale();
        double w = c.width();
        double h = c.height();
        ViewBox view = c.view();
        Grid2D grid = field.grid();
        int nx = grid.nx();
        int ny = grid.ny();
        boolean error = field.noise() != null && field.noise().showsError();
        double[] v = error ? field.noise().error() : field.logp();
        Colormap cmap = field.request().colormap();
        double top = error ? field.noise().errorTop() : field.top();
        double bottom = error ? field.noise().errorBottom() : field.bottom();
        double inv = top > bottom ? 1.0 / (top - bottom) : 0;
        if (colIndex.length < pw) {
            colIndex = new int[pw];
            colFrac = new double[pw];
        }
        double gx = (nx - 1) / (grid.xmax() - grid.xmin());
        for (int px = 0; px < pw; px++) {
            double fx = (view.toWorldX((px + 0.5) / scale, w, h) - grid.xmin()) * gx;
            if (fx >= 0 && fx <= nx - 1) {
                int ix = Math.min(nx - 2, (int) fx);
                colIndex[px] = ix;
                colFrac[px] = fx - ix;
            } else {
                colIndex[px] = -1;
            }
        }
        double gy = (ny - 1) / (grid.ymax() - grid.ymin());
        for (int py = 0; py < ph; py++) {
            double fy = (view.toWorldY((py + 0.5) / scale, w, h) - grid.ymin()) * gy;
            if (!(fy >= 0 && fy <= ny - 1)) {
                continue;
            }
            int iy = Math.min(ny - 2, (int) fy);
            double ty = fy - iy;
            int row = py * pw;
            int k0 = iy * nx;
            for (int px = 0; px < pw; px++) {
                int ix = colIndex[px];
                if (ix < 0) {
                    continue;
                }
                double tx = colFrac[px];
                int k = k0 + ix;
                double lo = v[k] + tx * (v[k + 1] - v[k]);
                double hi = v[k + nx] + tx * (v[k + nx + 1] - v[k + nx]);
                pixels[row + px] = cmap.argb((lo + ty * (hi - lo) - bottom) * inv);
            }
        }
    }
}
