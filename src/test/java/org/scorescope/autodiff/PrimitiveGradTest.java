package org.scorescope.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every primitive (and the broadcasting variants) against central finite differences at orders
 * 1–3 in reverse, forward and mixed modes, plus forward/reverse duality with batched tangents and
 * full Jacobians computed both ways.
 */
class PrimitiveGradTest {
    /** Max relative error per order; observed errors are below 3e-11 (Richardson-refined FD, see GradCheck). */
    private static final double[] TOL = {0, 1e-8, 1e-8, 1e-8};

    record Case(String name, Function<List<Tensor>, Tensor> f, List<Tensor> inputs) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Random RNG = new Random(42);

    private static Tensor n(int... shape) {
        return Tensor.randn(RNG, shape);
    }

    private static Tensor pos(int... shape) {
        return Tensor.uniform(RNG, 0.5, 2.0, shape);
    }

    private static Case c(String name, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        return new Case(name, f, List.of(inputs));
    }

    private static Case u(String name, Function<Tensor, Tensor> f, Tensor x) {
        return new Case(name, xs -> f.apply(xs.get(0)), List.of(x));
    }

    static Stream<Case> cases() {
        List<Case> l = new ArrayList<>();
        // elementwise binary, same shape and every broadcasting path
        l.add(c("add", x -> x.get(0).add(x.get(1)), n(3, 4), n(3, 4)));
        l.add(c("add bias row (N)", x -> x.get(0).add(x.get(1)), n(3, 4), n(4)));
        l.add(c("add lower-rank left", x -> x.get(0).add(x.get(1)), n(4), n(3, 4)));
        l.add(c("sub col-row general", x -> x.get(0).sub(x.get(1)), n(3, 1), n(1, 4)));
        l.add(c("sub scalar tensor", x -> x.get(0).sub(x.get(1)), n(), n(2, 3)));
        l.add(c("mul", x -> x.get(0).mul(x.get(1)), n(3, 4), n(3, 4)));
        l.add(c("mul bias (1,N)", x -> x.get(0).mul(x.get(1)), n(3, 4), n(1, 4)));
        l.add(c("mul rank-3 general", x -> x.get(0).mul(x.get(1)), n(2, 3, 4), n(3, 1)));
        l.add(c("mul scalar tensor", x -> x.get(0).mul(x.get(1)), n(2, 3), n()));
        l.add(c("div", x -> x.get(0).div(x.get(1)), n(3, 4), pos(3, 4)));
        l.add(c("div broadcast denominator", x -> x.get(0).div(x.get(1)), n(3, 4), pos(4)));
        l.add(c("div broadcast numerator", x -> x.get(0).div(x.get(1)), n(1, 4), pos(3, 4)));
        // scalar-parameter ops
        l.add(u("neg", Tensor::neg, n(3, 4)));
        l.add(u("addScalar", t -> t.add(1.5), n(3, 4)));
        l.add(u("mulScalar", t -> t.mul(-2.5), n(3, 4)));
        l.add(u("pow 3", t -> t.pow(3), n(3, 4)));
        l.add(u("pow -1.5", t -> t.pow(-1.5), pos(3, 4)));
        l.add(u("pow 0.5", t -> t.pow(0.5), pos(3, 4)));
        // pointwise functions
        l.add(u("exp", Tensor::exp, n(3, 4)));
        l.add(u("log", Tensor::log, pos(3, 4)));
        l.add(u("square", Tensor::square, n(3, 4)));
        l.add(u("sqrt", Tensor::sqrt, pos(3, 4)));
        l.add(u("tanh", Tensor::tanh, n(3, 4)));
        l.add(u("sigmoid", Tensor::sigmoid, n(3, 4)));
        l.add(u("softplus", Tensor::softplus, n(3, 4).mul(3)));
        l.add(u("silu", Tensor::silu, n(3, 4).mul(2)));
        l.add(u("elu", Tensor::elu, n(3, 4)));
        l.add(u("gelu", Tensor::gelu, n(3, 4).mul(2)));
        l.add(u("erf", Tensor::erf, n(3, 4)));
        l.add(u("normalCdf", Ops::normalCdf, n(3, 4)));
        // linear algebra
        l.add(c("matmul", x -> x.get(0).matmul(x.get(1)), n(3, 4), n(4, 2)));
        l.add(c("matmul batched", x -> x.get(0).matmul(x.get(1)), n(2, 3, 4), n(4, 2)));
        l.add(c("matmul batched right", x -> x.get(0).matmul(x.get(1)), n(3, 4), n(2, 4, 5)));
        l.add(c("matmul broadcast batch", x -> x.get(0).matmul(x.get(1)), n(2, 1, 3, 4), n(3, 4, 2)));
        l.add(c("matmul A^T B", x -> Ops.matmul(x.get(0), x.get(1), true, false), n(4, 3), n(4, 2)));
        l.add(c("matmul A B^T", x -> Ops.matmul(x.get(0), x.get(1), false, true), n(2, 3, 4), n(5, 4)));
        l.add(c("matmul A^T B^T", x -> Ops.matmul(x.get(0), x.get(1), true, true), n(4, 3), n(2, 2, 4)));
        l.add(c("linear", x -> Ops.linear(x.get(0), x.get(1), x.get(2)), n(5, 3), n(2, 3), n(2)));
        l.add(u("transpose", Tensor::transpose, n(2, 3, 4)));
        // shapes and reductions
        l.add(u("reshape", t -> t.reshape(6, -1), n(2, 3, 4)));
        l.add(u("sum all", Tensor::sum, n(2, 3, 4)));
        l.add(u("sum axis 0", t -> t.sum(0, false), n(2, 3, 4)));
        l.add(u("sum axis -1 keep", t -> t.sum(-1, true), n(2, 3, 4)));
        l.add(u("mean all", Tensor::mean, n(3, 4)));
        l.add(u("mean axis 1 keep", t -> t.mean(1, true), n(3, 4)));
        l.add(u("sumToShape (N)", t -> t.sumToShape(4), n(3, 4)));
        l.add(u("sumToShape (3,1)", t -> t.sumToShape(3, 1), n(2, 3, 4)));
        l.add(u("broadcastTo", t -> t.broadcastTo(3, 4), n(4)));
        l.add(u("broadcastTo general", t -> t.broadcastTo(2, 3, 4), n(3, 1)));
        l.add(u("slice", t -> t.slice(1, 4), n(3, 5)));
        l.add(u("slice head", t -> t.slice(0, 2), n(2, 3, 5)));
        l.add(c("concat", x -> Ops.concat(x.get(0), x.get(1), x.get(2)), n(3, 2), n(3, 3), n(3, 1)));
        // compositions that make higher derivatives of the linear rules non-trivial
        l.add(c("mlp-like", x -> Ops.linear(Ops.linear(x.get(0), x.get(1), x.get(2)).softplus(), x.get(3), null)
                .tanh().sum(-1, false), n(4, 3), n(5, 3), n(5), n(2, 5)));
        l.add(u("gram tanh", t -> t.matmul(t.transpose()).tanh().mul(t.sigmoid().sum()), n(3, 2)));
        l.add(u("slice-concat-square", t -> Ops.concat(t.slice(2, 4), t.slice(0, 2).square()).exp()
                .mul(t.sumToShape(1, 4).broadcastTo(3, 4)), n(3, 4)));
        return l.stream();
    }

    private static void check(Case k, int order, GradCheck.Mode mode) {
        double err = GradCheck.check(k.f(), k.inputs(), order, mode, 2, 7 + order);
        assertTrue(err < TOL[order], k.name() + " " + mode + " order " + order + ": rel err " + err);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reverseOrders1To3(Case k) {
        for (int order = 1; order <= 3; order++) {
            check(k, order, GradCheck.Mode.REVERSE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardOrders1To3(Case k) {
        for (int order = 1; order <= 3; order++) {
            check(k, order, GradCheck.Mode.FORWARD);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void mixedOrders2And3(Case k) {
        check(k, 2, GradCheck.Mode.MIXED);
        check(k, 3, GradCheck.Mode.MIXED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardEqualsReverseWithBatchedTangents(Case k) {
        double err = GradCheck.duality(k.f(), k.inputs(), 3, 11);
        assertTrue(err < 1e-12, k.name() + ": u^T(Jv) vs (u^T J)v rel err " + err);
    }

    /** Tangent patterns compressed to size 1 on some axes; the jvp must equal the materialised one. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void compressedTangentsEqualMaterialisedOnes(Case k) {
        Random r = new Random(5);
        int kk = 2;
        for (int pattern = 0; pattern < 3; pattern++) {
            List<Tensor> vs = new ArrayList<>();
            List<Tensor> full = new ArrayList<>();
            for (Tensor x : k.inputs()) {
                int[] s = x.shape();
                int[] c = s.clone();
                for (int a = 0; a < c.length; a++) {
                    boolean last = a == c.length - 1;
                    // 0: all but the last axis compressed, 1: only the last, 2: all
                    if (pattern == 2 || (pattern == 0 && !last) || (pattern == 1 && last)) {
                        c[a] = 1;
                    }
                }
                Tensor v = Tensor.randn(r, Shapes.concat(new int[] {kk}, c));
                vs.add(v);
                full.add(v.broadcastTo(Shapes.concat(new int[] {kk}, s)));
            }
            Tensor a = Grad.jvpMulti(k.f(), k.inputs(), vs).tangent();
            Tensor b = Grad.jvpMulti(k.f(), k.inputs(), full).tangent();
            assertArrayEquals(b.shape(), a.shape(), k.name());
            double[] ad = a.toArray();
            double[] bd = b.toArray();
            for (int e = 0; e < ad.length; e++) {
                assertTrue(Math.abs(ad[e] - bd[e]) <= 1e-13 * Math.max(1, Math.abs(bd[e])),
                        k.name() + " pattern " + pattern + " entry " + e + ": " + ad[e] + " vs " + bd[e]);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fullJacobiansForwardEqualReverse(Case k) {
        for (int i = 0; i < k.inputs().size(); i++) {
            int idx = i;
            Function<Tensor, Tensor> fi = xi -> {
                List<Tensor> all = new ArrayList<>(k.inputs());
                all.set(idx, xi);
                return k.f().apply(all);
            };
            Tensor jf = Grad.jacobianForward(fi, k.inputs().get(i));
            Tensor jr = Grad.jacobianReverse(fi, k.inputs().get(i));
            assertArrayEquals(jr.shape(), jf.shape(), k.name());
            double[] a = jf.toArray();
            double[] b = jr.toArray();
            for (int e = 0; e < a.length; e++) {
                assertTrue(Math.abs(a[e] - b[e]) <= 1e-12 * Math.max(1, Math.abs(b[e])),
                        k.name() + " input " + i + " entry " + e + ": forward " + a[e] + " reverse " + b[e]);
            }
        }
    }
}
