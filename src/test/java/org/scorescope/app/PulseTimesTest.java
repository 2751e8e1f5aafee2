package org.scorescope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.scorescope.worker.FrameStats;

/** Pulse phases (as JavaFX emits them) to per-pulse frame times. */
class PulseTimesTest {
    private static final long MS = 1_000_000L;

    @Test
    void aPulseSpansItsFirstPhaseToItsLastOnEitherThread() {
        FrameStats stats = new FrameStats();
        stats.record(0, 0); // recording from t = 0 on
        PulseTimes p = new PulseTimes();
        p.sink(stats);
        // pulse 1: FX phases 0–5 ms, painted by the render thread 5–13 ms, whose events come after pulse 2's FX ones
        p.phase(1, "Pulse start", 0, 2 * MS);
        p.phase(1, "Layout Pass", 2 * MS, 5 * MS);
        p.phase(2, "Pulse start", 16 * MS, 18 * MS);
        p.phase(1, "Painting", 5 * MS, 13 * MS);
        // pulse 2 waits for nothing and paints nothing; pulse 3 paints for 20 ms
        p.phase(3, "Pulse start", 33 * MS, 35 * MS);
        p.phase(3, "Painting", 35 * MS, 53 * MS);
        p.phase(3, "Presentable.present", 53 * MS, 53 * MS + 100_000);
        p.phase(0, "Pulse start", 40 * MS, 90 * MS); // a phase outside any pulse is not a frame
        assertEquals(0, stats.frameTimes(), "nothing is complete until later pulses were seen");
        p.phase(4, "Pulse start", 50 * MS, 51 * MS);
        assertEquals(1, stats.frameTimes());
        p.phase(5, "Pulse start", 66 * MS, 67 * MS);
        p.phase(6, "Pulse start", 83 * MS, 84 * MS);
        assertEquals(3, stats.frameTimes());
        assertEquals(2, stats.frameTimePercentileMs(1.0 / 3), 1e-9);
        assertEquals(13, stats.frameTimePercentileMs(2.0 / 3), 1e-9);
        assertEquals(20.1, stats.frameTimePercentileMs(1), 1e-9);
        assertEquals(String.format("20.1 ms at 0.0 s: Pulse start 2.0, Painting 18.0%n13.0 ms at 0.0 s: Pulse start 2.0, "
                + "Layout Pass 3.0, Painting 8.0%n2.0 ms at 0.0 s: Pulse start 2.0%n"), stats.longestFrames(), "phases under 0.5 ms are left out");
    }

    @Test
    void withoutASinkPulsesAreDropped() {
        PulseTimes p = new PulseTimes();
        for (int id = 1; id <= 10; id++) {
            p.phase(id, "Pulse start", id * 16 * MS, id * 16 * MS + MS);
        }
        FrameStats stats = new FrameStats();
        stats.record(0, 0);
        p.sink(stats);
        p.phase(11, "Pulse start", 176 * MS, 177 * MS);
        assertEquals(1, stats.frameTimes(), "only pulse 8, completed after the sink was set");
    }
}
