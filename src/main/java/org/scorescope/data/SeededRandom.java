package org.scorescope.data;

import java.util.SplittableRandom;

/**
 * A seeded random source whose output is fully specified, so that a dataset generated from a seed
 * is the same on every JVM: uniforms come from {@link SplittableRandom} (SplitMix64, specified in
 * its Javadoc) and normals from the Marsaglia polar method implemented here rather than from the
 * JDK's unspecified {@code nextGaussian()} algorithm.
 */
final class SeededRandom {
    private final SplittableRandom uniform;
    private double spare;
    private boolean hasSpare;

    SeededRandom(long seed) {
        this.uniform = new SplittableRandom(seed);
    }

    /** @return u ~ U[0, 1). */
    double nextDouble() {
        return uniform.nextDouble();
    }

    /** @return k ~ uniform on {0, ..., bound - 1}. */
    int nextInt(int bound) {
        return uniform.nextInt(bound);
    }

    /** @return z ~ N(0, 1), Marsaglia polar method (pairs; the second value is cached). */
    double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u;
        double v;
        double s;
        do {
            u = 2.0 * uniform.nextDouble() - 1.0;
            v = 2.0 * uniform.nextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        double m = Math.sqrt(-2.0 * Math.log(s) / s);
        spare = v * m;
        hasSpare = true;
        return u * m;
    }

    /** Fisher–Yates shuffle of the rows of a flat row-major n × 2 array. */
    void shuffleRows2(double[] flat, int n) {
        for (int i = n - 1; i > 0; i--) {
            int j = uniform.nextInt(i + 1);
            double x = flat[2 * i];
            double y = flat[2 * i + 1];
            flat[2 * i] = flat[2 * j];
            flat[2 * i + 1] = flat[2 * j + 1];
            flat[2 * j] = x;
            flat[2 * j + 1] = y;
        }
    }
}
