package org.scorescope.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Frame-interval percentiles (nearest rank), the longest stall, and the report file. */
class FrameStatsTest {
    @Test
    void percentilesAndStallFromKnownIntervals() {
        FrameStats s = new FrameStats();
        long t = 1_000_000_000L;
        s.record(t, 0);
        // 100 intervals: 1..100 ms.
        for (int i = 1; i <= 100; i++) {
            t += i * 1_000_000L;
            s.record(t, 2_000_000L);
        }
        assertEquals(100, s.intervals());
        assertEquals(50, s.percentileMs(0.5), 1e-9);
        assertEquals(95, s.percentileMs(0.95), 1e-9);
        assertEquals(100, s.percentileMs(1.0), 1e-9);
        assertEquals(100, s.maxIntervalMs(), 1e-9);
        assertEquals(2, s.maxWorkMs(), 1e-9);
        assertEquals(0.75, s.lateFraction(FrameStats.LATE_NANOS), 1e-12, "intervals of 26..100 ms are late");
        assertTrue(s.summary().contains("late (> 25 ms, a missed 60 Hz pulse) 75.0 %"), s.summary());
        // 51..100 ms are over the stall target; the 51 ms one ends 1 + 2 + … + 51 ms = 1.326 s after the first frame
        assertTrue(s.overTarget().startsWith("intervals > 50 ms: 50 (51.0 ms at 1.3 s, 52.0 ms at 1.4 s, "), s.overTarget());
        assertTrue(s.overTarget().endsWith("66.0 ms at 2.2 s, …)"), s.overTarget());
        s.reset();
        assertEquals("intervals > 50 ms: 0", s.overTarget());
        assertEquals(0, s.intervals());
        assertTrue(Double.isNaN(s.percentileMs(0.5)));
    }

    @Test
    void frameTimesCountOnlyPulsesThatStartWhileFramesAreRecorded() {
        FrameStats s = new FrameStats();
        long ms = 1_000_000L;
        for (long t = 1000; t <= 2000; t += 16) {
            s.record(t * ms, 0);
        }
        s.skip();
        s.pulse(500 * ms, 99 * ms, ""); // before recording
        s.pulse(1500 * ms, 10 * ms, "");
        s.pulse(1992 * ms + 7 * ms, 12 * ms, ""); // within half a pulse of the last recorded frame (1992 ms)
        s.pulse(3000 * ms, 98 * ms, ""); // paused
        for (long t = 5000; t <= 5100; t += 16) {
            s.record(t * ms, 0);
        }
        s.pulse(4995 * ms, 14 * ms, ""); // its first phase starts just before the AnimationTimer's now
        s.pulse(7000 * ms, 20 * ms, ""); // after the last recorded frame, still recording
        assertEquals(4, s.frameTimes());
        assertEquals(12, s.frameTimePercentileMs(0.5), 1e-9);
        assertEquals(20, s.frameTimePercentileMs(1), 1e-9);
        assertTrue(s.summary().startsWith("frame times (pulse start -> frame presented): n=4, p50=12.00 ms"), s.summary());
        s.reset();
        assertEquals(0, s.frameTimes());
        s.pulse(1500 * ms, 10 * ms, "");
        assertEquals(0, s.frameTimes(), "reset forgets the recording windows");
        assertTrue(s.summary().startsWith("frame times: none recorded"), s.summary());
    }

    @Test
    void reportGoesToTheConfiguredFile(@TempDir Path dir) throws Exception {
        FrameStats s = new FrameStats();
        s.record(0, 0);
        s.record(16_000_000L, 1_000_000L);
        Path out = dir.resolve("frames.txt");
        String old = System.getProperty("scorescope.frameStats.file");
        System.setProperty("scorescope.frameStats.file", out.toString());
        try {
            s.report(System.err);
        } finally {
            if (old == null) {
                System.clearProperty("scorescope.frameStats.file");
            } else {
                System.setProperty("scorescope.frameStats.file", old);
            }
        }
        String text = Files.readString(out);
        assertTrue(text.contains("p50=16.00 ms") && text.contains("max=16.00 ms"), text);
    }

    @Test
    void watchdogTellsARunnableThreadFromAnIdleOneDuringAStall() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc needed");
        FrameStats stats = new FrameStats();
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(2);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        FrameStats.Watched[] groups = new FrameStats.Watched[2];
        Thread spinning = new Thread(() -> {
            groups[0] = FrameStats.Watched.currentThread("spinning");
            ready.countDown();
            long x = 0;
            while (!stop.get()) {
                x++;
            }
            assertTrue(x > 0);
        });
        Thread sleeping = new Thread(() -> {
            groups[1] = FrameStats.Watched.currentThread("sleeping");
            ready.countDown();
            while (!stop.get()) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000_000L);
            }
        });
        spinning.start();
        sleeping.start();
        ready.await();
        try {
            stats.watch(groups);
            stats.record(System.nanoTime(), 0);
            Thread.sleep(4 * FrameStats.STALL_NANOS / 1_000_000); // no frame for 4 stall thresholds
            stats.record(System.nanoTime(), 0);
            long end = System.nanoTime() + 5_000_000_000L;
            while (stats.stalls() == 0 && System.nanoTime() < end) {
                Thread.sleep(5);
            }
        } finally {
            stop.set(true);
            sleeping.interrupt();
            spinning.join();
            java.util.concurrent.locks.LockSupport.unpark(sleeping);
            sleeping.join();
        }
        assertEquals(1, stats.stalls(), stats.stallReport());
        String report = stats.stallReport();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([\\d.]+) ms: spinning ran ([\\d.]+) ms, waited for a core "
                + "([\\d.]+) ms; sleeping ran ([\\d.]+) ms, waited for a core ([\\d.]+) ms; the hypervisor took \\d+ ms of CPU time").matcher(report);
        assertTrue(m.find(), report);
        double stall = Double.parseDouble(m.group(1));
        assertTrue(stall >= 4 * FrameStats.STALL_NANOS / 1e6, report);
        // Runnable all along: on a core or waiting for one for (almost) the whole stall; idle: neither.
        assertTrue(Double.parseDouble(m.group(2)) + Double.parseDouble(m.group(3)) > 0.7 * stall, report);
        assertTrue(Double.parseDouble(m.group(4)) + Double.parseDouble(m.group(5)) < 0.1 * stall, report);
        stats.reset();
        assertEquals(0, stats.stalls());
        assertEquals("stalls > 40 ms: 0", stats.stallReport());
    }
}
