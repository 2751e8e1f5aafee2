package org.scorescope.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.GradCheck;
import org.scorescope.autodiff.Tensor;
import org.scorescope.objective.ContinuousDenoising;

class DiffusionModelTest {
    private static final Tensor X = Tensor.of(new double[][] {{0.3, -1.2}, {2.0, 0.5}, {-0.7, 0.1}});

    private static ModelState fresh(Sde sde) {
        DiffusionMlp m = new DiffusionMlp(2, 8, 2, Activation.SOFTPLUS, sde);
        return new ModelState(m, m.initialParameters(3));
    }

    @Test
    void modelFileRoundTripIsBitExactForEverySde() throws Exception {
        for (Sde sde : List.of(Sde.vp(), Sde.subVp(), Sde.ve(0.01, 17.25))) {
            ModelState s = fresh(sde);
            String json = ModelFile.toJson(s.toSpec());
            assertTrue(json.contains("\"kind\": \"diffusion\""), json);
            assertTrue(json.contains("\"sde\": {\"type\": \"" + sde.type().id() + "\""), json);
            assertTrue(json.contains("\"timeFrequencies\": [0.25, 0.5, 1.0, 2.0]"), json);
            ModelSpec back = ModelFile.parse(json);
            assertEquals(s.toSpec(), back);
            ModelState again = ModelState.fromSpec(back);
            assertArrayEquals(s.theta(), again.theta());
            DiffusionMlp m = (DiffusionMlp) again.model();
            assertEquals(sde, m.sde());
            assertArrayEquals(((DiffusionMlp) s.model()).score(s.thetaTensor(), X, 0.4).toArray(),
                    m.score(again.thetaTensor(), X, 0.4).toArray());
        }
    }

    @Test
    void readingIsStrictAndNamesTheField() throws Exception {
        String json = ModelFile.toJson(fresh(Sde.vp()).toSpec());
        assertEquals("sde: missing", assertThrows(ModelFormatException.class, () -> ModelFile.parse(
                json.replaceFirst("\"sde\": \\{[^}]*\\},\\n", ""))).getMessage());
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelFile.parse(json.replace("\"vp\"", "\"xx\"")))
                .getMessage().contains("sde.type: unknown SDE 'xx' (expected one of vp, ve, subvp)"));
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelFile.parse(json.replace("\"betaMax\"",
                "\"sigmaMax\""))).getMessage().startsWith("sde.sigmaMax: unknown field"));
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelFile.parse(json.replace(
                "[0.25, 0.5, 1.0, 2.0]", "[0.25, 0.5, 1.0]"))).getMessage().startsWith(
                "layers[0].weight: expected 8 columns (inputDim + 6: x and the time features), found 10"));
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelFile.parse(json.replace("\"epsilon\": 0.001",
                "\"epsilon\": 1.5"))).getMessage().startsWith("epsilon: expected a number in (0, 1)"));
        String score = ModelFile.toJson(new ModelSpec(ModelSpec.Kind.SCORE, 2, Activation.SOFTPLUS,
                Activation.IDENTITY, List.of(new ModelSpec.Layer(new double[][] {{1, 0}, {0, 1}}, new double[2]))));
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelFile.parse(score.replace("\"layers\"",
                "\"epsilon\": 0.001, \"layers\""))).getMessage().startsWith("epsilon: unknown field"));
    }

    @Test
    void scoreIsTheNetworkOutputOverTheStd() {
        ModelState s = fresh(Sde.vp());
        DiffusionMlp m = (DiffusionMlp) s.model();
        double[] t = {0.001, 0.3, 1.0};
        double[] out = Grad.noGrad(() -> m.noiseOutput(s.thetaTensor(), X, t)).toArray();
        double[] score = Grad.noGrad(() -> m.score(s.thetaTensor(), X, t)).toArray();
        for (int i = 0; i < 3; i++) {
            for (int d = 0; d < 2; d++) {
                assertEquals(out[2 * i + d] / Sde.vp().std(t[i]), score[2 * i + d], 1e-12);
            }
        }
        // as a ScoreModel it is the estimate at ε
        assertArrayEquals(Grad.noGrad(() -> m.score(s.thetaTensor(), X, m.epsilon())).toArray(),
                Grad.noGrad(() -> m.score(s.thetaTensor(), X)).toArray());
    }

    @Test
    void continuousDenoisingGradientMatchesFiniteDifferencesAndIsSeeded() {
        ModelState s = fresh(Sde.subVp());
        ContinuousDenoising obj = new ContinuousDenoising();
        double rel = GradCheck.check(th -> obj.loss(s.model(), th, X, new Random(5)), s.thetaTensor(), 1,
                GradCheck.Mode.REVERSE, 11);
        assertTrue(rel < 1e-6, "relative error " + rel);
        assertEquals(obj.loss(s.model(), s.thetaTensor(), X, new Random(9)).item(),
                obj.loss(s.model(), s.thetaTensor(), X, new Random(9)).item());
        EnergyMlp energy = new EnergyMlp(2, 4, 1, Activation.SOFTPLUS);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> obj.loss(energy,
                energy.parameters(energy.initialParameters(1), false), X, new Random(1))).getMessage()
                .contains("needs a diffusion model"));
    }
}
