package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.scorescope.data.ToyDataset;

class DataScaleTest {
    @Test
    void medianOfNearestNeighbourDistances() {
        // nearest-neighbour distances: 1, 1, 2, 3 (the points 0, 1, 3, 6 on a line) → median (1 + 2)/2
        double[][] line = {{0, 0}, {1, 0}, {3, 0}, {6, 0}};
        assertEquals(1.5, DataScale.medianNearestNeighbourDistance(line), 1e-15);
        // a 3-4-5 triangle: distances 3, 3, 4 → median 3
        double[][] tri = {{0, 0}, {3, 0}, {0, 4}};
        assertEquals(3.0, DataScale.medianNearestNeighbourDistance(tri), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> DataScale.medianNearestNeighbourDistance(new double[][] {{0, 0}}));
    }

    @Test
    void seventyMoonsPointsSitAboutAFifthApart() {
        // the scale docs/training.md relates the small-data denoising σ to (seed 1 as in the measurements)
        double h = DataScale.medianNearestNeighbourDistance(ToyDataset.MOONS.sample(70, 1));
        assertEquals(0.191, h, 0.001);
    }
}
