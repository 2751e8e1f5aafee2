package org.scorescope.analysis;

/**
 * An axis-aligned box {@code [xmin, xmax] × [ymin, ymax]} sampled at {@code nx × ny} <em>nodes</em>
 * (the samples include the box edges): {@code x(ix) = xmin + ix·dx}, {@code y(iy) = ymin + iy·dy} with
 * {@code dx = (xmax − xmin)/(nx − 1)} and {@code dy = (ymax − ymin)/(ny − 1)}.
 *
 * <p>Scalar grids are flat row-major {@code double[]} of length {@code nx·ny} with
 * {@code index = iy·nx + ix}. Vector grids (e.g. a score field) interleave the two components,
 * length {@code 2·nx·ny}, component {@code c} of node {@code k} at {@code 2k + c}; this is exactly the
 * layout a batch model returns when evaluated on {@link #points()}.
 *
 * <p>Immutable and therefore safe to share between threads.
 */
public final class Grid2D {
    private final double xmin;
    private final double xmax;
    private final double ymin;
    private final double ymax;
    private final int nx;
    private final int ny;
    private final double dx;
    private final double dy;

    /**
     * Creates a node grid over the box.
     *
     * @param xmin left edge, finite
     * @param xmax right edge, finite, {@code > xmin}
     * @param ymin bottom edge, finite
     * @param ymax top edge, finite, {@code > ymin}
     * @param nx   number of nodes along x, {@code >= 2}
     * @param ny   number of nodes along y, {@code >= 2}
     * @throws IllegalArgumentException naming the offending field if the box is empty/non-finite or a
     *                                  count is below 2 or the node count overflows an int
     */
    public Grid2D(double xmin, double xmax, double ymin, double ymax, int nx, int ny) {
        requireFinite("xmin", xmin);
        requireFinite("xmax", xmax);
        requireFinite("ymin", ymin);
        requireFinite("ymax", ymax);
        if (!(xmax > xmin)) {
            throw new IllegalArgumentException("Grid2D: xmax (" + xmax + ") must be > xmin (" + xmin + ")");
        }
        if (!(ymax > ymin)) {
            throw new IllegalArgumentException("Grid2D: ymax (" + ymax + ") must be > ymin (" + ymin + ")");
        }
        if (nx < 2) {
            throw new IllegalArgumentException("Grid2D: nx must be >= 2 (nodes include both edges), got " + nx);
        }
        if (ny < 2) {
            throw new IllegalArgumentException("Grid2D: ny must be >= 2 (nodes include both edges), got " + ny);
        }
        if ((long) nx * ny * 2L > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Grid2D: nx*ny = " + ((long) nx * ny) + " is too large for flat arrays");
        }
        this.xmin = xmin;
        this.xmax = xmax;
        this.ymin = ymin;
        this.ymax = ymax;
        this.nx = nx;
        this.ny = ny;
        this.dx = (xmax - xmin) / (nx - 1);
        this.dy = (ymax - ymin) / (ny - 1);
    }

    /**
     * A square grid {@code [-halfWidth, halfWidth]²} with {@code n × n} nodes.
     *
     * @param halfWidth half the side length, {@code > 0}
     * @param n         nodes per axis, {@code >= 2}
     * @return the grid
     */
    public static Grid2D square(double halfWidth, int n) {
        return new Grid2D(-halfWidth, halfWidth, -halfWidth, halfWidth, n, n);
    }

    private static void requireFinite(String name, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("Grid2D: " + name + " must be finite, got " + v);
        }
    }

    /** @return the left edge {@code xmin}. */
    public double xmin() {
        return xmin;
    }

    /** @return the right edge {@code xmax}. */
    public double xmax() {
        return xmax;
    }

    /** @return the bottom edge {@code ymin}. */
    public double ymin() {
        return ymin;
    }

    /** @return the top edge {@code ymax}. */
    public double ymax() {
        return ymax;
    }

    /** @return the number of nodes along x. */
    public int nx() {
        return nx;
    }

    /** @return the number of nodes along y. */
    public int ny() {
        return ny;
    }

    /** @return the total node count {@code nx·ny}. */
    public int size() {
        return nx * ny;
    }

    /** @return the node spacing {@code dx = (xmax − xmin)/(nx − 1)}. */
    public double dx() {
        return dx;
    }

    /** @return the node spacing {@code dy = (ymax − ymin)/(ny − 1)}. */
    public double dy() {
        return dy;
    }

    /** @return the area of one cell between four neighbouring nodes, {@code dx·dy}. */
    public double cellArea() {
        return dx * dy;
    }

    /** @return the box area {@code (xmax − xmin)(ymax − ymin)}. */
    public double boxArea() {
        return (xmax - xmin) * (ymax - ymin);
    }

    /**
     * @param ix column index, {@code 0 <= ix < nx}
     * @return {@code xmin + ix·dx} (the last node is exactly {@code xmax})
     */
    public double x(int ix) {
        return ix == nx - 1 ? xmax : xmin + ix * dx;
    }

    /**
     * @param iy row index, {@code 0 <= iy < ny}
     * @return {@code ymin + iy·dy} (the last node is exactly {@code ymax})
     */
    public double y(int iy) {
        return iy == ny - 1 ? ymax : ymin + iy * dy;
    }

    /**
     * @param ix column index
     * @param iy row index
     * @return the flat index {@code iy·nx + ix}
     */
    public int index(int ix, int iy) {
        return iy * nx + ix;
    }

    /**
     * Trapezoidal quadrature weight of node {@code (ix, iy)}: {@code dx·dy·wx·wy} with {@code w = 1/2}
     * on the box edges and 1 inside, so {@code Σ w_k f_k ≈ ∫_box f}. The weights sum to the box area.
     *
     * @param ix column index
     * @param iy row index
     * @return the weight
     */
    public double quadratureWeight(int ix, int iy) {
        double wx = (ix == 0 || ix == nx - 1) ? 0.5 : 1.0;
        double wy = (iy == 0 || iy == ny - 1) ? 0.5 : 1.0;
        return dx * dy * wx * wy;
    }

    /** @return a new array {@code [x(0), …, x(nx−1)]}. */
    public double[] xs() {
        double[] out = new double[nx];
        for (int i = 0; i < nx; i++) {
            out[i] = x(i);
        }
        return out;
    }

    /** @return a new array {@code [y(0), …, y(ny−1)]}. */
    public double[] ys() {
        double[] out = new double[ny];
        for (int i = 0; i < ny; i++) {
            out[i] = y(i);
        }
        return out;
    }

    /**
     * @return a new flat {@code (nx·ny) × 2} array of node coordinates, node {@code k = iy·nx + ix} at
     *         {@code [2k] = x(ix), [2k+1] = y(iy)}, ready for batch evaluation
     */
    public double[] points() {
        double[] out = new double[2 * size()];
        fillPoints(out);
        return out;
    }

    /**
     * Writes the node coordinates into {@code out} (layout as in {@link #points()}) without allocating.
     *
     * @param out destination of length {@code >= 2·nx·ny}
     */
    public void fillPoints(double[] out) {
        requireLength("out", out, 2 * size());
        int k = 0;
        for (int iy = 0; iy < ny; iy++) {
            double yv = y(iy);
            for (int ix = 0; ix < nx; ix++) {
                out[k++] = x(ix);
                out[k++] = yv;
            }
        }
    }

    /**
     * @param x abscissa
     * @param y ordinate
     * @return whether {@code (x, y)} lies in the closed box
     */
    public boolean contains(double x, double y) {
        return x >= xmin && x <= xmax && y >= ymin && y <= ymax;
    }

    /**
     * Bilinear interpolation of a scalar grid:
     * {@code f(x,y) = (1−tx)(1−ty) f00 + tx(1−ty) f10 + (1−tx)ty f01 + tx·ty f11} on the cell containing
     * the point, with {@code tx = (x − x(ix))/dx}, {@code ty = (y − y(iy))/dy}.
     *
     * @param values scalar grid, length {@code nx·ny}
     * @param x      abscissa
     * @param y      ordinate
     * @return the interpolated value, or {@code NaN} if the point is outside the closed box (or NaN)
     */
    public double interpolate(double[] values, double x, double y) {
        requireLength("values", values, size());
        return interpolateStrided(values, 1, 0, x, y);
    }

    /**
     * Bilinear interpolation (same formula as {@link #interpolate}) of both components of an interleaved
     * vector grid, without allocating.
     *
     * @param field vector grid, length {@code 2·nx·ny}
     * @param x     abscissa
     * @param y     ordinate
     * @param out   receives the two components in {@code out[0], out[1]}
     * @return {@code true} if the point is inside the closed box; otherwise {@code out} is set to NaN
     *         and {@code false} returned
     */
    public boolean interpolateVector(double[] field, double x, double y, double[] out) {
        requireLength("field", field, 2 * size());
        if (!contains(x, y)) {
            out[0] = Double.NaN;
            out[1] = Double.NaN;
            return false;
        }
        double fx = (x - xmin) / dx;
        double fy = (y - ymin) / dy;
        int ix = Math.min((int) fx, nx - 2);
        int iy = Math.min((int) fy, ny - 2);
        double tx = fx - ix;
        double ty = fy - iy;
        int k00 = 2 * (iy * nx + ix);
        int k10 = k00 + 2;
        int k01 = k00 + 2 * nx;
        int k11 = k01 + 2;
        double w00 = (1 - tx) * (1 - ty);
        double w10 = tx * (1 - ty);
        double w01 = (1 - tx) * ty;
        double w11 = tx * ty;
        out[0] = w00 * field[k00] + w10 * field[k10] + w01 * field[k01] + w11 * field[k11];
        out[1] = w00 * field[k00 + 1] + w10 * field[k10 + 1] + w01 * field[k01 + 1] + w11 * field[k11 + 1];
        return true;
    }

    /**
     * Bilinear interpolation (same formula as {@link #interpolate}) of one component of a grid with
     * {@code stride} values per node, component {@code component} at {@code stride·k + component}.
     *
     * @param values    the grid, length {@code >= stride·nx·ny}
     * @param stride    values per node, {@code >= 1}
     * @param component which value, {@code 0 <= component < stride}
     * @param x         abscissa
     * @param y         ordinate
     * @return the interpolated value, or {@code NaN} outside the closed box
     */
    public double interpolate(double[] values, int stride, int component, double x, double y) {
        if (stride < 1 || component < 0 || component >= stride) {
            throw new IllegalArgumentException("Grid2D.interpolate: need stride >= 1 and 0 <= component < stride, got stride="
                    + stride + ", component=" + component);
        }
        requireLength("values", values, stride * size());
        return interpolateStrided(values, stride, component, x, y);
    }

    private double interpolateStrided(double[] v, int stride, int comp, double x, double y) {
        if (!contains(x, y)) {
            return Double.NaN;
        }
        double fx = (x - xmin) / dx;
        double fy = (y - ymin) / dy;
        int ix = Math.min((int) fx, nx - 2);
        int iy = Math.min((int) fy, ny - 2);
        double tx = fx - ix;
        double ty = fy - iy;
        int k00 = iy * nx + ix;
        double f00 = v[stride * k00 + comp];
        double f10 = v[stride * (k00 + 1) + comp];
        double f01 = v[stride * (k00 + nx) + comp];
        double f11 = v[stride * (k00 + nx + 1) + comp];
        return (1 - ty) * ((1 - tx) * f00 + tx * f10) + ty * ((1 - tx) * f01 + tx * f11);
    }

    /**
     * Checks that an array has at least the length a grid operation needs.
     *
     * @param name   the parameter name, for the message
     * @param a      the array
     * @param needed the minimum length
     * @throws IllegalArgumentException if {@code a} is null or shorter than {@code needed}
     */
    void requireLength(String name, double[] a, int needed) {
        if (a == null) {
            throw new IllegalArgumentException(name + " must not be null (need length " + needed + " for a "
                    + nx + "x" + ny + " grid)");
        }
        if (a.length < needed) {
            throw new IllegalArgumentException(name + " has length " + a.length + " but the " + nx + "x" + ny
                    + " grid needs " + needed);
        }
    }

    /** @return the box and node counts, for messages and logs. */
    @Override
    public String toString() {
        return "Grid2D[x=" + xmin + ".." + xmax + ", y=" + ymin + ".." + ymax + ", " + nx + "x" + ny + " nodes]";
    }
}
