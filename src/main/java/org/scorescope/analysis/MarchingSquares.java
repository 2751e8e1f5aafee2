package org.scorescope.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Iso-contours of a scalar node grid by marching squares, plus level helpers.
 *
 * <p>A node is "above" when {@code value >= level}. On every cell edge whose two nodes disagree, the
 * crossing is placed by linear interpolation {@code t = (level − f_a)/(f_b − f_a)}. Ambiguous (saddle)
 * cells — two diagonal corners above, the other two below — are resolved by the cell-centre average
 * {@code (f00 + f10 + f01 + f11)/4}: if it is above the level the two above-corners are joined, otherwise
 * the two below-corners are. Because the decision uses only the cell's own data and both neighbours of a
 * shared edge place its crossing identically, the segments join into polylines that are either closed or
 * end on the box boundary. Segments are joined through shared edge identities, not by comparing
 * coordinates.
 *
 * <p>Stateless and thread-safe. Values must be finite (non-finite input is rejected with its node).
 */
public final class MarchingSquares {
    private static final double[] NICE = {1, 2, 2.5, 5, 10};

    private MarchingSquares() {
    }

    /**
     * Iso-lines of {@code values} at one level.
     *
     * @param grid   the grid
     * @param values scalar grid, length {@code nx·ny}, finite
     * @param level  the iso-value (finite)
     * @return the polylines (possibly empty), open ones first
     */
    public static List<ContourLine> contours(Grid2D grid, double[] values, double level) {
        return contours(grid, values, new double[] {level});
    }

    /**
     * Iso-lines of {@code values} at several levels; work arrays are shared across the levels.
     *
     * @param grid   the grid
     * @param values scalar grid, length {@code nx·ny}, finite
     * @param levels the iso-values (finite)
     * @return all polylines, grouped by level in the order given
     * @throws IllegalArgumentException on a non-finite value or level (naming it)
     */
    public static List<ContourLine> contours(Grid2D grid, double[] values, double[] levels) {
        grid.requireLength("values", values, grid.size());
        for (int k = 0, n = grid.size(); k < n; k++) {
            if (!Double.isFinite(values[k])) {
                throw new IllegalArgumentException("MarchingSquares: value at node " + k + " (ix=" + (k % grid.nx())
                        + ", iy=" + (k / grid.nx()) + ") is " + values[k] + "; contouring needs finite values");
            }
        }
        if (levels == null) {
            throw new IllegalArgumentException("MarchingSquares: levels must not be null");
        }
        Tracer tracer = new Tracer(grid, values);
        List<ContourLine> out = new ArrayList<>();
        for (int i = 0; i < levels.length; i++) {
            if (!Double.isFinite(levels[i])) {
                throw new IllegalArgumentException("MarchingSquares: levels[" + i + "] is " + levels[i]);
            }
            tracer.trace(levels[i], out);
        }
        return out;
    }

    /**
     * "Nice" levels strictly inside {@code (min, max)}: multiples {@code k·step} of a step from
     * {@code {1, 2, 2.5, 5}·10^e} chosen closest (in ratio) to {@code (max − min)/approxCount}. The count
     * is therefore only approximately {@code approxCount} (between roughly {@code approxCount/1.6 − 1} and
     * {@code 1.6·approxCount}).
     *
     * @param min         lower end (finite)
     * @param max         upper end (finite, {@code > min})
     * @param approxCount wanted number of levels, {@code >= 1}
     * @return the levels, ascending
     */
    public static double[] niceLevels(double min, double max, int approxCount) {
        checkRange(min, max, approxCount, "niceLevels");
        double raw = (max - min) / approxCount;
        double e = Math.pow(10, Math.floor(Math.log10(raw)));
        double best = e;
        double bestErr = Double.POSITIVE_INFINITY;
        for (double m : NICE) {
            double err = Math.abs(Math.log(m * e / raw));
            if (err < bestErr) {
                bestErr = err;
                best = m * e;
            }
        }
        long k0 = (long) Math.floor(min / best) + 1;
        long k1 = (long) Math.ceil(max / best) - 1;
        if (k1 < k0) {
            return new double[0];
        }
        double[] out = new double[(int) (k1 - k0 + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (k0 + i) * best;
        }
        return out;
    }

    /**
     * Exactly {@code n} evenly spaced levels strictly inside the range:
     * {@code min + (k + 1)(max − min)/(n + 1)}, {@code k = 0 … n−1}.
     *
     * @param min lower end (finite)
     * @param max upper end (finite, {@code > min})
     * @param n   number of levels, {@code >= 1}
     * @return the levels, ascending
     */
    public static double[] evenLevels(double min, double max, int n) {
        checkRange(min, max, n, "evenLevels");
        double[] out = new double[n];
        for (int k = 0; k < n; k++) {
            out[k] = min + (k + 1) * (max - min) / (n + 1);
        }
        return out;
    }

    private static void checkRange(double min, double max, int n, String who) {
        if (!Double.isFinite(min) || !Double.isFinite(max) || !(max > min)) {
            throw new IllegalArgumentException("MarchingSquares." + who + ": need finite min < max, got min=" + min
                    + ", max=" + max);
        }
        if (n < 1) {
            throw new IllegalArgumentException("MarchingSquares." + who + ": count must be >= 1, got " + n);
        }
    }

    /**
     * Highest-density-region levels: for each mass {@code m}, the density threshold {@code t} with
     * {@code Σ_k w_k p_k [p_k >= t] = m · Σ_k w_k p_k} (trapezoidal weights, so masses are fractions of
     * what the view box holds). The step function is inverted between consecutive sorted node values by
     * linear interpolation in mass. Contouring {@code p} at the returned levels draws the regions.
     *
     * @param grid    the grid
     * @param density {@code p >= 0} on the grid (need not be normalized)
     * @param masses  fractions in {@code (0, 1]}, e.g. {@code 0.5, 0.9, 0.99}
     * @return the thresholds, in the order of {@code masses} (larger mass → lower threshold)
     * @throws IllegalArgumentException on a negative/non-finite density, an all-zero density, or a mass
     *                                  outside {@code (0, 1]}
     */
    public static double[] hdrLevels(Grid2D grid, double[] density, double... masses) {
        grid.requireLength("density", density, grid.size());
        if (masses == null || masses.length == 0) {
            throw new IllegalArgumentException("MarchingSquares.hdrLevels: give at least one mass fraction");
        }
        for (int i = 0; i < masses.length; i++) {
            if (!(masses[i] > 0 && masses[i] <= 1)) {
                throw new IllegalArgumentException("MarchingSquares.hdrLevels: masses[" + i + "] = " + masses[i]
                        + " is not in (0, 1]");
            }
        }
        int n = grid.size();
        double total = DensityNormalizer.massAbove(grid, density, 0);
        if (!(total > 0)) {
            throw new IllegalArgumentException("MarchingSquares.hdrLevels: the density has zero mass on the grid");
        }
        double[] sorted = Arrays.copyOf(density, n);
        Arrays.sort(sorted);
        double[] out = new double[masses.length];
        for (int i = 0; i < masses.length; i++) {
            double target = masses[i] * total;
            // largest j with massAbove(sorted[j]) >= target; massAbove is non-increasing in j
            int lo = 0;
            int hi = n - 1;
            double mLo = total;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                double m = DensityNormalizer.massAbove(grid, density, sorted[mid]);
                if (m >= target) {
                    lo = mid;
                    mLo = m;
                } else {
                    hi = mid - 1;
                }
            }
            mLo = DensityNormalizer.massAbove(grid, density, sorted[lo]);
            int up = lo + 1;
            while (up < n && sorted[up] == sorted[lo]) {
                up++;
            }
            if (up >= n || mLo == target) {
                out[i] = sorted[lo];
            } else {
                double mUp = DensityNormalizer.massAbove(grid, density, sorted[up]);
                double t = (mLo - target) / (mLo - mUp);
                out[i] = sorted[lo] + t * (sorted[up] - sorted[lo]);
            }
        }
        return out;
    }

    /** Per-call state: edge→segment incidence shared across levels, reset between them. */
    private static final class Tracer {
        private final Grid2D g;
        private final double[] f;
        private final int nx;
        private final int ny;
        private final int hCount;
        private final int[] slotA;
        private final int[] slotB;
        private int[] segA = new int[64];
        private int[] segB = new int[64];
        private boolean[] used = new boolean[64];
        private int segCount;
        private double level;
        private double[] buf = new double[64];
        private int bufLen;

        Tracer(Grid2D g, double[] f) {
            this.g = g;
            this.f = f;
            this.nx = g.nx();
            this.ny = g.ny();
            this.hCount = (nx - 1) * ny;
            int edges = hCount + nx * (ny - 1);
            slotA = new int[edges];
            slotB = new int[edges];
            Arrays.fill(slotA, -1);
            Arrays.fill(slotB, -1);
        }

        private int hEdge(int ix, int iy) {
            return iy * (nx - 1) + ix;
        }

        private int vEdge(int ix, int iy) {
            return hCount + iy * nx + ix;
        }

        void trace(double lev, List<ContourLine> out) {
            this.level = lev;
            segCount = 0;
            for (int iy = 0; iy < ny - 1; iy++) {
                for (int ix = 0; ix < nx - 1; ix++) {
                    cell(ix, iy);
                }
            }
            // open lines start at an edge used by one segment only (a box-boundary edge)
            for (int s = 0; s < segCount; s++) {
                if (!used[s]) {
                    if (slotB[segA[s]] < 0) {
                        walk(s, segA[s], out, false);
                    } else if (slotB[segB[s]] < 0) {
                        walk(s, segB[s], out, false);
                    }
                }
            }
            for (int s = 0; s < segCount; s++) {
                if (!used[s]) {
                    walk(s, segA[s], out, true);
                }
            }
            for (int s = 0; s < segCount; s++) {
                slotA[segA[s]] = -1;
                slotB[segA[s]] = -1;
                slotA[segB[s]] = -1;
                slotB[segB[s]] = -1;
                used[s] = false;
            }
        }

        private void cell(int ix, int iy) {
            int k = iy * nx + ix;
            double f0 = f[k];
            double f1 = f[k + 1];
            double f2 = f[k + nx + 1];
            double f3 = f[k + nx];
            int c = (f0 >= level ? 1 : 0) | (f1 >= level ? 2 : 0) | (f2 >= level ? 4 : 0) | (f3 >= level ? 8 : 0);
            if (c == 0 || c == 15) {
                return;
            }
            int e0 = hEdge(ix, iy);
            int e1 = vEdge(ix + 1, iy);
            int e2 = hEdge(ix, iy + 1);
            int e3 = vEdge(ix, iy);
            boolean centreAbove = (f0 + f1 + f2 + f3) * 0.25 >= level;
            switch (c) {
                case 1, 14 -> addSeg(e3, e0);
                case 2, 13 -> addSeg(e0, e1);
                case 3, 12 -> addSeg(e3, e1);
                case 4, 11 -> addSeg(e1, e2);
                case 6, 9 -> addSeg(e0, e2);
                case 7, 8 -> addSeg(e3, e2);
                case 5 -> {
                    // corners 0 and 2 above
                    if (centreAbove) {
                        addSeg(e0, e1);
                        addSeg(e2, e3);
                    } else {
                        addSeg(e3, e0);
                        addSeg(e1, e2);
                    }
                }
                case 10 -> {
                    // corners 1 and 3 above
                    if (centreAbove) {
                        addSeg(e3, e0);
                        addSeg(e1, e2);
                    } else {
                        addSeg(e0, e1);
                        addSeg(e2, e3);
                    }
                }
                default -> throw new IllegalStateException("marching squares case " + c);
            }
        }

        private void addSeg(int ea, int eb) {
            if (segCount == segA.length) {
                segA = Arrays.copyOf(segA, 2 * segCount);
                segB = Arrays.copyOf(segB, 2 * segCount);
                used = Arrays.copyOf(used, 2 * segCount);
            }
            int s = segCount++;
            segA[s] = ea;
            segB[s] = eb;
            attach(ea, s);
            attach(eb, s);
        }

        private void attach(int e, int s) {
            if (slotA[e] < 0) {
                slotA[e] = s;
            } else {
                slotB[e] = s;
            }
        }

        private void walk(int s0, int startEdge, List<ContourLine> out, boolean closedCandidate) {
            bufLen = 0;
            addPoint(startEdge);
            int s = s0;
            int e = startEdge;
            boolean closed = false;
            while (true) {
                used[s] = true;
                int next = segA[s] == e ? segB[s] : segA[s];
                if (closedCandidate && next == startEdge) {
                    closed = true;
                    break;
                }
                addPoint(next);
                int other = slotA[next] == s ? slotB[next] : slotA[next];
                if (other < 0 || used[other]) {
                    break;
                }
                s = other;
                e = next;
            }
            if (closed && bufLen >= 4 && buf[0] == buf[bufLen - 2] && buf[1] == buf[bufLen - 1]) {
                bufLen -= 2;
            }
            out.add(new ContourLine(level, Arrays.copyOf(buf, bufLen), closed));
        }

        /** Appends the crossing on edge {@code e}, skipping an exact repeat (level hitting a node). */
        private void addPoint(int e) {
            double x;
            double y;
            if (e < hCount) {
                int iy = e / (nx - 1);
                int ix = e % (nx - 1);
                double fa = f[iy * nx + ix];
                double fb = f[iy * nx + ix + 1];
                double t = (level - fa) / (fb - fa);
                x = g.x(ix) + t * g.dx();
                y = g.y(iy);
            } else {
                int v = e - hCount;
                int iy = v / nx;
                int ix = v % nx;
                double fa = f[iy * nx + ix];
                double fb = f[(iy + 1) * nx + ix];
                double t = (level - fa) / (fb - fa);
                x = g.x(ix);
                y = g.y(iy) + t * g.dy();
            }
            if (bufLen >= 2 && buf[bufLen - 2] == x && buf[bufLen - 1] == y) {
                return;
            }
            if (bufLen + 2 > buf.length) {
                buf = Arrays.copyOf(buf, 2 * buf.length);
            }
            buf[bufLen++] = x;
            buf[bufLen++] = y;
        }
    }
}
