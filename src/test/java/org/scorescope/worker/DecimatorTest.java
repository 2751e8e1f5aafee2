package org.scorescope.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scorescope.train.Series;

/** History decimation keeps extremes, order and finite values, and bounds the point count. */
class DecimatorTest {
    private static Series.View series(double... v) {
        Series s = new Series();
        for (double d : v) {
            s.add(d);
        }
        return s.view();
    }

    @Test
    void shortHistoriesPassThroughWithoutNaN() {
        Decimator.Line l = Decimator.decimate(series(1, 2, 3, 4), series(5, Double.NaN, 7, -1), 10, false);
        assertArrayEquals(new double[] {1, 3, 4}, l.x(), 0);
        assertArrayEquals(new double[] {5, 7, -1}, l.y(), 0);
        Decimator.Line p = Decimator.decimate(series(1, 2, 3, 4), series(5, Double.NaN, 7, -1), 10, true);
        assertArrayEquals(new double[] {1, 3}, p.x(), 0, "log axis: non-positive values dropped");
    }

    @Test
    void longHistoriesKeepEveryBucketsMinimumAndMaximum() {
        int n = 100_000;
        Series xs = new Series();
        Series ys = new Series();
        java.util.Random r = new java.util.Random(3);
        double globalMin = Double.POSITIVE_INFINITY;
        double globalMax = Double.NEGATIVE_INFINITY;
        for (int i = 1; i <= n; i++) {
            double v = Math.exp(-i / 20000.0) + 0.1 * r.nextGaussian();
            if (i == 54_321) {
                v = 50; // a spike must survive
            }
            xs.add(i);
            ys.add(v);
            globalMin = Math.min(globalMin, v);
            globalMax = Math.max(globalMax, v);
        }
        int buckets = 200;
        Decimator.Line l = Decimator.decimate(xs.view(), ys.view(), buckets, false);
        assertTrue(l.size() <= 3 * buckets && l.size() >= buckets, "size " + l.size());
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < l.size(); i++) {
            min = Math.min(min, l.y()[i]);
            max = Math.max(max, l.y()[i]);
            if (i > 0) {
                assertTrue(l.x()[i] > l.x()[i - 1], "x increasing at " + i);
            }
        }
        assertEquals(globalMin, min, 0);
        assertEquals(globalMax, max, 0);
        assertEquals(1, l.x()[0], 0, "first point kept");
        // Every bucket's extremes, recomputed by brute force, are present.
        double span = n - 1;
        for (int b = 0; b < buckets; b++) {
            double lo = 1 + span * b / buckets;
            double hi = b == buckets - 1 ? Double.POSITIVE_INFINITY : 1 + span * (b + 1) / buckets;
            double bmin = Double.POSITIVE_INFINITY;
            double bmax = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double x = xs.view().get(i);
                if (x >= lo && x < hi) {
                    bmin = Math.min(bmin, ys.view().get(i));
                    bmax = Math.max(bmax, ys.view().get(i));
                }
            }
            assertTrue(contains(l.y(), bmin) && contains(l.y(), bmax), "bucket " + b);
        }
    }

    private static boolean contains(double[] a, double v) {
        for (double d : a) {
            if (d == v) {
                return true;
            }
        }
        return false;
    }
}
