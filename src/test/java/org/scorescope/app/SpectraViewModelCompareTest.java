package org.scorescope.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import org.junit.jupiter.api.Test;
import org.scorescope.analysis.LadderComparison;
import org.scorescope.analysis.ParameterHessian;
import org.scorescope.field.ViewBox;
import org.scorescope.objective.ExactScoreMatching;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.SpectraComputer;
import org.scorescope.worker.SpectraComputerTest;

/** Plain JUnit, no FX toolkit: the Spectra tab's comparison of the losses' ladders. */
class SpectraViewModelCompareTest {
    @Test
    void theFramesModelIsComparedUnderEveryLossOnTheSpectraBatch() throws Exception {
        FrameData f = SpectraComputerTest.frame(10);
        SpectraViewModel vm = new SpectraViewModel(new ReadOnlyObjectWrapper<>(f).getReadOnlyProperty(),
                new SimpleObjectProperty<>(ViewBox.of(new double[] {-4, 4, -4, 4})));
        List<LadderComparison.Ladder> ladders = vm.compareLosses().get(60, TimeUnit.SECONDS);
        assertEquals(List.of("exact Hessian", "sliced Hessian", "denoising Hessian", "Gauss–Newton"),
                ladders.stream().map(LadderComparison.Ladder::label).toList());
        int p = f.model().model().parameterCount();
        for (LadderComparison.Ladder l : ladders) {
            assertEquals(p, l.eigenvalues().length, l.label() + ": all P eigenvalues at P = " + p);
        }
        // the exact ladder is the exact loss's Hessian on the spectra's batch, computed here directly
        double[][] batch = SpectraComputer.evaluationBatch(f.points());
        double[] direct = new ParameterHessian(f.model().model(), new ExactScoreMatching(), batch, SpectraComputer.SEED)
                .full(f.model().theta(), false).eigenvalues();
        assertArrayEquals(direct, ladders.get(0).eigenvalues(), 1e-9 * ladders.get(0).lambdaMax());
        assertTrue(vm.compareTitle().startsWith("step 10, P = " + p), vm.compareTitle());
    }

    @Test
    void withoutAFrameTheComparisonFailsWithAReason() {
        SpectraViewModel vm = new SpectraViewModel(new ReadOnlyObjectWrapper<FrameData>().getReadOnlyProperty(),
                new SimpleObjectProperty<>(ViewBox.of(new double[] {-4, 4, -4, 4})));
        ExecutionException e = assertThrows(ExecutionException.class, () -> vm.compareLosses().get());
        assertEquals("no model and data to compare yet", e.getCause().getMessage());
    }
}
