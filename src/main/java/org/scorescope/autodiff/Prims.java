package org.scorescope.autodiff;

import java.util.Arrays;

/**
 * The primitive ops and their derivative rules. Every vjp/jvp is built from {@link Ops} calls on
 * tensors (never raw arrays), so rules are themselves differentiable in both modes.
 *
 * <p>Batched tangents: a tangent of x has shape [K..., S] where K are optional leading batch axes
 * (K = tangent.rank − x.rank) and S has x's rank with each axis equal to x's or 1 ("compressed":
 * the tangent is constant along that axis, e.g. a direction shared by every sample). Compressed
 * tangents flow through elementwise ops, matmul (except on its contracted axis), transpose, slices
 * and broadcasts without being materialised; rules that need the exact layout call {@link #full}.
 * Broadcasting rules first {@link #align} each tangent to the output rank by inserting singleton axes
 * right after K, so that right-aligned broadcasting against the primals lines up.
 */
final class Prims {
    private Prims() {
    }

    // ------------------------------------------------------------------ rule helpers

    static int prefixRank(Tensor t, Tensor x) {
        return t.shape.length - x.shape.length;
    }

    /** The tangent expanded to its full shape [K..., x.shape]. */
    static Tensor full(Tensor t, Tensor x) {
        int p = prefixRank(t, x);
        int[] target = Shapes.concat(Shapes.prefix(t.shape, p), x.shape);
        return Arrays.equals(target, t.shape) ? t : Ops.broadcastTo(t, target);
    }

    /** Inserts singleton axes after the K prefix so the tangent of x has rank K + outRank. */
    static Tensor align(Tensor t, Tensor x, int outRank) {
        if (t == null) {
            return null;
        }
        int p = prefixRank(t, x);
        int pad = outRank - x.shape.length;
        if (p == 0 || pad == 0) {
            return t;
        }
        int[] s = Shapes.concat(Shapes.concat(Shapes.prefix(t.shape, p), Shapes.ones(pad)), Shapes.suffixFrom(t.shape, p));
        return Ops.reshape(t, s);
    }

    /**
     * Restores the tangent invariant rank = K + out.rank after broadcasting rules: an unbatched
     * contribution from a lower-rank input gets leading singleton axes (a free reshape).
     */
    static Tensor finish(Tensor t, int[] outShape) {
        if (t == null || t.shape.length >= outShape.length) {
            return t;
        }
        return Ops.reshape(t, Shapes.concat(Shapes.ones(outShape.length - t.shape.length), t.shape));
    }

    static Tensor plus(Tensor a, Tensor b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return Ops.add(a, b);
    }

    static Tensor sumTo(Tensor g, int[] shape) {
        return Arrays.equals(g.shape, shape) ? g : Ops.sumToShape(g, shape);
    }

    // ------------------------------------------------------------------ elementwise binary

    static final class Binary extends Op {
        static final Binary ADD = new Binary(Kernels.ADD, "add");
        static final Binary SUB = new Binary(Kernels.SUB, "sub");
        static final Binary MUL = new Binary(Kernels.MUL, "mul");
        static final Binary DIV = new Binary(Kernels.DIV, "div");

        private final int kind;
        private final String name;

        private Binary(int kind, String name) {
            this.kind = kind;
            this.name = name;
        }

        @Override
        String name() {
            return name;
        }

        @Override
        Tensor forward(Tensor[] x) {
            int[] os = Shapes.broadcast(x[0].shape, x[1].shape);
            return Tensor.wrap(os, Kernels.binary(kind, x[0].data, x[0].shape, x[1].data, x[1].shape, os));
        }

        @Override
        Tensor[] vjp(Tensor g, Tensor[] x, Tensor out, boolean[] need) {
            Tensor a = x[0];
            Tensor b = x[1];
            Tensor ga = null;
            Tensor gb = null;
            switch (kind) {
                case Kernels.ADD:
                    ga = need[0] ? sumTo(g, a.shape) : null;
                    gb = need[1] ? sumTo(g, b.shape) : null;
                    break;
                case Kernels.SUB:
                    ga = need[0] ? sumTo(g, a.shape) : null;
                    gb = need[1] ? Ops.neg(sumTo(g, b.shape)) : null;
                    break;
                case Kernels.MUL:
                    ga = need[0] ? sumTo(Ops.mul(g, b), a.shape) : null;
                    gb = need[1] ? sumTo(Ops.mul(g, a), b.shape) : null;
                    break;
                default:
                    ga = need[0] ? sumTo(Ops.div(g, b), a.shape) : null;
                    // d(a/b)/db = −out/b
                    gb = need[1] ? Ops.neg(sumTo(Ops.div(Ops.mul(g, out), b), b.shape)) : null;
                    break;
            }
            return new Tensor[] {ga, gb};
        }

        @Override
        Tensor jvp(Tensor[] x, Tensor[] t, Tensor out) {
            int r = out.shape.length;
            Tensor ta = align(t[0], x[0], r);
            Tensor tb = align(t[1], x[1], r);
            Tensor res;
            switch (kind) {
                case Kernels.ADD:
                    res = plus(ta, tb);
                    break;
                case Kernels.SUB:
                    res = tb == null ? ta : ta == null ? Ops.neg(tb) : Ops.sub(ta, tb);
                    break;
                case Kernels.MUL:
                    res = plus(ta == null ? null : Ops.mul(ta, x[1]), tb == null ? null : Ops.mul(x[0], tb));
                    break;
                default:
                    // d(a/b) = (da − out·db)/b
                    Tensor num = tb == null ? ta : ta == null ? Ops.neg(Ops.mul(tb, out))
                            : Ops.sub(ta, Ops.mul(tb, out));
                    res = Ops.div(num, x[1]);
                    break;
            }
            return finish(res, out.shape);
        }
    }

    // ------------------------------------------------------------------ scalar-parameter ops

    static final class AddScalar extends Op {
        private final double c;

        AddScalar(double c) {
            this.c = c;
        }

        @Override
        String name() {
            return "addScalar(" + c + ")";
        }

        @Override
        Tensor forward(Tensor[] x) {
            return Tensor.wrap(x[0].shape, Kernels.shift(x[0].data, c));
        }

        @Override
        Tensor[] vjp(Tensor g, Tensor[] x, Tensor out, boolean[] need) {
            return new Tensor[] {g};
        }

        @Override
        Tensor jvp(Tensor[] x, Tensor[] t, Tensor out) {
            return t[0];
        }
    }

    static final class MulScalar extends Op {
        private final double c;

        MulScalar(double c) {
            this.c = c;
        }

        @Override
        String name() {
            return "mulScalar(" + c + ")";
        }

        @Override
        Tensor forward(Tensor[] x) {
            return Tensor.wrap(x[0].shape, Kernels.scale(x[0].data, c));
        }

        @Override
        Tensor[] vjp(Tensor g, Tensor[] x, Tensor out, boolean[] need) {
            return new Tensor[] {Ops.mulScalar(g, c)};
        }

        @Override
        Tensor jvp(Tensor[] x, Tensor[] t, Tensor out) {
            return Ops.mulScalar(t[0], c);
        }
    }

    static final class Pow extends Op {
        private final double p;

        Pow(double p) {
            this.p = p;
        }

        @Override
        String name() {
            return "pow(" + p + ")";
        }

        @Override
        Tensor forward(Tensor[] x) {
            return Tensor.wrap(x[0].shape, Kernels.pow(x[0].data, p));
        }

        private Tensor d1(Tensor x) {
            if (p == 1.0) {
                return null;
            }
            return p == 2.0 ? Ops.mulScalar(x, 2.0) : Ops.mulScalar(Ops.pow(x, p - 1.0), p);
        }

        @Override
        Tensor[] vjp(Tensor g, Tensor[] x, Tensor out, boolean[] need) {
            if (p == 0.0) {
                return new Tensor[] {null};
            }
            Tensor d = d1(x[0]);
            return new Tensor[] {d == null ? g : Ops.mul(g, d)};
        }

        @Override
        Tensor jvp(Tensor[] x, Tensor[] t, Tensor out) {
            if (p == 0.0) {
                return null;
            }
            Tensor d = d1(x[0]);
            return d == null ? t[0] : Ops.mul(t[0], d);
        }
    }

    // ------------------------------------------------------------------ pointwise functions

    static final class Unary extends Op {
        private static final Unary[] ALL = new Unary[Pointwise.values().length];

        static {
            for (Pointwise f : Pointwise.values()) {
                ALL[f.ordinal()] = new Unary(f);
            }
        }

        private static final double TWO_OVER_SQRT_PI = 1.12837916709551257390;
        private static final double INV_SQRT_2PI = 0.39894228040143267794;

        private final Pointwise f;

        private Unary(Pointwise f) {
            this.f = f;
        }

        static Unary of(Pointwise f) {
            return ALL[f.ordinal()];
        }

        @Override
        String name() {
            return f.name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        Tensor forward(Tensor[] x) {
            return Tensor.wrap(x[0].shape, Kernels.unary(f, x[0].data));
        }

        /** f'(x) as differentiable ops; {@code out} = f(x). */
        private Tensor d1(Tensor x, Tensor out) {
            switch (f) {
                case EXP:
                    return out;
                case LOG:
                    return Ops.pow(x, -1.0);
                case SQRT:
                    return Ops.mulScalar(Ops.pow(out, -1.0), 0.5);
                case SQUARE:
                    return Ops.mulScalar(x, 2.0);
                case TANH:
                    return Ops.addScalar(Ops.neg(Ops.square(out)), 1.0);
                case SIGMOID:
                    return Ops.sub(out, Ops.square(out));
                case SOFTPLUS:
                    return Ops.sigmoid(x);
                case SILU: {
                    // σ + x·σ(1−σ)
                    Tensor s = Ops.sigmoid(x);
                    return Ops.add(s, Ops.mul(x, Ops.sub(s, Ops.square(s))));
                }
                case ELU: {
                    // 1 for x > 0, eˣ = out + 1 otherwise: 1 + (1 − step)·out keeps it finite.
                    Tensor notPos = Ops.addScalar(Ops.neg(Ops.step(x)), 1.0);
                    return Ops.addScalar(Ops.mul(notPos, out), 1.0);
                }
                case GELU:
                    return Ops.add(Ops.normalCdf(x), Ops.mul(x, normalPdf(x)));
                case ERF:
                    return Ops.mulScalar(Ops.exp(Ops.neg(Ops.square(x))), TWO_OVER_SQRT_PI);
                case NORMAL_CDF:
                    return normalPdf(x);
                default:
                    throw new IllegalStateException("no derivative for " + f);
            }
        }

        static Tensor normalPdf(Tensor x) {
            return Ops.mulScalar(Ops.exp(Ops.mulScalar(Ops.square(x), -0.5)), INV_SQRT_2PI);
        }

        @Override
        Tensor[] vjp(Tensor g, Tensor[] x, Tensor out, boolean[] need) {
            return new Tensor[] {Ops.mul(g, d1(x[0], out))};
        }

        @Override
        Tensor jvp(Tensor[] x, Tensor[] t, Tensor out) {
            return Ops.mul(t[0], d1(x[0], out));
        }
    }

    // ------------------------------------------------------------------ matmul

    static final class MatMul extends Op {
        private static final MatMul[] ALL = {new MatMul(false, false), new MatMul(false, true),
            new MatMul(true, false), new MatMul(true, true)};

        private final boolean ta;
        private final boolean tb;

        private MatMul(boolean ta, boolean tb) {
            this.ta = ta;
            this.tb = tb;
        }

        static MatMul of(boolean ta, boolean tb) {
            return ALL[(ta ? 2 : 0) + (tb ? 1 : 0)];
        }

        @Override
        String name() {
            return "matmul" + (ta ? "T" : "N") + (tb ? "T" : "N");
        }

        static int[] outShape(int[] as, boolean ta, int[] bs, boolean tb) {
            if (as.length < 2 || bs.length < 2) {
                throw new IllegalArgumentException("matmul needs rank >= 2 operands, got " + Shapes.str(as)
                        + " and " + Shapes.str(bs));
            }
            int m = ta ? as[as.length - 1] : as[as.length - 2];
            int ka = ta ? as[as.length - 2] : as[as.length - 1];
            int kb = tb ? bs[bs.length - 1] : bs[bs.length - 2];
            int n = tb ? bs[bs.length - 2] : bs[bs.length - 1];
            if (ka != kb) {
                throw new IllegalArgumentException("matmul: inner dimensions differ: " + Shapes.str(as)
                        + (ta ? "ᵀ" : "") + " · " + Shapes.str(bs) + (tb ? "ᵀ" : "") + " (" + ka + " vs " + kb + ")");
            }
            int[] batch = Shapes.broadcast(Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
            return Shapes.concat(batch, new int[] {m, n});
        }

        @Override
        Tensor forward(Tensor[] x) {
            int[] os = outShape(x[0].shape, ta, x[1].shape, tb);
            return Tensor.wrap(os, Kernels.matmul(x[0].data, x[0].shape, ta, x[1].data, x[1].shape, tb, os));
        }

        @Override
        Tensor[] vjp(Tensor g, Tensor[] x, Tensor out, boolean[] need) {
            Tensor a = x[0];
            Tensor b = x[1];
            Tensor ga = null;
            Tensor gb = null;
            if (need[0]) {
                ga = ta ? Ops.matmul(b, g, tb, true) : Ops.matmul(g, b, false, !tb);
                ga = sumTo(ga, a.shape);
            }
            if (need[1]) {
                gb = tb ? Ops.matmul(g, a, true, ta) : Ops.matmul(a, g, !ta, false);
                gb = sumTo(gb, b.shape);
            }
            return new Tensor[] {ga, gb};
        }

        @Override
        Tensor jvp(Tensor[] x, Tensor[] t, Tensor out) {
            int r = out.shape.length;
            Tensor ta0 = align(contractedFull(t[0], x[0], ta ? 2 : 1), x[0], r);
            Tensor tb0 = align(contractedFull(t[1], x[1], tb ? 1 : 2), x[1], r);
            Tensor res = plus(ta0 == null ? null : Ops.matmul(ta0, x[1], ta, tb),
                    tb0 == null ? null : Ops.matmul(x[0], tb0, ta, tb));
            return finish(res, out.shape);
        }
    }

    /** Materialises a compressed tangent when its contracted axis (1 = last, 2 = second last) is. */
    static Tensor contractedFull(Tensor t, Tensor x, int fromEnd) {
        if (t == null || t.shape[t.shape.length - fromEnd] == x.shape[x.shape.length - fromEnd]) {
            return t;
        }
        return full(t, x);
    }

    // ------------------------------------------------------------------ shape ops

    static final class Transpose extends Op {
        static final Transpose INSTANCE = new Transpose();

        @Override
        String name() {
            return "transpose";
        }

        @Override
        Tensor forward(Tensor[] x) {
            int[] s = x[0].shape.clone();
            int r = s.length;
            s[r - 2] = x[0].shape[r - 1];
            s[r - 1] = x[0].shape[r - 2];
            return Tensor.wrap(s, Kernels.transposeLast(x[0].data, x[0].shape));
        }

        @Override
        Tensor[] vjp(Tensor g, Tensor[] x, Tensor out, boolean[] need) {
            return new Tensor[] {Ops.transpose(g)};
        }

        @Override
        Tensor jvp(Tensor[] x, Tensor[] t, Tensor out) {
            return Ops.transpose(t[0]);
        }
    }

    static final class Reshape extends Op {
        private final int[] target;

        Reshape(int[] target) {
            this.target = target;
        }

        @Override
        String name() {
            return "reshape" + Shapes.str(target);
        }

        @Override
        Tensor forward(Tensor[] x) {
            return Tensor.wrap(target, x[0].data);
        }

        @Override
        Tensor[] vjp(Tensor g, Tensor[] x, Tensor out, boolean[] need) {
            return new Tensor[] {Ops.reshape(g, x[0].shape)};
        }

        @Override
        Tensor jvp(Tensor[] x, Tensor[] t, Tensor out) {
            Tensor tf = full(t[0], x[0]);
            int p = prefixRank(tf, x[0]);
            return Ops.reshape(tf, Shapes.concat(Shapes.prefix(tf.shape, p), target));
        }
    }

    static final class SumAll extends Op {
        static final SumAll INSTANCE = new SumAll();

        @Override
        String name() {
            return "sum";
        }

        @Override
        Tensor forward(Tensor[] x) {
            return Tensor.scalar(Kernels.sumAll(x[0].data));
        }

        @Override
        Tensor[] vjp(Tensor g, Tensor[] x, Tensor out, boolean[] need) {
            return new Tensor[] {Ops.broadcastTo(g, x[0].shape)};
        }

        @Override
        Tensor jvp(Tensor[] x, Tensor[] t, Tensor out) {
            Tensor tf = full(t[0], x[0]);
            int p = prefixRank(tf, x[0]);
            if (p == 0) {
                return Ops.sum(tf);
            }
            return Ops.sum(Ops.reshape(tf, Shapes.concat(Shapes.prefix(tf.shape, p), new int[] {-1})), -1, false);
        }
    }

    static final class SumAxis extends Op {
        /** Negative axis, so that it also addresses the tangent's axes. */
        private final int axis;
        private final boolean keepDims;

        SumAxis(int negativeAxis, boolean keepDims) {
            this.axis = negativeAxis;
            this.keepDims = keepDims;
        }

        @Override
        String name() {
            return "sum(axis=" + axis + (keepDims ? ",keep" : "") + ")";
        }

        static int[] outShape(int[] s, int ax, boolean keep) {
            if (keep) {
                int[] r = s.clone();
                r[ax] = 1;
                return r;
            }
            int[] r = new int[s.length - 1];
            for (int i = 0, j = 0; i < s.length; i++) {
                if (i != ax) {
                    r[j++] = s[i];
                }
            }
            return r;
        }

        @Override
        Tensor forward(Tensor[] x) {
            int[] s = x[0].shape;
            int ax = axis + s.length;
            return Tensor.wrap(outShape(s, ax, keepDims), Kernels.sumAxis(x[0].data, s, ax));
        }

        @Override
        Tensor[] vjp(Tensor g, Tensor[] x, Tensor out, boolean[] need) {
            int[] s = x[0].shape;
            Tensor gk = keepDims ? g : Ops.reshape(g, outShape(s, axis + s.length, true));
            return new Tensor[] {Ops.broadcastTo(gk, s)};
        }

        @Override
        Tensor jvp(Tensor[] x, Tensor[] t, Tensor out) {
            return Ops.sum(full(t[0], x[0]), axis, keepDims);
        }
    }

    static final class SumToShape extends Op {
        private final int[] target;

        SumToShape(int[] target) {
            this.target = target;
        }

        @Override
        String name() {
            return "sumToShape" + Shapes.str(target);
        }

        @Override
        Tensor forward(Tensor[] x) {
            return Tensor.wrap(target, Kernels.sumToShape(x[0].data, x[0].shape, target));
        }

        @Override
        Tensor[] vjp(Tensor g, Tensor[] x, Tensor out, boolean[] need) {
            return new Tensor[] {Ops.broadcastTo(g, x[0].shape)};
        }

        @Override
        Tensor jvp(Tensor[] x, Tensor[] t, Tensor out) {
            Tensor tf = full(t[0], x[0]);
            int p = prefixRank(tf, x[0]);
            if (p == 0) {
                return Ops.sumToShape(tf, target);
            }
            int[] pre = Shapes.prefix(tf.shape, p);
            int[] padded = Shapes.concat(Shapes.concat(pre, Shapes.ones(x[0].shape.length - target.length)), target);
            return Ops.reshape(Ops.sumToShape(tf, padded), Shapes.concat(pre, target));
        }
    }

    static final class BroadcastTo extends Op {
        private final int[] target;

        BroadcastTo(int[] target) {
            this.target = target;
        }

        @Override
        String name() {
            return "broadcastTo" + Shapes.str(target);
        }

        @Override
        Tensor forward(Tensor[] x) {
            return Tensor.wrap(target, Kernels.broadcastTo(x[0].data, x[0].shape, target));
        }

        @Override
        Tensor[] vjp(Tensor g, Tensor[] x, Tensor out, boolean[] need) {
            return new Tensor[] {sumTo(g, x[0].shape)};
        }

        @Override
        Tensor jvp(Tensor[] x, Tensor[] t, Tensor out) {
            // Aligned to the target rank the tangent already broadcasts to [K..., target]: keep it compressed.
            return align(t[0], x[0], target.length);
        }
    }

    static final class Slice extends Op {
        private final int from;
        private final int to;

        Slice(int from, int to) {
            this.from = from;
            this.to = to;
        }

        @Override
        String name() {
            return "slice[" + from + "," + to + ")";
        }

        @Override
        Tensor forward(Tensor[] x) {
            int[] s = x[0].shape;
            return Tensor.wrap(Shapes.withLast(s, to - from), Kernels.sliceLast(x[0].data, s, from, to));
        }

        @Override
        Tensor[] vjp(Tensor g, Tensor[] x, Tensor out, boolean[] need) {
            int[] s = x[0].shape;
            int n = s[s.length - 1];
            if (from == 0 && to == n) {
                return new Tensor[] {g};
            }
            // Zeros around g in one array (not zero tensors concatenated with g: same values, a third
            // of the bytes); a new array only this result references.
            return exclusive(new Tensor[] {Dispatch.apply(new Pad(from, n), g)});
        }

        @Override
        boolean addVjpInto(Tensor g, Tensor[] x, double[] acc) {
            int[] s = x[0].shape;
            int n = s[s.length - 1];
            int w = to - from;
            if (n == 0) {
                return true;
            }
            double[] gd = g.data;
            int rows = acc.length / n;
            // acc + pad(g): the padding adds +0.0 (which turns −0.0 into +0.0, as the add would).
            for (int r = 0; r < rows; r++) {
                int base = r * n;
                for (int c = 0; c < from; c++) {
                    acc[base + c] = acc[base + c] + 0.0;
                }
                int gb = r * w - from;
                for (int c = from; c < to; c++) {
                    acc[base + c] = acc[base + c] + gd[gb + c];
                }
                for (int c = to; c < n; c++) {
                    acc[base + c] = acc[base + c] + 0.0;
                }
            }
            return true;
        }

        @Override
        Tensor jvp(Tensor[] x, Tensor[] t, Tensor out) {
            int last = t[0].shape[t[0].shape.length - 1];
            // A tangent compressed along the last axis is constant along it: its slice is itself.
            return last == 1 && x[0].shape[x[0].shape.length - 1] != 1 ? t[0] : Ops.slice(t[0], from, to);
        }
    }

    /**
     * The adjoint of {@link Slice}: x (…, w) placed at columns [from, from + w) of a zero tensor
     * (…, n), i.e. concat(0 (…, from), x, 0 (…, n − from − w)) along the last axis.
     */
    static final class Pad extends Op {
        private final int from;
        private final int n;

        Pad(int from, int n) {
            this.from = from;
            this.n = n;
        }

        @Override
        String name() {
            return "pad[" + from + "," + n + ")";
        }

        @Override
        Tensor forward(Tensor[] x) {
            int[] s = x[0].shape;
            return Tensor.wrap(Shapes.withLast(s, n), Kernels.padLast(x[0].data, s, from, n));
        }

        @Override
        Tensor[] vjp(Tensor g, Tensor[] x, Tensor out, boolean[] need) {
            int w = x[0].shape[x[0].shape.length - 1];
            return new Tensor[] {Ops.slice(g, from, from + w)};
        }

        @Override
        Tensor jvp(Tensor[] x, Tensor[] t, Tensor out) {
            // Linear: the tangent padded the same way (its batch prefix rides along in the leading axes).
            return Dispatch.apply(new Pad(from, n), full(t[0], x[0]));
        }
    }

    static final class Concat extends Op {
        static final Concat INSTANCE = new Concat();

        @Override
        String name() {
            return "concat";
        }

        @Override
        Tensor forward(Tensor[] x) {
            int[] s0 = x[0].shape;
            int r = s0.length;
            double[][] parts = new double[x.length][];
            int[] widths = new int[x.length];
            int total = 0;
            for (int i = 0; i < x.length; i++) {
                parts[i] = x[i].data;
                widths[i] = x[i].shape[r - 1];
                total += widths[i];
            }
            int rows = Shapes.size(Arrays.copyOf(s0, r - 1));
            return Tensor.wrap(Shapes.withLast(s0, total), Kernels.concatLast(parts, widths, rows));
        }

        @Override
        Tensor[] vjp(Tensor g, Tensor[] x, Tensor out, boolean[] need) {
            Tensor[] r = new Tensor[x.length];
            int off = 0;
            for (int i = 0; i < x.length; i++) {
                int w = x[i].shape[x[i].shape.length - 1];
                if (need[i]) {
                    r[i] = Ops.slice(g, off, off + w);
                }
                off += w;
            }
            return r;
        }

        @Override
        Tensor jvp(Tensor[] x, Tensor[] t, Tensor out) {
            int[] pre = null;
            for (int i = 0; i < x.length; i++) {
                if (t[i] != null) {
                    int[] p = Shapes.prefix(t[i].shape, prefixRank(t[i], x[i]));
                    if (pre != null && !Arrays.equals(pre, p)) {
                        throw new IllegalArgumentException("concat: tangents have different batch prefixes "
                                + Shapes.str(pre) + " and " + Shapes.str(p));
                    }
                    pre = p;
                }
            }
            Tensor[] parts = new Tensor[x.length];
            for (int i = 0; i < x.length; i++) {
                parts[i] = t[i] != null ? full(t[i], x[i]) : Tensor.zeros(Shapes.concat(pre, x[i].shape));
            }
            return Ops.concat(parts);
        }
    }
}
