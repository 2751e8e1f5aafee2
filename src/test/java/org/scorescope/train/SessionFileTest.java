package org.scorescope.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scorescope.model.ModelFormatException;
import org.scorescope.data.ToyDataset;
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
            TrainingConfig.ModelConfig m = fromModel.config().model();
            assertEquals(cfg.model().kind(), m.kind());
            assertEquals(cfg.model().width(), m.width());
            assertEquals(cfg.model().depth(), m.depth());
            if (m.kind() == ModelSpec.Kind.FLOW) {
                assertEquals(cfg.model().couplings(), m.couplings());
            }
        }
    }

    @Test
    void theModelDecidesTheArchitectureSettings() throws Exception {
        TrainingConfig affine = TrainerTest.small(ModelSpec.Kind.FLOW, TrainingConfig.ObjectiveKind.MAX_LIKELIHOOD, 3e-3)
                .with(Settings.FLOW_TRANSFORM, TrainingConfig.FlowTransform.AFFINE);
        Trainer t = Trainer.forDataset(affine);
        // settings written before the flow transform was a setting: the default (spline) would not match the model
        String json = SessionFile.toJson(new SessionFile.Session(affine, new double[][] {{0, 1}}, t.model(), 0))
                .replace("\"flowTransform\" : \"affine\",", "");
        assertTrue(!json.contains("flowTransform"), json);
        SessionFile.Session back = SessionFile.parse(json);
        assertEquals(TrainingConfig.FlowTransform.AFFINE, back.config().model().transform());
        assertEquals(affine, back.config());
    }

    @Test
    void badFilesAreRejectedNamingTheField() {
        String good = SessionFile.toJson(new SessionFile.Session(TrainingConfig.defaults(), new double[][] {{1, 2}},
                null, 0));
        assertTrue(message(good.replace("\"samples\" : 2000", "\"samples\" : -5")).contains("samples"));
        assertTrue(message(good.replace("\"format\" : \"scorescope-session\",", "\"format\" : \"scorescope-session\", \"extra\": 1,"))
                .startsWith("extra: unknown field"));
        assertTrue(message(good.replace("[ 1.0, 2.0 ]", "[ 1.0 ]")).startsWith("points[0]"));
        assertTrue(message("{oops").contains("not valid JSON"));
        assertTrue(message(good.replace("\"seed\" : 1", "\"seed\" : \"abc\"")).startsWith("settings.seed: expected an integer"));
        assertTrue(message(good.replace("\"seed\" : 1", "\"seed\" : 1.9")).startsWith("settings.seed"));
        assertTrue(message(good.replace("\"step\" : 0", "\"step\" : -50")).startsWith("step: expected a non-negative"));
        assertTrue(message(good.replace("\"step\" : 0", "\"step\" : \"fifty\"")).startsWith("step:"));
        assertTrue(message(good.replace("\"version\" : 2", "\"version\" : \"1\"")).startsWith("version:"));
        assertTrue(message(good.replace("\"version\" : 2", "\"version\" : 1.9")).startsWith("version:"));
        assertTrue(message(good.replace("\"samples\" : 2000", "\"samples\" : 2000, \"samples\" : 3")).contains("uplicate"));
        assertTrue(message(good + " {}").contains("not valid JSON"));
        assertTrue(message(good.replace("\"width\" : 64", "\"width\" : 64, \"colour\" : 3")).startsWith("settings.colour: unknown"));
    }

    @Test
    void aVersionOneFileStillOpens() throws Exception {
        String v1 = "{\"format\": \"scorescope-session\", \"version\": 1, \"config\": {\"dataset\": \"moons\","
                + " \"samples\": 300, \"dataNoise\": null, \"modelKind\": \"energy\", \"width\": 32, \"depth\": 2,"
                + " \"activation\": \"softplus\", \"couplings\": 4, \"objective\": \"exact\", \"projections\": 1,"
                + " \"probe\": \"rademacher\", \"sigma\": 0.1, \"sigmaMax\": 5.0, \"sigmaLevels\": 10,"
                + " \"optimizer\": \"adam\", \"learningRate\": 0.002, \"momentum\": 0.9, \"weightDecay\": 0.0,"
                + " \"batchSize\": 128, \"schedule\": \"cosine\", \"steps\": 3000, \"clipNorm\": 0.0, \"seed\": 5},"
                + " \"points\": [[1, 2]], \"step\": 0}";
        SessionFile.Session s = SessionFile.parse(v1);
        assertEquals(ToyDataset.MOONS, s.config().data().dataset());
        assertEquals(32, s.config().model().width());
        assertEquals(0.002, s.config().optimizer().learningRate());
        assertEquals(5L, s.config().run().seed());
        assertEquals(null, s.run());
    }

    private static String message(String json) {
        return assertThrows(ModelFormatException.class, () -> SessionFile.parse(json)).getMessage();
    }
}
