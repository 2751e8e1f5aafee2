package org.scorescope.autodiff;

/**
 * A primitive operation. {@link #forward} computes plain values from input data; {@link #vjp} and
 * {@link #jvp} are written with differentiable {@link Tensor} ops only, so derivatives of any order
 * and in any mode compose. The dispatcher ({@link Dispatch}) owns dual splitting and graph recording.
 */
abstract class Op {
    /** The result of this op's last exclusive vjp, until {@link #vjpExclusive} has been asked about it. */
    private Tensor[] exclusiveResult;

    /**
     * a short name for messages and {@link Tensor#toString()}.
     *
     * @return a short name for messages and {@link Tensor#toString()}.
     */
    abstract String name();

    /** Plain forward value from the inputs' data; the inputs' autodiff metadata is ignored. */
    abstract Tensor forward(Tensor[] x);

    /**
     * Cotangents for the inputs: entry i is the vjp gᵀ·∂out/∂xᵢ shaped like xᵢ, or null for zero or
     * when {@code need[i]} is false.
     */
    abstract Tensor[] vjp(Tensor g, Tensor[] x, Tensor out, boolean[] need);

    /**
     * Output tangent Σᵢ ∂out/∂xᵢ·tᵢ over inputs with a tangent (tᵢ non-null, shape
     * [K..., xᵢ.shape] with optional leading batch axes K); null when the tangent is identically zero.
     * {@code x} are the primals and {@code out} the output primal.
     */
    abstract Tensor jvp(Tensor[] x, Tensor[] t, Tensor out);

    /**
     * Whether the {@link #vjp} call that returned {@code result} put every cotangent in a new array
     * that nothing else references (one per input) and kept no reference to its g. Only then may
     * {@link Grad} recycle the arrays of the cotangents it passes to and receives from this op
     * ({@link CotangentPool}). Ops answer by identity with the result array of their own exclusive
     * path ({@link #exclusive}), so a call from another thread or a nested pass can only make the answer false.
     */
    final boolean vjpExclusive(Tensor[] result) {
        boolean mine = result != null && result == exclusiveResult;
        exclusiveResult = null;
        return mine;
    }

    /** Marks {@code r} as the result of an exclusive vjp (see {@link #vjpExclusive}) and returns it. */
    final Tensor[] exclusive(Tensor[] r) {
        exclusiveResult = r;
        return r;
    }

    /**
     * Adds the plain vjp for input 0, v = gᵀ·∂out/∂x₀, into {@code acc} (x₀'s cotangent so far, shaped
     * like x₀) as acc[e] = acc[e] + v[e] for every element, exactly what {@code Ops.add(acc, v)}
     * computes, without materialising v. Called by {@link Grad} only without a recorded graph, on a
     * plain g and an accumulator it owns.
     *
     * @return false when this op has no such path (the caller then uses {@link #vjp})
     */
    boolean addVjpInto(Tensor g, Tensor[] x, double[] acc) {
        return false;
    }
}
