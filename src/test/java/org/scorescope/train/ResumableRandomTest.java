package org.scorescope.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ResumableRandomTest {

    /** Mixes every kind of draw the trainer and objectives make, so the Gaussian cache is exercised. */
    private static double draw(Random r, int i) {
        return switch (i % 5) {
            case 0 -> r.nextInt(1000);
            case 1, 2 -> r.nextGaussian();
            case 3 -> r.nextDouble();
            default -> r.nextBoolean() ? 1 : 0;
        };
    }

    @Test
    void drawsExactlyTheSequenceOfJavaUtilRandom() {
        for (long seed : new long[] {0, 1, 42, -7, Long.MAX_VALUE}) {
            Random reference = new Random(seed);
            Random ours = new ResumableRandom(seed);
            for (int i = 0; i < 10_000; i++) {
                assertEquals(draw(reference, i), draw(ours, i), "seed " + seed + " draw " + i);
            }
            assertEquals(reference.nextLong(), ours.nextLong());
        }
    }

    @Test
    void aRestoredStateContinuesBitIdentically() {
        ResumableRandom a = new ResumableRandom(7);
        for (int i = 0; i < 333; i++) {
            draw(a, i);
        }
        a.nextGaussian(); // leaves the second Gaussian cached
        ResumableRandom.State saved = a.state();
        ResumableRandom b = new ResumableRandom(99);
        b.restore(saved);
        for (int i = 0; i < 1000; i++) {
            assertEquals(Double.doubleToLongBits(draw(a, i)), Double.doubleToLongBits(draw(b, i)), "draw " + i);
        }
    }
}
