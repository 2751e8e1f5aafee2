package org.scorescope.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scorescope.train.TrainingConfig;

/** The training worker's parts that need no thread: its data, its speed cap and its outgoing frames. */
class WorkerPartsTest {
    @Test
    void sessionDataAreGeneratedOnlyWhenTheSettingsMakeThem() {
        TrainingConfig c = TrainingConfig.defaults();
        RunData d = new RunData();
        assertTrue(d.isEmpty());
        d.generate(c);
        long v = d.version();
        assertFalse(d.custom());
        assertNotNull(d.truth(), "8gaussians knows its density");
        assertSame(d.truth(), d.shownTruth());
        assertEquals(2 * d.rows().length, d.flat().length);
        assertEquals(d.rows()[3][1], d.flat()[7]);

        RunData reopened = new RunData();
        reopened.open(c, d.rows());
        assertFalse(reopened.custom(), "the generator's own points open as generated data");
        assertNotNull(reopened.shownTruth());

        double[][] edited = d.appended(new double[] {0.5, -0.25});
        assertEquals(d.rows().length + 1, edited.length);
        assertArrayEquals(new double[] {0.5, -0.25}, edited[edited.length - 1]);
        reopened.open(c, edited);
        assertTrue(reopened.custom(), "edited points are the user's");
        assertNull(reopened.shownTruth());
        d.replace(edited, null, true);
        assertTrue(d.version() > v);

        assertThrows(IllegalArgumentException.class, () -> RunData.checkRow(new double[][] {{1, Double.NaN}}, 0));
        assertThrows(IllegalArgumentException.class, () -> RunData.checkRow(new double[][] {{1}}, 0));
        assertThrows(IllegalArgumentException.class, () -> Points.copyOf(new double[][] {{1, 2, 3}}));
    }

    @Test
    void theSpeedCapSpacesStepsAndTheRateIsMeasured() {
        StepPacer p = new StepPacer();
        assertFalse(p.capped());
        assertEquals(0, p.interval());
        p.setMax(100);
        assertTrue(p.capped());
        assertEquals(10_000_000L, p.interval());
        p.start(1_000);
        p.stepped(1_000, p.interval());
        assertEquals(10_001_000L, p.nextAt(), "the next step is one interval after the last due time");
        p.stepped(50_000_000L, p.interval());
        assertEquals(50_000_000L, p.nextAt(), "after a stall, no burst of catch-up steps");
        assertThrows(IllegalArgumentException.class, () -> p.setMax(0));
        p.count(10, 1_000_000_000L);
        p.count(30, 1_500_000_000L);
        assertEquals(80, p.perSecond(), 1e-9, "40 steps in 0.5 s");
        p.stop();
        assertEquals(0, p.perSecond());
    }

    @Test
    void framesAreTakenOnceAndPublishedAtTheirPace() {
        FrameOutbox o = new FrameOutbox();
        assertNull(o.take());
        assertTrue(o.due(System.nanoTime(), false), "paused: at once");
        long now = System.nanoTime();
        FrameData f = new FrameData(o.nextSerial(),
                new FrameData.Run(0, WorkerState.IDLE, "", 0, 0, 0, 0, 0, 0, 0),
                new FrameData.Data(null, null, false, new double[0], 0, false),
                new FrameData.Picture(new double[0], 0, null, null),
                new FrameData.Charts(null, null, null, null, null));
        o.post(f, now);
        assertFalse(o.due(now + 1_000_000L, true), "running: not within 15 ms of the last");
        assertTrue(o.due(now + 20_000_000L, true));
        assertEquals(14_000_000L, o.untilDue(now + 1_000_000L));
        assertSame(f, o.take());
        assertNull(o.take(), "at most once");
        assertEquals(2, o.nextSerial());
    }
}
