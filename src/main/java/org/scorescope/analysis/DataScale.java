package org.scorescope.analysis;

import java.util.Arrays;

/**
 * Length scales of a point set, for choosing a noise level from the data: the median distance from a point to its
 * nearest neighbour, h_NN = median_i min_{j≠i} ‖x_i − x_j‖. On a small sample, exact and sliced score matching
 * collapse onto the points (the loss falls without bound as the density sharpens around each one); denoising at
 * σ ≈ h_NN smooths the data at the scale on which it has no information (see docs/training.md). O(n²·D), meant for
 * the small data sets where it matters. Stateless.
 */
public final class DataScale {
    private DataScale() {
    }

    /**
     * @param points n ≥ 2 points of equal dimension
     * @return the median nearest-neighbour distance (0 if more than half the points have a duplicate)
     */
    public static double medianNearestNeighbourDistance(double[][] points) {
        int n = points.length;
        if (n < 2) {
            throw new IllegalArgumentException("DataScale: need at least 2 points, got " + n);
        }
        double[] nn = new double[n];
        Arrays.fill(nn, Double.POSITIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            if (points[i].length != points[0].length) {
                throw new IllegalArgumentException("DataScale: point " + i + " has " + points[i].length
                        + " coordinates, point 0 has " + points[0].length);
            }
            for (int j = i + 1; j < n; j++) {
                double s = 0;
                for (int k = 0; k < points[i].length; k++) {
                    double d = points[i][k] - points[j][k];
                    s += d * d;
                }
                nn[i] = Math.min(nn[i], s);
                nn[j] = Math.min(nn[j], s);
            }
        }
        Arrays.sort(nn);
        // roots before averaging: for even n the median is the mean of the two middle distances, not squares
        return n % 2 == 1 ? Math.sqrt(nn[n / 2]) : 0.5 * (Math.sqrt(nn[n / 2 - 1]) + Math.sqrt(nn[n / 2]));
    }
}
