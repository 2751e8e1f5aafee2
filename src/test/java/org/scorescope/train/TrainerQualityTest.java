package org.scorescope.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerQualityTest {
    private static TrainingConfig small() {
        return TrainingConfig.defaults().withAll(Map.of(Settings.WIDTH, 8, Settings.SAMPLES, 200, Settings.BATCH_SIZE,
                32, Settings.NLL_EVERY, 20, Settings.STEPS, 200));
    }

    private static Trainer trained(TrainingConfig c, int steps) {
        Trainer t = Trainer.forDataset(c);
        t.holdOut(Trainer.heldOut(c));
        for (int i = 0; i < steps; i++) {
            t.step();
        }
        return t;
    }

    @Test
    void theNllIsAHistorySeriesEveryNllEverySteps() {
        Trainer t = trained(small(), 100);
        Trainer.History h = t.checkpoint().history();
        for (int i = 0; i < h.steps().length; i++) {
            boolean due = h.steps()[i] % 20 == 0;
            assertEquals(due, !Double.isNaN(h.nlls()[i]), "step " + h.steps()[i]);
        }
        assertEquals(h.nlls()[h.nlls().length - 1], t.quality().nll());
        assertEquals(t.quality().nll(), t.snapshot().nlls().last());
    }

    @Test
    void theBestModelIsTheOneWithTheLowestNllAndRestoringItBringsItBack() {
        Trainer t = trained(small(), 100);
        HeldOutQuality.Best best = t.quality().best();
        assertNotNull(best);
        assertEquals(HeldOutQuality.Metric.NLL, t.quality().metric());
        double[] nlls = t.checkpoint().history().nlls();
        double min = Arrays.stream(nlls).filter(v -> !Double.isNaN(v)).min().orElseThrow();
        assertEquals(min, best.value(), "the best is the lowest NLL evaluated");
        assertEquals(0, best.step() % 20);
        double[] bestTheta = best.theta().clone();
        long step = t.stepCount();
        assertTrue(t.restoreBest());
        assertArrayEquals(bestTheta, t.model().theta(), "the best parameters are the current model");
        assertEquals(best.value(), t.quality().nll(), 1e-12, "and evaluate to the best NLL again");
        assertEquals(step, t.stepCount(), "the step count goes on");
        assertTrue(t.step(), "training continues from the best model");
    }

    @Test
    void withoutHeldOutDataTheFisherDivergenceChoosesAndNothingWithoutTruth() {
        TrainingConfig c = small();
        Trainer t = Trainer.forDataset(c);
        for (int i = 0; i < 40; i++) {
            t.step();
        }
        assertEquals(HeldOutQuality.Metric.FISHER, t.quality().metric());
        assertNotNull(t.quality().best());
        Trainer none = new Trainer(c, Trainer.sample(c), null, null);
        none.step();
        assertNull(none.quality().metric());
        assertNull(none.quality().best());
        assertTrue(!none.restoreBest());
    }

    @Test
    void theNllSeriesAndTheBestModelSurviveASessionRoundTrip() throws Exception {
        TrainingConfig c = small();
        Trainer t = trained(c, 100);
        SessionFile.Session s = SessionFile.Session.of(t, Trainer.sample(c));
        SessionFile.Session back = SessionFile.parse(SessionFile.toJson(s));
        Trainer.History h = t.checkpoint().history();
        assertEquals(Arrays.toString(h.nlls()), Arrays.toString(back.run().history().nlls()));
        assertEquals(t.quality().best().step(), back.run().best().step());
        assertEquals(t.quality().best().metric(), back.run().best().metric());
        assertEquals(t.quality().best().value(), back.run().best().value());
        assertArrayEquals(t.quality().best().theta(), back.run().best().theta());
        // a resumed trainer keeps the best model and can go back to it
        Trainer resumed = new Trainer(back.config(), back.points(), Trainer.truth(c), back.model(), back.run());
        resumed.holdOut(Trainer.heldOut(c));
        assertTrue(resumed.restoreBest());
        assertArrayEquals(t.quality().best().theta(), resumed.model().theta());
    }

    @Test
    void sessionsWrittenBeforeTheNllAndBestModelStillOpen() throws Exception {
        TrainingConfig c = small();
        Trainer t = trained(c, 50);
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = (ObjectNode) m.readTree(SessionFile.toJson(SessionFile.Session.of(t, Trainer.sample(c))));
        ObjectNode run = (ObjectNode) root.get("run");
        run.remove("best");
        ((ObjectNode) run.get("history")).remove("nll");
        SessionFile.Session old = SessionFile.parse(m.writeValueAsString(root));
        assertNull(old.run().best());
        assertTrue(Arrays.stream(old.run().history().nlls()).allMatch(Double::isNaN));
        assertEquals(t.checkpoint().history().steps().length, old.run().history().nlls().length);
    }

    @Test
    void aBestModelOfTheWrongSizeIsRejectedNamingTheField() throws Exception {
        TrainingConfig c = small();
        Trainer t = trained(c, 40);
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = (ObjectNode) m.readTree(SessionFile.toJson(SessionFile.Session.of(t, Trainer.sample(c))));
        ((ObjectNode) root.get("run").get("best")).putArray("theta").add(1.0);
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.scorescope.model.ModelFormatException.class,
                () -> SessionFile.parse(m.writeValueAsString(root)));
        assertTrue(e.getMessage().contains("run.best.theta"), e.getMessage());
    }
}
