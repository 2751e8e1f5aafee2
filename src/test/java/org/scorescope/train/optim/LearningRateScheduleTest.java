package org.scorescope.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void constant() {
        LearningRateSchedule s = LearningRateSchedule.constant(0.003);
        assertEquals(0.003, s.at(0));
        assertEquals(0.003, s.at(1_000_000));
    }

    @Test
    void cosineAtKnownSteps() {
        LearningRateSchedule s = LearningRateSchedule.cosine(1e-2, 1000, 1e-4);
        assertEquals(1e-2, s.at(0), 1e-18);
        // Half way: cos(π/2) = 0, so (base + min)/2.
        assertEquals((1e-2 + 1e-4) / 2, s.at(500), 1e-17);
        // A quarter: min + ½(base − min)(1 + √½).
        assertEquals(1e-4 + 0.5 * (1e-2 - 1e-4) * (1 + Math.sqrt(0.5)), s.at(250), 1e-17);
        assertEquals(1e-4, s.at(1000), 1e-18);
        assertEquals(1e-4, s.at(5000));
        // Monotone non-increasing.
        for (int t = 1; t <= 1000; t++) {
            assertEquals(true, s.at(t) <= s.at(t - 1), "t = " + t);
        }
    }

    @Test
    void cosineWithWarmup() {
        LearningRateSchedule s = LearningRateSchedule.cosine(1.0, 110, 0.0, 10);
        assertEquals(0.1, s.at(0), 1e-15);
        assertEquals(0.5, s.at(4), 1e-15);
        assertEquals(1.0, s.at(9), 1e-15);
        assertEquals(1.0, s.at(10), 1e-15);
        assertEquals(0.5, s.at(60), 1e-15);
        assertEquals(0.0, s.at(110), 1e-15);
        LearningRateSchedule w = LearningRateSchedule.withWarmup(LearningRateSchedule.constant(2.0), 4);
        assertEquals(0.5, w.at(0));
        assertEquals(2.0, w.at(3));
        assertEquals(2.0, w.at(100));
        assertEquals(LearningRateSchedule.cosine(1.0, 100, 0.0), LearningRateSchedule.cosine(1.0, 100, 0.0, 0));
    }

    @Test
    void rejectsBadParameters() {
        assertEquals("min: must not exceed base = 0.1, found 0.2", assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.cosine(0.1, 10, 0.2)).getMessage());
        assertEquals("totalSteps: must be at least 1, found 0", assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.cosine(0.1, 0, 0.0)).getMessage());
        assertEquals("warmupSteps: must be in [0, totalSteps = 10), found 10",
                assertThrows(IllegalArgumentException.class,
                        () -> LearningRateSchedule.cosine(0.1, 10, 0.0, 10)).getMessage());
        assertEquals("lr: must be finite and non-negative, found -1.0", assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.constant(-1)).getMessage());
        assertEquals("step: must be non-negative, found -1", assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.constant(1).at(-1)).getMessage());
    }
}
