package org.scorescope.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.scorescope.data.AtomicFiles;

/**
 * Frame-time recorder for the FX thread: every measured animation frame reports its start time and
 * how long its own work took (the app measures the frames while training; {@link #skip()} the others). It keeps the intervals between consecutive frames (what the user sees as
 * smoothness; a stalled FX thread shows up as one long interval) and the longest frame handler.
 * Enabled by the system property {@code scorescope.frameStats=true} or the environment variable
 * {@code SCORESCOPE_FRAME_STATS=1}; the report goes to stderr at exit, or to the file named by
 * {@code scorescope.frameStats.file}. Recording is allocation-free except when the buffer grows. With
 * {@link #watch} a watchdog also samples what the FX and render threads do during stalls.
 */
public final class FrameStats {
    /** Longer than this without a frame counts as a stall for {@link #watch}. */
    static final long STALL_NANOS = 40_000_000L;
    /** 1.5 pulse periods at 60 Hz: an interval this long means a pulse was missed. */
    static final long LATE_NANOS = 25_000_000L;
    /** Frames of each sampled stack kept as its key. */
    private static final int STACK_DEPTH = 8;
    private long[] intervals = new long[4096];
    private int count;
    private long lastFrame = Long.MIN_VALUE;
    private long maxInterval;
    private long maxWork;
    private long firstFrame = Long.MIN_VALUE;
    private long lastRecorded = Long.MIN_VALUE;
    /** Stall samples: the watched threads' states and top frames → count (see {@link #watch}). */
    private final Map<String, Integer> stallSamples = new HashMap<>();
    private int stallCount;

    /** @return true when frame statistics were requested by property or environment */
    public static boolean requested() {
        String env = System.getenv("SCORESCOPE_FRAME_STATS");
        return Boolean.getBoolean("scorescope.frameStats")
                || (env != null && (env.equals("1") || env.equalsIgnoreCase("true")));
    }

    /**
     * Records one frame.
     *
     * @param startNanos the frame's start time (e.g. the AnimationTimer's {@code now})
     * @param workNanos  time spent in the frame handler
     */
    public synchronized void record(long startNanos, long workNanos) {
        if (lastFrame != Long.MIN_VALUE) {
            long d = startNanos - lastFrame;
            if (count == intervals.length) {
                intervals = Arrays.copyOf(intervals, 2 * count);
            }
            intervals[count++] = d;
            maxInterval = Math.max(maxInterval, d);
        } else if (firstFrame == Long.MIN_VALUE) {
            firstFrame = startNanos;
        }
        lastFrame = startNanos;
        lastRecorded = startNanos;
        maxWork = Math.max(maxWork, workNanos);
    }

    /**
     * Marks a frame that is not measured (e.g. while not training): the next recorded frame starts a
     * new chain, so the gap is not counted as an interval.
     */
    public synchronized void skip() {
        lastFrame = Long.MIN_VALUE;
    }

    /** Forgets everything recorded so far (e.g. to measure only while training). */
    public synchronized void reset() {
        count = 0;
        lastFrame = Long.MIN_VALUE;
        firstFrame = Long.MIN_VALUE;
        maxInterval = 0;
        maxWork = 0;
        stallSamples.clear();
        stallCount = 0;
    }

    /**
     * Starts a daemon thread that, whenever no frame has been recorded for {@value #STALL_NANOS} ns while
     * recording, samples the stacks of {@code threads} every 5 ms until the next frame; the report lists the
     * most frequent ones. It answers what a stall is made of: the FX thread's own work, waiting for the
     * render thread, or both idle (the process was not scheduled, or a GC pause).
     *
     * @param threads the FX thread and, if found, the renderer
     */
    public void watch(Thread... threads) {
        Thread t = new Thread(() -> {
            long sampledFrame = Long.MIN_VALUE;
            while (true) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
                long last;
                synchronized (this) {
                    last = lastFrame;
                }
                if (last == Long.MIN_VALUE || System.nanoTime() - last < STALL_NANOS) {
                    continue;
                }
                StringBuilder key = new StringBuilder();
                for (Thread th : threads) {
                    key.append(th.getName()).append(" [").append(th.getState()).append("]: ");
                    StackTraceElement[] st = th.getStackTrace();
                    for (int i = 0; i < Math.min(STACK_DEPTH, st.length); i++) {
                        key.append(i == 0 ? "" : " < ").append(st[i].getClassName().replaceAll(".*\\.", ""))
                                .append('.').append(st[i].getMethodName());
                    }
                    key.append('\n');
                }
                synchronized (this) {
                    stallSamples.merge(key.toString(), 1, Integer::sum);
                    if (sampledFrame != last) {
                        stallCount++;
                    }
                }
                sampledFrame = last;
            }
        }, "scorescope-frame-watchdog");
        t.setDaemon(true);
        t.start();
    }

    /** @return number of stalls the watchdog sampled */
    public synchronized int stalls() {
        return stallCount;
    }

    /** @return the watchdog's most frequent stall stacks, one block per stack with its sample count */
    public synchronized String stallReport() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "stalls > %d ms sampled: %d%n", STALL_NANOS / 1_000_000, stallCount));
        stallSamples.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(12)
                .forEach(e -> sb.append(e.getValue()).append(" samples:\n").append(e.getKey()));
        return sb.toString();
    }

    /** @return number of frame intervals recorded */
    public synchronized int intervals() {
        return count;
    }

    /**
     * Nearest-rank percentile of the frame intervals: the value at sorted index ⌈q·n⌉ − 1.
     *
     * @param q quantile in (0, 1]
     * @return milliseconds, NaN when nothing was recorded
     */
    public synchronized double percentileMs(double q) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be in (0, 1], got " + q);
        }
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(intervals, count);
        Arrays.sort(sorted);
        int idx = (int) Math.ceil(q * count) - 1;
        return sorted[Math.max(0, idx)] / 1e6;
    }

    /** @return the longest interval between two frames (the longest FX-thread stall), ms */
    public synchronized double maxIntervalMs() {
        return maxInterval / 1e6;
    }

    /** @return the longest time one frame handler took, ms */
    public synchronized double maxWorkMs() {
        return maxWork / 1e6;
    }

    /** @return a one-line summary: frames, p50/p95/max interval, longest handler */
    public synchronized String summary() {
        double seconds = count == 0 ? 0 : (lastRecorded - firstFrame) / 1e9;
        return String.format(Locale.ROOT,
                "frame intervals: n=%d over %.1f s, p50=%.2f ms, p95=%.2f ms, max=%.2f ms (longest FX stall); "
                        + "late (> 25 ms, a missed 60 Hz pulse) %.1f %%; longest frame handler %.2f ms",
                count, seconds, percentileMs(0.5), percentileMs(0.95), maxIntervalMs(), 100 * lateFraction(LATE_NANOS),
                maxWorkMs());
    }

    /**
     * @param thresholdNanos an interval longer than this counts as late
     * @return the fraction of recorded intervals longer than the threshold (0 when none were recorded)
     */
    public synchronized double lateFraction(long thresholdNanos) {
        int late = 0;
        for (int i = 0; i < count; i++) {
            if (intervals[i] > thresholdNanos) {
                late++;
            }
        }
        return count == 0 ? 0 : late / (double) count;
    }

    /**
     * Writes the summary to the file named by {@code scorescope.frameStats.file}, or to {@code err}.
     *
     * @param err where to print when no file is configured
     */
    public void report(PrintStream err) {
        String line = summary() + (stallCount > 0 ? System.lineSeparator() + stallReport() : "");
        String file = System.getProperty("scorescope.frameStats.file");
        if (file == null || file.isBlank()) {
            err.println("scorescope: " + line);
            return;
        }
        try {
            AtomicFiles.writeString(Path.of(file), line + System.lineSeparator());
        } catch (IOException e) {
            err.println("scorescope: cannot write frame statistics to " + file + " (" + e.getMessage() + "): " + line);
        }
    }
}
