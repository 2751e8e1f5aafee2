package org.scorescope.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.ComputeThreads;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Probe;
import org.scorescope.autodiff.Tensor;
import org.scorescope.model.EnergyMlp;
import org.scorescope.model.ScoreMlp;
import org.scorescope.model.ScoreModel;

class BatchTilesTest {
    private static final ScoreModel ENERGY = new EnergyMlp(2, 16, 2, Activation.SOFTPLUS);
    private static final ScoreModel SCORE = new ScoreMlp(2, 16, 2, Activation.SOFTPLUS);

    /** The loss and gradient of one reverse pass over the whole batch (no tiles). */
    private static Objective.LossAndGradient untiled(Objective o, ScoreModel m, double[] theta, Tensor x, long seed) {
        Tensor th = m.parameters(theta, true);
        Tensor loss = o.loss(m, th, x, new Random(seed));
        List<Tensor> g = Grad.grad(List.of(loss), List.of(th), null, false);
        return new Objective.LossAndGradient(loss.item(), g.get(0).toArray());
    }

    private static void assertClose(Objective.LossAndGradient want, Objective.LossAndGradient got, double rel,
            String what) {
        assertEquals(want.loss(), got.loss(), rel * Math.abs(want.loss()), what + " loss");
        double norm = 0;
        for (double v : want.gradient()) {
            norm = Math.max(norm, Math.abs(v));
        }
        for (int i = 0; i < want.gradient().length; i++) {
            assertEquals(want.gradient()[i], got.gradient()[i], rel * norm, what + " θ" + i);
        }
    }

    @Test
    void tiledLossAndGradientEqualTheWholeBatchOnesUpToRounding() {
        // 103 rows: tiles of 16 leave a last tile of 7; the draws are cut from the whole batch's.
        Tensor x = Tensor.randn(3, 103, 2);
        Objective[] objectives = {new ExactScoreMatching(), new SlicedScoreMatching(2, Probe.GAUSSIAN, false),
            new SlicedScoreMatching(1, Probe.RADEMACHER, true), new DenoisingScoreMatching(0.3)};
        for (ScoreModel m : new ScoreModel[] {ENERGY, SCORE}) {
            double[] theta = m.initialParameters(4);
            for (Objective o : objectives) {
                Objective.LossAndGradient whole = untiled(o, m, theta, x, 9);
                for (int rows : new int[] {1, 16, 50, 103, 512}) {
                    Objective.LossAndGradient tiled = BatchTiles.lossAndGradient(o, m, theta, x,
                            o.draw(m, x, new Random(9)), rows);
                    assertClose(whole, tiled, 1e-12, o.describe() + " " + m.kind() + " tiles of " + rows);
                }
            }
        }
    }

    @Test
    void resultsAreBitIdenticalForOneAndTwoComputeThreads() {
        Tensor x = Tensor.randn(5, 512, 2);
        int was = ComputeThreads.get();
        try {
            for (ScoreModel m : new ScoreModel[] {ENERGY, SCORE}) {
                double[] theta = m.initialParameters(6);
                for (Objective o : new Objective[] {new ExactScoreMatching(), new DenoisingScoreMatching(0.1),
                    new SlicedScoreMatching(1, Probe.GAUSSIAN, false)}) {
                    ComputeThreads.set(1);
                    Objective.LossAndGradient one = o.lossAndGradient(m, theta, x, new Random(2));
                    ComputeThreads.set(2);
                    Objective.LossAndGradient two = o.lossAndGradient(m, theta, x, new Random(2));
                    assertEquals(Double.doubleToRawLongBits(one.loss()), Double.doubleToRawLongBits(two.loss()),
                            o.describe());
                    assertArrayEquals(one.gradient(), two.gradient(), 0.0, o.describe());
                }
            }
        } finally {
            ComputeThreads.set(was);
        }
    }

    @Test
    void tileRowsDependOnTheDimensionOnly() {
        assertEquals(BatchTiles.rows(512, 2), BatchTiles.rows(4096, 2));
        assertEquals(7, BatchTiles.rows(7, 2));
        assertEquals(1, BatchTiles.rows(1, 64));
        for (int d : new int[] {1, 2, 8, 32, 64, 500}) {
            int t = BatchTiles.rows(1 << 20, d);
            assertEquals(Integer.bitCount(t), 1, "a power of two at D = " + d);
        }
    }

    @Test
    void drawsAreCutAlongTheirBatchAxis() {
        Tensor v = Tensor.randn(1, 3, 5, 2);
        BatchDraws all = BatchDraws.along(5, new Tensor[] {v}, new int[] {1});
        BatchDraws cut = all.rows(1, 4);
        assertEquals(3, cut.batch());
        for (int k = 0; k < 3; k++) {
            for (int b = 0; b < 3; b++) {
                for (int d = 0; d < 2; d++) {
                    assertEquals(v.get(k, b + 1, d), cut.part(0).get(k, b, d));
                }
            }
        }
        assertSame(all, all.rows(0, 5));
    }
}
