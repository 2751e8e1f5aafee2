package org.scorescope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.scorescope.data.ToyDataset;
import org.scorescope.model.ModelSpec;
import org.scorescope.train.Settings;
import org.scorescope.train.TrainingConfig;

/** Plain JUnit, no JavaFX toolkit: the settings panel's rules. */
class SettingsViewModelTest {
    private final SettingsViewModel vm = new SettingsViewModel(TrainingConfig.defaults());
    private final AtomicReference<TrainingConfig> edited = new AtomicReference<>();

    SettingsViewModelTest() {
        vm.setOnEdit(edited::set);
    }

    @Test
    void aSettingAppliesOnlyWhereItMeansSomething() {
        assertFalse(vm.appliesProperty(Settings.MOMENTUM).get(), "momentum: Adam has none");
        assertFalse(vm.appliesProperty(Settings.COUPLINGS).get(), "couplings: flows only");
        assertFalse(vm.appliesProperty(Settings.PROJECTIONS).get(), "projections: sliced losses only");
        vm.value(Settings.OPTIMIZER).set(TrainingConfig.OptimizerKind.SGD);
        assertTrue(vm.appliesProperty(Settings.MOMENTUM).get());
        vm.value(Settings.OBJECTIVE).set(TrainingConfig.ObjectiveKind.SLICED);
        assertTrue(vm.appliesProperty(Settings.PROJECTIONS).get());
    }

    @Test
    void anEditIsPendingUntilAcceptedAndRevertRestoresTheRunningValue() {
        vm.value(Settings.WIDTH).set(32);
        assertTrue(vm.pendingProperty(Settings.WIDTH).get());
        assertEquals(32, edited.get().model().width());
        vm.revert();
        assertEquals(64, vm.value(Settings.WIDTH).get());
        assertFalse(vm.pendingProperty(Settings.WIDTH).get());
        vm.value(Settings.WIDTH).set(48);
        vm.accept(edited.get());
        assertEquals(48, vm.applied().model().width());
        assertFalse(vm.pendingProperty(Settings.WIDTH).get());
    }

    @Test
    void anotherKindBringsItsDefaultsAndAnotherDatasetItsNoise() {
        vm.value(Settings.MODEL_KIND).set(ModelSpec.Kind.NOISE_CONDITIONAL);
        TrainingConfig nc = edited.get();
        assertEquals(TrainingConfig.defaults(ModelSpec.Kind.NOISE_CONDITIONAL), nc, "every per-kind default moves");
        assertEquals(TrainingConfig.ObjectiveKind.DENOISING_MULTI, vm.value(Settings.OBJECTIVE).get());
        vm.accept(nc);
        vm.value(Settings.DATA_NOISE).set(0.3);
        vm.accept(edited.get());
        vm.value(Settings.DATASET).set(ToyDataset.MOONS);
        assertTrue(Double.isNaN(edited.get().data().noise()), "a new dataset starts at its own noise");
    }

    @Test
    void anotherLossBringsItsDefaults() {
        vm.value(Settings.OBJECTIVE).set(TrainingConfig.ObjectiveKind.DENOISING);
        assertEquals(1024, vm.value(Settings.BATCH_SIZE).get(), "the control shows the loss's batch");
        assertEquals(1024, edited.get().optimizer().batchSize());
        assertTrue(vm.pendingProperty(Settings.BATCH_SIZE).get());
    }

    @Test
    void anInvalidEditIsReportedMarkedPendingAndNotHandedOn() {
        vm.value(Settings.OBJECTIVE).set(TrainingConfig.ObjectiveKind.MAX_LIKELIHOOD);
        assertNull(edited.get(), "an energy model cannot train by maximum likelihood");
        assertTrue(vm.errorProperty().get().contains("max-likelihood"), vm.errorProperty().get());
        assertTrue(vm.pendingProperty(Settings.OBJECTIVE).get());
        vm.value(Settings.OBJECTIVE).set(TrainingConfig.ObjectiveKind.EXACT);
        assertEquals("", vm.errorProperty().get());
    }

    @Test
    void fewDrawnPointsGetTheSmallDataDefaultOncePerDataSet() {
        double[][] few = ToyDataset.MOONS.sample(70, 1);
        String note = vm.smallDataDefault(1, () -> few);
        assertTrue(note.startsWith("70 points: training by denoising at σ = 0.29"), note);
        assertEquals(TrainingConfig.ObjectiveKind.DENOISING, vm.value(Settings.OBJECTIVE).get());
        assertNull(vm.smallDataDefault(1, () -> few), "once per data set");

        SettingsViewModel flows = new SettingsViewModel(TrainingConfig.defaults(ModelSpec.Kind.FLOW));
        String blur = flows.smallDataDefault(1, () -> few);
        assertTrue(blur.startsWith("70 points: maximum likelihood of the data blurred by σ = 0.29"), blur);
        assertEquals(TrainingConfig.ObjectiveKind.MAX_LIKELIHOOD, flows.value(Settings.OBJECTIVE).get());
        assertEquals(0.29, flows.value(Settings.SMOOTHING).get(), 1e-12);
        assertTrue(flows.appliesProperty(Settings.SMOOTHING).get(), "the control shows for maximum likelihood");
    }

    @Test
    void drawnOrImportedDataDisableTheDataSettings() {
        vm.setCustomData(true);
        assertFalse(vm.appliesProperty(Settings.DATASET).get());
        assertFalse(vm.appliesProperty(Settings.SAMPLES).get());
        assertTrue(vm.appliesProperty(Settings.SEED).get(), "the seed still seeds the model and the batches");
        vm.setCustomData(false);
        assertTrue(vm.appliesProperty(Settings.DATASET).get());
    }
}
