package org.scorescope.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Differentiation API: reverse mode ({@link #grad}, {@link #vjp}), native forward mode with tagged
 * dual tensors ({@link #jvp}, batched tangents included), and their compositions ({@link #hvp},
 * {@link #jacobian}, {@link #hessian}, {@link #batchJacobian}, {@link #batchHessian}).
 *
 * <p>Differentiability convention of the functional transforms (vjp, hvp, jacobian, hessian and
 * the batched forms): their results are themselves differentiable (the inner backward pass records
 * a graph) exactly when grad mode is on at the call; under {@link #noGrad} they return constants.
 * Forward-mode tangents propagate regardless of grad mode.
 */
public final class Grad {
    private Grad() {
    }

    /**
     * Result of a forward-mode pass.
     *
     * @param primal f(x)
     * @param tangent J·v, shaped [K..., f(x).shape] for tangents v of shape [K..., x.shape]
     */
    public record Jvp(Tensor primal, Tensor tangent) {
    }

    /**
     * Result of a reverse-mode pass.
     *
     * @param value f(x)
     * @param cotangent vᵀ·J, shaped like x
     */
    public record Vjp(Tensor value, Tensor cotangent) {
    }

    // ------------------------------------------------------------------ grad mode

    /**
     * true when op outputs record reverse-mode nodes on this thread (the default).
     *
     * @return true when op outputs record reverse-mode nodes on this thread (the default).
     */
    public static boolean isGradEnabled() {
        return State.get().gradEnabled;
    }

    /**
     * Runs {@code body} with grad mode off: no reverse nodes are recorded (tangents still propagate).
     *
     * @param body computation
     * @param <T> result type
     * @return the body's result
     */
    public static <T> T noGrad(Supplier<T> body) {
        return withMode(false, body);
    }

    /**
     * Runs {@code body} with grad mode on.
     *
     * @param body computation
     * @param <T> result type
     * @return the body's result
     */
    public static <T> T enableGrad(Supplier<T> body) {
        return withMode(true, body);
    }

    private static <T> T withMode(boolean enabled, Supplier<T> body) {
        State st = State.get();
        boolean prev = st.gradEnabled;
        st.gradEnabled = enabled;
        try {
            return body.get();
        } finally {
            st.gradEnabled = prev;
        }
    }

    // ------------------------------------------------------------------ reverse mode

    /**
     * Reverse-mode gradients: for each input xⱼ, Σᵢ seedᵢᵀ·∂outputᵢ/∂xⱼ (zeros of xⱼ's shape when
     * no recorded path connects them). Only nodes on a path to a requested input are visited, in
     * reverse topological order, accumulating cotangents. Inputs may be non-leaf tensors.
     *
     * @param outputs tensors to differentiate
     * @param inputs tensors to differentiate with respect to
     * @param seeds one cotangent per output, shaped like it; null means ones and requires every
     *              output to have exactly one element
     * @param createGraph when true the backward ops are recorded, so the gradients can be
     *                    differentiated again; when false they run in no-grad mode
     * @return one gradient per input, shaped like it
     */
    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> seeds,
                                    boolean createGraph) {
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("grad: no outputs");
        }
        if (seeds != null && seeds.size() != outputs.size()) {
            throw new IllegalArgumentException("grad: " + seeds.size() + " seeds for " + outputs.size() + " outputs");
        }
        IdentityHashMap<Tensor, Boolean> isInput = new IdentityHashMap<>();
        for (Tensor x : inputs) {
            isInput.put(x, Boolean.TRUE);
        }
        State st = State.get();
        // Sized for the last graph seen on this thread (training repeats one graph shape), so the
        // maps do not grow by rehashing every pass.
        int expected = st.lastGraphSize;
        IdentityHashMap<Tensor, Boolean> needed = new IdentityHashMap<>(expected);
        List<Tensor> order = topoOrder(outputs, isInput, needed, expected);
        st.lastGraphSize = order.size();

        boolean prev = st.gradEnabled;
        st.gradEnabled = createGraph;
        try {
            IdentityHashMap<Tensor, Tensor> cot = new IdentityHashMap<>(expected);
            // Sums this pass allocated itself, by the node whose cotangent they are: only such a sum
            // may take further contributions in place (see accumulate).
            IdentityHashMap<Tensor, Tensor> ownSum = createGraph ? null : new IdentityHashMap<>();
            // Cotangents an op returned in arrays only they reference (Op.vjpExclusive).
            IdentityHashMap<Tensor, Boolean> exclusive = createGraph ? null : new IdentityHashMap<>();
            for (int i = 0; i < outputs.size(); i++) {
                Tensor y = outputs.get(i);
                Tensor s;
                if (seeds == null || seeds.get(i) == null) {
                    if (y.data.length != 1) {
                        throw new IllegalArgumentException("grad: output " + i + " has shape " + Shapes.str(y.shape)
                                + "; a seed is required for outputs with more than one element");
                    }
                    s = Tensor.ones(y.shape);
                } else {
                    s = seeds.get(i);
                    if (!Arrays.equals(s.shape, y.shape)) {
                        throw new IllegalArgumentException("grad: seed " + i + " has shape " + Shapes.str(s.shape)
                                + " but output " + i + " has shape " + Shapes.str(y.shape));
                    }
                }
                accumulate(cot, ownSum, y, s, false);
            }
            for (int k = order.size() - 1; k >= 0; k--) {
                Tensor t = order.get(k);
                if (t.op == null || !needed.get(t)) {
                    continue;
                }
                Tensor g = isInput.containsKey(t) ? cot.get(t) : cot.remove(t);
                if (g == null) {
                    continue;
                }
                Tensor[] ps = t.parents;
                boolean[] need = new boolean[ps.length];
                boolean any = false;
                for (int j = 0; j < ps.length; j++) {
                    need[j] = needed.get(ps[j]);
                    any |= need[j];
                }
                if (!any) {
                    continue;
                }
                if (ownSum != null && ps.length == 1 && plainData(g)) {
                    Tensor acc = cot.get(ps[0]);
                    if (acc != null && ownSum.get(ps[0]) == acc && t.op.addVjpInto(g, ps, acc.data)) {
                        // Added straight into the parent's own accumulator (e.g. a slice's padded adjoint).
                        continue;
                    }
                }
                Tensor[] gs = t.op.vjp(g, ps, t, need);
                boolean opExclusive = exclusive != null && t.op.vjpExclusive(gs);
                for (int j = 0; j < ps.length; j++) {
                    if (need[j] && gs[j] != null) {
                        if (!Arrays.equals(gs[j].shape, ps[j].shape)) {
                            throw new IllegalStateException("vjp of " + t.op.name() + " produced shape "
                                    + Shapes.str(gs[j].shape) + " for input " + j + " of shape " + Shapes.str(ps[j].shape));
                        }
                        boolean fresh = opExclusive && plainData(gs[j]);
                        if (fresh) {
                            exclusive.put(gs[j], Boolean.TRUE);
                        }
                        accumulate(cot, ownSum, ps[j], gs[j], fresh);
                    }
                }
                if (opExclusive && !isInput.containsKey(t) && plainData(g)
                        && (exclusive.containsKey(g) || ownSum.get(t) == g) && !aliases(gs, g.data)) {
                    // g was referenced only by cot[t] (removed above) and the vjp, which kept nothing.
                    CotangentPool.give(g.data);
                }
            }
            List<Tensor> result = new ArrayList<>(inputs.size());
            for (Tensor x : inputs) {
                Tensor g = cot.get(x);
                result.add(g != null ? g : Tensor.zeros(x.shape));
            }
            return result;
        } finally {
            st.gradEnabled = prev;
        }
    }

    /**
     * cot[t] += g. Without a recorded graph ({@code ownSum} non-null) the second contribution to t
     * allocates the sum (exactly what {@link Ops#add} computes, element by element) and later ones add
     * into that same array, which nothing else can see yet: it was made here, for t alone, and is
     * handed out only when t's own vjp runs, after its last contribution (reverse topological order).
     * A first contribution that is {@code fresh} (a new array only it references, see
     * {@link Op#vjpExclusive}) is owned the same way. Any other cotangent returned by a vjp is
     * never written to, since a vjp may pass one tensor to several inputs (add) or alias its own g
     * (reshape).
     */
    private static void accumulate(IdentityHashMap<Tensor, Tensor> cot, IdentityHashMap<Tensor, Tensor> ownSum,
                                   Tensor t, Tensor g, boolean fresh) {
        Tensor prev = cot.get(t);
        if (prev == null) {
            cot.put(t, g);
            if (fresh && ownSum != null) {
                ownSum.put(t, g);
            }
            return;
        }
        if (ownSum != null && ownSum.get(t) == prev && plainData(g) && g.data != prev.data
                && Arrays.equals(g.shape, prev.shape)) {
            double[] a = prev.data;
            double[] b = g.data;
            for (int i = 0; i < a.length; i++) {
                a[i] = a[i] + b[i];
            }
            return;
        }
        Tensor sum = Ops.add(prev, g);
        cot.put(t, sum);
        if (ownSum != null && plainData(sum) && sum != prev && sum != g) {
            ownSum.put(t, sum);
        }
    }

    private static boolean aliases(Tensor[] gs, double[] data) {
        for (Tensor x : gs) {
            if (x != null && x.data == data) {
                return true;
            }
        }
        return false;
    }

    /** A plain value: no dual tangent, no recorded node, so its data is all there is to it. */
    private static boolean plainData(Tensor t) {
        return t.level == 0 && t.op == null && !t.requiresGrad;
    }

    /** Post-order (parents first) over recorded nodes; marks tensors on a path to an input. */
    private static List<Tensor> topoOrder(List<Tensor> outputs, IdentityHashMap<Tensor, Boolean> isInput,
                                          IdentityHashMap<Tensor, Boolean> needed, int expected) {
        List<Tensor> order = new ArrayList<>(expected);
        IdentityHashMap<Tensor, Boolean> seen = new IdentityHashMap<>(expected);
        ArrayList<Tensor> stack = new ArrayList<>();
        int[] next = new int[16];
        for (Tensor root : outputs) {
            if (seen.containsKey(root)) {
                continue;
            }
            seen.put(root, Boolean.TRUE);
            stack.add(root);
            next[0] = 0;
            while (!stack.isEmpty()) {
                int top = stack.size() - 1;
                Tensor t = stack.get(top);
                if (t.op != null && next[top] < t.parents.length) {
                    Tensor p = t.parents[next[top]++];
                    if (!seen.containsKey(p)) {
                        seen.put(p, Boolean.TRUE);
                        stack.add(p);
                        if (stack.size() > next.length) {
                            next = Arrays.copyOf(next, next.length * 2);
                        }
                        next[stack.size() - 1] = 0;
                    }
                } else {
                    stack.remove(top);
                    boolean need = isInput.containsKey(t);
                    if (!need && t.op != null) {
                        for (Tensor p : t.parents) {
                            if (needed.get(p)) {
                                need = true;
                                break;
                            }
                        }
                    }
                    needed.put(t, need);
                    order.add(t);
                }
            }
        }
        return order;
    }

    /**
     * ∇f for a one-element output: gradients of {@code scalarOut} w.r.t. each input, without
     * recording the backward pass.
     *
     * @param scalarOut output with exactly one element
     * @param inputs tensors to differentiate with respect to
     * @return d scalarOut / d inputᵢ, shaped like each input
     */
    public static List<Tensor> grad(Tensor scalarOut, Tensor... inputs) {
        return grad(List.of(scalarOut), List.of(inputs), null, false);
    }

    /**
     * ∇f for a one-element output, optionally recording the backward pass for higher derivatives.
     *
     * @param scalarOut output with exactly one element
     * @param createGraph record the backward pass
     * @param inputs tensors to differentiate with respect to
     * @return d scalarOut / d inputᵢ
     */
    public static List<Tensor> grad(Tensor scalarOut, boolean createGraph, Tensor... inputs) {
        return grad(List.of(scalarOut), List.of(inputs), null, createGraph);
    }

    /**
     * Vector-Jacobian product: value f(x) and vᵀ·∂f/∂x (shaped like x), by one reverse pass.
     *
     * @param f function
     * @param x point (a leaf view is made when x does not already require grad)
     * @param v cotangent shaped like f(x)
     * @return (f(x), vᵀJ)
     */
    public static Vjp vjp(Function<Tensor, Tensor> f, Tensor x, Tensor v) {
        boolean create = isGradEnabled();
        return enableGrad(() -> {
            Tensor xv = x.requiresGrad ? x : x.requiresGrad();
            Tensor y = f.apply(xv);
            Tensor g = grad(List.of(y), List.of(xv), List.of(v), create).get(0);
            return new Vjp(y, g);
        });
    }

    // ------------------------------------------------------------------ forward mode

    /**
     * Jacobian-vector product by native forward mode: evaluates f on the dual x + εv at a fresh
     * level and returns (f(x), J·v). With v of shape [K, ...x.shape] (K directions at once) the
     * tangent is [K, ...f(x).shape]; a result not depending on x gets a zero tangent.
     *
     * @param f function
     * @param x primal point
     * @param v tangent, shaped like x or with extra leading batch axes; axes of size 1 where x's are
     *          larger broadcast (e.g. one direction (K, 1, N) shared by all B rows of x (B, N))
     * @return (f(x), J·v), the tangent always materialised to [K..., f(x).shape]
     */
    public static Jvp jvp(Function<Tensor, Tensor> f, Tensor x, Tensor v) {
        return jvpMulti(xs -> f.apply(xs.get(0)), List.of(x), List.of(v));
    }

    /**
     * Jacobian-vector product for several inputs: Σᵢ ∂f/∂xᵢ·vᵢ, all perturbed at the same level.
     *
     * @param f function of the list of inputs
     * @param xs primal points
     * @param vs tangents, each shaped like its input with the same leading batch axes for all
     * @return (f(xs), Σᵢ Jᵢ·vᵢ)
     */
    public static Jvp jvpMulti(Function<List<Tensor>, Tensor> f, List<Tensor> xs, List<Tensor> vs) {
        if (xs.size() != vs.size()) {
            throw new IllegalArgumentException("jvp: " + vs.size() + " tangents for " + xs.size() + " inputs");
        }
        int[] prefix = null;
        for (int i = 0; i < xs.size(); i++) {
            int[] p = tangentPrefix(xs.get(i), vs.get(i), i);
            if (prefix != null && !Arrays.equals(prefix, p)) {
                throw new IllegalArgumentException("jvp: tangent " + i + " has batch axes " + Shapes.str(p)
                        + " but tangent 0 has " + Shapes.str(prefix));
            }
            prefix = p;
        }
        int level = ++State.get().lastLevel;
        List<Tensor> duals = new ArrayList<>(xs.size());
        for (int i = 0; i < xs.size(); i++) {
            duals.add(Tensor.dual(level, xs.get(i), vs.get(i)));
        }
        Tensor y = f.apply(duals);
        if (y.level == level) {
            return new Jvp(y.primal, Prims.full(y.tangent, y.primal));
        }
        if (y.level > level) {
            throw new IllegalStateException("jvp: the result carries a dual of an inner jvp (level " + y.level
                    + "); inner jvp results must be split before they escape");
        }
        return new Jvp(y, Tensor.zeros(Shapes.concat(prefix, y.shape)));
    }

    private static int[] tangentPrefix(Tensor x, Tensor v, int i) {
        int p = v.shape.length - x.shape.length;
        boolean ok = p >= 0;
        for (int a = 0; ok && a < x.shape.length; a++) {
            int d = v.shape[p + a];
            ok = d == x.shape[a] || d == 1;
        }
        if (!ok) {
            throw new IllegalArgumentException("jvp: tangent " + i + " has shape " + Shapes.str(v.shape)
                    + "; it must be the input shape " + Shapes.str(x.shape) + " (axes may be 1 to broadcast)"
                    + " with optional leading batch axes");
        }
        return Shapes.prefix(v.shape, p);
    }

    /**
     * Hessian-vector product H·v with H = ∇²f(x), by forward-over-reverse:
     * hvp(f, x, v) = jvp(x ↦ ∇f(x), x, v).tangent. With v of shape [K, ...x.shape] it returns the K
     * products [K, ...x.shape] in one pass.
     *
     * @param f scalar function (one-element output)
     * @param x point
     * @param v direction(s)
     * @return H·v
     */
    public static Tensor hvp(Function<Tensor, Tensor> f, Tensor x, Tensor v) {
        boolean create = isGradEnabled();
        return enableGrad(() -> jvp(xd -> {
            Tensor xv = xd.requiresGrad();
            Tensor y = f.apply(xv);
            return grad(List.of(y), List.of(xv), null, create).get(0);
        }, x, v).tangent());
    }

    /**
     * Jacobian J[i..., j...] = ∂f(x)[i...]/∂x[j...], shaped f(x).shape + x.shape. Uses forward mode
     * (one pass with x.size() batched tangents) when x has fewer elements than f(x), and otherwise
     * reverse mode (one backward pass per output element).
     *
     * @param f function
     * @param x point
     * @return the Jacobian
     */
    public static Tensor jacobian(Function<Tensor, Tensor> f, Tensor x) {
        boolean create = isGradEnabled();
        return enableGrad(() -> {
            Tensor xv = x.requiresGrad ? x : x.requiresGrad();
            Tensor y = f.apply(xv);
            int n = x.data.length;
            int m = y.data.length;
            int[] jShape = Shapes.concat(y.shape, x.shape);
            if (n < m) {
                return jacobianForward(f, x, y.shape, jShape);
            }
            Tensor[] rows = new Tensor[m];
            for (int i = 0; i < m; i++) {
                double[] e = new double[m];
                e[i] = 1.0;
                Tensor seed = Tensor.wrap(y.shape, e);
                rows[i] = Ops.reshape(grad(List.of(y), List.of(xv), List.of(seed), create).get(0), 1, n);
            }
            return Ops.reshape(Ops.concat(rows), jShape);
        });
    }

    /**
     * Jacobian by forward mode only (n = x.size() batched tangents in one pass); same layout as
     * {@link #jacobian}.
     *
     * @param f function
     * @param x point
     * @return ∂f/∂x shaped f(x).shape + x.shape
     */
    public static Tensor jacobianForward(Function<Tensor, Tensor> f, Tensor x) {
        Jvp r = jvp(f, x, basis(x.shape));
        return columnsToJacobian(r.tangent(), x.data.length, r.primal().shape, x.shape);
    }

    private static Tensor jacobianForward(Function<Tensor, Tensor> f, Tensor x, int[] yShape, int[] jShape) {
        Tensor t = jvp(f, x, basis(x.shape)).tangent();
        return columnsToJacobian(t, x.data.length, yShape, x.shape);
    }

    private static Tensor columnsToJacobian(Tensor t, int n, int[] yShape, int[] xShape) {
        int m = Shapes.size(yShape);
        return Ops.reshape(Ops.transpose(Ops.reshape(t, n, m)), Shapes.concat(yShape, xShape));
    }

    /**
     * Jacobian by reverse mode only (one backward pass per output element); same layout as
     * {@link #jacobian}.
     *
     * @param f function
     * @param x point
     * @return ∂f/∂x shaped f(x).shape + x.shape
     */
    public static Tensor jacobianReverse(Function<Tensor, Tensor> f, Tensor x) {
        boolean create = isGradEnabled();
        return enableGrad(() -> {
            Tensor xv = x.requiresGrad ? x : x.requiresGrad();
            Tensor y = f.apply(xv);
            int m = y.data.length;
            Tensor[] rows = new Tensor[m];
            for (int i = 0; i < m; i++) {
                double[] e = new double[m];
                e[i] = 1.0;
                rows[i] = Ops.reshape(grad(List.of(y), List.of(xv), List.of(Tensor.wrap(y.shape, e)), create)
                        .get(0), 1, x.data.length);
            }
            return Ops.reshape(Ops.concat(rows), Shapes.concat(y.shape, x.shape));
        });
    }

    /** The standard basis e₀…e_{n−1} of shape [n, ...shape]. */
    static Tensor basis(int[] shape) {
        int n = Shapes.size(shape);
        return Ops.reshape(Tensor.eye(n), Shapes.concat(new int[] {n}, shape));
    }

    /**
     * Hessian H[i..., j...] = ∂²f/∂x[i...]∂x[j...] of a scalar f, shaped x.shape + x.shape, from
     * x.size() batched Hessian-vector products (forward-over-reverse, one pass).
     *
     * @param f scalar function
     * @param x point
     * @return ∇²f(x)
     */
    public static Tensor hessian(Function<Tensor, Tensor> f, Tensor x) {
        int n = x.data.length;
        Tensor t = hvp(f, x, basis(x.shape));
        return Ops.reshape(Ops.transpose(Ops.reshape(t, n, n)), Shapes.concat(x.shape, x.shape));
    }

    /**
     * The tangents V[k, b, :] = e_k (direction k moves coordinate k of every sample), stored
     * compressed as (N, 1, N): a first linear layer then costs an N×N×out product, not N·B×N×out.
     */
    static Tensor rowBasis(int b, int n) {
        return Ops.reshape(Tensor.eye(n), n, 1, n);
    }

    private static int[] requireBatch(Tensor x, String what) {
        if (x.shape.length != 2) {
            throw new IllegalArgumentException(what + ": x must have shape (B, N), got " + Shapes.str(x.shape));
        }
        return x.shape;
    }

    /**
     * Per-sample Jacobians J[b, m, n] = ∂f(x_b)[m]/∂x_b[n] of a row-wise f: (B, N) → (B, M), from N
     * batched forward tangents (no per-sample loop). f must treat rows independently.
     *
     * @param f row-wise function
     * @param x (B, N)
     * @return (B, M, N)
     */
    public static Tensor batchJacobian(Function<Tensor, Tensor> f, Tensor x) {
        int[] s = requireBatch(x, "batchJacobian");
        int b = s[0];
        int n = s[1];
        Jvp r = jvp(f, x, rowBasis(b, n));
        Tensor y = r.primal();
        if (y.shape.length != 2 || y.shape[0] != b) {
            throw new IllegalArgumentException("batchJacobian: f must map (B, N) to (B, M), got output shape "
                    + Shapes.str(y.shape));
        }
        int m = y.shape[1];
        return Ops.reshape(Ops.transpose(Ops.reshape(r.tangent(), n, b * m)), b, m, n);
    }

    /**
     * Per-sample Hessians H[b, i, j] = ∂²f(x_b)/∂x_b[i]∂x_b[j] of a row-wise scalar f with output
     * (B) or (B, 1), by forward-over-reverse with N batched tangents: the gradient of Σ_b f(x_b) is
     * taken inside a jvp whose tangents move coordinate k of every sample.
     *
     * @param f row-wise scalar function
     * @param x (B, N)
     * @return (B, N, N)
     */
    public static Tensor batchHessian(Function<Tensor, Tensor> f, Tensor x) {
        int[] s = requireBatch(x, "batchHessian");
        int b = s[0];
        int n = s[1];
        boolean create = isGradEnabled();
        Tensor t = enableGrad(() -> jvp(xd -> {
            Tensor xv = xd.requiresGrad();
            Tensor y = f.apply(xv);
            if (!(y.shape.length == 1 && y.shape[0] == b) && !(y.shape.length == 2 && y.shape[0] == b && y.shape[1] == 1)) {
                throw new IllegalArgumentException("batchHessian: f must map (B, N) to (B) or (B, 1), got output shape "
                        + Shapes.str(y.shape));
            }
            return grad(List.of(Ops.sum(y)), List.of(xv), null, create).get(0);
        }, x, rowBasis(b, n)).tangent());
        return Ops.reshape(Ops.transpose(Ops.reshape(t, n, b * n)), b, n, n);
    }
}
