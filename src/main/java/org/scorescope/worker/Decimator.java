package org.scorescope.worker;

import org.scorescope.train.Series;

/**
 * Downsamples long training histories for drawing: the x range is cut into equal buckets and each
 * bucket contributes its first point, its minimum and its maximum (in x order), so spikes survive
 * and a chart of thousands of steps costs at most about 3·buckets points. NaN y values are skipped
 * (the Fisher history is NaN between evaluations).
 */
public final class Decimator {
    private Decimator() {
    }

    /**
     * An (x, y) polyline.
     *
     * @param x abscissae, increasing
     * @param y ordinates, finite
     */
    public record Line(double[] x, double[] y) {
        /** @return number of points */
        public int size() {
            return x.length;
        }
    }

    /**
     * Decimates the finite points of (xs[i], ys[i]).
     *
     * @param xs      abscissae, non-decreasing (step numbers)
     * @param ys      ordinates, same length
     * @param buckets number of buckets, ≥ 1
     * @param positiveOnly also skip y ≤ 0 (for a log axis)
     * @return at most 3·buckets points; all points when there are fewer than that
     */
    public static Line decimate(Series.View xs, Series.View ys, int buckets, boolean positiveOnly) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be >= 1, got " + buckets);
        }
        int n = Math.min(xs.length(), ys.length());
        int finite = 0;
        for (int i = 0; i < n; i++) {
            if (keep(ys.get(i), positiveOnly)) {
                finite++;
            }
        }
        if (finite <= 3 * buckets) {
            double[] x = new double[finite];
            double[] y = new double[finite];
            int k = 0;
            for (int i = 0; i < n; i++) {
                double v = ys.get(i);
                if (keep(v, positiveOnly)) {
                    x[k] = xs.get(i);
                    y[k++] = v;
                }
            }
            return new Line(x, y);
        }
        double x0 = xs.get(0);
        double span = Math.max(1e-300, xs.get(n - 1) - x0);
        double[] ox = new double[3 * buckets];
        double[] oy = new double[3 * buckets];
        int k = 0;
        int i = 0;
        for (int b = 0; b < buckets && i < n; b++) {
            double end = b == buckets - 1 ? Double.POSITIVE_INFINITY : x0 + span * (b + 1) / buckets;
            int first = -1;
            int lo = -1;
            int hi = -1;
            for (; i < n && xs.get(i) < end; i++) {
                double v = ys.get(i);
                if (!keep(v, positiveOnly)) {
                    continue;
                }
                if (first < 0) {
                    first = i;
                    lo = i;
                    hi = i;
                } else {
                    if (v < ys.get(lo)) {
                        lo = i;
                    }
                    if (v > ys.get(hi)) {
                        hi = i;
                    }
                }
            }
            if (first < 0) {
                continue;
            }
            // Emit first, min and max in x order, without duplicates.
            k = emit(xs, ys, first, ox, oy, k);
            k = emit(xs, ys, Math.min(lo, hi), ox, oy, k);
            k = emit(xs, ys, Math.max(lo, hi), ox, oy, k);
        }
        return new Line(java.util.Arrays.copyOf(ox, k), java.util.Arrays.copyOf(oy, k));
    }

    private static int emit(Series.View xs, Series.View ys, int idx, double[] ox, double[] oy, int k) {
        if (k > 0 && ox[k - 1] == xs.get(idx) && oy[k - 1] == ys.get(idx)) {
            return k;
        }
        ox[k] = xs.get(idx);
        oy[k] = ys.get(idx);
        return k + 1;
    }

    private static boolean keep(double v, boolean positiveOnly) {
        return Double.isFinite(v) && (!positiveOnly || v > 0);
    }
}
