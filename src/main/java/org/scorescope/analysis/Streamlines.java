package org.scorescope.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streamlines of a 2-D vector grid (interleaved, as in {@link Grid2D}) under bilinear interpolation.
 *
 * <p>Lines are traced in arc length: {@code dp/ds = ±v(p)/|v(p)|}, integrated by the midpoint rule
 * (RK2) or classical RK4 with a fixed step {@code h}. Tracing stops at the box edge (the last step is
 * clipped so the end lies exactly on it), where {@code |v| < stagnationFraction·max|v|}, where the
 * direction reverses within one step (the step can no longer resolve the flow near a critical point),
 * when a forward trace returns within {@code h/2} of its seed (a closed orbit), or at the step/length
 * budget.
 *
 * <p>{@link #evenlySpaced} implements Jobard &amp; Lefer's (1997) evenly-spaced placement: new seeds at
 * distance {@code dSep} beside existing lines, lines stopped when they come within
 * {@code dTest = dTestRatio·dSep} of another line.
 *
 * <p>An instance keeps small work buffers: do not share it between threads (create one per thread; the
 * field array is only read).
 */
public final class Streamlines {
    /** Integration scheme. */
    public enum Scheme {
        /** Explicit midpoint rule, error O(h²) per unit length. */
        RK2,
        /** Classical fourth-order Runge–Kutta, error O(h⁴) per unit length. */
        RK4
    }

    /** Which way(s) to trace from a seed. */
    public enum Direction {
        /** Along {@code +v}. */
        FORWARD,
        /** Along {@code −v}. */
        BACKWARD,
        /** Both, joined through the seed. */
        BOTH
    }

    /**
     * Tracing parameters.
     *
     * @param scheme             RK2 or RK4
     * @param step               arc-length step {@code h > 0}
     * @param maxSteps           step budget per direction, {@code >= 1}
     * @param maxLength          arc-length budget per direction, {@code > 0}
     * @param stagnationFraction stop where {@code |v| < stagnationFraction · max_grid |v|}, in {@code [0, 1)}
     */
    public record Options(Scheme scheme, double step, int maxSteps, double maxLength, double stagnationFraction) {
        /** Validates the fields, naming the bad one. */
        public Options {
            if (scheme == null) {
                throw new IllegalArgumentException("Streamlines.Options: scheme must not be null");
            }
            if (!(step > 0) || !Double.isFinite(step)) {
                throw new IllegalArgumentException("Streamlines.Options: step must be finite and > 0, got " + step);
            }
            if (maxSteps < 1) {
                throw new IllegalArgumentException("Streamlines.Options: maxSteps must be >= 1, got " + maxSteps);
            }
            if (!(maxLength > 0)) {
                throw new IllegalArgumentException("Streamlines.Options: maxLength must be > 0, got " + maxLength);
            }
            if (!(stagnationFraction >= 0 && stagnationFraction < 1)) {
                throw new IllegalArgumentException("Streamlines.Options: stagnationFraction must be in [0, 1), got "
                        + stagnationFraction);
            }
        }

        /**
         * RK4, {@code h = min(dx, dy)/4}, length budget twice the box perimeter, step budget to match,
         * stagnation below {@code 10⁻³·max|v|}.
         *
         * @param grid the grid
         * @return the defaults for that grid
         */
        public static Options defaults(Grid2D grid) {
            double h = 0.25 * Math.min(grid.dx(), grid.dy());
            double len = 4 * ((grid.xmax() - grid.xmin()) + (grid.ymax() - grid.ymin()));
            return new Options(Scheme.RK4, h, (int) Math.min(1_000_000, Math.ceil(len / h) + 1), len, 1e-3);
        }
    }

    private final Grid2D grid;
    private final double[] field;
    private final Options opt;
    private final double stagnationSpeed;
    private final double[] v = new double[2];
    private final double[] k1 = new double[2];
    private final double[] k2 = new double[2];
    private final double[] k3 = new double[2];
    private final double[] k4 = new double[2];
    private final double[] next = new double[2];
    private final DoubleBuf fwd = new DoubleBuf();
    private final DoubleBuf bwd = new DoubleBuf();

    /**
     * @param grid  the grid
     * @param field interleaved vector grid, length {@code 2·nx·ny}, finite (read, not copied)
     * @param opt   tracing parameters
     */
    public Streamlines(Grid2D grid, double[] field, Options opt) {
        if (grid == null || opt == null) {
            throw new IllegalArgumentException("Streamlines: grid and options must not be null");
        }
        grid.requireLength("field", field, 2 * grid.size());
        double vmax = 0;
        for (int k = 0, n = grid.size(); k < n; k++) {
            double a = field[2 * k];
            double b = field[2 * k + 1];
            if (!Double.isFinite(a) || !Double.isFinite(b)) {
                throw new IllegalArgumentException("Streamlines: field at node " + k + " (ix=" + (k % grid.nx()) + ", iy="
                        + (k / grid.nx()) + ") is (" + a + ", " + b + ")");
            }
            vmax = Math.max(vmax, Math.hypot(a, b));
        }
        this.grid = grid;
        this.field = field;
        this.opt = opt;
        this.stagnationSpeed = opt.stagnationFraction() * vmax;
    }

    /** @return the tracing parameters. */
    public Options options() {
        return opt;
    }

    /**
     * A regular lattice of {@code nx × ny} seeds at cell centres of the box:
     * {@code (xmin + (i + ½)·W/nx, ymin + (j + ½)·H/ny)}, interleaved.
     *
     * @param grid the grid whose box is seeded
     * @param nx   seeds along x, {@code >= 1}
     * @param ny   seeds along y, {@code >= 1}
     * @return {@code 2·nx·ny} coordinates, row-major
     */
    public static double[] seedLattice(Grid2D grid, int nx, int ny) {
        if (nx < 1 || ny < 1) {
            throw new IllegalArgumentException("Streamlines.seedLattice: nx and ny must be >= 1, got " + nx + ", " + ny);
        }
        double w = grid.xmax() - grid.xmin();
        double h = grid.ymax() - grid.ymin();
        double[] out = new double[2 * nx * ny];
        int k = 0;
        for (int j = 0; j < ny; j++) {
            for (int i = 0; i < nx; i++) {
                out[k++] = grid.xmin() + (i + 0.5) * w / nx;
                out[k++] = grid.ymin() + (j + 0.5) * h / ny;
            }
        }
        return out;
    }

    /**
     * Traces one streamline from a seed.
     *
     * @param x0  seed x, inside the box
     * @param y0  seed y, inside the box
     * @param dir which way(s)
     * @return the line (a single point if the seed is stagnant)
     * @throws IllegalArgumentException if the seed is outside the box or not finite
     */
    public Streamline trace(double x0, double y0, Direction dir) {
        return trace(x0, y0, dir, null);
    }

    /**
     * Traces one streamline per seed.
     *
     * @param seeds interleaved seeds, all inside the box
     * @param dir   which way(s)
     * @return the lines, in seed order
     */
    public List<Streamline> traceAll(double[] seeds, Direction dir) {
        if (seeds == null || seeds.length % 2 != 0) {
            throw new IllegalArgumentException("Streamlines.traceAll: seeds must be interleaved (x, y) pairs");
        }
        List<Streamline> out = new ArrayList<>(seeds.length / 2);
        for (int i = 0; i < seeds.length; i += 2) {
            out.add(trace(seeds[i], seeds[i + 1], dir));
        }
        return out;
    }

    private Streamline trace(double x0, double y0, Direction dir, Occupancy occ) {
        if (!grid.contains(x0, y0)) {
            throw new IllegalArgumentException("Streamlines: seed (" + x0 + ", " + y0 + ") is outside the box " + grid);
        }
        fwd.clear();
        bwd.clear();
        Streamline.Termination tf = Streamline.Termination.NOT_TRACED;
        Streamline.Termination tb = Streamline.Termination.NOT_TRACED;
        if (occ != null) {
            occ.add(x0, y0, 0);
        }
        if (dir != Direction.BACKWARD) {
            tf = traceOneWay(x0, y0, 1, fwd, occ, true);
        }
        if (dir != Direction.FORWARD && tf != Streamline.Termination.CLOSED_LOOP) {
            tb = traceOneWay(x0, y0, -1, bwd, occ, dir == Direction.BACKWARD);
        }
        int nb = bwd.size / 2;
        int nf = fwd.size / 2;
        double[] xy = new double[2 * (nb + 1 + nf)];
        int k = 0;
        for (int i = nb - 1; i >= 0; i--) {
            xy[k++] = bwd.data[2 * i];
            xy[k++] = bwd.data[2 * i + 1];
        }
        xy[k++] = x0;
        xy[k++] = y0;
        System.arraycopy(fwd.data, 0, xy, k, fwd.size);
        boolean closed = tf == Streamline.Termination.CLOSED_LOOP || tb == Streamline.Termination.CLOSED_LOOP;
        return new Streamline(xy, closed, tb, tf, nb);
    }

    /** Unit direction {@code sign·v/|v|} at p into {@code out}; returns |v|, or −1 outside the box. */
    private double unit(double x, double y, double sign, double[] out) {
        if (!grid.interpolateVector(field, x, y, v)) {
            return -1;
        }
        double s = Math.hypot(v[0], v[1]);
        if (s > 0) {
            out[0] = sign * v[0] / s;
            out[1] = sign * v[1] / s;
        } else {
            out[0] = 0;
            out[1] = 0;
        }
        return s;
    }

    private Streamline.Termination traceOneWay(double x0, double y0, double sign, DoubleBuf out, Occupancy occ,
                                               boolean detectLoop) {
        double h = opt.step();
        double x = x0;
        double y = y0;
        double arc = 0;
        double px = Double.NaN;
        double py = Double.NaN;
        double farthest = 0;
        for (int stepNo = 0; stepNo < opt.maxSteps(); stepNo++) {
            double speed = unit(x, y, sign, k1);
            if (speed <= stagnationSpeed || speed == 0) {
                return Streamline.Termination.STAGNATION;
            }
            step(x, y, sign, h);
            double nx = next[0];
            double ny = next[1];
            boolean leaving = !grid.contains(nx, ny);
            if (leaving) {
                clipToBox(x, y);
                nx = next[0];
                ny = next[1];
            }
            double dxs = nx - x;
            double dys = ny - y;
            double len = Math.hypot(dxs, dys);
            if (len == 0) {
                return leaving ? Streamline.Termination.BOUNDARY : Streamline.Termination.STAGNATION;
            }
            if (!Double.isNaN(px) && (dxs * px + dys * py) < 0) {
                return Streamline.Termination.STAGNATION;
            }
            if (detectLoop && arc > 4 * h && farthest > 2 * h && distToSegment(x0, y0, x, y, nx, ny) <= 0.5 * h) {
                return Streamline.Termination.CLOSED_LOOP;
            }
            if (occ != null && occ.blocked(nx, ny, sign * (arc + len))) {
                return Streamline.Termination.TOO_CLOSE;
            }
            out.add(nx, ny);
            arc += len;
            if (occ != null) {
                occ.add(nx, ny, sign * arc);
            }
            if (leaving) {
                return Streamline.Termination.BOUNDARY;
            }
            farthest = Math.max(farthest, Math.hypot(nx - x0, ny - y0));
            px = dxs / len;
            py = dys / len;
            x = nx;
            y = ny;
            if (arc >= opt.maxLength()) {
                return Streamline.Termination.MAX_LENGTH;
            }
        }
        return Streamline.Termination.MAX_STEPS;
    }

    /** One RK step of length h from (x, y) with k1 already set; result in {@code next}. */
    private void step(double x, double y, double sign, double h) {
        if (opt.scheme() == Scheme.RK2) {
            if (unit(x + 0.5 * h * k1[0], y + 0.5 * h * k1[1], sign, k2) <= 0) {
                eulerStep(x, y, h);
                return;
            }
            next[0] = x + h * k2[0];
            next[1] = y + h * k2[1];
            return;
        }
        // a stage outside the box (or at a zero of v) has no usable direction: fall back to Euler,
        // which is only ever needed for the step that leaves the box anyway
        if (unit(x + 0.5 * h * k1[0], y + 0.5 * h * k1[1], sign, k2) <= 0
                || unit(x + 0.5 * h * k2[0], y + 0.5 * h * k2[1], sign, k3) <= 0
                || unit(x + h * k3[0], y + h * k3[1], sign, k4) <= 0) {
            eulerStep(x, y, h);
            return;
        }
        next[0] = x + h / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]);
        next[1] = y + h / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]);
    }

    private void eulerStep(double x, double y, double h) {
        next[0] = x + h * k1[0];
        next[1] = y + h * k1[1];
    }

    /** Moves {@code next} back along the segment from (x, y) onto the box edge. */
    private void clipToBox(double x, double y) {
        double ex = next[0] - x;
        double ey = next[1] - y;
        double t = 1;
        if (next[0] > grid.xmax()) {
            t = Math.min(t, (grid.xmax() - x) / ex);
        } else if (next[0] < grid.xmin()) {
            t = Math.min(t, (grid.xmin() - x) / ex);
        }
        if (next[1] > grid.ymax()) {
            t = Math.min(t, (grid.ymax() - y) / ey);
        } else if (next[1] < grid.ymin()) {
            t = Math.min(t, (grid.ymin() - y) / ey);
        }
        t = Math.max(0, t);
        next[0] = Math.min(grid.xmax(), Math.max(grid.xmin(), x + t * ex));
        next[1] = Math.min(grid.ymax(), Math.max(grid.ymin(), y + t * ey));
    }

    private static double distToSegment(double qx, double qy, double ax, double ay, double bx, double by) {
        double ex = bx - ax;
        double ey = by - ay;
        double l2 = ex * ex + ey * ey;
        double t = l2 == 0 ? 0 : Math.max(0, Math.min(1, ((qx - ax) * ex + (qy - ay) * ey) / l2));
        return Math.hypot(qx - (ax + t * ex), qy - (ay + t * ey));
    }

    /**
     * Evenly-spaced streamlines (Jobard &amp; Lefer 1997). The first seed is the box centre (or the first
     * non-stagnant lattice point); each finished line proposes seeds at distance {@code dSep} on both
     * sides of its points, accepted if no existing line passes within {@code dSep}; new lines are traced
     * both ways and stopped (end {@link Streamline.Termination#TOO_CLOSE}) when within
     * {@code dTest = dTestRatio·dSep} of another line or of a far-away part of themselves. When no
     * proposal is left, a {@code dSep} lattice is scanned for uncovered seeds (regions the flow does not
     * connect). The step used is {@code min(options.step, dTest/2)} so distance checks against the
     * sampled points are meaningful. Lines shorter than {@code dTest} are discarded.
     *
     * @param dSep       separation between lines, {@code > 0}
     * @param dTestRatio {@code dTest/dSep}, in {@code (0, 1]}; 0.5 is Jobard &amp; Lefer's choice
     * @return the lines
     */
    public List<Streamline> evenlySpaced(double dSep, double dTestRatio) {
        if (!(dSep > 0) || !Double.isFinite(dSep)) {
            throw new IllegalArgumentException("Streamlines.evenlySpaced: dSep must be finite and > 0, got " + dSep);
        }
        if (!(dTestRatio > 0 && dTestRatio <= 1)) {
            throw new IllegalArgumentException("Streamlines.evenlySpaced: dTestRatio must be in (0, 1], got " + dTestRatio);
        }
        double dTest = dTestRatio * dSep;
        Options fine = new Options(opt.scheme(), Math.min(opt.step(), 0.5 * dTest), opt.maxSteps(), opt.maxLength(),
                opt.stagnationFraction());
        Streamlines tracer = fine.equals(opt) ? this : new Streamlines(grid, field, fine);
        Occupancy occ = new Occupancy(grid, dSep, dTest);
        List<Streamline> lines = new ArrayList<>();
        int queued = 0;
        double[] lattice = seedLattice(grid, Math.max(1, (int) Math.ceil((grid.xmax() - grid.xmin()) / dSep)),
                Math.max(1, (int) Math.ceil((grid.ymax() - grid.ymin()) / dSep)));
        int latticeNext = 0;
        double cx = 0.5 * (grid.xmin() + grid.xmax());
        double cy = 0.5 * (grid.ymin() + grid.ymax());
        boolean centreTried = false;
        while (true) {
            double sx = Double.NaN;
            double sy = Double.NaN;
            // proposals beside the oldest line that still has some
            while (queued < lines.size() && Double.isNaN(sx)) {
                Streamline l = lines.get(queued);
                int stride = Math.max(1, (int) Math.round(0.5 * dSep / tracer.opt.step()));
                for (int i = occ.cursor; i < l.size() && Double.isNaN(sx); i += stride) {
                    occ.cursor = i + stride;
                    int a = Math.max(0, i - 1);
                    int b = Math.min(l.size() - 1, i + 1);
                    double tx = l.x(b) - l.x(a);
                    double ty = l.y(b) - l.y(a);
                    double tl = Math.hypot(tx, ty);
                    if (tl == 0) {
                        continue;
                    }
                    for (int side = -1; side <= 1 && Double.isNaN(sx); side += 2) {
                        double qx = l.x(i) - side * dSep * ty / tl;
                        double qy = l.y(i) + side * dSep * tx / tl;
                        if (tracer.validSeed(qx, qy, occ, dSep)) {
                            sx = qx;
                            sy = qy;
                        }
                    }
                }
                if (Double.isNaN(sx)) {
                    queued++;
                    occ.cursor = 0;
                }
            }
            if (Double.isNaN(sx) && !centreTried) {
                centreTried = true;
                if (tracer.validSeed(cx, cy, occ, dSep)) {
                    sx = cx;
                    sy = cy;
                }
            }
            while (Double.isNaN(sx) && latticeNext < lattice.length) {
                double qx = lattice[latticeNext++];
                double qy = lattice[latticeNext++];
                if (tracer.validSeed(qx, qy, occ, dSep)) {
                    sx = qx;
                    sy = qy;
                }
            }
            if (Double.isNaN(sx)) {
                return lines;
            }
            occ.beginLine();
            Streamline l = tracer.trace(sx, sy, Direction.BOTH, occ);
            if (l.length() < dTest) {
                occ.killLine();
            } else {
                lines.add(l);
            }
        }
    }

    private boolean validSeed(double x, double y, Occupancy occ, double dSep) {
        if (!grid.contains(x, y)) {
            return false;
        }
        double s = unit(x, y, 1, k1);
        return s > stagnationSpeed && s > 0 && occ.clearOfAll(x, y, dSep);
    }

    /** Growable interleaved point buffer. */
    private static final class DoubleBuf {
        double[] data = new double[256];
        int size;

        void clear() {
            size = 0;
        }

        void add(double x, double y) {
            if (size + 2 > data.length) {
                data = Arrays.copyOf(data, 2 * data.length);
            }
            data[size++] = x;
            data[size++] = y;
        }
    }

    /** Sample points of accepted lines, bucketed in cells of size dSep, as primitive linked lists. */
    private static final class Occupancy {
        private final Grid2D g;
        private final double cell;
        private final double dTest;
        private final int cx;
        private final int cy;
        private final int[] head;
        private int[] nextPt = new int[1024];
        private double[] px = new double[1024];
        private double[] py = new double[1024];
        private double[] parc = new double[1024];
        private int[] pline = new int[1024];
        private boolean[] dead = new boolean[64];
        private int count;
        private int line = -1;
        int cursor;

        Occupancy(Grid2D g, double dSep, double dTest) {
            this.g = g;
            this.cell = dSep;
            this.dTest = dTest;
            this.cx = Math.max(1, (int) Math.ceil((g.xmax() - g.xmin()) / dSep));
            this.cy = Math.max(1, (int) Math.ceil((g.ymax() - g.ymin()) / dSep));
            if ((long) cx * cy > 50_000_000L) {
                throw new IllegalArgumentException("Streamlines.evenlySpaced: dSep " + dSep + " is too small for the box");
            }
            head = new int[cx * cy];
            Arrays.fill(head, -1);
        }

        void beginLine() {
            line++;
            if (line >= dead.length) {
                dead = Arrays.copyOf(dead, 2 * dead.length);
            }
        }

        void killLine() {
            dead[line] = true;
        }

        private int cellX(double x) {
            return Math.min(cx - 1, Math.max(0, (int) ((x - g.xmin()) / cell)));
        }

        private int cellY(double y) {
            return Math.min(cy - 1, Math.max(0, (int) ((y - g.ymin()) / cell)));
        }

        void add(double x, double y, double arc) {
            if (count == px.length) {
                int n = 2 * count;
                nextPt = Arrays.copyOf(nextPt, n);
                px = Arrays.copyOf(px, n);
                py = Arrays.copyOf(py, n);
                parc = Arrays.copyOf(parc, n);
                pline = Arrays.copyOf(pline, n);
            }
            int c = cellY(y) * cx + cellX(x);
            px[count] = x;
            py[count] = y;
            parc[count] = arc;
            pline[count] = line;
            nextPt[count] = head[c];
            head[c] = count;
            count++;
        }

        /** Whether a point of the current line at arc position {@code arc} comes within dTest of another line. */
        boolean blocked(double x, double y, double arc) {
            return anyWithin(x, y, dTest, true, arc);
        }

        boolean clearOfAll(double x, double y, double d) {
            return !anyWithin(x, y, d, false, 0);
        }

        private boolean anyWithin(double x, double y, double d, boolean skipOwnNearby, double arc) {
            int ix = cellX(x);
            int iy = cellY(y);
            int reach = (int) Math.ceil(d / cell);
            double d2 = d * d;
            for (int j = Math.max(0, iy - reach); j <= Math.min(cy - 1, iy + reach); j++) {
                for (int i = Math.max(0, ix - reach); i <= Math.min(cx - 1, ix + reach); i++) {
                    for (int p = head[j * cx + i]; p >= 0; p = nextPt[p]) {
                        int l = pline[p];
                        if (dead[l]) {
                            continue;
                        }
                        // own points within 2·dSep of arc are the line's own neighbourhood, not a collision
                        if (skipOwnNearby && l == line && Math.abs(parc[p] - arc) < 2 * cell) {
                            continue;
                        }
                        double ddx = px[p] - x;
                        double ddy = py[p] - y;
                        if (ddx * ddx + ddy * ddy < d2) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }
    }
}
