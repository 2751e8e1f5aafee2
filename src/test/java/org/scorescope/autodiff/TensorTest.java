package org.scorescope.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Values of Tensor factories and of every kernel path against naive index arithmetic. */
class TensorTest {
    /** Value at a multi-index of {@code full}, broadcast from a tensor of shape {@code s}. */
    private static double at(Tensor t, int[] idx) {
        int[] s = t.shape();
        int off = 0;
        int shift = idx.length - s.length;
        for (int i = 0; i < s.length; i++) {
            int v = s[i] == 1 ? 0 : idx[shift + i];
            off = off * s[i] + v;
        }
        return t.toArray()[off];
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }

    @Test
    void factoriesAndAccessors() {
        Tensor m = Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
        assertArrayEquals(new int[] {2, 3}, m.shape());
        assertEquals(2, m.rank());
        assertEquals(6, m.size());
        assertEquals(6.0, m.get(1, 2));
        assertEquals(3, m.dim(-1));
        assertArrayEquals(new double[] {4, 5, 6}, m.toArray2D()[1]);
        assertEquals(7.5, Tensor.scalar(7.5).item());
        assertEquals(0, Tensor.scalar(1).rank());
        assertArrayEquals(new double[] {1, 0, 0, 1}, Tensor.eye(2).toArray());
        assertArrayEquals(new double[] {1, 1}, Tensor.ones(2).toArray());
        assertArrayEquals(Tensor.randn(5L, 3, 2).toArray(), Tensor.randn(new Random(5), 3, 2).toArray());
        for (double v : Tensor.rademacher(3L, 50).toArray()) {
            assertTrue(v == 1.0 || v == -1.0);
        }
        // immutability: inputs and outputs are copies
        double[] d = {1, 2};
        Tensor t = Tensor.of(new int[] {2}, d);
        d[0] = 99;
        assertEquals(1.0, t.get(0));
        t.toArray()[1] = 99;
        assertEquals(2.0, t.get(1));
        t.shape()[0] = 7;
        assertEquals(2, t.dim(0));
        Tensor v = t.requiresGrad();
        assertTrue(v.isGradTracked() && v.isLeaf());
        assertFalse(v.detach().isGradTracked());
        assertNotSame(t, v);
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new int[] {2, 2}, new double[3]));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new double[][] {{1, 2}, {3}}));
        assertThrows(IndexOutOfBoundsException.class, () -> m.get(2, 0));
        assertThrows(IllegalStateException.class, m::item);
    }

    @Test
    void broadcastingBinaryOpsEveryPath() {
        int[][][] pairs = {
            {{3, 4}, {3, 4}}, {{3, 4}, {}}, {{}, {3, 4}}, {{2, 3, 4}, {4}}, {{4}, {2, 3, 4}},
            {{2, 3, 4}, {1, 3, 4}}, {{3, 1}, {1, 4}}, {{2, 3, 4}, {3, 1}}, {{2, 1, 4}, {3, 1}},
            {{1, 1}, {5}}, {{5, 1, 3}, {5, 2, 1}}};
        Random r = new Random(1);
        for (int[][] p : pairs) {
            Tensor a = Tensor.randn(r, p[0]);
            Tensor b = Tensor.uniform(r, 0.5, 2, p[1]);
            int[] os = Shapes.broadcast(p[0], p[1]);
            Tensor[] res = {a.add(b), a.sub(b), a.mul(b), a.div(b)};
            for (int k = 0; k < 4; k++) {
                assertArrayEquals(os, res[k].shape());
                for (int i = 0; i < res[k].size(); i++) {
                    int[] idx = unravel(i, os);
                    double x = at(a, idx);
                    double y = at(b, idx);
                    double e = k == 0 ? x + y : k == 1 ? x - y : k == 2 ? x * y : x / y;
                    assertEquals(e, res[k].toArray()[i], 0.0, java.util.Arrays.toString(p[0]) + " op " + k);
                }
            }
        }
    }

    @Test
    void sumToShapeAndBroadcastToAreAdjoint() {
        int[][][] pairs = {{{4}, {3, 4}}, {{3, 1}, {2, 3, 4}}, {{1, 4}, {3, 4}}, {{}, {2, 3}}, {{2, 1, 4}, {2, 3, 4}},
            {{3, 4}, {3, 4}}, {{1}, {2, 2}}};
        Random r = new Random(2);
        for (int[][] p : pairs) {
            Tensor small = Tensor.randn(r, p[0]);
            Tensor big = Tensor.randn(r, p[1]);
            Tensor bc = small.broadcastTo(p[1]);
            for (int i = 0; i < bc.size(); i++) {
                assertEquals(at(small, unravel(i, p[1])), bc.toArray()[i], 0.0);
            }
            // ⟨broadcast(s), B⟩ = ⟨s, sumToShape(B)⟩
            double lhs = bc.mul(big).sum().item();
            double rhs = small.mul(big.sumToShape(p[0])).sum().item();
            assertEquals(lhs, rhs, 1e-12 * Math.max(1, Math.abs(lhs)));
        }
    }

    private static double[] naiveMatmul(double[] a, int m, int k, boolean ta, double[] b, int n, boolean tb) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    @Test
    void matmulAllFlagsAndBatchBroadcasting() {
        Random r = new Random(3);
        int m = 5;
        int k = 7;
        int n = 3;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                // A batch (2,1), B batch (3): out batch (2,3)
                Tensor a = Tensor.randn(r, 2, 1, ta ? k : m, ta ? m : k);
                Tensor b = Tensor.randn(r, 3, tb ? n : k, tb ? k : n);
                Tensor c = Ops.matmul(a, b, ta, tb);
                assertArrayEquals(new int[] {2, 3, m, n}, c.shape());
                double[] ad = a.toArray();
                double[] bd = b.toArray();
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 3; j++) {
                        double[] e = naiveMatmul(java.util.Arrays.copyOfRange(ad, i * m * k, (i + 1) * m * k), m, k, ta,
                                java.util.Arrays.copyOfRange(bd, j * k * n, (j + 1) * k * n), n, tb);
                        for (int q = 0; q < m * n; q++) {
                            assertEquals(e[q], c.toArray()[(i * 3 + j) * m * n + q], 1e-13);
                        }
                    }
                }
                // shared B: batch collapsed into rows
                Tensor a2 = Tensor.randn(r, 4, ta ? k : m, ta ? m : k);
                Tensor b2 = Tensor.randn(r, tb ? n : k, tb ? k : n);
                Tensor c2 = Ops.matmul(a2, b2, ta, tb);
                for (int i = 0; i < 4; i++) {
                    double[] e = naiveMatmul(java.util.Arrays.copyOfRange(a2.toArray(), i * m * k, (i + 1) * m * k), m, k,
                            ta, b2.toArray(), n, tb);
                    for (int q = 0; q < m * n; q++) {
                        assertEquals(e[q], c2.toArray()[i * m * n + q], 1e-13);
                    }
                }
            }
        }
    }

    @Test
    void shapeOpsValues() {
        Tensor x = Tensor.of(new int[] {2, 2, 3}, new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
        Tensor t = x.transpose();
        assertArrayEquals(new int[] {2, 3, 2}, t.shape());
        assertEquals(x.get(1, 0, 2), t.get(1, 2, 0));
        assertArrayEquals(new double[] {6, 8, 10, 12, 14, 16}, x.sum(0, false).toArray());
        assertArrayEquals(new double[] {3, 5, 7, 15, 17, 19}, x.sum(1, false).toArray());
        assertArrayEquals(new int[] {2, 2, 1}, x.sum(-1, true).shape());
        assertArrayEquals(new double[] {3, 12, 21, 30}, x.sum(-1, true).toArray());
        assertEquals(66.0, x.sum().item());
        assertEquals(5.5, x.mean().item());
        assertArrayEquals(new double[] {1, 4, 7, 10}, x.mean(2, false).toArray());
        assertArrayEquals(new double[] {1, 2, 4, 5, 7, 8, 10, 11}, x.slice(1, 3).toArray());
        Tensor cat = Ops.concat(x.slice(2, 3), x.slice(0, 2));
        assertArrayEquals(new double[] {2, 0, 1, 5, 3, 4, 8, 6, 7, 11, 9, 10}, cat.toArray());
        assertArrayEquals(new int[] {3, 4}, x.reshape(3, -1).shape());
        assertEquals(x.get(1, 1, 1), x.reshape(-1).get(10));
    }

    @Test
    void pointwiseValuesAndStability() {
        Tensor z = Tensor.vector(-800, -30, -1, 0, 1, 30, 800);
        double[] sp = z.softplus().toArray();
        double[] sg = z.sigmoid().toArray();
        for (int i = 0; i < sp.length; i++) {
            assertTrue(Double.isFinite(sp[i]) && Double.isFinite(sg[i]), "finite at " + i);
        }
        assertEquals(800.0, sp[6], 0.0);
        assertEquals(Math.log(2), sp[3], 1e-16);
        assertEquals(Math.log1p(Math.exp(-30)), sp[1], 1e-30);
        assertEquals(0.5, sg[3], 0.0);
        assertEquals(Math.exp(-30) / (1 + Math.exp(-30)), sg[1], 1e-28);
        // GELU exact: x·Φ(x) with Φ(1) = 0.8413447460685429, Φ(−3) = 0.0013498980316301
        Tensor g = Tensor.vector(1, -3).gelu();
        assertEquals(0.8413447460685429, g.get(0), 2.3e-16); // 2 ulp
        assertEquals(-3 * 0.0013498980316300946, g.get(1), 1e-17);
        assertEquals(Math.expm1(-0.5), Tensor.vector(-0.5).elu().get(0), 0.0);
        assertEquals(2.0, Tensor.vector(2).elu().get(0), 0.0);
        assertEquals(Erf.erf(0.5), Tensor.vector(0.5).erf().get(0), 0.0);
    }
}
