package org.scorescope.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Minimal wall-clock benchmark harness: runs a body {@code warmup} times untimed (JIT warm-up), then
 * {@code reps} timed times, and reports the median and the interquartile range (Q3 − Q1) in ms.
 * {@link #measureInterleaved} does the same for several competing bodies, round-robin. The median
 * CPU time of the calling thread is reported too.
 */
public final class BenchHarness {
    private BenchHarness() {
    }

    /**
     * Timing summary in milliseconds.
     *
     * @param medianMs median of the timed repetitions
     * @param q1Ms first quartile
     * @param q3Ms third quartile
     * @param reps number of timed repetitions
     * @param cpuMedianMs median CPU time of the calling thread per repetition (less sensitive than
     *                    wall time to other processes on a shared machine; excludes GC threads)
     */
    public record Result(double medianMs, double q1Ms, double q3Ms, int reps, double cpuMedianMs) {
        /**
         * Returns interquartile range Q3 − Q1 in ms.
         *
         * @return interquartile range Q3 − Q1 in ms
         */
        public double iqrMs() {
            return q3Ms - q1Ms;
        }

        /**
         * Returns a table cell "median (IQR q3−q1)", e.g. "12.3 (IQR 0.80)".
         *
         * @return a table cell "median (IQR q3−q1)", e.g. "12.3 (IQR 0.80)"
         */
        public String cell() {
            return String.format(Locale.ROOT, "%s (IQR %s)", fmt(medianMs), fmt(iqrMs()));
        }
    }

    /**
     * Formats milliseconds with 3 significant digits.
     *
     * @param ms value
     * @return formatted value
     */
    public static String fmt(double ms) {
        if (ms >= 100) {
            return String.format(Locale.ROOT, "%.0f", ms);
        }
        if (ms >= 10) {
            return String.format(Locale.ROOT, "%.1f", ms);
        }
        return String.format(Locale.ROOT, "%.2f", ms);
    }

    /**
     * Times a body.
     *
     * @param warmup untimed runs first (≥ 0)
     * @param reps timed runs (≥ 1)
     * @param body the work; its result is consumed so it cannot be optimised away
     * @return median and quartiles of the timed runs
     */
    public static Result measure(int warmup, int reps, Supplier<?> body) {
        if (reps < 1 || warmup < 0) {
            throw new IllegalArgumentException("BenchHarness: need reps >= 1 and warmup >= 0, got reps=" + reps
                    + " warmup=" + warmup);
        }
        int sink = 0;
        for (int i = 0; i < warmup; i++) {
            sink += System.identityHashCode(body.get());
        }
        double[] t = new double[reps];
        double[] cpu = new double[reps];
        for (int i = 0; i < reps; i++) {
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            Object r = body.get();
            t[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (cpuNanos() - c0) / 1e6;
            sink += System.identityHashCode(r);
        }
        if (sink == 42) {
            System.out.print("");
        }
        return summarize(t, cpu);
    }

    /**
     * Times several bodies round-robin: each repetition runs every body once, so slow drifts in
     * machine load (other processes on a shared CPU) hit all of them alike. Warm-up runs are
     * round-robin too.
     *
     * @param warmup untimed rounds first (≥ 0)
     * @param reps timed rounds (≥ 1)
     * @param bodies the competing computations
     * @return one result per body, in order
     */
    public static Result[] measureInterleaved(int warmup, int reps, List<? extends Supplier<?>> bodies) {
        if (reps < 1 || warmup < 0) {
            throw new IllegalArgumentException("BenchHarness: need reps >= 1 and warmup >= 0, got reps=" + reps
                    + " warmup=" + warmup);
        }
        int k = bodies.size();
        int sink = 0;
        for (int i = 0; i < warmup; i++) {
            for (Supplier<?> b : bodies) {
                sink += System.identityHashCode(b.get());
            }
        }
        double[][] t = new double[k][reps];
        double[][] cpu = new double[k][reps];
        for (int i = 0; i < reps; i++) {
            for (int j = 0; j < k; j++) {
                long c0 = cpuNanos();
                long t0 = System.nanoTime();
                Object r = bodies.get(j).get();
                t[j][i] = (System.nanoTime() - t0) / 1e6;
                cpu[j][i] = (cpuNanos() - c0) / 1e6;
                sink += System.identityHashCode(r);
            }
        }
        if (sink == 42) {
            System.out.print("");
        }
        Result[] out = new Result[k];
        for (int j = 0; j < k; j++) {
            out[j] = summarize(t[j], cpu[j]);
        }
        return out;
    }

    private static Result summarize(double[] wall, double[] cpu) {
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return new Result(quantile(wall, 0.5), quantile(wall, 0.25), quantile(wall, 0.75), wall.length,
                quantile(cpu, 0.5));
    }

    private static long cpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** Linear-interpolated quantile of sorted values. */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Parses a comma-separated list of integers ("32,64"), as the benchmark mains take them. */
    static int[] ints(String v) {
        String[] s = v.split(",");
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = Integer.parseInt(s[i].trim());
        }
        return out;
    }
}
