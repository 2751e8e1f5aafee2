package org.scorescope.autodiff;

import java.util.Arrays;
import java.util.Random;

/**
 * An immutable dense float64 tensor of any rank, stored row-major, plus its autodiff metadata.
 *
 * <p>Values: {@code shape} and {@code data} are never mutated after construction; accessors return
 * copies. Elementwise ops broadcast numpy-style (shapes aligned to the right).
 *
 * <p>Reverse mode (PyTorch-like): a leaf made with {@link #variable} / {@link #requiresGrad()}
 * requires grad; the output of an op requires grad when any input does and grad mode is on
 * ({@link Grad#noGrad}), and then records a node (op + inputs) that {@link Grad#grad} walks back.
 *
 * <p>Forward mode: a tensor may be a <em>dual</em> at an integer level L, with a primal (a tensor at
 * lower levels, whose data it shares) and a tangent of shape [K..., shape] (K optional leading
 * batch axes for several directions at once). Duals are created only inside {@link Grad#jvp}.
 */
public final class Tensor {
    final int[] shape;
    final double[] data;
    final boolean requiresGrad;
    /** Recorded op for reverse mode, null for leaves and untracked values. */
    final Op op;
    final Tensor[] parents;
    /** 0 for a plain tensor, otherwise the dual level. */
    final int level;
    final Tensor primal;
    final Tensor tangent;

    private Tensor(int[] shape, double[] data, boolean requiresGrad, Op op, Tensor[] parents, int level,
                   Tensor primal, Tensor tangent) {
        this.shape = shape;
        this.data = data;
        this.requiresGrad = requiresGrad;
        this.op = op;
        this.parents = parents;
        this.level = level;
        this.primal = primal;
        this.tangent = tangent;
    }

    // ------------------------------------------------------------------ internal constructors

    /** Wraps arrays without copying; callers guarantee they are never mutated afterwards. */
    static Tensor wrap(int[] shape, double[] data) {
        return new Tensor(shape, data, false, null, null, 0, null, null);
    }

    static Tensor dual(int level, Tensor primal, Tensor tangent) {
        return new Tensor(primal.shape, primal.data, false, null, null, level, primal, tangent);
    }

    Tensor withNode(Op recorded, Tensor[] inputs) {
        return new Tensor(shape, data, true, recorded, inputs, level, primal, tangent);
    }

    // ------------------------------------------------------------------ factories

    /**
     * A rank-2 tensor from rows (copied).
     *
     * @param rows equal-length rows, at least one
     * @return tensor of shape (rows.length, rows[0].length)
     */
    public static Tensor of(double[][] rows) {
        if (rows == null || rows.length == 0) {
            throw new IllegalArgumentException("Tensor.of(double[][]): need at least one row");
        }
        int cols = rows[0].length;
        double[] d = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("Tensor.of(double[][]): row " + i + " has " + rows[i].length
                        + " columns, row 0 has " + cols);
            }
            System.arraycopy(rows[i], 0, d, i * cols, cols);
        }
        return wrap(new int[] {rows.length, cols}, d);
    }

    /**
     * A rank-1 tensor (copied).
     *
     * @param values the elements
     * @return tensor of shape (values.length)
     */
    public static Tensor vector(double... values) {
        return wrap(new int[] {values.length}, values.clone());
    }

    /**
     * A tensor of the given shape over row-major data (both copied).
     *
     * @param shape non-negative dimensions; empty for a scalar
     * @param data exactly prod(shape) values
     * @return the tensor
     */
    public static Tensor of(int[] shape, double[] data) {
        Shapes.checkShape(shape);
        if (data.length != Shapes.size(shape)) {
            throw new IllegalArgumentException("Tensor.of: shape " + Shapes.str(shape) + " needs "
                    + Shapes.size(shape) + " values, got " + data.length);
        }
        return wrap(shape.clone(), data.clone());
    }

    /**
     * A rank-0 tensor.
     *
     * @param v the value
     * @return scalar tensor with shape ()
     */
    public static Tensor scalar(double v) {
        return wrap(Shapes.SCALAR, new double[] {v});
    }

    /**
     * A constant-filled tensor.
     *
     * @param value the fill value
     * @param shape dimensions
     * @return tensor with every element equal to value
     */
    public static Tensor full(double value, int... shape) {
        Shapes.checkShape(shape);
        double[] d = new double[Shapes.size(shape)];
        if (value != 0) {
            Arrays.fill(d, value);
        }
        return wrap(shape.clone(), d);
    }

    /**
     * All zeros.
     *
     * @param shape dimensions
     * @return zeros of that shape
     */
    public static Tensor zeros(int... shape) {
        return full(0.0, shape);
    }

    /**
     * All ones.
     *
     * @param shape dimensions
     * @return ones of that shape
     */
    public static Tensor ones(int... shape) {
        return full(1.0, shape);
    }

    /**
     * The n×n identity matrix I with I[i][j] = δᵢⱼ.
     *
     * @param n size
     * @return identity of shape (n, n)
     */
    public static Tensor eye(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("eye: n must be >= 0, got " + n);
        }
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            d[i * n + i] = 1.0;
        }
        return wrap(new int[] {n, n}, d);
    }

    /**
     * Standard normal samples N(0, 1).
     *
     * @param rng source of randomness
     * @param shape dimensions
     * @return tensor of i.i.d. standard normal values
     */
    public static Tensor randn(Random rng, int... shape) {
        Shapes.checkShape(shape);
        double[] d = new double[Shapes.size(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextGaussian();
        }
        return wrap(shape.clone(), d);
    }

    /**
     * Standard normal samples from {@code new Random(seed)}.
     *
     * @param seed random seed
     * @param shape dimensions
     * @return tensor of i.i.d. N(0,1) values
     */
    public static Tensor randn(long seed, int... shape) {
        return randn(new Random(seed), shape);
    }

    /**
     * Rademacher samples: ±1 with probability ½ each.
     *
     * @param rng source of randomness
     * @param shape dimensions
     * @return tensor of i.i.d. ±1 values
     */
    public static Tensor rademacher(Random rng, int... shape) {
        Shapes.checkShape(shape);
        double[] d = new double[Shapes.size(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextBoolean() ? 1.0 : -1.0;
        }
        return wrap(shape.clone(), d);
    }

    /**
     * Rademacher samples from {@code new Random(seed)}.
     *
     * @param seed random seed
     * @param shape dimensions
     * @return tensor of i.i.d. ±1 values
     */
    public static Tensor rademacher(long seed, int... shape) {
        return rademacher(new Random(seed), shape);
    }

    /**
     * Uniform samples on [lo, hi).
     *
     * @param rng source of randomness
     * @param lo lower bound
     * @param hi upper bound
     * @param shape dimensions
     * @return tensor of i.i.d. uniform values
     */
    public static Tensor uniform(Random rng, double lo, double hi, int... shape) {
        Shapes.checkShape(shape);
        double[] d = new double[Shapes.size(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = lo + (hi - lo) * rng.nextDouble();
        }
        return wrap(shape.clone(), d);
    }

    /**
     * A leaf variable that requires grad, holding a copy of the values.
     *
     * @param shape dimensions
     * @param data values (copied)
     * @return leaf tensor with requiresGrad
     */
    public static Tensor variable(int[] shape, double[] data) {
        return of(shape, data).requiresGrad();
    }

    /**
     * A leaf variable with the values of {@code t}.
     *
     * @param t source values
     * @return {@code t.requiresGrad()}
     */
    public static Tensor variable(Tensor t) {
        return t.requiresGrad();
    }

    // ------------------------------------------------------------------ autodiff views

    /**
     * A new leaf that requires grad and shares this tensor's values (and, for a dual, its primal and
     * tangent). Gradients taken with respect to the returned leaf do not flow into this tensor's graph.
     *
     * @return leaf view with requiresGrad = true
     */
    public Tensor requiresGrad() {
        return new Tensor(shape, data, true, null, null, level, primal, tangent);
    }

    /**
     * A constant with the same values: no graph, no tangent.
     *
     * @return detached constant sharing the data
     */
    public Tensor detach() {
        return wrap(shape, data);
    }

    /**
     * true when this tensor takes part in reverse mode (a variable or a recorded op output).
     *
     * @return true when this tensor takes part in reverse mode (a variable or a recorded op output).
     */
    public boolean isGradTracked() {
        return requiresGrad;
    }

    /**
     * true for a leaf: no recorded op.
     *
     * @return true for a leaf: no recorded op.
     */
    public boolean isLeaf() {
        return op == null;
    }

    // ------------------------------------------------------------------ accessors

    /**
     * Returns a copy of the shape.
     *
     * @return a copy of the shape
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * One dimension.
     *
     * @param axis axis, negative counts from the end
     * @return shape[axis]
     */
    public int dim(int axis) {
        return shape[Shapes.axis(axis, shape.length, "dim")];
    }

    /**
     * Returns number of axes.
     *
     * @return number of axes
     */
    public int rank() {
        return shape.length;
    }

    /**
     * Returns number of elements, prod(shape).
     *
     * @return number of elements, prod(shape)
     */
    public int size() {
        return data.length;
    }

    /**
     * One element.
     *
     * @param index one index per axis
     * @return the element at that index
     */
    public double get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("get: " + index.length + " indices for rank " + shape.length);
        }
        int off = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("get: index " + index[i] + " out of range for axis " + i
                        + " of shape " + Shapes.str(shape));
            }
            off = off * shape[i] + index[i];
        }
        return data[off];
    }

    /**
     * Returns a copy of the row-major data.
     *
     * @return a copy of the row-major data
     */
    public double[] toArray() {
        return data.clone();
    }

    /**
     * Returns rows of a rank-2 tensor (copied).
     *
     * @return rows of a rank-2 tensor (copied)
     */
    public double[][] toArray2D() {
        if (shape.length != 2) {
            throw new IllegalStateException("toArray2D needs rank 2, shape is " + Shapes.str(shape));
        }
        double[][] r = new double[shape[0]][];
        for (int i = 0; i < shape[0]; i++) {
            r[i] = Arrays.copyOfRange(data, i * shape[1], (i + 1) * shape[1]);
        }
        return r;
    }

    /**
     * Returns the single value of a one-element tensor.
     *
     * @return the single value of a one-element tensor
     */
    public double item() {
        if (data.length != 1) {
            throw new IllegalStateException("item() needs exactly one element, shape is " + Shapes.str(shape));
        }
        return data[0];
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shapes.str(shape));
        if (level > 0) {
            sb.append(" dual@").append(level);
        }
        if (op != null) {
            sb.append(" <").append(op.name()).append('>');
        } else if (requiresGrad) {
            sb.append(" <var>");
        }
        sb.append(' ');
        int n = Math.min(data.length, 8);
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(data[i]);
        }
        if (n < data.length) {
            sb.append(", ...");
        }
        return sb.append(']').toString();
    }

    // ------------------------------------------------------------------ fluent ops (see Ops)

    /**
     * Returns this + o (broadcast).
     *
     * @param o other operand
     * @return this + o (broadcast)
     */
    public Tensor add(Tensor o) {
        return Ops.add(this, o);
    }

    /**
     * Returns this − o (broadcast).
     *
     * @param o other operand
     * @return this − o (broadcast)
     */
    public Tensor sub(Tensor o) {
        return Ops.sub(this, o);
    }

    /**
     * Returns this ⊙ o (broadcast).
     *
     * @param o other operand
     * @return this ⊙ o (broadcast)
     */
    public Tensor mul(Tensor o) {
        return Ops.mul(this, o);
    }

    /**
     * Returns this / o (broadcast).
     *
     * @param o other operand
     * @return this / o (broadcast)
     */
    public Tensor div(Tensor o) {
        return Ops.div(this, o);
    }

    /**
     * Returns this + c.
     *
     * @param c scalar
     * @return this + c
     */
    public Tensor add(double c) {
        return Ops.addScalar(this, c);
    }

    /**
     * Returns this − c.
     *
     * @param c scalar
     * @return this − c
     */
    public Tensor sub(double c) {
        return Ops.addScalar(this, -c);
    }

    /**
     * Returns c·this.
     *
     * @param c scalar
     * @return c·this
     */
    public Tensor mul(double c) {
        return Ops.mulScalar(this, c);
    }

    /**
     * Returns this / c.
     *
     * @param c non-zero scalar
     * @return this / c
     */
    public Tensor div(double c) {
        return Ops.mulScalar(this, 1.0 / c);
    }

    /**
     * Returns −this.
     *
     * @return −this
     */
    public Tensor neg() {
        return Ops.neg(this);
    }

    /**
     * Returns this·o on the last two axes (batch axes broadcast).
     *
     * @param o right operand
     * @return this·o on the last two axes (batch axes broadcast)
     */
    public Tensor matmul(Tensor o) {
        return Ops.matmul(this, o);
    }

    /**
     * Returns this with its last two axes swapped.
     *
     * @return this with its last two axes swapped
     */
    public Tensor transpose() {
        return Ops.transpose(this);
    }

    /**
     * Returns the same data viewed with newShape.
     *
     * @param newShape target shape, one entry may be −1
     * @return the same data viewed with newShape
     */
    public Tensor reshape(int... newShape) {
        return Ops.reshape(this, newShape);
    }

    /**
     * Returns Σ of all elements, shape ().
     *
     * @return Σ of all elements, shape ()
     */
    public Tensor sum() {
        return Ops.sum(this);
    }

    /**
     * Returns Σ over axis.
     *
     * @param axis axis (negative allowed)
     * @param keepDims keep the axis with size 1
     * @return Σ over axis
     */
    public Tensor sum(int axis, boolean keepDims) {
        return Ops.sum(this, axis, keepDims);
    }

    /**
     * Returns mean of all elements, shape ().
     *
     * @return mean of all elements, shape ()
     */
    public Tensor mean() {
        return Ops.mean(this);
    }

    /**
     * Returns mean over axis.
     *
     * @param axis axis (negative allowed)
     * @param keepDims keep the axis with size 1
     * @return mean over axis
     */
    public Tensor mean(int axis, boolean keepDims) {
        return Ops.mean(this, axis, keepDims);
    }

    /**
     * Returns this repeated along broadcast axes.
     *
     * @param target shape this broadcasts to
     * @return this repeated along broadcast axes
     */
    public Tensor broadcastTo(int... target) {
        return Ops.broadcastTo(this, target);
    }

    /**
     * Returns this summed over broadcast axes.
     *
     * @param target shape that broadcasts to this shape
     * @return this summed over broadcast axes
     */
    public Tensor sumToShape(int... target) {
        return Ops.sumToShape(this, target);
    }

    /**
     * Returns eˣ elementwise.
     *
     * @return eˣ elementwise
     */
    public Tensor exp() {
        return Ops.exp(this);
    }

    /**
     * Returns ln x elementwise.
     *
     * @return ln x elementwise
     */
    public Tensor log() {
        return Ops.log(this);
    }

    /**
     * Returns x² elementwise.
     *
     * @return x² elementwise
     */
    public Tensor square() {
        return Ops.square(this);
    }

    /**
     * Returns xᵖ elementwise.
     *
     * @param p exponent
     * @return xᵖ elementwise
     */
    public Tensor pow(double p) {
        return Ops.pow(this, p);
    }

    /**
     * Returns √x elementwise.
     *
     * @return √x elementwise
     */
    public Tensor sqrt() {
        return Ops.sqrt(this);
    }

    /**
     * Returns tanh x elementwise.
     *
     * @return tanh x elementwise
     */
    public Tensor tanh() {
        return Ops.tanh(this);
    }

    /**
     * Returns σ(x) = 1/(1+e^{−x}) elementwise.
     *
     * @return σ(x) = 1/(1+e^{−x}) elementwise
     */
    public Tensor sigmoid() {
        return Ops.sigmoid(this);
    }

    /**
     * Returns log(1+eˣ) elementwise.
     *
     * @return log(1+eˣ) elementwise
     */
    public Tensor softplus() {
        return Ops.softplus(this);
    }

    /**
     * Returns x·σ(x) elementwise.
     *
     * @return x·σ(x) elementwise
     */
    public Tensor silu() {
        return Ops.silu(this);
    }

    /**
     * Returns x for x &gt; 0 else eˣ−1, elementwise.
     *
     * @return x for x &gt; 0 else eˣ−1, elementwise
     */
    public Tensor elu() {
        return Ops.elu(this);
    }

    /**
     * Returns x·Φ(x) elementwise (exact GELU).
     *
     * @return x·Φ(x) elementwise (exact GELU)
     */
    public Tensor gelu() {
        return Ops.gelu(this);
    }

    /**
     * Returns erf(x) elementwise.
     *
     * @return erf(x) elementwise
     */
    public Tensor erf() {
        return Ops.erf(this);
    }

    /**
     * Returns columns [from,to) of the last axis.
     *
     * @param from first column
     * @param to end column (exclusive)
     * @return columns [from,to) of the last axis
     */
    public Tensor slice(int from, int to) {
        return Ops.slice(this, from, to);
    }
}
