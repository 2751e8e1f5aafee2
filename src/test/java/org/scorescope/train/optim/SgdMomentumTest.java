package org.scorescope.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SgdMomentumTest {

    /** torch.optim.SGD(lr=0.1, momentum=0.9, weight_decay=0.01), float64, PyTorch 1.13; see AdamTest.grad. */
    @Test
    void matchesPyTorchHeavyBall() {
        AdamTest.assertTrajectory(new SgdMomentum(0.9, false, 0.01), 0.1, new String[][] {
            {"0x1.0f1a9fbe76c8bp-1", "-0x1.99374bc6a7efap+0", "0x1.195810624dd2fp+1"},
            {"0x1.26aa9f7b5aea3p-1", "-0x1.bc4d1a6506142p+0", "0x1.43127f5e84f09p+1"},
            {"0x1.40b2b51a39ce4p-1", "-0x1.e3f7858ff47c7p+0", "0x1.751ac7fe172ddp+1"},
            {"0x1.57ce48e451b5bp-1", "-0x1.06ca80613d98ap+1", "0x1.a8291f2b670f2p+1"},
            {"0x1.672391eceb3cdp-1", "-0x1.1bd0a74e687d1p+1", "0x1.d5afd7d671aa0p+1"},
        });
    }

    /** torch.optim.SGD(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01). */
    @Test
    void matchesPyTorchNesterov() {
        AdamTest.assertTrajectory(new SgdMomentum(0.9, true, 0.01), 0.1, new String[][] {
            {"0x1.1cb295e9e1b09p-1", "-0x1.afe90ff972474p+0", "0x1.3027525460aa6p+1"},
            {"0x1.3bd8cf6481b4dp-1", "-0x1.dbd5b0e189c84p+0", "0x1.689597d74cad8p+1"},
            {"0x1.580ca68d0d4cep-1", "-0x1.03c5b542f16d8p+1", "0x1.a2002a9082146p+1"},
            {"0x1.6c7448d4ec6f3p-1", "-0x1.1966fcbf2d8e4p+1", "0x1.d5d87c36bb275p+1"},
            {"0x1.74b52f7a734ebp-1", "-0x1.2e8d6b89a4a57p+1", "0x1.fe3ac96444a7fp+1"},
        });
    }

    /**
     * Heavy ball on f(x) = ½ Σ h_i x_i² iterates x_{k+1} = (1 + μ − η h) x_k − μ x_{k−1}; when
     * (1 + μ − η h)² &lt; 4μ for every h_i the characteristic roots are complex with modulus √μ, so ‖x_k‖ decays
     * exactly like (√μ)^k times a bounded oscillation. With h = (1, 4), η = 0.4, μ = 0.5 both eigen-directions
     * qualify: (1.1)² = 1.21 &lt; 2 and (−0.1)² = 0.01 &lt; 2.
     */
    @Test
    void heavyBallConvergesAtTheoreticalRate() {
        double[] h = {1.0, 4.0};
        double lr = 0.4;
        double mu = 0.5;
        SgdMomentum opt = new SgdMomentum(mu, false, 0.0);
        double[] x = {1.0, 1.0};
        double[] g = new double[2];
        int steps = 300;
        double[] norms = new double[steps + 1];
        norms[0] = Math.hypot(x[0], x[1]);
        for (int k = 1; k <= steps; k++) {
            g[0] = h[0] * x[0];
            g[1] = h[1] * x[1];
            opt.step(x, g, lr);
            norms[k] = Math.hypot(x[0], x[1]);
        }
        // Envelope over windows longer than the oscillation period (2π/θ ≈ 9 steps for h = 1).
        double early = 0;
        double late = 0;
        for (int k = 100; k < 130; k++) {
            early = Math.max(early, norms[k]);
            late = Math.max(late, norms[k + 150]);
        }
        double rate = Math.pow(late / early, 1.0 / 150);
        assertEquals(Math.sqrt(mu), rate, 0.002, "per-step contraction");
        assertTrue(norms[steps] < 1e-40, "converged: " + norms[steps]);

        // Plain gradient descent (μ = 0) with the same η contracts at max_i |1 − η h_i| = 0.6 per step.
        SgdMomentum gd = new SgdMomentum(0.0, false, 0.0);
        double[] y = {1.0, 0.0};
        for (int k = 0; k < 50; k++) {
            gd.step(y, new double[] {h[0] * y[0], h[1] * y[1]}, lr);
        }
        assertEquals(Math.pow(0.6, 50), y[0], 1e-25);
    }

    @Test
    void nesterovConvergesOnAnIllConditionedQuadratic() {
        // h = (1, 100): GD with η = 1/L contracts at 0.99 per step; Nesterov with μ = 0.8 is far faster.
        double[] h = {1.0, 100.0};
        SgdMomentum nag = new SgdMomentum(0.8, true, 0.0);
        double[] x = {1.0, 1.0};
        for (int k = 0; k < 200; k++) {
            nag.step(x, new double[] {h[0] * x[0], h[1] * x[1]}, 0.01);
        }
        double gdBound = Math.pow(0.99, 200);
        assertTrue(Math.hypot(x[0], x[1]) < 1e-3 * gdBound, "Nesterov " + Math.hypot(x[0], x[1]) + " vs GD " + gdBound);
    }

    @Test
    void stateRestoreAndValidation() {
        SgdMomentum a = new SgdMomentum(0.9, true, 0.0);
        double[] p = AdamTest.start();
        a.step(p, AdamTest.grad(0), 0.1);
        Optimizer.State s = a.state();
        double[] q = p.clone();
        a.step(p, AdamTest.grad(1), 0.1);
        SgdMomentum b = new SgdMomentum(0.9, true, 0.0);
        b.restore(s);
        b.step(q, AdamTest.grad(1), 0.1);
        assertArrayEquals(p, q, 0.0);
        assertEquals("nesterov: needs a positive momentum",
                assertThrows(IllegalArgumentException.class, () -> new SgdMomentum(0, true, 0)).getMessage());
        assertEquals("momentum: must be in [0, 1), found 1.0",
                assertThrows(IllegalArgumentException.class, () -> new SgdMomentum(1, false, 0)).getMessage());
    }
}
