/**
 * Differentiation engine: immutable float64 tensors with reverse mode, native forward mode and
 * every composition of the two, plus fast exact trace operators for score matching.
 *
 * <h2>Entry points</h2>
 * <ul>
 *   <li>{@link org.scorescope.autodiff.Tensor}: values, factories and fluent ops
 *       ({@code x.matmul(w).add(b).softplus()}); {@link org.scorescope.autodiff.Ops}: the same as
 *       static functions plus {@code linear}, {@code concat}, transposed matmul.</li>
 *   <li>{@link org.scorescope.autodiff.Grad}: {@code grad}, {@code vjp}, {@code jvp} (batched
 *       tangents), {@code hvp}, {@code jacobian}, {@code hessian}, {@code batchJacobian},
 *       {@code batchHessian}, {@code noGrad}.</li>
 *   <li>{@link org.scorescope.autodiff.ScoreOps}: {@code divergence} (D forward tangents, one pass),
 *       {@code hutchinson}, {@code inputGradient}, and the nested-reverse references;
 *       {@link org.scorescope.autodiff.LaplacianJet}: value, ∇ₓE and ΔE of an MLP in one forward pass;
 *       {@link org.scorescope.autodiff.Activation}: φ, φ', φ'' in closed form.</li>
 *   <li>{@link org.scorescope.autodiff.GradCheck}: finite-difference verification of any order.</li>
 * </ul>
 *
 * <h2>Model</h2>
 * Reverse mode is PyTorch-like: variables ({@code x.requiresGrad()}) make op outputs record nodes
 * while grad mode is on; {@code Grad.grad(..., createGraph = true)} records the backward pass so it
 * can be differentiated again. Forward mode uses tagged dual tensors: {@code jvp} perturbs its input
 * at a fresh level L, every op splits inputs carrying the highest level into primal and tangent and
 * applies its jvp rule, and results are split back at L. Because every vjp and jvp rule is written
 * with differentiable ops, the modes nest in any order and to any depth (tested to order 3, and to
 * order 4 for θ-HVPs of divergences). A tangent may carry leading batch axes K (several directions
 * in one pass) and may be stored compressed (axes of size 1, broadcast).
 *
 * <h2>Speed</h2>
 * Raw loops live in package-private kernel classes: {@code Gemm} (packed-row matrix products that
 * C2 auto-vectorises), {@code ActivationKernels} (φ … φ''' in one pass with vectorised exp/log1p),
 * {@code Kernels} (elementwise, reductions, shapes). {@code Ops.dense}, {@code Ops.mlp} and
 * {@link org.scorescope.autodiff.LaplacianJet#mlp} run whole layers as fused ops whose plain
 * first-order reverse pass is hand-written; every other mode differentiates the composite rules, so
 * results and higher derivatives are those of the unfused ops. See docs/performance.md.
 *
 * <h2>Memory</h2>
 * A training step should allocate little beyond the tensors it returns and the values a node keeps
 * for its backward pass (the GC pauses of a busy allocator also stop the desktop app's UI thread).
 * Arrays that live inside one kernel call come from per-thread scratch; the fused layers keep only
 * their pre-activations and recompute φ', φ'', φ''' from them in the backward pass (same kernel, same
 * bits). Without a recorded graph, {@code Grad} adds later cotangent contributions in place into the
 * sum it allocated itself, adds a slice's adjoint straight into its input's sum, and passes the
 * arrays of cotangents flowing between fused layers (which only they reference) back to the next
 * layer through a per-thread pool. None of this changes an arithmetic operation or its order.
 *
 * <h2>Threads</h2>
 * Tensors are immutable and may be shared between threads. Grad mode and dual levels are per
 * thread. Large products and activation kernels split their work across
 * {@link org.scorescope.autodiff.ComputeThreads} threads; every chunk's result is independent of the
 * split, so results are bit-identical for any thread count.
 */
package org.scorescope.autodiff;
