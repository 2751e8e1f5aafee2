package org.scorescope.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BoundedHistoryTest {
    /** Offers steps 1..n with loss = step, Fisher every 10 steps (= −step), NLL every 500 (= step / 1000). */
    private static BoundedHistory filled(int capacity, int n) {
        BoundedHistory h = new BoundedHistory(capacity);
        for (int s = 1; s <= n; s++) {
            h.add(s, s, s % 10 == 0 ? -s : Double.NaN, 2 * s, s % 500 == 0 ? s / 1000.0 : Double.NaN);
        }
        return h;
    }

    @Test
    void aMillionStepsStayWithinTheBound() {
        BoundedHistory h = filled(1000, 1_000_000);
        assertTrue(h.length() < 1000, "rows: " + h.length());
        assertTrue(h.length() >= 500, "halving keeps half: " + h.length());
        // 1e6 steps in < 1000 rows: at least 1024 steps apart, so ten halvings
        assertEquals(1024, h.stride());
        Trainer.History all = h.toHistory(7.0);
        assertEquals(1_000_000, all.steps()[all.steps().length - 1], "the newest step is always there");
        assertEquals(7.0, all.initialFisher());
    }

    @Test
    void keptRowsAreTheStepsThemselvesEvenlySpaced() {
        BoundedHistory h = filled(64, 10_000);
        double[] steps = h.steps().toArray();
        double[] losses = h.losses().toArray();
        double[] grads = h.gradNorms().toArray();
        for (int i = 0; i < steps.length; i++) {
            assertEquals(steps[i], losses[i], "a row's loss is its own step's, not a mix");
            assertEquals(2 * steps[i], grads[i]);
            if (i > 0) {
                assertTrue(steps[i] > steps[i - 1]);
            }
        }
        // the last rows are one stride apart
        double gap = steps[steps.length - 1] - steps[steps.length - 2];
        assertTrue(gap >= h.stride() / 2.0 && gap <= h.stride(), "gap " + gap + ", stride " + h.stride());
    }

    @Test
    void sparseValuesSurviveDecimationAtOrBeforeTheirRow() {
        BoundedHistory h = filled(64, 100_000);
        double[] steps = h.steps().toArray();
        double[] fishers = h.fishers().toArray();
        double[] nlls = h.nlls().toArray();
        int fisherRows = 0;
        int nllRows = 0;
        double previous = 0;
        for (int i = 0; i < steps.length; i++) {
            if (!Double.isNaN(fishers[i])) {
                fisherRows++;
                double evaluatedAt = -fishers[i];
                assertTrue(evaluatedAt <= steps[i] && evaluatedAt > previous, "Fisher of step " + evaluatedAt
                        + " on row " + steps[i]);
            }
            if (!Double.isNaN(nlls[i])) {
                nllRows++;
                double evaluatedAt = nlls[i] * 1000;
                assertTrue(evaluatedAt <= steps[i] && evaluatedAt > previous, "NLL of step " + evaluatedAt
                        + " on row " + steps[i]);
                assertEquals(0, evaluatedAt % 500, 1e-9);
            }
            previous = steps[i];
        }
        // rows are ~2048 steps apart at the end, NLL every 500 steps: nearly every row carries one
        assertTrue(nllRows > steps.length / 2, nllRows + " of " + steps.length);
        assertTrue(fisherRows > steps.length * 3 / 4, fisherRows + " of " + steps.length);
    }

    @Test
    void truncateDropsLaterRowsAndThePendingOne() {
        BoundedHistory h = filled(64, 1000);
        h.truncateAfter(700);
        Trainer.History t = h.toHistory(Double.NaN);
        assertTrue(t.steps()[t.steps().length - 1] <= 700);
        h.add(701, 1, Double.NaN, 1, Double.NaN);
        assertEquals(701, h.toHistory(Double.NaN).steps()[h.toHistory(Double.NaN).steps().length - 1]);
    }

    @Test
    void loadingALongSavedHistoryHalvesItToo() {
        Trainer.History big = filled(1_000_000, 5000).toHistory(1.0);
        assertEquals(5000, big.steps().length);
        BoundedHistory h = new BoundedHistory(100);
        h.load(big);
        assertTrue(h.length() < 100);
        Trainer.History back = h.toHistory(1.0);
        assertEquals(5000, back.steps()[back.steps().length - 1]);
        assertFalse(Double.isNaN(back.nlls()[back.nlls().length - 1]), "the NLL of step 5000 is kept");
    }

    @Test
    void viewsHandedOutDoNotChangeWhenTheHistoryIsHalved() {
        BoundedHistory h = filled(16, 15);
        Series.View before = h.steps();
        double[] copy = before.toArray();
        h.add(16, 0, Double.NaN, 0, Double.NaN); // reaches 16 rows: halves
        assertEquals(8, h.length());
        assertEquals(java.util.Arrays.toString(copy), java.util.Arrays.toString(before.toArray()));
    }
}
