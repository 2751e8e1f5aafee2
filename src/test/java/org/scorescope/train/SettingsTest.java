package org.scorescope.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.scorescope.model.ModelSpec;

class SettingsTest {
    @Test
    void everySettingIsFullyDescribedAndUnique() {
        Set<String> ids = new HashSet<>();
        Set<String> options = new HashSet<>();
        for (Setting<?> s : Settings.ALL) {
            assertTrue(ids.add(s.id()), "duplicate id " + s.id());
            assertTrue(options.add(s.option()), "duplicate option " + s.option());
            assertTrue(s.option().startsWith("--"), s.id());
            assertFalse(s.help().isBlank(), s.id() + " has help text");
            assertEquals(s, Settings.byId(s.id()).orElseThrow());
        }
    }

    @Test
    void everyKindsDefaultsAreConsistentAndRoundTripAsText() {
        for (ModelSpec.Kind kind : ModelSpec.Kind.values()) {
            TrainingConfig c = TrainingConfig.defaults(kind);
            assertTrue(c.objective().kind().fits(kind), kind + ": its default objective fits it");
            for (Setting<?> s : Settings.ALL) {
                roundTrip(s, c);
            }
        }
    }

    private static <T> void roundTrip(Setting<T> s, TrainingConfig c) {
        T v = c.get(s);
        assertEquals(v, s.parse(s.format(v)), s.id());
    }

    @Test
    void switchingKindMovesPerKindDefaultsAndKeepsTheRest() {
        TrainingConfig energy = TrainingConfig.defaults().with(Settings.WIDTH, 32);
        TrainingConfig flow = energy.withAll(java.util.Map.of(Settings.MODEL_KIND, ModelSpec.Kind.FLOW));
        assertEquals(TrainingConfig.ObjectiveKind.MAX_LIKELIHOOD, flow.objective().kind());
        assertEquals(Settings.LEARNING_RATE.defaultFor(ModelSpec.Kind.FLOW), flow.optimizer().learningRate());
        assertEquals(32, flow.model().width(), "a setting without a per-kind default stays");
        assertTrue(energy.needsNewModel(flow));
    }

    @Test
    void choosingALossMovesItsDefaultsUnlessNamed() {
        TrainingConfig energy = TrainingConfig.defaults();
        TrainingConfig dsm = energy.withAll(java.util.Map.of(Settings.OBJECTIVE, TrainingConfig.ObjectiveKind.DENOISING));
        assertEquals(1024, dsm.optimizer().batchSize(), "single-σ denoising brings its large batch");
        assertEquals(256, dsm.withAll(java.util.Map.of(Settings.OBJECTIVE, TrainingConfig.ObjectiveKind.EXACT))
                .optimizer().batchSize(), "and leaving it brings the common default back");
        assertEquals(64, energy.withAll(java.util.Map.of(Settings.OBJECTIVE, TrainingConfig.ObjectiveKind.DENOISING,
                Settings.BATCH_SIZE, 64)).optimizer().batchSize(), "a named batch wins");
        assertEquals(1024, Settings.BATCH_SIZE.defaultFor(ModelSpec.Kind.SCORE, TrainingConfig.ObjectiveKind.DENOISING));
        assertEquals(512, Settings.BATCH_SIZE.defaultFor(ModelSpec.Kind.NOISE_CONDITIONAL));
        TrainingConfig flow = TrainingConfig.defaults(ModelSpec.Kind.FLOW);
        assertEquals(TrainingConfig.FlowTransform.SPLINE, flow.model().transform());
        assertTrue(Double.isNaN(flow.model().tailBound()), "the tail bound follows the data");
        assertEquals(50_000, flow.data().samples());
    }

    @Test
    void valuesAreCheckedWithMessagesThatNameTheSettingAndRange() {
        assertEquals("width: 0 is outside [1, 1024]",
                assertThrows(IllegalArgumentException.class, () -> Settings.WIDTH.parse("0")).getMessage());
        assertEquals("learningRate: 'abc' is not a number",
                assertThrows(IllegalArgumentException.class, () -> Settings.LEARNING_RATE.parse("abc")).getMessage());
        assertTrue(Double.isNaN(Settings.DATA_NOISE.parse("auto")));
        assertEquals(TrainingConfig.ObjectiveKind.SLICED_VR, Settings.OBJECTIVE.parse("sliced-vr"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Settings.OBJECTIVE.parse("nope")).getMessage()
                .contains("not one of exact, sliced"));
        assertEquals("1e-8", Setting.number(1e-8));
        assertEquals("0.003", Setting.number(3e-3));
    }

    @Test
    void everyPresetLoadsAndSaysWhatItTeaches() {
        assertTrue(Preset.all().size() >= 8, "at least eight lessons");
        for (Preset p : Preset.all()) {
            assertFalse(p.title().isBlank(), p.name());
            assertTrue(p.explanation().length() > 80, p.name() + " explains what to look at");
            assertTrue(p.config().objective().kind().fits(p.config().model().kind()), p.name());
        }
        Preset few = Preset.byName("few-points").orElseThrow();
        assertEquals(70, few.config().data().samples());
        assertEquals(TrainingConfig.defaults().optimizer(), few.config().optimizer(), "unnamed settings are defaults");
    }
}
