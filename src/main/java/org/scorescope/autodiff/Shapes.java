package org.scorescope.autodiff;

import java.util.Arrays;

/** Shape arithmetic shared by the ops and kernels: sizes, strides and numpy-style broadcasting. */
final class Shapes {
    static final int[] SCALAR = new int[0];

    private Shapes() {
    }

    static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + str(shape) + " has more than 2^31-1 elements");
        }
        return (int) n;
    }

    static void checkShape(int[] shape) {
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException("shape " + str(shape) + ": dimension " + i + " is negative");
            }
        }
    }

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /** Row-major strides. */
    static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** Numpy broadcast of two shapes (aligned to the right). */
    static int[] broadcast(int[] a, int[] b) {
        if (Arrays.equals(a, b)) {
            return a;
        }
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.length ? 1 : a[i - (r - a.length)];
            int db = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (da == db || db == 1) {
                out[i] = da;
            } else if (da == 1) {
                out[i] = db;
            } else {
                throw new IllegalArgumentException("shapes " + str(a) + " and " + str(b)
                        + " cannot be broadcast (axis " + (i - r) + ": " + da + " vs " + db + ")");
            }
        }
        return out;
    }

    /** True when {@code small} broadcasts to {@code big} by only prepending/repeating leading axes. */
    static boolean isSuffix(int[] small, int[] big) {
        int start = 0;
        while (start < small.length && small[start] == 1) {
            start++;
        }
        int len = small.length - start;
        if (len > big.length) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (small[start + i] != big[big.length - len + i]) {
                return false;
            }
        }
        return true;
    }

    /** Strides of {@code shape} aligned to a broadcast target of rank {@code r}, 0 on broadcast axes. */
    static int[] broadcastStrides(int[] shape, int[] target) {
        int r = target.length;
        int[] own = strides(shape);
        int[] s = new int[r];
        int off = r - shape.length;
        for (int i = 0; i < r; i++) {
            if (i >= off && shape[i - off] != 1) {
                s[i] = own[i - off];
            }
        }
        return s;
    }

    /** Normalises a possibly negative axis; throws a clear message when out of range. */
    static int axis(int axis, int rank, String what) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(what + ": axis " + axis + " out of range for rank " + rank);
        }
        return a;
    }

    static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static int[] prefix(int[] shape, int n) {
        return Arrays.copyOf(shape, n);
    }

    static int[] suffixFrom(int[] shape, int from) {
        return Arrays.copyOfRange(shape, from, shape.length);
    }

    static int[] ones(int n) {
        int[] r = new int[n];
        Arrays.fill(r, 1);
        return r;
    }

    static int[] withLast(int[] shape, int last) {
        int[] r = shape.clone();
        r[r.length - 1] = last;
        return r;
    }

    /** Checks that {@code target} can be reached from {@code shape} by broadcasting. */
    static void checkBroadcastable(int[] shape, int[] target, String what) {
        if (shape.length > target.length) {
            throw new IllegalArgumentException(what + ": cannot broadcast " + str(shape) + " to lower rank "
                    + str(target));
        }
        int off = target.length - shape.length;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] != 1 && shape[i] != target[off + i]) {
                throw new IllegalArgumentException(what + ": cannot broadcast " + str(shape) + " to "
                        + str(target) + " (axis " + i + ")");
            }
        }
    }
}
