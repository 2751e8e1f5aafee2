package org.scorescope.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The allocation savings of the reverse pass must not be observable: cotangents accumulated in place
 * ({@link Grad}), arrays recycled between fused jet layers ({@link CotangentPool}), scratch-held
 * activation derivatives ({@link JetOps}) and the one-array slice adjoint ({@link Prims.Pad}). Each
 * test builds a case where a wrong lifetime would overwrite a value the caller still holds, and
 * checks it exactly (bit-for-bit against a copy, or against exact small-integer results).
 */
class BackwardBufferReuseTest {
    private static final int B = 5;
    private static final int D = 2;
    private static final int H = 6;

    /** Jet-layer parameters W0 (H, D), b0, W1 (H, H), b1, W2 (1, H), b2, all tracked. */
    private static List<Tensor> params(long seed) {
        Random r = new Random(seed);
        int[] widths = {D, H, H, 1};
        List<Tensor> p = new ArrayList<>();
        for (int l = 0; l < 3; l++) {
            p.add(Tensor.randn(r, widths[l + 1], widths[l]).mul(0.7).requiresGrad());
            p.add(Tensor.randn(r, widths[l + 1]).requiresGrad());
        }
        return p;
    }

    /** The packed jets S1 = First(x), S2 = Hidden(S1), S3 = Hidden_identity(S2). */
    private static Tensor[] jets(Tensor x, List<Tensor> p, Activation a) {
        Tensor s1 = Dispatch.apply(new JetOps.First(a), x, p.get(0), p.get(1));
        Tensor s2 = Dispatch.apply(new JetOps.Hidden(a, true), s1, p.get(2), p.get(3));
        Tensor s3 = Dispatch.apply(new JetOps.Hidden(Activation.IDENTITY, true), s2, p.get(4), p.get(5));
        return new Tensor[] {s1, s2, s3};
    }

    private static Tensor loss(Tensor s3, Tensor weights) {
        return Ops.sum(Ops.mul(s3, weights));
    }

    @Test
    void repeatedPassesGiveBitIdenticalGradientsAndEarlierResultsStayIntact() {
        for (Activation a : new Activation[] {Activation.SOFTPLUS, Activation.TANH, Activation.GELU}) {
            List<Tensor> p = params(3);
            Tensor x = Tensor.randn(11, B, D);
            Tensor wts = Tensor.randn(12, D + 2, B, 1);
            List<Tensor> first = Grad.grad(List.of(loss(jets(x, p, a)[2], wts)), p, null, false);
            List<double[]> copies = new ArrayList<>();
            for (Tensor g : first) {
                copies.add(g.toArray());
            }
            // Later passes run on recycled (dirty) arrays and must reproduce the first pass exactly,
            // while the first pass's results are never written to.
            for (int rep = 0; rep < 3; rep++) {
                List<Tensor> again = Grad.grad(List.of(loss(jets(x, p, a)[2], wts)), p, null, false);
                for (int i = 0; i < p.size(); i++) {
                    assertArrayEquals(copies.get(i), again.get(i).toArray(), 0.0, a + " pass " + rep + " param " + i);
                    assertArrayEquals(copies.get(i), first.get(i).toArray(), 0.0, a + " earlier result " + i);
                }
            }
        }
    }

    @Test
    void aRequestedJetCotangentIsNeverRecycled() {
        List<Tensor> p = params(5);
        Tensor x = Tensor.randn(21, B, D);
        Tensor wts = Tensor.randn(22, D + 2, B, 1);
        Tensor[] s = jets(x, p, Activation.SOFTPLUS);
        List<Tensor> wrt = List.of(p.get(0), s[0], s[1]);
        List<Tensor> g = Grad.grad(List.of(loss(s[2], wts)), wrt, null, false);
        double[] gs1 = g.get(1).toArray();
        double[] gs2 = g.get(2).toArray();
        // Reference from the differentiable composite path (grad mode on takes it), same graph.
        List<Tensor> ref = Grad.grad(List.of(loss(s[2], wts)), wrt, null, true);
        FusedOpsTest.assertClose(ref.get(1), g.get(1), 1e-12, "S1 cotangent");
        FusedOpsTest.assertClose(ref.get(2), g.get(2), 1e-12, "S2 cotangent");
        // Further fast passes take arrays from the pool; the returned cotangents must not be among them.
        for (int rep = 0; rep < 3; rep++) {
            Tensor[] t = jets(x, p, Activation.SOFTPLUS);
            Grad.grad(List.of(loss(t[2], wts)), List.of(p.get(0), p.get(2)), null, false);
        }
        assertArrayEquals(gs1, g.get(1).toArray(), 0.0, "S1 cotangent after later passes");
        assertArrayEquals(gs2, g.get(2).toArray(), 0.0, "S2 cotangent after later passes");
    }

    @Test
    void aCotangentSharedByTwoInputsIsNotAccumulatedInPlace() {
        // add's vjp hands one tensor to both inputs; a's later contributions must not leak into b's.
        Tensor a = Tensor.vector(1, 2, 3).requiresGrad();
        Tensor b = Tensor.vector(4, 5, 6).requiresGrad();
        Tensor addFirst = Ops.add(Ops.add(Ops.sum(Ops.add(a, b)), Ops.sum(Ops.mulScalar(a, 2))),
                Ops.sum(Ops.mulScalar(a, 3)));
        Tensor addLast = Ops.add(Ops.add(Ops.sum(Ops.mulScalar(a, 2)), Ops.sum(Ops.mulScalar(a, 3))),
                Ops.sum(Ops.add(a, b)));
        for (Tensor out : new Tensor[] {addFirst, addLast}) {
            List<Tensor> g = Grad.grad(List.of(out), List.of(a, b), null, false);
            assertArrayEquals(new double[] {6, 6, 6}, g.get(0).toArray(), 0.0, "d/da");
            assertArrayEquals(new double[] {1, 1, 1}, g.get(1).toArray(), 0.0, "d/db");
        }
    }

    @Test
    void aSeedIsNeverWrittenTo() {
        Tensor a = Tensor.vector(1, 2).requiresGrad();
        Tensor y = Ops.mulScalar(a, 2);
        Tensor seed = Tensor.vector(1, 10);
        // y is both outputs: its cotangent is seed + seed + seed, the sum made by the pass itself.
        List<Tensor> g = Grad.grad(List.of(y, y, y), List.of(a), List.of(seed, seed, seed), false);
        assertArrayEquals(new double[] {6, 60}, g.get(0).toArray(), 0.0, "d/da");
        assertArrayEquals(new double[] {1, 10}, seed.toArray(), 0.0, "seed untouched");
    }

    @Test
    void sliceAdjointPadsWithZerosAndStaysDifferentiable() {
        Tensor x = Tensor.of(new int[] {2, 5}, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}).requiresGrad();
        Tensor seed = Tensor.of(new int[] {2, 2}, new double[] {1, 2, 3, 4});
        Tensor g = Grad.grad(List.of(Ops.slice(x, 1, 3)), List.of(x), List.of(seed), false).get(0);
        assertArrayEquals(new double[] {0, 1, 2, 0, 0, 0, 3, 4, 0, 0}, g.toArray(), 0.0, "pad of the seed");
        // Second order: d/dx Σ (∂/∂x Σ slice(x)²)² = d/dx Σ_{kept} (2x)² = 8x on the kept columns.
        Tensor g1 = Grad.grad(Ops.sum(Ops.square(Ops.slice(x, 1, 3))), true, x).get(0);
        Tensor g2 = Grad.grad(Ops.sum(Ops.square(g1)), x).get(0);
        assertArrayEquals(new double[] {0, 16, 24, 0, 0, 0, 56, 64, 0, 0}, g2.toArray(), 0.0, "second order");
        // Forward over reverse: the adjoint's tangent is the padded tangent.
        Tensor v = Tensor.of(new int[] {2, 2}, new double[] {1, -1, 2, -2});
        Grad.Jvp j = Grad.jvp(s -> Grad.grad(List.of(Ops.slice(x, 1, 3)), List.of(x), List.of(s), false).get(0),
                seed, v);
        assertArrayEquals(new double[] {0, 1, -1, 0, 0, 0, 2, -2, 0, 0}, j.tangent().toArray(), 0.0, "jvp");
    }

    @Test
    void slicesOfOneTensorAddIntoOneAccumulatorExactlyAsSeparateAdds() {
        Tensor x = Tensor.vector(1, 2, 3, 4, 5, 6).requiresGrad();
        List<Tensor> outs = List.of(Ops.slice(x, 0, 3), Ops.slice(x, 3, 6), Ops.slice(x, 1, 5));
        List<Tensor> seeds = List.of(Tensor.vector(-0.0, 1, 2), Tensor.vector(-0.0, 4, 5), Tensor.vector(10, 20, 30, 40));
        double[] g = Grad.grad(outs, List.of(x), seeds, false).get(0).toArray();
        assertArrayEquals(new double[] {0, 11, 22, 30, 44, 5}, g, 0.0, "sum of the padded adjoints");
        // −0.0 + 0.0 is +0.0: the padding's additions must happen even where only zeros are added.
        double[] two = Grad.grad(outs.subList(0, 2), List.of(x), seeds.subList(0, 2), false).get(0).toArray();
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(two[0]), "index 0 is +0.0");
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(two[3]), "index 3 is +0.0");
        // A single contribution is the padded seed itself, −0.0 kept.
        double[] one = Grad.grad(outs.subList(0, 1), List.of(x), seeds.subList(0, 1), false).get(0).toArray();
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(one[0]), "index 0 stays −0.0");
    }

    @Test
    void denseLayerPassesOnRecycledArraysMatchTheFirstAndLeaveItIntact() {
        List<Tensor> p = params(9);
        List<Tensor> ws = List.of(p.get(0), p.get(2), p.get(4));
        List<Tensor> bs = List.of(p.get(1), p.get(3), p.get(5));
        List<Activation> acts = List.of(Activation.SOFTPLUS, Activation.SOFTPLUS, Activation.IDENTITY);
        Tensor x = Tensor.randn(31, B, D).requiresGrad();
        List<Tensor> wrt = List.of(x, p.get(0), p.get(1), p.get(2));
        List<Tensor> first = Grad.grad(List.of(Ops.sum(Ops.mlp(x, ws, bs, acts))), wrt, null, false);
        List<double[]> copies = new ArrayList<>();
        for (Tensor g : first) {
            copies.add(g.toArray());
        }
        List<Tensor> ref = Grad.grad(List.of(Ops.sum(Ops.mlp(x, ws, bs, acts))), wrt, null, true);
        for (int rep = 0; rep < 3; rep++) {
            List<Tensor> again = Grad.grad(List.of(Ops.sum(Ops.mlp(x, ws, bs, acts))), wrt, null, false);
            for (int i = 0; i < wrt.size(); i++) {
                assertArrayEquals(copies.get(i), again.get(i).toArray(), 0.0, "pass " + rep + " input " + i);
                assertArrayEquals(copies.get(i), first.get(i).toArray(), 0.0, "earlier result " + i);
            }
        }
        for (int i = 0; i < wrt.size(); i++) {
            FusedOpsTest.assertClose(ref.get(i), first.get(i), 1e-12, "fast vs composite " + i);
        }
    }

    @Test
    void poolHandsOutExactLengthsOnceEach() {
        double[] a = CotangentPool.take(7);
        assertEquals(7, a.length);
        CotangentPool.give(a);
        assertThrows(IllegalStateException.class, () -> CotangentPool.give(a));
        assertNotSame(a, CotangentPool.take(8), "wrong length must not be reused");
        assertSame(a, CotangentPool.take(7));
        assertNotSame(a, CotangentPool.take(7), "taken arrays leave the pool");
        // Arrays above the retention bound are not pinned by the thread.
        double[] big = CotangentPool.take(TempArrays.MAX_RETAINED + 1);
        CotangentPool.give(big);
        assertNotSame(big, CotangentPool.take(TempArrays.MAX_RETAINED + 1));
        TempArrays t = new TempArrays();
        assertSame(t.get(0, 10), t.get(0, 5), "a slot is reused");
        assertNotSame(t.get(0, 10), t.get(1, 10), "slots are distinct");
        assertNotSame(t.get(2, TempArrays.MAX_RETAINED + 1), t.get(2, TempArrays.MAX_RETAINED + 1), "not retained");
    }
}
