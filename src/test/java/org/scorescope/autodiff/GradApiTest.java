package org.scorescope.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class GradApiTest {
    static void assertClose(Tensor expected, Tensor actual, double rel, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toArray();
        double[] a = actual.toArray();
        double scale = 0;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < e.length; i++) {
            assertTrue(Math.abs(e[i] - a[i]) <= rel * Math.max(1e-300, scale),
                    what + ": entry " + i + " expected " + e[i] + " got " + a[i]);
        }
    }

    private static final double[][] C = {{1, 0, 0, 4}, {1, 2, 0, 0}, {0, 2, 3, 0}, {0, 2, 0, 4}};

    /** f(x) = C·(x∘x) on x of shape (4). */
    private static Tensor cxx(Tensor x) {
        return Tensor.of(C).matmul(x.square().reshape(4, 1)).reshape(4);
    }

    @Test
    void workedExampleJacobianAndHessian() {
        Tensor x = Tensor.ones(4);
        Tensor j = Grad.jacobian(GradApiTest::cxx, x);
        Tensor h = Grad.jacobian(z -> Grad.jacobian(GradApiTest::cxx, z), x);
        assertArrayEquals(new int[] {4, 4, 4}, h.shape());
        for (int i = 0; i < 4; i++) {
            for (int jj = 0; jj < 4; jj++) {
                assertEquals(2 * C[i][jj], j.get(i, jj), 0.0, "J[" + i + "][" + jj + "]");
                for (int k = 0; k < 4; k++) {
                    double expected = jj == k ? 2 * C[i][jj] : 0.0;
                    assertEquals(expected, h.get(i, jj, k), 0.0, "H[" + i + "][" + jj + "][" + k + "]");
                }
            }
        }
        // Away from x = 1 the Jacobian is 2·C·diag(x), by both modes.
        Tensor x2 = Tensor.vector(0.5, -1, 2, 3);
        for (Tensor jx : new Tensor[] {Grad.jacobianForward(GradApiTest::cxx, x2),
            Grad.jacobianReverse(GradApiTest::cxx, x2)}) {
            for (int i = 0; i < 4; i++) {
                for (int jj = 0; jj < 4; jj++) {
                    assertEquals(2 * C[i][jj] * x2.get(jj), jx.get(i, jj), 1e-15);
                }
            }
        }
        // The same Hessian by forward-over-forward (nested batched jvps).
        Tensor hf = Grad.jacobianForward(z -> Grad.jacobianForward(GradApiTest::cxx, z), x2);
        for (int i = 0; i < 4; i++) {
            for (int jj = 0; jj < 4; jj++) {
                for (int k = 0; k < 4; k++) {
                    assertEquals(jj == k ? 2 * C[i][jj] : 0.0, hf.get(i, jj, k), 1e-15);
                }
            }
        }
    }

    private static Tensor scalarFn(Tensor x) {
        // a smooth non-separable scalar on (5)
        Tensor m = x.reshape(5, 1).matmul(x.reshape(1, 5)).tanh();
        return m.sum().add(x.softplus().mul(x.tanh()).sum());
    }

    @Test
    void hvpEqualsHessianTimesVector() {
        Tensor x = Tensor.randn(3, 5);
        Tensor h = Grad.hessian(GradApiTest::scalarFn, x);
        Tensor hr = Grad.jacobianReverse(z -> Grad.grad(scalarFn(z), true, z).get(0), x);
        assertClose(hr, h, 1e-13, "hessian forward-over-reverse vs reverse-over-reverse");
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(h.get(i, j), h.get(j, i), 1e-13, "symmetry");
            }
        }
        Tensor v = Tensor.randn(4, 5);
        Tensor hv = Grad.hvp(GradApiTest::scalarFn, x, v);
        assertClose(h.matmul(v.reshape(5, 1)).reshape(5), hv, 1e-13, "hvp");
        Tensor vs = Tensor.randn(5, 3, 5);
        Tensor hvs = Grad.hvp(GradApiTest::scalarFn, x, vs);
        assertClose(vs.matmul(h), hvs, 1e-13, "batched hvp");
    }

    @Test
    void jacobianPicksEitherModeAndTheyAgree() {
        Tensor w = Tensor.randn(5, 5, 2);
        Function<Tensor, Tensor> wide = x -> w.matmul(x.reshape(2, 1)).tanh().reshape(5);
        Function<Tensor, Tensor> narrow = x -> w.transpose().matmul(x.reshape(5, 1)).exp().reshape(2);
        Tensor x2 = Tensor.randn(6, 2);
        Tensor x5 = Tensor.randn(7, 5);
        assertClose(Grad.jacobianReverse(wide, x2), Grad.jacobian(wide, x2), 1e-14, "wide");
        assertClose(Grad.jacobianForward(narrow, x5), Grad.jacobian(narrow, x5), 1e-14, "narrow");
        assertArrayEquals(new int[] {5, 2}, Grad.jacobian(wide, x2).shape());
        assertArrayEquals(new int[] {2, 5}, Grad.jacobian(narrow, x5).shape());
    }

    private static final Tensor W1 = Tensor.randn(21, 4, 3);
    private static final Tensor B1 = Tensor.randn(22, 4);
    private static final Tensor W2 = Tensor.randn(23, 2, 4);

    /** Row-wise (B, 3) → (B, 2). */
    private static Tensor rowField(Tensor x) {
        return Ops.linear(Ops.linear(x, W1, B1).gelu(), W2, null).tanh();
    }

    /** Row-wise scalar (B, 3) → (B, 1). */
    private static Tensor rowEnergy(Tensor x) {
        return Ops.linear(Ops.linear(x, W1, B1).silu(), W2, null).softplus().sum(-1, true);
    }

    @Test
    void batchJacobianEqualsPerSampleLoop() {
        Tensor x = Tensor.randn(5, 6, 3);
        Tensor jb = Grad.batchJacobian(GradApiTest::rowField, x);
        assertArrayEquals(new int[] {6, 2, 3}, jb.shape());
        for (int b = 0; b < 6; b++) {
            Tensor row = Tensor.of(new int[] {3}, java.util.Arrays.copyOfRange(x.toArray(), b * 3, b * 3 + 3));
            Tensor js = Grad.jacobianReverse(z -> rowField(z.reshape(1, 3)).reshape(2), row);
            for (int m = 0; m < 2; m++) {
                for (int n = 0; n < 3; n++) {
                    assertEquals(js.get(m, n), jb.get(b, m, n), 1e-14, "J[" + b + "][" + m + "][" + n + "]");
                }
            }
        }
    }

    @Test
    void batchHessianEqualsPerSampleLoop() {
        Tensor x = Tensor.randn(6, 6, 3);
        Tensor hb = Grad.batchHessian(GradApiTest::rowEnergy, x);
        assertArrayEquals(new int[] {6, 3, 3}, hb.shape());
        for (int b = 0; b < 6; b++) {
            Tensor row = Tensor.of(new int[] {3}, java.util.Arrays.copyOfRange(x.toArray(), b * 3, b * 3 + 3));
            Tensor hs = Grad.hessian(z -> rowEnergy(z.reshape(1, 3)).sum(), row);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(hs.get(i, j), hb.get(b, i, j), 1e-13, "H[" + b + "][" + i + "][" + j + "]");
                }
            }
        }
        // output (B) works too
        Tensor h1 = Grad.batchHessian(z -> rowEnergy(z).reshape(6), x);
        assertClose(hb, h1, 0, "(B) vs (B,1) output");
    }

    @Test
    void unreachableInputsGetZerosAndNonLeafInputsWork() {
        Tensor x = Tensor.variable(Tensor.vector(1, 2, 3));
        Tensor unused = Tensor.variable(Tensor.zeros(2, 2));
        Tensor y = x.mul(2.0);
        Tensor z = y.square().sum();
        List<Tensor> g = Grad.grad(List.of(z), List.of(y, x, unused), null, false);
        assertClose(y.mul(2.0), g.get(0), 0, "dz/dy (non-leaf)");
        assertClose(y.mul(4.0), g.get(1), 0, "dz/dx through y");
        assertClose(Tensor.zeros(2, 2), g.get(2), 0, "unreachable");
        // seeds and several outputs accumulate: d(3·z + <s, y>)/dx
        Tensor s = Tensor.vector(1, -1, 0.5);
        Tensor gx = Grad.grad(List.of(z, y), List.of(x), List.of(Tensor.scalar(3.0), s), false).get(0);
        assertClose(y.mul(12.0).add(s.mul(2.0)), gx, 1e-15, "seeded multi-output");
    }

    @Test
    void gradModeAndCreateGraph() {
        Tensor x = Tensor.variable(Tensor.vector(0.3, -0.7));
        Tensor y = Grad.noGrad(() -> x.exp().sum());
        assertFalse(y.isGradTracked());
        assertClose(Tensor.zeros(2), Grad.grad(y, x).get(0), 0, "no graph recorded under noGrad");
        // tangents still flow under noGrad
        Grad.Jvp r = Grad.noGrad(() -> Grad.jvp(t -> t.exp().sum(), x, Tensor.ones(2)));
        assertEquals(Math.exp(0.3) + Math.exp(-0.7), r.tangent().item(), 1e-15);

        Tensor f = x.pow(3).sum();
        Tensor g1 = Grad.grad(f, x).get(0);
        assertFalse(g1.isGradTracked(), "createGraph=false gives constants");
        Tensor g2 = Grad.grad(f, true, x).get(0);
        assertTrue(g2.isGradTracked());
        Tensor second = Grad.grad(g2.sum(), x).get(0);
        assertClose(x.mul(6.0), second, 1e-15, "d/dx sum(3x^2)");
    }

    @Test
    void perturbationsOfNestedJvpsAreNotConfused() {
        // D[x ↦ x · D[y ↦ x + y](1)](1) = 1 (a confused implementation gives 2).
        Tensor one = Tensor.scalar(1.0);
        Tensor d = Grad.jvp(x -> x.mul(Grad.jvp(y -> x.add(y), one, one).tangent()), one, one).tangent();
        assertEquals(1.0, d.item(), 0.0);
        // Forward-over-forward gives wᵀHv.
        Tensor x = Tensor.randn(31, 5);
        Tensor v = Tensor.randn(32, 5);
        Tensor w = Tensor.randn(33, 5);
        Tensor whv = Grad.jvp(z -> Grad.jvp(GradApiTest::scalarFn, z, v).tangent(), x, w).tangent();
        Tensor h = Grad.hessian(GradApiTest::scalarFn, x);
        double expected = w.reshape(1, 5).matmul(h).matmul(v.reshape(5, 1)).item();
        assertEquals(expected, whv.item(), 1e-12 * Math.max(1, Math.abs(expected)));
        // Reverse-over-forward: ∇ₓ(∇f·v) = Hv.
        Tensor xv = x.requiresGrad();
        Tensor jv = Grad.jvp(GradApiTest::scalarFn, xv, v).tangent();
        assertClose(h.matmul(v.reshape(5, 1)).reshape(5), Grad.grad(jv, xv).get(0), 1e-13, "reverse-over-forward");
    }

    @Test
    void jvpOfConstantAndVjp() {
        Tensor c = Tensor.randn(2, 3);
        Grad.Jvp r = Grad.jvp(x -> c, Tensor.zeros(4), Tensor.ones(7, 4));
        assertArrayEquals(new int[] {7, 3}, r.tangent().shape());
        assertClose(Tensor.zeros(7, 3), r.tangent(), 0, "zero tangent");
        Tensor x = Tensor.randn(41, 2, 3);
        Tensor u = Tensor.randn(42, 3, 3);
        Grad.Vjp vj = Grad.vjp(t -> t.transpose().matmul(t), x, u);
        // d/dX tr(Uᵀ XᵀX) = X(U + Uᵀ)
        assertClose(x.matmul(u.add(u.transpose())), vj.cotangent(), 1e-14, "vjp of XᵀX");
        assertClose(x.transpose().matmul(x), vj.value(), 0, "vjp value");
    }

    @Test
    void deepGraphsDoNotOverflowTheStack() {
        // 50 000 chained ops: the backward traversal is iterative. d/dx of x·1.0001^n = 1.0001^n.
        Tensor x = Tensor.variable(Tensor.scalar(1.0));
        Tensor y = x;
        int n = 50_000;
        for (int i = 0; i < n; i++) {
            y = y.mul(1.0001);
        }
        assertEquals(Math.pow(1.0001, n), Grad.grad(y, x).get(0).item(), 1e-9 * Math.pow(1.0001, n));
    }

    @Test
    void badInputsGetClearMessages() {
        Tensor a = Tensor.zeros(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.matmul(Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("inner dimensions"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Grad.jvp(t -> t, a, Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("tangent"), e.getMessage());
        Tensor x = Tensor.variable(Tensor.zeros(3));
        e = assertThrows(IllegalArgumentException.class, () -> Grad.grad(x.mul(2.0), x));
        assertTrue(e.getMessage().contains("seed"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Grad.grad(List.of(x.sum()), List.of(x), List.of(Tensor.zeros(2)), false));
        assertTrue(e.getMessage().contains("seed 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.reshape(4, -1));
        assertTrue(e.getMessage().contains("reshape"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.sum(2, false));
        assertTrue(e.getMessage().contains("axis 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.slice(2, 5));
        assertTrue(e.getMessage().contains("slice"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Grad.batchHessian(t -> t, Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("batchHessian"), e.getMessage());
    }
}
