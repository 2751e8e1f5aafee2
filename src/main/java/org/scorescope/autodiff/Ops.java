package org.scorescope.autodiff;

import java.util.Arrays;
import java.util.List;

/**
 * The differentiable primitive operations (static forms of the fluent {@link Tensor} methods). Every
 * op works on plain, tracked and dual tensors alike; elementwise binary ops broadcast numpy-style.
 */
public final class Ops {
    private Ops() {
    }

    // ------------------------------------------------------------------ elementwise binary

    /**
     * Returns a + b, broadcast.
     *
     * @param a left
     * @param b right
     * @return a + b, broadcast
     */
    public static Tensor add(Tensor a, Tensor b) {
        return Dispatch.apply(Prims.Binary.ADD, a, b);
    }

    /**
     * Returns a − b, broadcast.
     *
     * @param a left
     * @param b right
     * @return a − b, broadcast
     */
    public static Tensor sub(Tensor a, Tensor b) {
        return Dispatch.apply(Prims.Binary.SUB, a, b);
    }

    /**
     * Returns a ⊙ b (elementwise product), broadcast.
     *
     * @param a left
     * @param b right
     * @return a ⊙ b (elementwise product), broadcast
     */
    public static Tensor mul(Tensor a, Tensor b) {
        return Dispatch.apply(Prims.Binary.MUL, a, b);
    }

    /**
     * Returns a / b elementwise, broadcast.
     *
     * @param a numerator
     * @param b denominator
     * @return a / b elementwise, broadcast
     */
    public static Tensor div(Tensor a, Tensor b) {
        return Dispatch.apply(Prims.Binary.DIV, a, b);
    }

    /**
     * Returns −a.
     *
     * @param a input
     * @return −a
     */
    public static Tensor neg(Tensor a) {
        return mulScalar(a, -1.0);
    }

    /**
     * Returns a + c.
     *
     * @param a input
     * @param c scalar
     * @return a + c
     */
    public static Tensor addScalar(Tensor a, double c) {
        return c == 0.0 ? a : Dispatch.apply(new Prims.AddScalar(c), a);
    }

    /**
     * Returns c·a.
     *
     * @param a input
     * @param c scalar
     * @return c·a
     */
    public static Tensor mulScalar(Tensor a, double c) {
        return c == 1.0 ? a : Dispatch.apply(new Prims.MulScalar(c), a);
    }

    // ------------------------------------------------------------------ linear algebra

    /**
     * Matrix product on the last two axes, C[..., i, j] = Σₖ A[..., i, k]·B[..., k, j], with the
     * leading (batch) axes broadcast.
     *
     * @param a rank ≥ 2
     * @param b rank ≥ 2
     * @return a·b
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        return matmul(a, b, false, false);
    }

    /**
     * op(A)·op(B) where op transposes the last two axes when its flag is set; the transpose is folded
     * into the kernel instead of materialised.
     *
     * @param a rank ≥ 2
     * @param b rank ≥ 2
     * @param transA use Aᵀ
     * @param transB use Bᵀ
     * @return op(a)·op(b)
     */
    public static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        Prims.MatMul.outShape(a.shape, transA, b.shape, transB);
        return Dispatch.apply(Prims.MatMul.of(transA, transB), a, b);
    }

    /**
     * Affine map like torch.nn.Linear: y = x·Wᵀ + b.
     *
     * @param x (..., in)
     * @param w (out, in)
     * @param b (out), or null for no bias
     * @return (..., out)
     */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        if (!fusable(x, w, b)) {
            Tensor y = matmul(x, w, false, true);
            return b == null ? y : add(y, b);
        }
        return Dispatch.apply(Fused.Linear.INSTANCE, Fused.inputs(x, w, b));
    }

    /**
     * A dense layer φ(x·Wᵀ + b) as one fused op: the bias is folded into the product and φ and φ'
     * come from one kernel pass (see {@link Activation}).
     *
     * @param x (..., in), rank ≥ 2
     * @param w (out, in)
     * @param b (out), or null for no bias
     * @param activation φ
     * @return (..., out)
     */
    public static Tensor dense(Tensor x, Tensor w, Tensor b, Activation activation) {
        if (activation == Activation.IDENTITY || !fusable(x, w, b)) {
            return activation.apply(linear(x, w, b));
        }
        Tensor[] in = Fused.inputs(x, w, b);
        boolean dual = false;
        boolean tracked = false;
        for (Tensor t : in) {
            dual |= t.level > 0;
            tracked |= t.requiresGrad;
        }
        // φ' is computed with φ when a tangent or backward pass will need it.
        boolean eager = dual || (tracked && State.get().gradEnabled);
        return Dispatch.apply(new Fused.Dense(activation, eager), in);
    }

    /**
     * A multilayer perceptron h_{l+1} = φ_l(h_l·W_lᵀ + b_l), h_0 = x: the composition of
     * {@link #dense} layers. Inside a {@link Grad#jvp} over x (x a dual, not itself tracked, plain
     * parameters) the layers after the first push the value and all tangents through one fused op
     * each (one product over [h; t_1..t_K] and one hand-written reverse pass) instead of separate
     * primal and tangent ops.
     *
     * @param x (B, in)
     * @param weights W_l (out_l, in_l)
     * @param biases b_l (out_l)
     * @param activations φ_l, one per layer
     * @return (B, out)
     */
    public static Tensor mlp(Tensor x, List<Tensor> weights, List<Tensor> biases, List<Activation> activations) {
        int layers = weights.size();
        if (layers == 0 || biases.size() != layers || activations.size() != layers) {
            throw new IllegalArgumentException("Ops.mlp: need one bias and one activation per weight, got "
                    + weights.size() + " weights, " + biases.size() + " biases, " + activations.size() + " activations");
        }
        boolean fusedTangents = layers >= 2 && x.level > 0 && !x.requiresGrad && x.shape.length == 2
                && x.primal.level == 0 && x.tangent.level == 0;
        int in = x.shape[x.shape.length - 1];
        for (int l = 0; l < layers && fusedTangents; l++) {
            Tensor w = weights.get(l);
            Tensor b = biases.get(l);
            fusedTangents = w.level == 0 && b != null && b.level == 0 && w.shape.length == 2 && w.shape[1] == in
                    && b.shape.length == 1 && b.shape[0] == w.shape[0];
            in = w.shape.length == 2 ? w.shape[0] : -1;
        }
        if (fusedTangents) {
            return JetOps.mlpOnDual(x, weights, biases, activations);
        }
        Tensor h = x;
        for (int l = 0; l < layers; l++) {
            h = dense(h, weights.get(l), biases.get(l), activations.get(l));
        }
        return h;
    }

    /** Shapes the fused affine ops take: x (..., in) of rank ≥ 2, W (out, in), b (out) or none. */
    private static boolean fusable(Tensor x, Tensor w, Tensor b) {
        return x.shape.length >= 2 && w.shape.length == 2 && x.shape[x.shape.length - 1] == w.shape[1]
                && (b == null || (b.shape.length == 1 && b.shape[0] == w.shape[0]));
    }

    /**
     * Returns a with its last two axes swapped.
     *
     * @param a rank ≥ 2
     * @return a with its last two axes swapped
     */
    public static Tensor transpose(Tensor a) {
        if (a.shape.length < 2) {
            throw new IllegalArgumentException("transpose needs rank >= 2, shape is " + Shapes.str(a.shape));
        }
        return Dispatch.apply(Prims.Transpose.INSTANCE, a);
    }

    // ------------------------------------------------------------------ shapes

    /**
     * Same data, new shape (one entry may be −1 and is inferred).
     *
     * @param a input
     * @param shape target shape with prod(shape) = a.size()
     * @return reshaped view
     */
    public static Tensor reshape(Tensor a, int... shape) {
        int[] target = resolve(shape, a.data.length, a.shape);
        return Arrays.equals(target, a.shape) ? a : Dispatch.apply(new Prims.Reshape(target), a);
    }

    private static int[] resolve(int[] shape, int size, int[] from) {
        int[] s = shape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: more than one -1 in " + Shapes.str(shape));
                }
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("reshape: negative dimension in " + Shapes.str(shape));
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || size % known != 0) {
                throw new IllegalArgumentException("reshape: cannot infer -1 in " + Shapes.str(shape)
                        + " for " + size + " elements");
            }
            s[infer] = (int) (size / known);
            known *= s[infer];
        }
        if (known != size) {
            throw new IllegalArgumentException("reshape: cannot view " + Shapes.str(from) + " (" + size
                    + " elements) as " + Shapes.str(shape));
        }
        return s;
    }

    /**
     * Repeats a along broadcast axes: out[idx] = a[idx aligned right, 0 on size-1 axes].
     *
     * @param a input whose shape broadcasts to target
     * @param target shape
     * @return broadcast copy
     */
    public static Tensor broadcastTo(Tensor a, int... target) {
        Shapes.checkBroadcastable(a.shape, target, "broadcastTo");
        return Arrays.equals(target, a.shape) ? a : Dispatch.apply(new Prims.BroadcastTo(target.clone()), a);
    }

    /**
     * Sums a over the axes along which {@code target} would be broadcast to a.shape (the adjoint of
     * {@link #broadcastTo}).
     *
     * @param a input
     * @param target shape that broadcasts to a.shape
     * @return reduced tensor of shape target
     */
    public static Tensor sumToShape(Tensor a, int... target) {
        Shapes.checkBroadcastable(target, a.shape, "sumToShape");
        return Arrays.equals(target, a.shape) ? a : Dispatch.apply(new Prims.SumToShape(target.clone()), a);
    }

    /**
     * Columns [from, to) of the last axis.
     *
     * @param a rank ≥ 1
     * @param from first column, ≥ 0
     * @param to end column (exclusive), ≤ last dimension
     * @return slice
     */
    public static Tensor slice(Tensor a, int from, int to) {
        if (a.shape.length == 0) {
            throw new IllegalArgumentException("slice needs rank >= 1");
        }
        int n = a.shape[a.shape.length - 1];
        if (from < 0 || to > n || from > to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") out of range for last axis of size "
                    + n);
        }
        if (from == 0 && to == n) {
            return a;
        }
        return Dispatch.apply(new Prims.Slice(from, to), a);
    }

    /**
     * Concatenation along the last axis; all parts must agree on every other axis.
     *
     * @param parts at least one tensor of equal rank ≥ 1
     * @return concatenated tensor
     */
    public static Tensor concat(Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat needs at least one tensor");
        }
        int[] s0 = parts[0].shape;
        if (s0.length == 0) {
            throw new IllegalArgumentException("concat needs rank >= 1");
        }
        for (int i = 1; i < parts.length; i++) {
            int[] s = parts[i].shape;
            if (s.length != s0.length
                    || !Arrays.equals(Arrays.copyOf(s, s.length - 1), Arrays.copyOf(s0, s0.length - 1))) {
                throw new IllegalArgumentException("concat: part " + i + " has shape " + Shapes.str(s)
                        + ", incompatible with part 0 " + Shapes.str(s0) + " (only the last axis may differ)");
            }
        }
        if (parts.length == 1) {
            return parts[0];
        }
        return Dispatch.apply(Prims.Concat.INSTANCE, parts.clone());
    }

    /**
     * Returns {@link #concat(Tensor...)} of the list.
     *
     * @param parts tensors
     * @return {@link #concat(Tensor...)} of the list
     */
    public static Tensor concat(List<Tensor> parts) {
        return concat(parts.toArray(new Tensor[0]));
    }

    // ------------------------------------------------------------------ reductions

    /**
     * Returns Σ of all elements, shape ().
     *
     * @param a input
     * @return Σ of all elements, shape ()
     */
    public static Tensor sum(Tensor a) {
        return Dispatch.apply(Prims.SumAll.INSTANCE, a);
    }

    /**
     * Σ over one axis.
     *
     * @param a input
     * @param axis axis, negative counts from the end
     * @param keepDims keep the reduced axis with size 1
     * @return reduced tensor
     */
    public static Tensor sum(Tensor a, int axis, boolean keepDims) {
        int ax = Shapes.axis(axis, a.shape.length, "sum");
        return Dispatch.apply(new Prims.SumAxis(ax - a.shape.length, keepDims), a);
    }

    /**
     * Returns mean of all elements, shape ().
     *
     * @param a input
     * @return mean of all elements, shape ()
     */
    public static Tensor mean(Tensor a) {
        if (a.data.length == 0) {
            throw new IllegalArgumentException("mean of an empty tensor");
        }
        return mulScalar(sum(a), 1.0 / a.data.length);
    }

    /**
     * Mean over one axis.
     *
     * @param a input
     * @param axis axis, negative counts from the end
     * @param keepDims keep the reduced axis with size 1
     * @return (1/n)·Σ over axis
     */
    public static Tensor mean(Tensor a, int axis, boolean keepDims) {
        int ax = Shapes.axis(axis, a.shape.length, "mean");
        if (a.shape[ax] == 0) {
            throw new IllegalArgumentException("mean over an empty axis " + axis);
        }
        return mulScalar(sum(a, axis, keepDims), 1.0 / a.shape[ax]);
    }

    // ------------------------------------------------------------------ elementwise functions

    private static Tensor unary(Pointwise f, Tensor a) {
        return Dispatch.apply(Prims.Unary.of(f), a);
    }

    /**
     * Returns eˣ.
     *
     * @param a input
     * @return eˣ
     */
    public static Tensor exp(Tensor a) {
        return unary(Pointwise.EXP, a);
    }

    /**
     * Returns ln x.
     *
     * @param a input
     * @return ln x
     */
    public static Tensor log(Tensor a) {
        return unary(Pointwise.LOG, a);
    }

    /**
     * Returns x².
     *
     * @param a input
     * @return x²
     */
    public static Tensor square(Tensor a) {
        return unary(Pointwise.SQUARE, a);
    }

    /**
     * Returns √x.
     *
     * @param a input
     * @return √x
     */
    public static Tensor sqrt(Tensor a) {
        return unary(Pointwise.SQRT, a);
    }

    /**
     * Returns xᵖ, with derivative p·xᵖ⁻¹.
     *
     * @param a input
     * @param p exponent
     * @return xᵖ, with derivative p·xᵖ⁻¹
     */
    public static Tensor pow(Tensor a, double p) {
        return Dispatch.apply(new Prims.Pow(p), a);
    }

    /**
     * Returns tanh x.
     *
     * @param a input
     * @return tanh x
     */
    public static Tensor tanh(Tensor a) {
        return unary(Pointwise.TANH, a);
    }

    /**
     * Returns σ(x) = 1/(1+e^{−x}), evaluated without overflow.
     *
     * @param a input
     * @return σ(x) = 1/(1+e^{−x}), evaluated without overflow
     */
    public static Tensor sigmoid(Tensor a) {
        return unary(Pointwise.SIGMOID, a);
    }

    /**
     * Returns softplus(x) = log(1+eˣ) = max(x,0) + log1p(e^{−|x|}).
     *
     * @param a input
     * @return softplus(x) = log(1+eˣ) = max(x,0) + log1p(e^{−|x|})
     */
    public static Tensor softplus(Tensor a) {
        return unary(Pointwise.SOFTPLUS, a);
    }

    /**
     * Returns silu(x) = x·σ(x).
     *
     * @param a input
     * @return silu(x) = x·σ(x)
     */
    public static Tensor silu(Tensor a) {
        return unary(Pointwise.SILU, a);
    }

    /**
     * Returns elu(x) = x for x &gt; 0, eˣ − 1 otherwise (α = 1).
     *
     * @param a input
     * @return elu(x) = x for x &gt; 0, eˣ − 1 otherwise (α = 1)
     */
    public static Tensor elu(Tensor a) {
        return unary(Pointwise.ELU, a);
    }

    /**
     * Returns gelu(x) = x·Φ(x) = ½x·(1 + erf(x/√2)) (exact, like torch.nn.GELU()).
     *
     * @param a input
     * @return gelu(x) = x·Φ(x) = ½x·(1 + erf(x/√2)) (exact, like torch.nn.GELU())
     */
    public static Tensor gelu(Tensor a) {
        return unary(Pointwise.GELU, a);
    }

    /**
     * Returns erf(x) = 2/√π ∫₀ˣ e^{−t²} dt (see {@link Erf}).
     *
     * @param a input
     * @return erf(x) = 2/√π ∫₀ˣ e^{−t²} dt (see {@link Erf})
     */
    public static Tensor erf(Tensor a) {
        return unary(Pointwise.ERF, a);
    }

    /**
     * Returns Φ(x) = ½·erfc(−x/√2), the standard normal CDF.
     *
     * @param a input
     * @return Φ(x) = ½·erfc(−x/√2), the standard normal CDF
     */
    public static Tensor normalCdf(Tensor a) {
        return unary(Pointwise.NORMAL_CDF, a);
    }

    /** The constant mask 1[x &gt; 0] (never differentiated; used by piecewise derivatives). */
    static Tensor step(Tensor a) {
        return Tensor.wrap(a.shape, Kernels.unary(Pointwise.STEP, a.data));
    }
}
