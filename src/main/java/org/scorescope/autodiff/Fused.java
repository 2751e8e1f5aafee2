package org.scorescope.autodiff;

import java.util.Arrays;

/**
 * Fused primitives for MLP layers: the n-th derivative of an activation ({@link Act}), the affine map
 * x·Wᵀ + b ({@link Linear}) and the whole layer φ(x·Wᵀ + b) ({@link Dense}).
 *
 * <p>Each computes its forward value with raw kernels in one pass and keeps what its first derivative
 * needs (φ'(z), z). Their derivative rules come in two forms with the same mathematics:
 * <ul>
 *   <li>a <em>fast</em> vjp on raw arrays, used when the result need not be differentiable again —
 *       grad mode off (a plain {@code createGraph = false} backward pass) and no dual tensors around;</li>
 *   <li>otherwise a rule built from differentiable ops, exactly as for every other primitive, so any
 *       nesting of modes keeps working. Where the cached forward values are valid (level-0 inputs)
 *       that rule reuses them as recorded graph nodes instead of recomputing them.</li>
 * </ul>
 */
final class Fused {
    /** Per-thread buffers for arrays that live only inside one fast backward call (see {@link JetOps}). */
    private static final ThreadLocal<TempArrays> SCRATCH = ThreadLocal.withInitial(TempArrays::new);

    private Fused() {
    }

    /** True when a vjp's result is a constant: grad mode off and no dual among g and the inputs. */
    static boolean plain(Tensor g, Tensor[] x) {
        if (State.get().gradEnabled || g.level != 0) {
            return false;
        }
        for (Tensor t : x) {
            if (t.level != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyTracked(Tensor[] x) {
        for (Tensor t : x) {
            if (t.requiresGrad) {
                return true;
            }
        }
        return false;
    }

    private static boolean allPlainLevel(Tensor[] x) {
        for (Tensor t : x) {
            if (t.level != 0) {
                return false;
            }
        }
        return true;
    }

    /** φ⁽ᵐ⁾(z) as a differentiable tensor: the fused kernel up to m = 3, composite beyond. */
    static Tensor derivative(Activation a, Tensor z, int m) {
        if (m <= Act.MAX_ORDER) {
            return Dispatch.apply(new Act(a, m), z);
        }
        // Rare (fourth and higher derivatives, e.g. parameter HVPs of a Laplacian's gradient): differentiate
        // the composite φ'' elementwise, m − 2 times, by forward mode with unit tangents.
        return elementwiseDerivative(q -> a.compositeDerivatives(q)[2], z, m - 2);
    }

    private static Tensor elementwiseDerivative(java.util.function.Function<Tensor, Tensor> f, Tensor z, int times) {
        if (times == 0) {
            return f.apply(z);
        }
        Tensor ones = Tensor.ones(z.shape);
        return elementwiseDerivative(q -> Grad.jvp(f, q, ones).tangent(), z, times - 1);
    }

    // ------------------------------------------------------------------ activation derivatives

    /** y = φ⁽ᵐ⁾(z) elementwise for m = 0 … 3 (closed forms, see {@link ActivationKernels}). */
    static final class Act extends Op {
        static final int MAX_ORDER = 3;
        private final Activation a;
        private final int order;
        /** φ⁽ᵐ⁺¹⁾ at {@link #cachedZ}, or null (computed on demand). */
        private double[] next;
        private double[] cachedZ;

        Act(Activation a, int order) {
            this.a = a;
            this.order = order;
        }

        /** A recorded node for y = φ⁽ᵐ⁾(z) whose values were already computed by a fused forward. */
        static Tensor node(Activation a, int order, Tensor z, double[] values, boolean record) {
            Tensor y = Tensor.wrap(z.shape, values);
            if (!record) {
                return y;
            }
            Act op = new Act(a, order);
            op.cachedZ = z.data;
            return y.withNode(op, new Tensor[] {z});
        }

        @Override
        String name() {
            return a.jsonName() + (order == 0 ? "" : "^(" + order + ")");
        }

        @Override
        Tensor forward(Tensor[] x) {
            double[] z = x[0].data;
            int n = z.length;
            double[][] slots = new double[4][];
            slots[order] = new double[n];
            // The next derivative costs little extra in the same pass; keep it when a backward pass is likely.
            if (order < MAX_ORDER && x[0].requiresGrad && State.get().gradEnabled) {
                slots[order + 1] = new double[n];
            }
            ActivationKernels.eval(a, z, n, slots[0], slots[1], slots[2], slots[3]);
            cachedZ = z;
            next = order < MAX_ORDER ? slots[order + 1] : null;
            return Tensor.wrap(x[0].shape, slots[order]);
        }

        @Override
        Tensor[] vjp(Tensor g, Tensor[] x, Tensor out, boolean[] need) {
            if (order < MAX_ORDER && plain(g, x) && x[0].data == cachedZ) {
                double[] d = next;
                if (d == null) {
                    int n = cachedZ.length;
                    double[][] slots = new double[4][];
                    slots[order + 1] = new double[n];
                    ActivationKernels.eval(a, cachedZ, n, slots[0], slots[1], slots[2], slots[3]);
                    d = slots[order + 1];
                    next = d;
                }
                double[] gd = g.data;
                double[] o = new double[gd.length];
                for (int i = 0; i < o.length; i++) {
                    o[i] = gd[i] * d[i];
                }
                return new Tensor[] {Tensor.wrap(x[0].shape, o)};
            }
            return new Tensor[] {Ops.mul(g, derivative(a, x[0], order + 1))};
        }

        @Override
        Tensor jvp(Tensor[] x, Tensor[] t, Tensor out) {
            return Ops.mul(t[0], derivative(a, x[0], order + 1));
        }
    }

    // ------------------------------------------------------------------ affine map

    /** Rows of x (all axes but the last) and the input width. */
    private static int rows(Tensor x) {
        int in = x.shape[x.shape.length - 1];
        return in == 0 ? Shapes.size(Arrays.copyOf(x.shape, x.shape.length - 1)) : x.data.length / in;
    }

    /** The op inputs (x, W) or (x, W, b). */
    static Tensor[] inputs(Tensor x, Tensor w, Tensor b) {
        return b == null ? new Tensor[] {x, w} : new Tensor[] {x, w, b};
    }

    /** z = x·Wᵀ (+ b) on the last axis of x: x (…, in), W (out, in), b (out). */
    static final class Linear extends Op {
        static final Linear INSTANCE = new Linear();

        @Override
        String name() {
            return "linear";
        }

        static double[] compute(Tensor[] x) {
            Tensor in = x[0];
            Tensor w = x[1];
            int k = w.shape[1];
            int out = w.shape[0];
            int m = rows(in);
            double[] c = new double[m * out];
            Gemm.gemm(in.data, 0, false, w.data, 0, true, c, 0, m, k, out, x.length > 2 ? x[2].data : null);
            return c;
        }

        static int[] outShape(Tensor x, Tensor w) {
            return Shapes.withLast(x.shape, w.shape[0]);
        }

        @Override
        Tensor forward(Tensor[] x) {
            return Tensor.wrap(outShape(x[0], x[1]), compute(x));
        }

        @Override
        Tensor[] vjp(Tensor g, Tensor[] x, Tensor out, boolean[] need) {
            return affineVjp(g, x, need);
        }

        @Override
        Tensor jvp(Tensor[] x, Tensor[] t, Tensor out) {
            return affineJvp(x, t, out.shape);
        }
    }

    /** Cotangents of z = x·Wᵀ + b for the cotangent gz of z, from differentiable ops. */
    static Tensor[] affineVjp(Tensor gz, Tensor[] x, boolean[] need) {
        Tensor in = x[0];
        Tensor w = x[1];
        int out = w.shape[0];
        int k = w.shape[1];
        int m = rows(in);
        Tensor[] r = new Tensor[x.length];
        if (need[0]) {
            r[0] = Ops.matmul(gz, w);
        }
        if (need[1]) {
            r[1] = Ops.matmul(Ops.reshape(gz, m, out), Ops.reshape(in, m, k), true, false);
        }
        if (x.length > 2 && need[2]) {
            r[2] = Ops.sumToShape(gz, out);
        }
        return r;
    }

    /** Tangent of z = x·Wᵀ + b: tx·Wᵀ + x·tWᵀ + tb (the matmul and add rules combined). */
    static Tensor affineJvp(Tensor[] x, Tensor[] t, int[] outShape) {
        int r = outShape.length;
        Tensor tx = Prims.align(Prims.contractedFull(t[0], x[0], 1), x[0], r);
        Tensor tw = Prims.align(Prims.contractedFull(t[1], x[1], 1), x[1], r);
        Tensor res = Prims.plus(tx == null ? null : Ops.matmul(tx, x[1], false, true),
                tw == null ? null : Ops.matmul(x[0], tw, false, true));
        if (x.length > 2 && t[2] != null) {
            res = Prims.plus(res, Prims.align(t[2], x[2], r));
        }
        return Prims.finish(res, outShape);
    }

    // ------------------------------------------------------------------ dense layer

    /** y = φ(x·Wᵀ + b): one product with the bias folded in, then φ and φ' in one kernel pass. */
    static final class Dense extends Op {
        private final Activation a;
        /** Compute φ' during the forward pass (a backward or tangent pass will follow). */
        private final boolean eagerDerivative;
        private double[] cachedX;
        private double[] cachedW;
        private double[] z;
        private double[] d1;
        /** The last jvp's primals, tangents and tangent of z, reused by a forward-over-reverse vjp. */
        private Tensor[] jvpPrimals;
        private Tensor[] jvpTangents;
        private Tensor jvpTz;

        Dense(Activation a, boolean eagerDerivative) {
            this.a = a;
            this.eagerDerivative = eagerDerivative;
        }

        @Override
        String name() {
            return "dense(" + a.jsonName() + ")";
        }

        @Override
        Tensor forward(Tensor[] x) {
            double[] zz = Linear.compute(x);
            double[] y = new double[zz.length];
            double[] d = eagerDerivative ? new double[zz.length] : null;
            ActivationKernels.eval(a, zz, zz.length, y, d, null, null);
            cachedX = x[0].data;
            cachedW = x[1].data;
            z = zz;
            d1 = d;
            return Tensor.wrap(Linear.outShape(x[0], x[1]), y);
        }

        private boolean cacheValid(Tensor[] x) {
            return allPlainLevel(x) && x[0].data == cachedX && x[1].data == cachedW;
        }

        private double[] d1() {
            if (d1 == null) {
                double[] d = new double[z.length];
                ActivationKernels.eval(a, z, z.length, null, d, null, null);
                d1 = d;
            }
            return d1;
        }

        /** φ'(z) as a tensor: graph nodes over the cached values when valid, recomputed otherwise. */
        private Tensor derivativeTensor(Tensor[] x) {
            int[] zs = Linear.outShape(x[0], x[1]);
            if (cacheValid(x)) {
                boolean record = State.get().gradEnabled && anyTracked(x);
                Tensor zt = Tensor.wrap(zs, z);
                if (record) {
                    zt = zt.withNode(Linear.INSTANCE, x);
                }
                return Act.node(a, 1, zt, d1(), record);
            }
            return derivative(a, Dispatch.apply(Linear.INSTANCE, x), 1);
        }

        /**
         * z = x·Wᵀ + b as the dual the parents x carry, rebuilt from this op's forward and jvp caches
         * (the node Dispatch would record, without recomputing either product), or null when the
         * parents are not the ones of the last jvp.
         */
        private Tensor cachedDualZ(Tensor[] x) {
            int level = 0;
            for (Tensor t : x) {
                level = Math.max(level, t.level);
            }
            if (jvpTz == null || level == 0 || !cacheValid(jvpPrimals)) {
                return null;
            }
            for (int i = 0; i < x.length; i++) {
                boolean dual = x[i].level == level;
                if ((dual ? x[i].primal : x[i]) != jvpPrimals[i] || (dual ? x[i].tangent : null) != jvpTangents[i]) {
                    return null;
                }
            }
            boolean record = State.get().gradEnabled;
            Tensor zp = Tensor.wrap(Linear.outShape(jvpPrimals[0], jvpPrimals[1]), z);
            if (record && anyTracked(jvpPrimals)) {
                zp = zp.withNode(Linear.INSTANCE, jvpPrimals);
            }
            Tensor zd = Tensor.dual(level, zp, jvpTz);
            return record && anyTracked(x) ? zd.withNode(Linear.INSTANCE, x) : zd;
        }

        @Override
        Tensor[] vjp(Tensor g, Tensor[] x, Tensor out, boolean[] need) {
            if (plain(g, x) && cacheValid(x)) {
                Tensor[] r = fastVjp(g.data, x, need);
                // fastVjp reads g without keeping it and returns distinct new (or pool-taken) arrays.
                return exclusive(r);
            }
            Tensor zd = cachedDualZ(x);
            Tensor d = zd != null ? derivative(a, zd, 1) : derivativeTensor(x);
            return affineVjp(Ops.mul(g, d), x, need);
        }

        private Tensor[] fastVjp(double[] g, Tensor[] x, boolean[] need) {
            double[] d = d1();
            int len = g.length;
            double[] gz = SCRATCH.get().get(0, len);
            for (int i = 0; i < len; i++) {
                gz[i] = g[i] * d[i];
            }
            Tensor in = x[0];
            Tensor w = x[1];
            int out = w.shape[0];
            int k = w.shape[1];
            int m = rows(in);
            Tensor[] r = new Tensor[x.length];
            if (need[0]) {
                double[] gx = CotangentPool.take(m * k);
                Gemm.gemm(gz, 0, false, w.data, 0, false, gx, 0, m, out, k, null);
                r[0] = Tensor.wrap(in.shape, gx);
            }
            if (need[1]) {
                double[] gw = new double[out * k];
                Gemm.gemm(gz, 0, true, in.data, 0, false, gw, 0, out, m, k, null);
                r[1] = Tensor.wrap(w.shape, gw);
            }
            if (x.length > 2 && need[2]) {
                // Same sums in the same order as Kernels.sumAxis over the rows (gz may be longer than m·out).
                r[2] = Tensor.wrap(x[2].shape, JetOps.columnSums(gz, m, out));
            }
            return r;
        }

        @Override
        Tensor jvp(Tensor[] x, Tensor[] t, Tensor out) {
            Tensor tz = affineJvp(x, t, out.shape);
            if (tz == null) {
                return null;
            }
            jvpPrimals = x.clone();
            jvpTangents = t.clone();
            jvpTz = tz;
            return Prims.finish(Ops.mul(tz, derivativeTensor(x)), out.shape);
        }
    }
}
