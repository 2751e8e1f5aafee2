package org.scorescope.train;

import java.util.SplittableRandom;

/**
 * Held-out points for data of unknown origin (a CSV, drawn points): a seeded random tenth of the rows, never trained
 * on, on which the held-out likelihood is measured. The CLI's {@code train --points} and the app's drawn or imported
 * data use the same split, so both judge a fit on the same points. Stateless.
 */
public final class HeldOutSplit {
    private HeldOutSplit() {
    }

    /**
     * Splits rows into trained and held-out points: a seeded random tenth (⌊n/10⌋ rows, none below 10 rows) is
     * held out; both parts keep the input's order.
     *
     * @param all  the rows
     * @param seed the run's seed
     * @return {trained, held out}, the held-out part null when nothing is held out
     */
    public static double[][][] split(double[][] all, long seed) {
        int n = all.length;
        int m = n / 10;
        if (m == 0) {
            return new double[][][] {all, null};
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        boolean[] held = new boolean[n];
        for (int i = 0; i < m; i++) { // the first m of a Fisher–Yates shuffle
            int j = i + r.nextInt(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
            held[order[i]] = true;
        }
        double[][] trained = new double[n - m][];
        double[][] out = new double[m][];
        for (int i = 0, a = 0, b = 0; i < n; i++) {
            if (held[i]) {
                out[b++] = all[i];
            } else {
                trained[a++] = all[i];
            }
        }
        return new double[][][] {trained, out};
    }
}
