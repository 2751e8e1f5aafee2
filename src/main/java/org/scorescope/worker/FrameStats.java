package org.scorescope.worker;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.scorescope.data.AtomicFiles;
import org.scorescope.threads.BackgroundPriority;

/**
 * Frame-time recorder: every measured animation frame reports its start time and how long its own work took
 * (the app measures the frames while training; {@link #skip()} the others). It keeps two distributions:
 * <ul>
 * <li><b>frame times</b> ({@link #pulse}, from the app's {@code PulseTimes}): per JavaFX pulse, the time
 * from the pulse's start to its frame being presented — what a frame costs, against the 16.7 ms budget of
 * a 60 Hz display;
 * counted for pulses that start while frames are being recorded;</li>
 * <li><b>intervals</b> between consecutive frames ({@link #record}): what the user sees as pacing. They cannot
 * be shorter than the pulse period, and they jitter with the pulse timer; a stalled FX thread shows up as one
 * long interval, so the longest is the longest FX-thread stall.</li>
 * </ul>
 * Enabled by the system property {@code scorescope.frameStats=true} or the environment variable
 * {@code SCORESCOPE_FRAME_STATS=1}; the report goes to stderr at exit, or to the file named by
 * {@code scorescope.frameStats.file}. Recording is allocation-free except when a buffer grows. With
 * {@link #watch} a watchdog also reports whether the FX and render threads ran or waited for a core during
 * stalls.
 */
public final class FrameStats {
    /** Longer than this without a frame counts as a stall for {@link #watch}. */
    static final long STALL_NANOS = 40_000_000L;
    /** 1.5 pulse periods at 60 Hz: an interval this long means a pulse was missed. */
    static final long LATE_NANOS = 25_000_000L;
    /** Half a 60 Hz pulse: a pulse's first phase starts just before its AnimationTimer {@code now}. */
    private static final long WINDOW_SLACK_NANOS = 8_000_000L;
    /** The stall target: no interval longer than this. */
    static final long TARGET_STALL_NANOS = 50_000_000L;
    /** Longest frames whose phases the report lists. */
    private static final int LONGEST_KEPT = 5;
    /** Intervals over the stall target whose time the report lists. */
    private static final int OVER_TARGET_KEPT = 16;
    private long[] intervals = new long[4096];
    private int count;
    private long[] frameTimes = new long[4096];
    private int frameTimeCount;
    /** The longest recorded frame times and their phases, longest first. */
    private final Longest longestFrames = new Longest();
    /** The first intervals over the stall target: end time after the first recorded frame, and length, ns. */
    private final long[] overTarget = new long[2 * OVER_TARGET_KEPT];
    private int overTargetCount;
    /** Recording windows [first frame, last frame], start-end pairs; a pulse counts if it starts inside one. */
    private long[] windows = new long[64];
    private int windowCount;
    private long lastFrame = Long.MIN_VALUE;
    private long maxInterval;
    private long maxWork;
    private long firstFrame = Long.MIN_VALUE;
    private long lastRecorded = Long.MIN_VALUE;
    private long lastInterval;
    /** The longest stalls the watchdog saw: length and what the watched threads did. */
    private final Longest longestStalls = new Longest();
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
            lastInterval = d;
            maxInterval = Math.max(maxInterval, d);
            if (d > TARGET_STALL_NANOS) {
                if (overTargetCount < OVER_TARGET_KEPT) {
                    overTarget[2 * overTargetCount] = startNanos - firstFrame;
                    overTarget[2 * overTargetCount + 1] = d;
                }
                overTargetCount++;
            }
        } else {
            lastInterval = 0;
            if (firstFrame == Long.MIN_VALUE) {
                firstFrame = startNanos;
            }
            if (2 * windowCount + 2 > windows.length) {
                windows = Arrays.copyOf(windows, 2 * windows.length);
            }
            windows[2 * windowCount] = startNanos;
            windowCount++;
        }
        windows[2 * windowCount - 1] = startNanos;
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

    /**
     * Records one pulse's frame time if the pulse started while frames were being recorded: between the first
     * and the last {@link #record}ed frame of a run of them (give or take half a pulse), or after the last while
     * it is still running.
     *
     * @param startNanos    the pulse's start ({@link System#nanoTime()} clock)
     * @param durationNanos from its start until its frame was presented
     * @param phases        what the pulse spent its time on, for the report of the longest frames
     */
    public synchronized void pulse(long startNanos, long durationNanos, CharSequence phases) {
        boolean inside = false;
        for (int i = windowCount - 1; i >= 0 && !inside; i--) {
            long end = i == windowCount - 1 && lastFrame != Long.MIN_VALUE ? Long.MAX_VALUE : windows[2 * i + 1];
            inside = startNanos + WINDOW_SLACK_NANOS >= windows[2 * i] && startNanos - WINDOW_SLACK_NANOS <= end;
        }
        if (!inside) {
            return;
        }
        if (frameTimeCount == frameTimes.length) {
            frameTimes = Arrays.copyOf(frameTimes, 2 * frameTimeCount);
        }
        frameTimes[frameTimeCount++] = durationNanos;
        if (longestFrames.admits(durationNanos)) {
            longestFrames.add(durationNanos, String.format(Locale.ROOT, "%.1f ms at %.1f s: %s", durationNanos / 1e6,
                    (startNanos - firstFrame) / 1e9, phases));
        }
    }

    /**
     * @return the longest frames, one per line: frame time, when it started (seconds after the first recorded
     *         frame) and the phases of at least half a millisecond
     */
    public synchronized String longestFrames() {
        return longestFrames.text();
    }

    /**
     * @return the intervals over the 50 ms stall target: how many, and the first ones as length and when they
     *         ended (seconds after the first recorded frame), so warm-up stalls can be told from steady ones
     */
    public synchronized String overTarget() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "intervals > %d ms: %d",
                TARGET_STALL_NANOS / 1_000_000, overTargetCount));
        for (int i = 0; i < Math.min(overTargetCount, OVER_TARGET_KEPT); i++) {
            sb.append(i == 0 ? " (" : ", ").append(String.format(Locale.ROOT, "%.1f ms at %.1f s",
                    overTarget[2 * i + 1] / 1e6, overTarget[2 * i] / 1e9));
        }
        return sb.append(overTargetCount > OVER_TARGET_KEPT ? ", …)" : overTargetCount > 0 ? ")" : "").toString();
    }

    /** Forgets everything recorded so far (e.g. to measure only while training). */
    public synchronized void reset() {
        count = 0;
        frameTimeCount = 0;
        windowCount = 0;
        longestFrames.clear();
        overTargetCount = 0;
        lastFrame = Long.MIN_VALUE;
        firstFrame = Long.MIN_VALUE;
        maxInterval = 0;
        maxWork = 0;
        longestStalls.clear();
        stallCount = 0;
    }

    /**
     * Threads the watchdog follows, as one group: a label for the report and their Linux thread ids (a
     * group's times are summed: JavaFX names several threads "QuantumRenderer").
     *
     * @param label e.g. "FX thread"
     * @param tids  Linux thread ids
     */
    public record Watched(String label, long... tids) {
        /**
         * @param label the group's label
         * @return the calling thread (Linux; elsewhere no threads)
         */
        public static Watched currentThread(String label) {
            try {
                return new Watched(label, BackgroundPriority.currentTid());
            } catch (IOException | RuntimeException e) {
                return new Watched(label);
            }
        }

        /**
         * @param label  the group's label
         * @param prefix the start of the threads' names as the kernel keeps them (15 characters at most)
         * @return this process's threads whose name starts with {@code prefix} (Linux; elsewhere none)
         */
        public static Watched named(String label, String prefix) {
            try {
                return new Watched(label, BackgroundPriority.threadsNamed(prefix).stream().mapToLong(Long::longValue)
                        .toArray());
            } catch (IOException | RuntimeException e) {
                return new Watched(label);
            }
        }
    }

    /**
     * Starts a daemon thread that tells what each stall (no frame for {@value #STALL_NANOS} ns while recording)
     * was made of: every 5 ms it reads the scheduler's statistics of the watched threads
     * ({@code /proc/self/task/<tid>/schedstat}: time on a CPU, time runnable but waiting for one), and for each
     * stall reports how much of it each group spent running and waiting for a core, and how much CPU time the
     * hypervisor gave to other guests meanwhile ("steal", summed over cores). A group that neither ran nor
     * waited was idle, or its whole machine was not running: the steal tells which. Reading these files stops
     * nothing; a stack dump would stop every Java thread at a safepoint, and so lengthen the very stall it looks
     * at. Linux only: elsewhere the watchdog ends at once and no stalls are reported.
     *
     * @param groups the FX thread and Prism's renderer
     */
    public void watch(Watched... groups) {
        Thread t = new Thread(() -> {
            long seenFrame = Long.MIN_VALUE;
            long[] base = schedstat(groups);
            while (base != null) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
                long[] now = schedstat(groups);
                if (now == null) {
                    return;
                }
                long frame;
                long interval;
                synchronized (this) {
                    frame = lastRecorded;
                    interval = lastInterval;
                }
                if (frame != seenFrame) {
                    // A new frame since the last reading: if it ended a stall, base holds the times up to its start.
                    if (seenFrame != Long.MIN_VALUE && interval > STALL_NANOS && frame - interval == seenFrame) {
                        stall(interval, groups, base, now);
                    }
                    seenFrame = frame;
                    base = now;
                }
            }
        }, "scorescope-frame-watchdog");
        t.setDaemon(true);
        t.start();
    }

    /**
     * @return per group: nanoseconds on a CPU, then nanoseconds waiting for one, summed over its threads; last,
     *         the CPU time the hypervisor gave to other guests, all cores ({@code /proc/stat} steal, in ns at
     *         the kernel's 10 ms ticks); null off Linux
     */
    static long[] schedstat(Watched... groups) {
        long[] out = new long[2 * groups.length + 1];
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
            out[2 * groups.length] = Long.parseLong(cpu.substring(3).trim().split("\\s+")[7]) * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            // no steal figure: counted as none
        }
        for (int g = 0; g < groups.length; g++) {
            for (long tid : groups[g].tids()) {
                try {
                    String[] f = Files.readString(Path.of("/proc/self/task/" + tid + "/schedstat")).trim().split(" ");
                    out[2 * g] += Long.parseLong(f[0]);
                    out[2 * g + 1] += Long.parseLong(f[1]);
                } catch (IOException | RuntimeException e) {
                    if (!Files.isDirectory(Path.of("/proc/self/task"))) {
                        return null;
                    }
                    // the thread ended: it adds nothing from now on
                }
            }
        }
        return out;
    }

    private synchronized void stall(long nanos, Watched[] groups, long[] before, long[] after) {
        stallCount++;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%.1f ms:", nanos / 1e6));
        for (int g = 0; g < groups.length; g++) {
            sb.append(String.format(Locale.ROOT, "%s %s ran %.1f ms, waited for a core %.1f ms", g == 0 ? "" : ";",
                    groups[g].label(), (after[2 * g] - before[2 * g]) / 1e6, (after[2 * g + 1] - before[2 * g + 1]) / 1e6));
        }
        int n = 2 * groups.length;
        sb.append(String.format(Locale.ROOT, "; the hypervisor took %.0f ms of CPU time", (after[n] - before[n]) / 1e6));
        longestStalls.add(nanos, sb.toString());
    }

    /** @return number of stalls the watchdog saw */
    public synchronized int stalls() {
        return stallCount;
    }

    /** @return the watchdog's count of stalls and, for the longest, what the watched threads did meanwhile */
    public synchronized String stallReport() {
        return String.format(Locale.ROOT, "stalls > %d ms: %d%s", STALL_NANOS / 1_000_000, stallCount,
                stallCount > 0 ? ", the longest:" + System.lineSeparator() + longestStalls.text().strip() : "");
    }

    /** The {@value #LONGEST_KEPT} longest events, each with a line of text, longest first. */
    private static final class Longest {
        private final long[] nanos = new long[LONGEST_KEPT];
        private final String[] lines = new String[LONGEST_KEPT];

        /** @return whether an event this long would be kept (so the caller builds its line only then) */
        boolean admits(long n) {
            return lines[LONGEST_KEPT - 1] == null || n > nanos[LONGEST_KEPT - 1];
        }

        void add(long n, String line) {
            for (int i = 0; i < LONGEST_KEPT; i++) {
                if (lines[i] == null || n > nanos[i]) {
                    System.arraycopy(nanos, i, nanos, i + 1, LONGEST_KEPT - i - 1);
                    System.arraycopy(lines, i, lines, i + 1, LONGEST_KEPT - i - 1);
                    nanos[i] = n;
                    lines[i] = line;
                    return;
                }
            }
        }

        void clear() {
            Arrays.fill(lines, null);
        }

        /** @return the lines, each ended by a line separator */
        String text() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < LONGEST_KEPT && lines[i] != null; i++) {
                sb.append(lines[i]).append(System.lineSeparator());
            }
            return sb.toString();
        }
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
        return percentileMs(intervals, count, q);
    }

    /** @return number of pulses whose frame time was recorded */
    public synchronized int frameTimes() {
        return frameTimeCount;
    }

    /**
     * Nearest-rank percentile of the frame times ({@link #pulse}), as {@link #percentileMs} for intervals.
     *
     * @param q quantile in (0, 1]
     * @return milliseconds, NaN when nothing was recorded
     */
    public synchronized double frameTimePercentileMs(double q) {
        return percentileMs(frameTimes, frameTimeCount, q);
    }

    private static double percentileMs(long[] values, int n, double q) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be in (0, 1], got " + q);
        }
        if (n == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        int idx = (int) Math.ceil(q * n) - 1;
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

    /** @return the summary: frame times p50/p95/max, then frames, p50/p95/max interval, longest handler */
    public synchronized String summary() {
        double seconds = count == 0 ? 0 : (lastRecorded - firstFrame) / 1e9;
        String times = frameTimeCount == 0 ? "frame times: none recorded (needs Java Flight Recorder)"
                : String.format(Locale.ROOT, "frame times (pulse start -> frame presented): n=%d, p50=%.2f ms, "
                        + "p95=%.2f ms, p99=%.2f ms, max=%.2f ms", frameTimeCount, frameTimePercentileMs(0.5),
                        frameTimePercentileMs(0.95), frameTimePercentileMs(0.99), frameTimePercentileMs(1));
        return times + System.lineSeparator() + String.format(Locale.ROOT,
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
        String longest = longestFrames();
        String line = summary() + System.lineSeparator() + overTarget() + (longest.isEmpty() ? "" : System.lineSeparator() + "longest frames (phases >= 0.5 ms):"
                + System.lineSeparator() + longest.strip()) + (stallCount > 0 ? System.lineSeparator() + stallReport() : "");
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
