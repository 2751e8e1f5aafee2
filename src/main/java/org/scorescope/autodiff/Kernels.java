package org.scorescope.autodiff;

import java.util.Arrays;

/**
 * All raw numeric loops of the engine, on row-major {@code double[]} arrays. Kept in one place so
 * that a later change can split batches across cores without touching the ops. Loops are written
 * with unit-stride inner loops so that C2 can auto-vectorise them.
 */
final class Kernels {
    static final int ADD = 0;
    static final int SUB = 1;
    static final int MUL = 2;
    static final int DIV = 3;

    private static final double SQRT1_2 = 0.70710678118654752440;

    private Kernels() {
    }

    // ---------------------------------------------------------------- elementwise binary

    /** out = a (op) b with numpy broadcasting; {@code os} is the broadcast shape. */
    static double[] binary(int kind, double[] a, int[] as, double[] b, int[] bs, int[] os) {
        int n = Shapes.size(os);
        double[] o = new double[n];
        if (n == 0) {
            return o;
        }
        if (a.length == n && b.length == n && (Arrays.equals(as, bs) || n == 1)) {
            flat(kind, a, b, o);
        } else if (b.length == 1 && a.length == n) {
            line(kind, a, 0, 1, b, 0, 0, o, 0, n);
        } else if (a.length == 1 && b.length == n) {
            line(kind, a, 0, 0, b, 0, 1, o, 0, n);
        } else if (a.length == n && Shapes.isSuffix(bs, as)) {
            int m = b.length;
            for (int off = 0; off < n; off += m) {
                line(kind, a, off, 1, b, 0, 1, o, off, m);
            }
        } else if (b.length == n && Shapes.isSuffix(as, bs)) {
            int m = a.length;
            for (int off = 0; off < n; off += m) {
                line(kind, a, 0, 1, b, off, 1, o, off, m);
            }
        } else {
            general(kind, a, as, b, bs, o, os);
        }
        return o;
    }

    private static void general(int kind, double[] a, int[] as, double[] b, int[] bs, double[] o, int[] os) {
        int r = os.length;
        int[] sa = Shapes.broadcastStrides(as, os);
        int[] sb = Shapes.broadcastStrides(bs, os);
        int inner = os[r - 1];
        int outer = o.length / inner;
        int[] idx = new int[r];
        int ao = 0;
        int bo = 0;
        for (int q = 0; q < outer; q++) {
            line(kind, a, ao, sa[r - 1], b, bo, sb[r - 1], o, q * inner, inner);
            for (int ax = r - 2; ax >= 0; ax--) {
                idx[ax]++;
                ao += sa[ax];
                bo += sb[ax];
                if (idx[ax] < os[ax]) {
                    break;
                }
                ao -= sa[ax] * os[ax];
                bo -= sb[ax] * os[ax];
                idx[ax] = 0;
            }
        }
    }

    /**
     * o = a (op) b on equal-length arrays. Kept apart from {@link #line}: C2 vectorises a loop well
     * only when every array is indexed by the bare loop variable (no offsets).
     */
    private static void flat(int kind, double[] a, double[] b, double[] o) {
        int n = o.length;
        switch (kind) {
            case ADD: for (int i = 0; i < n; i++) { o[i] = a[i] + b[i]; } break;
            case SUB: for (int i = 0; i < n; i++) { o[i] = a[i] - b[i]; } break;
            case MUL: for (int i = 0; i < n; i++) { o[i] = a[i] * b[i]; } break;
            default: for (int i = 0; i < n; i++) { o[i] = a[i] / b[i]; } break;
        }
    }

    /** n results o[oo+i] = a[ao+i*sa] (op) b[bo+i*sb] with strides 0 or 1. */
    private static void line(int kind, double[] a, int ao, int sa, double[] b, int bo, int sb,
                             double[] o, int oo, int n) {
        if (sa == 1 && sb == 1) {
            switch (kind) {
                case ADD: for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] + b[bo + i]; } break;
                case SUB: for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] - b[bo + i]; } break;
                case MUL: for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] * b[bo + i]; } break;
                default: for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] / b[bo + i]; } break;
            }
        } else if (sa == 1 && sb == 0) {
            double s = b[bo];
            switch (kind) {
                case ADD: for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] + s; } break;
                case SUB: for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] - s; } break;
                case MUL: for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] * s; } break;
                default: for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] / s; } break;
            }
        } else if (sa == 0 && sb == 1) {
            double s = a[ao];
            switch (kind) {
                case ADD: for (int i = 0; i < n; i++) { o[oo + i] = s + b[bo + i]; } break;
                case SUB: for (int i = 0; i < n; i++) { o[oo + i] = s - b[bo + i]; } break;
                case MUL: for (int i = 0; i < n; i++) { o[oo + i] = s * b[bo + i]; } break;
                default: for (int i = 0; i < n; i++) { o[oo + i] = s / b[bo + i]; } break;
            }
        } else {
            for (int i = 0; i < n; i++) {
                o[oo + i] = apply(kind, a[ao + i * sa], b[bo + i * sb]);
            }
        }
    }

    private static double apply(int kind, double x, double y) {
        switch (kind) {
            case ADD: return x + y;
            case SUB: return x - y;
            case MUL: return x * y;
            default: return x / y;
        }
    }

    // ---------------------------------------------------------------- elementwise unary

    static double[] unary(Pointwise f, double[] x) {
        int n = x.length;
        double[] o = new double[n];
        switch (f) {
            case EXP: for (int i = 0; i < n; i++) { o[i] = Math.exp(x[i]); } break;
            case LOG: for (int i = 0; i < n; i++) { o[i] = Math.log(x[i]); } break;
            case SQRT: for (int i = 0; i < n; i++) { o[i] = Math.sqrt(x[i]); } break;
            case SQUARE: for (int i = 0; i < n; i++) { o[i] = x[i] * x[i]; } break;
            case TANH: for (int i = 0; i < n; i++) { o[i] = Math.tanh(x[i]); } break;
            case SIGMOID: for (int i = 0; i < n; i++) { o[i] = sigmoid(x[i]); } break;
            case SOFTPLUS: for (int i = 0; i < n; i++) { o[i] = softplus(x[i]); } break;
            case SILU: for (int i = 0; i < n; i++) { o[i] = x[i] * sigmoid(x[i]); } break;
            case ELU: for (int i = 0; i < n; i++) { o[i] = x[i] > 0 ? x[i] : Math.expm1(x[i]); } break;
            case GELU: for (int i = 0; i < n; i++) { o[i] = x[i] * normalCdf(x[i]); } break;
            case ERF: for (int i = 0; i < n; i++) { o[i] = Erf.erf(x[i]); } break;
            case NORMAL_CDF: for (int i = 0; i < n; i++) { o[i] = normalCdf(x[i]); } break;
            case STEP: for (int i = 0; i < n; i++) { o[i] = x[i] > 0 ? 1.0 : 0.0; } break;
            default: throw new IllegalStateException("no kernel for " + f);
        }
        return o;
    }

    static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /** log(1+eˣ) = max(x,0) + log1p(e^{−|x|}), exact for large |x|. */
    static double softplus(double x) {
        return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** Φ(x) = ½·erfc(−x/√2), accurate in the left tail where 1+erf would cancel. */
    static double normalCdf(double x) {
        return 0.5 * Erf.erfc(-x * SQRT1_2);
    }

    static double[] scale(double[] x, double c) {
        double[] o = new double[x.length];
        for (int i = 0; i < o.length; i++) {
            o[i] = x[i] * c;
        }
        return o;
    }

    static double[] shift(double[] x, double c) {
        double[] o = new double[x.length];
        for (int i = 0; i < o.length; i++) {
            o[i] = x[i] + c;
        }
        return o;
    }

    static double[] pow(double[] x, double p) {
        double[] o = new double[x.length];
        if (p == 2.0) {
            for (int i = 0; i < o.length; i++) {
                o[i] = x[i] * x[i];
            }
        } else if (p == 1.0) {
            System.arraycopy(x, 0, o, 0, o.length);
        } else if (p == 0.5) {
            for (int i = 0; i < o.length; i++) {
                o[i] = Math.sqrt(x[i]);
            }
        } else if (p == -1.0) {
            for (int i = 0; i < o.length; i++) {
                o[i] = 1.0 / x[i];
            }
        } else {
            for (int i = 0; i < o.length; i++) {
                o[i] = Math.pow(x[i], p);
            }
        }
        return o;
    }

    // ---------------------------------------------------------------- matmul

    /**
     * Batched C = op(A)·op(B) on the last two axes with broadcast leading axes. {@code as}/{@code bs}
     * are the stored shapes; op transposes the last two axes when the flag is set. See {@link Gemm}.
     */
    static double[] matmul(double[] a, int[] as, boolean ta, double[] b, int[] bs, boolean tb, int[] os) {
        int ra = as.length;
        int rb = bs.length;
        int m = ta ? as[ra - 1] : as[ra - 2];
        int k = ta ? as[ra - 2] : as[ra - 1];
        int n = tb ? bs[rb - 2] : bs[rb - 1];
        double[] c = new double[Shapes.size(os)];
        if (c.length == 0 || k == 0) {
            return c;
        }
        int aMat = m * k;
        int bMat = k * n;
        int cMat = m * n;
        int bBatch = b.length / bMat;
        if (bBatch == 1 && !ta) {
            // B is shared by every batch entry: the batch collapses into the rows of one product.
            Gemm.gemm(a, 0, false, b, 0, tb, c, 0, a.length / k, k, n, null);
            return c;
        }
        int batchRank = os.length - 2;
        int[] batchShape = Arrays.copyOf(os, batchRank);
        int[] sa = Shapes.broadcastStrides(Arrays.copyOf(as, ra - 2), batchShape);
        int[] sb = Shapes.broadcastStrides(Arrays.copyOf(bs, rb - 2), batchShape);
        int total = Shapes.size(batchShape);
        int[] idx = new int[batchRank];
        int ai = 0;
        int bi = 0;
        for (int q = 0; q < total; q++) {
            Gemm.gemm(a, ai * aMat, ta, b, bi * bMat, tb, c, q * cMat, m, k, n, null);
            for (int ax = batchRank - 1; ax >= 0; ax--) {
                idx[ax]++;
                ai += sa[ax];
                bi += sb[ax];
                if (idx[ax] < batchShape[ax]) {
                    break;
                }
                ai -= sa[ax] * batchShape[ax];
                bi -= sb[ax] * batchShape[ax];
                idx[ax] = 0;
            }
        }
        return c;
    }

    /** dst[c×r] = src[r×c]ᵀ. */
    static void transpose2(double[] src, int sOff, int rows, int cols, double[] dst, int dOff) {
        final int blk = 16;
        for (int i0 = 0; i0 < rows; i0 += blk) {
            int i1 = Math.min(rows, i0 + blk);
            for (int j0 = 0; j0 < cols; j0 += blk) {
                int j1 = Math.min(cols, j0 + blk);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) {
                        dst[dOff + j * rows + i] = src[sOff + i * cols + j];
                    }
                }
            }
        }
    }

    /** Swaps the last two axes. */
    static double[] transposeLast(double[] x, int[] shape) {
        int r = shape.length;
        int rows = shape[r - 2];
        int cols = shape[r - 1];
        int mat = rows * cols;
        double[] o = new double[x.length];
        if (mat == 0) {
            return o;
        }
        for (int off = 0; off < x.length; off += mat) {
            transpose2(x, off, rows, cols, o, off);
        }
        return o;
    }

    // ---------------------------------------------------------------- reductions / broadcasting

    static double sumAll(double[] x) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int n = x.length;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
        }
        for (; i < n; i++) {
            s0 += x[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Sum over one axis viewed as (outer, len, inner) → (outer, inner). */
    static double[] sumAxis(double[] x, int[] shape, int axis) {
        int len = shape[axis];
        int inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        int outer = len * inner == 0 ? 0 : x.length / (len * inner);
        if (len == 0) {
            outer = 1;
            for (int i = 0; i < axis; i++) {
                outer *= shape[i];
            }
        }
        double[] o = new double[outer * inner];
        if (inner == 1) {
            for (int q = 0; q < outer; q++) {
                double s = 0;
                int base = q * len;
                for (int p = 0; p < len; p++) {
                    s += x[base + p];
                }
                o[q] = s;
            }
            return o;
        }
        for (int q = 0; q < outer; q++) {
            int ob = q * inner;
            for (int p = 0; p < len; p++) {
                int xb = (q * len + p) * inner;
                for (int i = 0; i < inner; i++) {
                    o[ob + i] += x[xb + i];
                }
            }
        }
        return o;
    }

    /** Sums x (shape {@code xs}) down to {@code target}, the inverse of broadcasting target to xs. */
    static double[] sumToShape(double[] x, int[] xs, int[] target) {
        int tn = Shapes.size(target);
        double[] o = new double[tn];
        if (x.length == 0) {
            return o;
        }
        if (tn == 1) {
            o[0] = sumAll(x);
            return o;
        }
        if (Shapes.isSuffix(target, xs)) {
            for (int off = 0; off < x.length; off += tn) {
                for (int j = 0; j < tn; j++) {
                    o[j] += x[off + j];
                }
            }
            return o;
        }
        int r = xs.length;
        int[] st = Shapes.broadcastStrides(target, xs);
        int inner = xs[r - 1];
        int outer = x.length / inner;
        int[] idx = new int[r];
        int to = 0;
        int sLast = st[r - 1];
        for (int q = 0; q < outer; q++) {
            int xb = q * inner;
            if (sLast == 1) {
                for (int i = 0; i < inner; i++) {
                    o[to + i] += x[xb + i];
                }
            } else {
                double s = 0;
                for (int i = 0; i < inner; i++) {
                    s += x[xb + i];
                }
                o[to] += s;
            }
            for (int ax = r - 2; ax >= 0; ax--) {
                idx[ax]++;
                to += st[ax];
                if (idx[ax] < xs[ax]) {
                    break;
                }
                to -= st[ax] * xs[ax];
                idx[ax] = 0;
            }
        }
        return o;
    }

    /** Repeats x (shape {@code xs}) along broadcast axes to {@code target}. */
    static double[] broadcastTo(double[] x, int[] xs, int[] target) {
        int n = Shapes.size(target);
        double[] o = new double[n];
        if (n == 0) {
            return o;
        }
        if (x.length == 1) {
            Arrays.fill(o, x[0]);
            return o;
        }
        if (Shapes.isSuffix(xs, target)) {
            int m = x.length;
            for (int off = 0; off < n; off += m) {
                System.arraycopy(x, 0, o, off, m);
            }
            return o;
        }
        int r = target.length;
        int[] sx = Shapes.broadcastStrides(xs, target);
        int inner = target[r - 1];
        int outer = n / inner;
        int[] idx = new int[r];
        int xo = 0;
        int sLast = sx[r - 1];
        for (int q = 0; q < outer; q++) {
            int ob = q * inner;
            if (sLast == 1) {
                System.arraycopy(x, xo, o, ob, inner);
            } else {
                Arrays.fill(o, ob, ob + inner, x[xo]);
            }
            for (int ax = r - 2; ax >= 0; ax--) {
                idx[ax]++;
                xo += sx[ax];
                if (idx[ax] < target[ax]) {
                    break;
                }
                xo -= sx[ax] * target[ax];
                idx[ax] = 0;
            }
        }
        return o;
    }

    /** Columns [from, to) of the last axis. */
    static double[] sliceLast(double[] x, int[] shape, int from, int to) {
        int cols = shape[shape.length - 1];
        int w = to - from;
        int rows = cols == 0 ? Shapes.size(Arrays.copyOf(shape, shape.length - 1)) : x.length / cols;
        double[] o = new double[rows * w];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x, r * cols + from, o, r * w, w);
        }
        return o;
    }

    /** x (rows × w) placed at columns [from, from + w) of zeros (rows × n). */
    static double[] padLast(double[] x, int[] shape, int from, int n) {
        int w = shape[shape.length - 1];
        int rows = w == 0 ? Shapes.size(Arrays.copyOf(shape, shape.length - 1)) : x.length / w;
        double[] o = new double[rows * n];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x, r * w, o, r * n + from, w);
        }
        return o;
    }

    /** Concatenates blocks along the last axis; every part has {@code rows} rows of widths[i] columns. */
    static double[] concatLast(double[][] parts, int[] widths, int rows) {
        int total = 0;
        for (int w : widths) {
            total += w;
        }
        double[] o = new double[rows * total];
        int col = 0;
        for (int p = 0; p < parts.length; p++) {
            int w = widths[p];
            double[] src = parts[p];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(src, r * w, o, r * total + col, w);
            }
            col += w;
        }
        return o;
    }
}
