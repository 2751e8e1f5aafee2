package org.scorescope.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scorescope.model.ModelFormatException;
import org.scorescope.model.ModelSpec;

class SessionFileTest {
    @Test
    void roundTripIsExactForEveryModelKind() throws Exception {
        Object[][] combos = {
            {ModelSpec.Kind.ENERGY, TrainingConfig.ObjectiveKind.EXACT},
            {ModelSpec.Kind.SCORE, TrainingConfig.ObjectiveKind.SLICED_VR},
            {ModelSpec.Kind.NOISE_CONDITIONAL, TrainingConfig.ObjectiveKind.DENOISING_MULTI},
            {ModelSpec.Kind.FLOW, TrainingConfig.ObjectiveKind.MAX_LIKELIHOOD},
        };
        for (Object[] c : combos) {
            TrainingConfig cfg = TrainerTest.small((ModelSpec.Kind) c[0], (TrainingConfig.ObjectiveKind) c[1], 3e-3);
            Trainer t = Trainer.forDataset(cfg);
            t.step();
            SessionFile.Session s = new SessionFile.Session(cfg, new double[][] {{0.1, -0.2}, {1e-300, 3}},
                    t.model(), 1);
            SessionFile.Session back = SessionFile.parse(SessionFile.toJson(s));
            assertEquals(cfg, back.config());
            assertArrayEquals(s.points(), back.points());
            assertArrayEquals(t.model().theta(), back.model().theta());
            assertEquals(t.model().model().kind(), back.model().model().kind());
            // A bare model file opens as a session with matching architecture settings.
            SessionFile.Session fromModel = SessionFile.parse(org.scorescope.model.ModelFile.toJson(t.model().toSpec()));
            assertEquals(cfg.modelKind(), fromModel.config().modelKind());
            assertEquals(cfg.width(), fromModel.config().width());
            assertEquals(cfg.depth(), fromModel.config().depth());
        }
    }

    @Test
    void badFilesAreRejectedNamingTheField() {
        String good = SessionFile.toJson(new SessionFile.Session(TrainingConfig.defaults(), new double[][] {{1, 2}},
                null, 0));
        assertTrue(message(good.replace("\"samples\" : 2000", "\"samples\" : -5")).contains("samples"));
        assertTrue(message(good.replace("\"format\" : \"scorescope-session\",", "\"format\" : \"scorescope-session\", \"extra\": 1,"))
                .startsWith("extra: unknown field"));
        assertTrue(message(good.replace("[ 1.0, 2.0 ]", "[ 1.0 ]")).startsWith("points[0]"));
        assertTrue(message("{oops").startsWith("(root): not valid JSON"));
    }

    private static String message(String json) {
        return assertThrows(ModelFormatException.class, () -> SessionFile.parse(json)).getMessage();
    }
}
