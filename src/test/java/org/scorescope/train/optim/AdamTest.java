package org.scorescope.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AdamTest {
    /** The gradient used at step t in the PyTorch reference runs (see {@link #matchesPyTorchAdam()}). */
    static double[] grad(int t) {
        return new double[] {0.1 * t - 0.3, 1.0 / (t + 1), -2.0 + 0.5 * t};
    }

    static double[] start() {
        return new double[] {0.5, -1.5, 2.0};
    }

    static void assertTrajectory(Optimizer opt, double lr, String[][] expectedHex) {
        double[] p = start();
        for (int t = 0; t < expectedHex.length; t++) {
            opt.step(p, grad(t), lr);
            for (int i = 0; i < p.length; i++) {
                double e = Double.parseDouble(expectedHex[t][i]);
                // Same operation order as PyTorch; allow a few ulps for pow/FMA differences.
                assertEquals(e, p[i], 4 * Math.ulp(e), "step " + (t + 1) + " param " + i);
            }
        }
    }

    @Test
    void firstStepsByHand() {
        // t = 1: m = 0.1 g, v = 0.001 g², m̂ = g, v̂ = g², θ ← θ − η g / (|g| + ε).
        double g = 0.5;
        double lr = 0.1;
        Adam adam = new Adam(0.9, 0.999, 1e-8, 0.0);
        double[] p = {1.0};
        adam.step(p, new double[] {g}, lr);
        assertEquals(1.0 - lr * g / (g + 1e-8), p[0], 1e-15);
        // t = 2 with gradient −0.25: m = 0.9·0.05 − 0.1·0.25 = 0.02, v = 0.999·0.00025 + 0.001·0.0625 = 0.00031225,
        // m̂ = 0.02 / 0.19, √v̂ = √(0.00031225 / 0.001999).
        double before = p[0];
        adam.step(p, new double[] {-0.25}, lr);
        double mHat = 0.02 / (1 - 0.81);
        double vHatSqrt = Math.sqrt(0.00031225) / Math.sqrt(1 - 0.998001);
        assertEquals(before - lr * mHat / (vHatSqrt + 1e-8), p[0], 1e-15);
        assertEquals(2, adam.steps());
    }

    /**
     * Reference trajectory printed (as float.hex) by torch.optim.Adam(lr=0.01, betas=(0.9, 0.999), eps=1e-8) in
     * float64, PyTorch 1.13, from θ₀ = (0.5, −1.5, 2.0) with the gradients {@link #grad(int)}.
     */
    @Test
    void matchesPyTorchAdam() {
        assertTrajectory(new Adam(), 0.01, new String[][] {
            {"0x1.051eb84f0e832p-1", "-0x1.828f5c2887cf1p+0", "0x1.0147ae145f646p+1"},
            {"0x1.0a169470e70ebp-1", "-0x1.84f245f2a6a29p+0", "0x1.0289a67374f72p+1"},
            {"0x1.0ea9ddc09190cp-1", "-0x1.872e81a354126p+0", "0x1.03be80f9e3afcp+1"},
            {"0x1.1269500f98ef3p-1", "-0x1.8948b6a713c78p+0", "0x1.04da0aeeb33dap+1"},
            {"0x1.14bfc1a623f9cp-1", "-0x1.8b448a977a5b1p+0", "0x1.05c9b29df6763p+1"},
        });
    }

    /** As {@link #matchesPyTorchAdam()} with torch.optim.AdamW(..., weight_decay=0.1). */
    @Test
    void matchesPyTorchAdamW() {
        assertTrajectory(new Adam(0.9, 0.999, 1e-8, 0.1), 0.01, new String[][] {
            {"0x1.04dd2f17c2bc8p-1", "-0x1.822d0e5596251p+0", "0x1.010624dd139dcp+1"},
            {"0x1.0992433def4f9p-1", "-0x1.842d1bb18a94bp+0", "0x1.020650e8feee1p+1"},
            {"0x1.0de19011e4135p-1", "-0x1.8605f7de3386fp+0", "0x1.02f91d87c575dp+1"},
            {"0x1.115beb735574dp-1", "-0x1.87bc545093707p+0", "0x1.03d25b6cd48fap+1"},
            {"0x1.136c622ddb8c5p-1", "-0x1.8953df772b053p+0", "0x1.047f7f6f2f1f1p+1"},
        });
    }

    @Test
    void stateRestoreResumesBitIdentically() {
        Adam a = new Adam(0.8, 0.99, 1e-6, 0.05);
        double[] p = start();
        for (int t = 0; t < 3; t++) {
            a.step(p, grad(t), 0.02);
        }
        Optimizer.State snap = a.state();
        double[] saved = p.clone();
        for (int t = 3; t < 6; t++) {
            a.step(p, grad(t), 0.02);
        }
        Adam b = new Adam(0.8, 0.99, 1e-6, 0.05);
        b.restore(snap);
        assertEquals(3, b.steps());
        for (int t = 3; t < 6; t++) {
            b.step(saved, grad(t), 0.02);
        }
        assertArrayEquals(p, saved, 0.0);
        // The snapshot is a copy: later steps did not change it.
        assertEquals(3, snap.steps());
        assertThrows(IllegalArgumentException.class, () -> b.restore(new SgdMomentum(0.9, false, 0).state()));
    }

    @Test
    void resetStartsOverAndLengthsAreChecked() {
        Adam a = new Adam();
        double[] p = {1, 2};
        a.step(p, new double[] {1, 1}, 0.1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.step(new double[3], new double[3], 0.1));
        assertEquals("params: length 3 differs from the 2 this optimizer was started with; call reset() first",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.step(p, new double[3], 0.1));
        assertEquals("grad: length 3 differs from params length 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.step(p, new double[2], Double.NaN));
        assertEquals("lr: must be finite and non-negative, found NaN", e.getMessage());
        a.reset();
        assertEquals(0, a.steps());
        double[] q = {1.0};
        a.step(q, new double[] {2.0}, 0.1);
        assertEquals(1.0 - 0.1 * 2.0 / (2.0 + 1e-8), q[0], 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new Adam(1.0, 0.999, 1e-8, 0));
    }
}
