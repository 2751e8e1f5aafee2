package org.scorescope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scorescope.analysis.EigenvectorSource.Eigenpair;

/** The inspector's note on what an eigenvector is worth, from its eigenvalue, gap and the float64 floor. */
class InspectorNoteTest {
    private static Eigenpair pair(double value, double gap, double floor) {
        return new Eigenpair(3, value, new double[] {1}, 0, gap, floor);
    }

    @Test
    void aWellSeparatedRungNeedsNoNote() {
        assertEquals("", InspectorViewModel.note(pair(2.0, 0.5, 1e-12), 0));
    }

    @Test
    void aRungBelowTheFloorIsNoiseDominated() {
        String n = InspectorViewModel.note(pair(-3e-14, 1e-15, 1e-12), 0);
        assertTrue(n.startsWith("Noise-dominated: |λ|") && n.contains("< float64 floor"), n);
        assertTrue(n.length() <= 56, "one line: " + n);
    }

    @Test
    void aRungWithinTheFloorOfItsNeighbourIsNoiseDominated() {
        String n = InspectorViewModel.note(pair(1e-6, 5e-13, 1e-12), 0);
        assertTrue(n.startsWith("Noise-dominated: gap"), n);
    }

    @Test
    void closeRungsSayHowFarTheDirectionCanTurn() {
        // δ/gap = 0.1: asin 0.1 = 5.7°
        String n = InspectorViewModel.note(pair(1e-3, 1e-11, 1e-12), 0);
        assertTrue(n.startsWith("Close rungs") && n.endsWith("6°"), n);
    }

    @Test
    void anExactZeroOfARankDeficientMatrixIsOneDirectionOfItsNullSpace() {
        String n = InspectorViewModel.note(pair(0, 0, 1e-12), 4167);
        assertTrue(n.contains("4,167 times") && n.contains("null space"), n);
        assertTrue(n.length() <= 56, "one line: " + n);
    }
}
