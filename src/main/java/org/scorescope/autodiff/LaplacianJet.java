package org.scorescope.autodiff;

import java.util.List;

/**
 * Forward Laplacian (Li et al., "A computational framework for neural network-based variational
 * Monte Carlo with Forward Laplacian", 2023): propagates, for a batch x of shape (B, D), the value
 * h (B, N), the input Jacobian J (D, B, N) with J[d, b, :] = ∂h_b/∂x_{b,d}, and the Laplacian
 * L (B, N) with L[b, :] = Σ_d ∂²h_b/∂x_{b,d}², all in one forward pass.
 *
 * <p>Rules: linear h' = h·Wᵀ + b gives J' = J·Wᵀ, L' = L·Wᵀ; elementwise h' = φ(z) gives J' = φ'(z)⊙J and
 * L' = φ'(z)⊙L + φ''(z)⊙Σ_d J_d². For an energy MLP E: R^D → R the result holds E, ∇ₓE and
 * ΔE = tr(∇²ₓE) per sample. Everything is built from differentiable ops, so a reverse pass over the
 * output gives θ-gradients (reverse-over-forward) and a jvp over θ gives parameter HVPs.
 *
 * <p>Storage: J and L are kept in shapes broadcastable to (D, B, N) and (B, N) — the input's
 * Jacobian is the identity stored as (D, 1, D) and its Laplacian is zero (null) — so the first layer
 * costs a D×D×N product instead of a D·B×D×N one. Instances are immutable.
 */
public final class LaplacianJet {
    private final Tensor value;
    private final Tensor jac;
    private final Tensor lap;
    private final int dim;
    private final int batch;
    /** How many leading Jacobian slices enter the second-order part (all but first-order-only ones). */
    private final int curved;

    private LaplacianJet(Tensor value, Tensor jac, Tensor lap, int dim, int batch) {
        this(value, jac, lap, dim, batch, dim);
    }

    private LaplacianJet(Tensor value, Tensor jac, Tensor lap, int dim, int batch, int curved) {
        this.value = value;
        this.jac = jac;
        this.lap = lap;
        this.dim = dim;
        this.batch = batch;
        this.curved = curved;
    }

    /**
     * The jet of the identity map at x: value x, Jacobian I, Laplacian 0.
     *
     * @param x inputs of shape (B, D)
     * @return input jet
     */
    public static LaplacianJet input(Tensor x) {
        if (x.shape.length != 2) {
            throw new IllegalArgumentException("LaplacianJet.input: x must have shape (B, D), got " + Shapes.str(x.shape));
        }
        int d = x.shape[1];
        return new LaplacianJet(x, Tensor.eye(d).reshape(d, 1, d), null, d, x.shape[0]);
    }

    /**
     * The jet of the identity map at x along per-sample directions: value x, tangents J[k] = v_k, second-order
     * part 0. Pushed through a network by the same rules, J[k] becomes the directional derivative ∂_{v_k}h and
     * the Laplacian slot the sum of second directional derivatives Σ_k ∂²_{v_k}h = Σ_k v_kᵀ(∇²h)v_k per sample
     * ({@link #inputDim()} is then K, the number of directions).
     *
     * @param x inputs of shape (B, D)
     * @param directions v of shape (K, B, D)
     * @return input jet along the directions
     */
    public static LaplacianJet input(Tensor x, Tensor directions) {
        if (x.shape.length != 2 || directions.shape.length != 3 || directions.shape[1] != x.shape[0]
                || directions.shape[2] != x.shape[1]) {
            throw new IllegalArgumentException("LaplacianJet.input: x must have shape (B, D) and the directions (K, B, D),"
                    + " got " + Shapes.str(x.shape) + " and " + Shapes.str(directions.shape));
        }
        return new LaplacianJet(x, directions, null, directions.shape[0], x.shape[0]);
    }

    /**
     * As {@link #input(Tensor, Tensor)} with the D coordinate directions e_1..e_D appended as first-order-only
     * tangents: J = [v_1..v_K, e_1..e_D] (K + D, B, D), and the second-order part sums over the v_k alone. Pushed
     * through a network, J[K + d] becomes ∂h/∂x_d (the input gradient) beside ∂_{v_k}h and Σ_k ∂²_{v_k}h.
     *
     * @param x inputs of shape (B, D)
     * @param directions v of shape (K, B, D)
     * @return input jet along the directions and the coordinate axes
     */
    public static LaplacianJet inputWithGradient(Tensor x, Tensor directions) {
        LaplacianJet along = input(x, directions);
        int k = directions.shape[0];
        int b = x.shape[0];
        int d = x.shape[1];
        Tensor axes = Ops.broadcastTo(Tensor.eye(d).reshape(d, 1, d), d, b, d);
        Tensor jac = Ops.reshape(Ops.concat(Ops.reshape(directions, 1, k * b * d), Ops.reshape(axes, 1, d * b * d)),
                k + d, b, d);
        return new LaplacianJet(along.value, jac, null, k + d, b, k);
    }

    /** A jet from its parts: value (B, N), Jacobian broadcastable to (D, B, N), Laplacian (B, N) or null. */
    static LaplacianJet of(Tensor value, Tensor jac, Tensor lap) {
        return new LaplacianJet(value, jac, lap, jac.shape[0], value.shape[0]);
    }

    /** As {@link #of(Tensor, Tensor, Tensor)} with only the first {@code curved} Jacobian slices second-order. */
    static LaplacianJet of(Tensor value, Tensor jac, Tensor lap, int curved) {
        return new LaplacianJet(value, jac, lap, jac.shape[0], value.shape[0], curved);
    }

    /**
     * The jet of an MLP h_{l+1} = φ_l(h_l·W_lᵀ + b_l) at x, i.e.
     * {@code input(x).affine(W_0, b_0).activate(φ_0)…}. On plain (non-dual) inputs every layer runs as
     * one fused op on the packed jet (D+2, B, N) with a hand-written reverse pass; otherwise the
     * layers compose the differentiable {@link #affine}/{@link #activate} rules.
     *
     * @param x inputs (B, D)
     * @param weights W_l of shape (out_l, in_l)
     * @param biases b_l of shape (out_l)
     * @param activations φ_l, one per layer
     * @return the jet of the network output
     */
    public static LaplacianJet mlp(Tensor x, List<Tensor> weights, List<Tensor> biases, List<Activation> activations) {
        return mlp(x, null, false, weights, biases, activations);
    }

    /**
     * The jet of an MLP at x along per-sample directions v ({@link #input(Tensor, Tensor)} pushed through the
     * layers): value, ∂_{v_k}h (K, B, N) and Σ_k ∂²_{v_k}h (B, N) in one pass of K + 2 streams. On plain inputs
     * every layer, the first included (on the packed input jet [x; v; 0]), runs as one fused op, as in
     * {@link #mlp(Tensor, List, List, List)}.
     *
     * @param x inputs (B, D)
     * @param directions v (K, B, D), plain
     * @param weights W_l of shape (out_l, in_l)
     * @param biases b_l of shape (out_l)
     * @param activations φ_l, one per layer
     * @return the jet of the network output along the directions
     */
    public static LaplacianJet mlpAlong(Tensor x, Tensor directions, List<Tensor> weights, List<Tensor> biases,
            List<Activation> activations) {
        return mlpAlong(x, directions, false, weights, biases, activations);
    }

    /**
     * As {@link #mlpAlong(Tensor, Tensor, List, List, List)}, with the input gradient's D first-order streams
     * after the K directions when {@code withGradient} ({@link #inputWithGradient}): K + D + 2 streams.
     *
     * @param x inputs (B, D)
     * @param directions v (K, B, D), plain
     * @param withGradient also carry ∂h/∂x_d as Jacobian slices K … K + D − 1
     * @param weights W_l of shape (out_l, in_l)
     * @param biases b_l of shape (out_l)
     * @param activations φ_l, one per layer
     * @return the jet of the network output
     */
    public static LaplacianJet mlpAlong(Tensor x, Tensor directions, boolean withGradient, List<Tensor> weights,
            List<Tensor> biases, List<Activation> activations) {
        if (directions == null) {
            throw new IllegalArgumentException("LaplacianJet.mlpAlong: directions are required");
        }
        return mlp(x, directions, withGradient, weights, biases, activations);
    }

    private static LaplacianJet mlp(Tensor x, Tensor directions, boolean withGradient, List<Tensor> weights,
            List<Tensor> biases, List<Activation> activations) {
        int layers = weights.size();
        if (layers == 0 || biases.size() != layers || activations.size() != layers) {
            throw new IllegalArgumentException("LaplacianJet.mlp: need one bias and one activation per weight, got "
                    + weights.size() + " weights, " + biases.size() + " biases, " + activations.size() + " activations");
        }
        boolean fused = x.level == 0 && x.shape.length == 2 && (directions == null || directions.level == 0);
        int in = x.shape.length == 2 ? x.shape[1] : -1;
        for (int l = 0; l < layers && fused; l++) {
            Tensor w = weights.get(l);
            Tensor b = biases.get(l);
            fused = w.level == 0 && b != null && b.level == 0 && w.shape.length == 2 && w.shape[1] == in
                    && b.shape.length == 1 && b.shape[0] == w.shape[0];
            in = w.shape.length == 2 ? w.shape[0] : -1;
        }
        LaplacianJet start = directions == null ? input(x)
                : withGradient ? inputWithGradient(x, directions) : input(x, directions);
        if (!fused) {
            LaplacianJet j = start;
            for (int l = 0; l < layers; l++) {
                j = j.affine(weights.get(l), biases.get(l)).activate(activations.get(l));
            }
            return j;
        }
        // Along directions the input jet [x; v_1..v_K; 0] is packed as it is and the first layer is a later
        // layer's fused op; the identity's jet has its own first-layer op that never forms the D×B tangents.
        Tensor s = directions == null
                ? Dispatch.apply(new JetOps.First(activations.get(0)), x, weights.get(0), biases.get(0))
                : Dispatch.apply(new JetOps.Hidden(activations.get(0), start.curved), JetOps.pack(start),
                        weights.get(0), biases.get(0));
        for (int l = 1; l < layers; l++) {
            s = Dispatch.apply(new JetOps.Hidden(activations.get(l), start.curved), s, weights.get(l), biases.get(l));
        }
        Tensor[] parts = JetOps.unpack(s);
        return new LaplacianJet(parts[0], parts[1], parts[2], start.dim, x.shape[0], start.curved);
    }

    private int features() {
        return value.shape[value.shape.length - 1];
    }

    /**
     * Affine layer h' = h·Wᵀ + b (torch.nn.Linear convention); J' = J·Wᵀ, L' = L·Wᵀ.
     *
     * @param w weights (out, in) with in = current feature count
     * @param b bias (out), or null
     * @return transformed jet
     */
    public LaplacianJet affine(Tensor w, Tensor b) {
        if (w.shape.length != 2 || w.shape[1] != features()) {
            throw new IllegalArgumentException("LaplacianJet.affine: W must have shape (out, " + features()
                    + "), got " + Shapes.str(w.shape));
        }
        if (b != null && !(b.shape.length == 1 && b.shape[0] == w.shape[0])) {
            throw new IllegalArgumentException("LaplacianJet.affine: bias must have shape (" + w.shape[0]
                    + "), got " + Shapes.str(b.shape));
        }
        Tensor v = Ops.linear(value, w, b);
        Tensor j = Ops.matmul(jac, w, false, true);
        Tensor l = lap == null ? null : Ops.matmul(lap, w, false, true);
        return new LaplacianJet(v, j, l, dim, batch, curved);
    }

    /**
     * Elementwise activation: h' = φ(h), J' = φ'(h)⊙J, L' = φ'(h)⊙L + φ''(h)⊙Σ_d J_d² (the sum over the
     * second-order slices only, when the jet has first-order-only ones).
     *
     * @param a the activation
     * @return transformed jet
     */
    public LaplacianJet activate(Activation a) {
        if (a == Activation.IDENTITY) {
            return this;
        }
        Tensor[] phi = a.applyWithDerivatives(value);
        Tensor j = Ops.mul(phi[1], jac);
        Tensor sq = Ops.sum(Ops.square(curvedSlices()), 0, false);
        Tensor curv = Ops.mul(phi[2], sq);
        Tensor l = lap == null ? curv : Ops.add(Ops.mul(phi[1], lap), curv);
        return new LaplacianJet(phi[0], j, l, dim, batch, curved);
    }

    /** The Jacobian slices that enter the second-order part: all of them, or the first {@link #curved}. */
    private Tensor curvedSlices() {
        if (curved == dim) {
            return jac;
        }
        Tensor full = jacobian();
        int rest = batch * features();
        return Ops.reshape(Ops.slice(Ops.reshape(full, 1, dim * rest), 0, curved * rest), curved, batch, features());
    }

    /**
     * Sum of two jets of the same input (e.g. a residual connection): all three parts add.
     *
     * @param o jet with the same batch, input dimension and feature count
     * @return this + o
     */
    public LaplacianJet add(LaplacianJet o) {
        if (o.dim != dim || o.batch != batch || o.features() != features() || o.curved != curved) {
            throw new IllegalArgumentException("LaplacianJet.add: jets differ (D " + dim + " vs " + o.dim + ", B "
                    + batch + " vs " + o.batch + ", N " + features() + " vs " + o.features() + ")");
        }
        Tensor l = lap == null ? o.lap : o.lap == null ? lap : Ops.add(lap, o.lap);
        return new LaplacianJet(Ops.add(value, o.value), Ops.add(jac, o.jac), l, dim, batch, curved);
    }

    /**
     * Scaling by a constant: all three parts scale by c.
     *
     * @param c factor
     * @return c·this
     */
    public LaplacianJet scale(double c) {
        return new LaplacianJet(Ops.mulScalar(value, c), Ops.mulScalar(jac, c), lap == null ? null
                : Ops.mulScalar(lap, c), dim, batch, curved);
    }

    /**
     * Returns h, shape (B, N).
     *
     * @return h, shape (B, N)
     */
    public Tensor value() {
        return value.shape[0] == batch ? value : Ops.broadcastTo(value, batch, features());
    }

    /**
     * Returns J with J[d, b, n] = ∂h_{b,n}/∂x_{b,d}, shape (D, B, N).
     *
     * @return J with J[d, b, n] = ∂h_{b,n}/∂x_{b,d}, shape (D, B, N)
     */
    public Tensor jacobian() {
        int[] full = {dim, batch, features()};
        return Ops.broadcastTo(jac, full);
    }

    /**
     * Returns L with L[b, n] = Σ_d ∂²h_{b,n}/∂x_{b,d}², shape (B, N).
     *
     * @return L with L[b, n] = Σ_d ∂²h_{b,n}/∂x_{b,d}², shape (B, N)
     */
    public Tensor laplacian() {
        return lap == null ? Tensor.zeros(batch, features()) : Ops.broadcastTo(lap, batch, features());
    }

    /**
     * For a scalar output (N = 1): ∇ₓh per sample.
     *
     * @return (B, D) with row b = ∇ₓ h(x_b)
     */
    public Tensor gradient() {
        requireScalar("gradient");
        return Ops.transpose(Ops.reshape(jacobian(), dim, batch));
    }

    /**
     * For a scalar output (N = 1): Δₓh per sample.
     *
     * @return (B) with entry b = Σ_d ∂²h(x_b)/∂x_d²
     */
    public Tensor laplacianScalar() {
        requireScalar("laplacianScalar");
        return Ops.reshape(laplacian(), batch);
    }

    private void requireScalar(String what) {
        if (features() != 1) {
            throw new IllegalStateException("LaplacianJet." + what + " needs a scalar output (N = 1), N is " + features());
        }
    }

    /**
     * Returns input dimension D.
     *
     * @return input dimension D
     */
    public int inputDim() {
        return dim;
    }

    /**
     * Returns batch size B.
     *
     * @return batch size B
     */
    public int batchSize() {
        return batch;
    }
}
