package org.scorescope.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fused forward-Laplacian layers on a packed jet S of shape (D+2, B, N): S[0] = h, S[1+d] = ∂h/∂x_d,
 * S[D+1] = Σ_d ∂²h/∂x_d² (see {@link LaplacianJet}). One op per MLP layer computes the affine map of
 * all D+2 slices as one matrix product and the activation rules in one elementwise pass:
 * <pre>
 *   z = h·Wᵀ + b,  J_d = J_d·Wᵀ,  L = L·Wᵀ;   h' = φ(z),  J'_d = φ'(z)·J_d,  L' = φ'(z)·L + φ''(z)·Σ_d J_d²
 * </pre>
 * and its reverse pass by hand from the cached z, φ', φ'', φ''' (first-order, plain backward passes).
 * The layers' elementwise passes run on {@link VectorJet} when the Vector API is available.
 * Every other use (grad mode on, dual cotangents) differentiates the composite {@link LaplacianJet}
 * formulas recomputed from the op's inputs, so higher derivatives stay exact. The ops are only built
 * on level-0 inputs (the composite path handles duals at forward time), so they never see a jvp.
 */
final class JetOps {
    /**
     * Per-thread buffers for arrays that live only inside one forward or fast backward call (never
     * wrapped in a Tensor, never kept by the op): reused across steps instead of allocated per call.
     * Separate from {@link Gemm}'s and {@link ActivationKernels}' own scratch, which the passes call
     * into while these buffers are in use.
     */
    private static final ThreadLocal<TempArrays> SCRATCH = ThreadLocal.withInitial(TempArrays::new);
    /** Slots: z or Σ_d J_d² (forward) / recomputed z, then W's product (backward). */
    private static final int S_Z = 0;
    /** Slots: φ', φ'', φ'''. */
    private static final int S_D1 = 1;
    private static final int S_D2 = 2;
    private static final int S_D3 = 3;
    /** Slot: the pre-activation's cotangent gz. */
    private static final int S_GZ = 4;
    /** Slot: a second backward temporary (the first layer's Σ_r G_L·φ'' per unit, or Σ_d J_d²). */
    private static final int S_AUX = 5;
    /** Slot: the first layer's backward rows (W's columns, gw's columns, Σ_c G_J_c·W_c). */
    private static final int S_COLS = 6;
    /** Whether {@link VectorJet} may be loaded. */
    private static final boolean VECTOR = Simd.available();

    private JetOps() {
    }

    /** (D+2, B, N) from a composite jet's parts (the Jacobian may be stored compressed). */
    static Tensor pack(LaplacianJet j) {
        Tensor v = j.value();
        int b = j.batchSize();
        int d = j.inputDim();
        int n = v.shape[1];
        int n0 = b * n;
        Tensor jac = j.jacobian();
        Tensor lap = j.laplacian();
        Tensor flat = Ops.concat(Ops.reshape(v, 1, n0), Ops.reshape(jac, 1, d * n0), Ops.reshape(lap, 1, n0));
        return Ops.reshape(flat, d + 2, b, n);
    }

    /** The parts {h, J, L} of a packed jet, as differentiable slices. */
    static Tensor[] unpack(Tensor s) {
        int p = s.shape[0];
        int b = s.shape[1];
        int n = s.shape[2];
        int n0 = b * n;
        Tensor flat = Ops.reshape(s, 1, p * n0);
        Tensor v = Ops.reshape(Ops.slice(flat, 0, n0), b, n);
        Tensor jac = Ops.reshape(Ops.slice(flat, n0, (p - 1) * n0), p - 2, b, n);
        Tensor lap = Ops.reshape(Ops.slice(flat, (p - 1) * n0, p * n0), b, n);
        return new Tensor[] {v, jac, lap};
    }

    /** (1+K, B, N) from a value (B, N) and K tangents (K, B, N), as differentiable ops. */
    static Tensor packTangents(Tensor v, Tensor t) {
        int b = v.shape[0];
        int n = v.shape[1];
        int k = t.data.length / (b * n);
        Tensor flat = Ops.concat(Ops.reshape(v, 1, b * n), Ops.reshape(t, 1, k * b * n));
        return Ops.reshape(flat, k + 1, b, n);
    }

    /** {value (B, N), tangents (K, B, N)} of a packed (1+K, B, N) tensor, as differentiable slices. */
    static Tensor[] unpackTangents(Tensor s) {
        int p = s.shape[0];
        int b = s.shape[1];
        int n = s.shape[2];
        int n0 = b * n;
        Tensor flat = Ops.reshape(s, 1, p * n0);
        return new Tensor[] {Ops.reshape(Ops.slice(flat, 0, n0), b, n),
            Ops.reshape(Ops.slice(flat, n0, p * n0), p - 1, b, n)};
    }

    /**
     * An MLP evaluated on a dual x (level L, plain primal and tangent, not itself tracked) with plain
     * parameters: the first layer by the dense op's own jvp, later layers as fused tangent layers on
     * [h; t_1..t_K], so every layer's value and K tangents share one product and one reverse pass.
     * Returns the dual at level L; when the parameters are tracked it is recorded as one node whose
     * reverse rule recomputes the layer-by-layer composite (only reached by a reverse pass taken
     * inside the jvp).
     */
    static Tensor mlpOnDual(Tensor x, List<Tensor> w, List<Tensor> b, List<Activation> acts) {
        int level = x.level;
        Tensor prim = x.primal;
        Tensor tan = x.tangent;
        int prefix = tan.shape.length - prim.shape.length;
        int[] pre = Shapes.prefix(tan.shape, prefix);
        Tensor d1 = Ops.dense(x, w.get(0), b.get(0), acts.get(0));
        if (d1.level != level) {
            // No tangent survived the first layer (cannot happen for a dual x); stay on the generic path.
            Tensor h = d1;
            for (int l = 1; l < w.size(); l++) {
                h = Ops.dense(h, w.get(l), b.get(l), acts.get(l));
            }
            return h;
        }
        Tensor v = d1.primal;
        Tensor t = Prims.full(d1.tangent, v);
        int bsz = v.shape[0];
        Tensor s = packTangents(v, t);
        for (int l = 1; l < w.size(); l++) {
            s = Dispatch.apply(new Hidden(acts.get(l), false), s, w.get(l), b.get(l));
        }
        Tensor[] parts = unpackTangents(s);
        int out = parts[0].shape[1];
        Tensor tOut = Ops.reshape(parts[1], Shapes.concat(pre, new int[] {bsz, out}));
        Tensor y = Tensor.dual(level, parts[0], tOut);
        List<Tensor> in = new ArrayList<>();
        in.add(x);
        boolean tracked = false;
        for (int l = 0; l < w.size(); l++) {
            in.add(w.get(l));
            in.add(b.get(l));
            tracked |= w.get(l).requiresGrad || b.get(l).requiresGrad;
        }
        return tracked && State.get().gradEnabled ? y.withNode(new MlpComposite(acts), in.toArray(new Tensor[0])) : y;
    }

    /** The reverse rule of {@link #mlpOnDual}'s result at the dual level: the composite, recomputed. */
    static final class MlpComposite extends Layer {
        private final List<Activation> acts;

        MlpComposite(List<Activation> acts) {
            super(Activation.IDENTITY);
            this.acts = acts;
        }

        @Override
        String name() {
            return "mlpOnDual";
        }

        @Override
        Tensor composite(Tensor[] x) {
            Tensor h = x[0];
            for (int l = 0; l < acts.size(); l++) {
                h = Ops.dense(h, x[1 + 2 * l], x[2 + 2 * l], acts.get(l));
            }
            return h;
        }

        @Override
        Tensor forward(Tensor[] x) {
            throw new IllegalStateException("mlpOnDual nodes are built, never run");
        }

        @Override
        Tensor[] fastVjp(double[] g, Tensor[] x, boolean[] need) {
            throw new IllegalStateException("mlpOnDual has no cached values");
        }
    }

    /** Σ over the first {@code rows} rows of a row-major matrix with n columns. */
    static double[] columnSums(double[] a, int rows, int n) {
        double[] o = new double[n];
        for (int r = 0; r < rows; r++) {
            int base = r * n;
            for (int j = 0; j < n; j++) {
                o[j] += a[base + j];
            }
        }
        return o;
    }

    /** Shared machinery: inputs (…, W, b), slow vjp by recomputing the composite. */
    abstract static class Layer extends Op {
        final Activation a;
        double[] cachedIn;
        double[] cachedW;
        double[] cachedB;
        /** The pre-activation kept for the backward pass (null when that pass recomputes it). */
        double[] z;

        Layer(Activation a) {
            this.a = a;
        }

        /** The op's value from differentiable composite ops on the same inputs. */
        abstract Tensor composite(Tensor[] x);

        /** Cotangents from cached forward values; g is the output cotangent's data. */
        abstract Tensor[] fastVjp(double[] g, Tensor[] x, boolean[] need);

        boolean identity() {
            return a == Activation.IDENTITY;
        }

        /**
         * φ(z) into v and returns {φ'(z), φ''(z)} on z[0..n) (null for the identity). The derivative
         * arrays are this thread's scratch, valid until the next layer call: the backward pass
         * recomputes them from z (the same kernel on the same z, so the same bits) rather than the op
         * keeping them alive between the passes.
         */
        double[][] activate(double[] zz, int n, double[] v) {
            if (identity()) {
                System.arraycopy(zz, 0, v, 0, n);
                return null;
            }
            TempArrays t = SCRATCH.get();
            double[][] d = {t.get(S_D1, n), t.get(S_D2, n)};
            ActivationKernels.eval(a, zz, n, v, d[0], d[1], null);
            return d;
        }

        /**
         * {φ', φ'', φ'''} at zz[0..n) in this thread's scratch (see {@link #activate}); φ''' only when
         * {@code third} (the tangent layer's reverse pass needs φ', φ'' alone).
         */
        double[][] derivatives(double[] zz, int n, boolean third) {
            TempArrays t = SCRATCH.get();
            double[][] d = {t.get(S_D1, n), t.get(S_D2, n), third ? t.get(S_D3, n) : null};
            ActivationKernels.eval(a, zz, n, null, d[0], d[1], d[2]);
            return d;
        }

        @Override
        Tensor[] vjp(Tensor g, Tensor[] x, Tensor out, boolean[] need) {
            if (Fused.plain(g, x) && x[0].data == cachedIn && x[1].data == cachedW && x[2].data == cachedB) {
                Tensor[] r = fastVjp(g.data, x, need);
                // fastVjp reads g without keeping it and returns distinct new (or pool-taken) arrays.
                return exclusive(r);
            }
            List<Tensor> wrt = new ArrayList<>();
            for (int i = 0; i < x.length; i++) {
                if (need[i]) {
                    wrt.add(x[i]);
                }
            }
            List<Tensor> gs;
            if (State.get().gradEnabled) {
                // createGraph: differentiate the recomputed composite w.r.t. the real inputs, recording.
                gs = Grad.grad(List.of(composite(x)), wrt, List.of(g), true);
            } else {
                // Dual cotangent: fresh leaves carry the duals; nothing needs recording.
                Tensor[] xv = x.clone();
                List<Tensor> leaves = new ArrayList<>();
                for (int i = 0; i < x.length; i++) {
                    if (need[i]) {
                        xv[i] = x[i].requiresGrad();
                        leaves.add(xv[i]);
                    }
                }
                Tensor y = Grad.enableGrad(() -> composite(xv));
                gs = Grad.grad(List.of(y), leaves, List.of(g), false);
            }
            Tensor[] r = new Tensor[x.length];
            for (int i = 0, k = 0; i < x.length; i++) {
                if (need[i]) {
                    r[i] = gs.get(k++);
                }
            }
            return r;
        }

        @Override
        Tensor jvp(Tensor[] x, Tensor[] t, Tensor out) {
            throw new IllegalStateException(name() + " is built only on level-0 inputs; duals take the composite path");
        }
    }

    /** First layer: x (B, D), W (N, D), b (N) → packed jet (D+2, B, N) of φ(x·Wᵀ + b). */
    static final class First extends Layer {
        private double[] q;

        First(Activation a) {
            super(a);
        }

        @Override
        String name() {
            return "jetFirst(" + a.jsonName() + ")";
        }

        @Override
        Tensor composite(Tensor[] x) {
            return pack(LaplacianJet.input(x[0]).affine(x[1], x[2]).activate(a));
        }

        @Override
        Tensor forward(Tensor[] x) {
            Tensor in = x[0];
            Tensor w = x[1];
            int bsz = in.shape[0];
            int d = in.shape[1];
            int n = w.shape[0];
            int n0 = bsz * n;
            // z = x·Wᵀ + b costs only B·N·D multiply-adds: the backward pass recomputes it (the same
            // product, so the same bits) instead of this op keeping B·N doubles alive.
            double[] zz = SCRATCH.get().get(S_Z, n0);
            Gemm.gemm(in.data, 0, false, w.data, 0, true, zz, 0, bsz, d, n, x[2].data);
            double[] s = new double[(d + 2) * n0];
            double[][] ds = activate(zz, n0, s);
            double[] p1 = ds == null ? null : ds[0];
            double[] p2 = ds == null ? null : ds[1];
            double[] wd = w.data;
            double[] qq = new double[n];
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int c = 0; c < d; c++) {
                    acc += wd[j * d + c] * wd[j * d + c];
                }
                qq[j] = acc;
            }
            q = qq;
            int jFrom = 0;
            if (VECTOR && !identity()) {
                double[] wT = SCRATCH.get().get(S_COLS, d * n);
                for (int j = 0; j < n; j++) {
                    for (int c = 0; c < d; c++) {
                        wT[c * n + j] = wd[j * d + c];
                    }
                }
                jFrom = VectorJet.firstForward(p1, p2, wT, qq, s, bsz, n, d);
            }
            for (int c = 0; c < d; c++) {
                int base = (1 + c) * n0;
                for (int r = 0; r < bsz; r++) {
                    for (int j = jFrom; j < n; j++) {
                        double wjc = wd[j * d + c];
                        s[base + r * n + j] = p1 == null ? wjc : p1[r * n + j] * wjc;
                    }
                }
            }
            int lb = (d + 1) * n0;
            if (!identity()) {
                for (int r = 0; r < bsz; r++) {
                    for (int j = jFrom; j < n; j++) {
                        s[lb + r * n + j] = p2[r * n + j] * qq[j];
                    }
                }
            }
            cachedIn = in.data;
            cachedW = wd;
            cachedB = x[2].data;
            return Tensor.wrap(new int[] {d + 2, bsz, n}, s);
        }

        @Override
        Tensor[] fastVjp(double[] g, Tensor[] x, boolean[] need) {
            Tensor in = x[0];
            Tensor w = x[1];
            int bsz = in.shape[0];
            int d = in.shape[1];
            int n = w.shape[0];
            int n0 = bsz * n;
            double[] wd = w.data;
            TempArrays sc = SCRATCH.get();
            double[] gz;
            double[] gw = need[1] ? new double[n * d] : null;
            if (identity()) {
                // The value slice g[0..n0) is gz itself; the products below read only its first n0.
                gz = g;
                if (gw != null) {
                    for (int c = 0; c < d; c++) {
                        int base = (1 + c) * n0;
                        for (int r = 0; r < bsz; r++) {
                            for (int j = 0; j < n; j++) {
                                gw[j * d + c] += g[base + r * n + j];
                            }
                        }
                    }
                }
            } else {
                double[] zz = sc.get(S_Z, n0);
                Gemm.gemm(in.data, 0, false, wd, 0, true, zz, 0, bsz, d, n, x[2].data);
                double[][] ds = derivatives(zz, n0, true);
                double[] p1 = ds[0];
                double[] p2 = ds[1];
                double[] t3 = ds[2];
                int lb = (d + 1) * n0;
                gz = sc.get(S_GZ, n0);
                double[] gq = sc.get(S_AUX, n);
                Arrays.fill(gq, 0, n, 0.0);
                // Rows of W's columns and of gw's columns, so that every inner loop runs over the unit j
                // contiguously; each sum still runs over r (and c) in the same order as a per-element loop.
                double[] cols = sc.get(S_COLS, (2 * d + 1) * n);
                int gwT = d * n;
                int sRow = 2 * d * n;
                for (int j = 0; j < n; j++) {
                    for (int c = 0; c < d; c++) {
                        cols[c * n + j] = wd[j * d + c];
                    }
                }
                Arrays.fill(cols, gwT, gwT + d * n, 0.0);
                int jFrom = VECTOR ? VectorJet.firstBackward(g, p1, p2, t3, q, cols, gz, gq, bsz, n, d, gw != null) : 0;
                for (int r = 0; r < bsz; r++) {
                    int row = r * n;
                    Arrays.fill(cols, sRow, sRow + n, 0.0);
                    for (int c = 0; c < d; c++) {
                        int gb = (1 + c) * n0 + row;
                        int wb = c * n;
                        for (int j = jFrom; j < n; j++) {
                            cols[sRow + j] += g[gb + j] * cols[wb + j];
                        }
                        if (gw != null) {
                            int ab = gwT + c * n;
                            for (int j = jFrom; j < n; j++) {
                                cols[ab + j] += g[gb + j] * p1[row + j];
                            }
                        }
                    }
                    for (int j = jFrom; j < n; j++) {
                        int i = row + j;
                        double gl = g[lb + i];
                        gz[i] = g[i] * p1[i] + p2[i] * cols[sRow + j] + gl * q[j] * t3[i];
                        gq[j] += gl * p2[i];
                    }
                }
                if (gw != null) {
                    for (int j = 0; j < n; j++) {
                        for (int c = 0; c < d; c++) {
                            gw[j * d + c] = cols[gwT + c * n + j];
                        }
                    }
                }
                if (gw != null) {
                    for (int j = 0; j < n; j++) {
                        for (int c = 0; c < d; c++) {
                            gw[j * d + c] += 2.0 * wd[j * d + c] * gq[j];
                        }
                    }
                }
            }
            Tensor[] r = new Tensor[3];
            if (need[0]) {
                double[] gx = CotangentPool.take(bsz * d);
                Gemm.gemm(gz, 0, false, wd, 0, false, gx, 0, bsz, n, d, null);
                r[0] = Tensor.wrap(in.shape, gx);
            }
            if (gw != null) {
                // zz is dead by now: its scratch row takes the product.
                double[] prod = sc.get(S_Z, n * d);
                Gemm.gemm(gz, 0, true, in.data, 0, false, prod, 0, n, bsz, d, null);
                for (int i = 0; i < n * d; i++) {
                    gw[i] += prod[i];
                }
                r[1] = Tensor.wrap(w.shape, gw);
            }
            if (need[2]) {
                r[2] = Tensor.wrap(x[2].shape, columnSums(gz, bsz, n));
            }
            return r;
        }
    }

    /**
     * The reverse rule of first-order tangent slices c0..c1 (t' = φ'(z)·(t·Wᵀ)) on elements [from, n0): adds
     * Σ_c G_c·(t_c·Wᵀ) into gsz[0..n0) (to be scaled by φ'' by the caller) and sets the slices' cotangents G_c·φ'.
     */
    private static void firstOrderSlices(double[] g, double[] sz, double[] gsz, double[] p1, int c0, int c1, int from,
            int n0) {
        for (int c = c0; c <= c1; c++) {
            int base = c * n0;
            for (int i = from; i < n0; i++) {
                double gj = g[base + i];
                gsz[i] += gj * sz[base + i];
                gsz[base + i] = gj * p1[i];
            }
        }
    }

    /**
     * Later layer: packed jet S (P, B, in), W (out, in), b (out) → packed jet (P, B, out). With the
     * Laplacian slice S = [h; J_1..J_D; L] (P = D+2); without it S = [h; t_1..t_K] (P = K+1), K forward
     * tangents pushed through the layer (t' = φ'(z)·(t·Wᵀ)). With the Laplacian slice and {@code curved} ≥ 0,
     * only J_1..J_curved enter Σ_d J_d² (the later tangents are first-order only, as the input gradient's streams
     * beside sliced score matching's directions are).
     */
    static final class Hidden extends Layer {
        private final boolean laplacian;
        /** Tangents that enter Σ_d J_d², or −1 for all. */
        private final int curved;
        private double[] sz;

        Hidden(Activation a, boolean laplacian) {
            this(a, laplacian, -1);
        }

        /** A Laplacian layer whose second-order slice sums over the first {@code curved} tangents only. */
        Hidden(Activation a, int curved) {
            this(a, true, curved);
        }

        private Hidden(Activation a, boolean laplacian, int curved) {
            super(a);
            this.laplacian = laplacian;
            this.curved = curved;
        }

        /** Tangents in Σ_d J_d² of a jet with {@code tangents} tangent slices. */
        private int curvedOf(int tangents) {
            return curved < 0 ? tangents : Math.min(curved, tangents);
        }

        @Override
        String name() {
            return (laplacian ? "jetLayer(" : "tangentLayer(") + a.jsonName() + ")";
        }

        @Override
        Tensor composite(Tensor[] x) {
            if (laplacian) {
                Tensor[] parts = unpack(x[0]);
                return pack(LaplacianJet.of(parts[0], parts[1], parts[2], curvedOf(parts[1].shape[0]))
                        .affine(x[1], x[2]).activate(a));
            }
            Tensor[] parts = unpackTangents(x[0]);
            Tensor z = Ops.linear(parts[0], x[1], x[2]);
            Tensor tz = Ops.matmul(parts[1], x[1], false, true);
            return packTangents(identity() ? z : a.apply(z), identity() ? tz : Ops.mul(tz, a.d1(z)));
        }

        @Override
        Tensor forward(Tensor[] x) {
            Tensor s = x[0];
            Tensor w = x[1];
            int p = s.shape[0];
            int bsz = s.shape[1];
            int k = s.shape[2];
            int n = w.shape[0];
            int n0 = bsz * n;
            int rows = p * bsz;
            double[] szz = new double[p * n0];
            // The bias enters the value slice only; the tangent and Laplacian slices are linear.
            Gemm.gemm(s.data, 0, false, w.data, 0, true, szz, 0, bsz, k, n, x[2].data);
            Gemm.gemm(s.data, bsz * k, false, w.data, 0, true, szz, n0, rows - bsz, k, n, null);
            sz = szz;
            z = szz;
            double[] out;
            if (identity()) {
                out = szz;
            } else {
                out = new double[p * n0];
                double[][] ds = activate(szz, n0, out);
                double[] p1 = ds[0];
                double[] p2 = ds[1];
                int tangents = laplacian ? p - 2 : p - 1;
                int sq = curvedOf(tangents);
                int from = VECTOR && tangents <= VectorJet.MAX_TANGENTS
                        ? VectorJet.forward(szz, out, p1, p2, n0, tangents, laplacian, sq) : 0;
                // Σ_d J_d² is a pure temporary: the backward pass recomputes it from sz in the same order.
                double[] q = null;
                if (laplacian) {
                    q = SCRATCH.get().get(S_Z, n0);
                    Arrays.fill(q, from, n0, 0.0);
                }
                for (int c = 1; c <= tangents; c++) {
                    int base = c * n0;
                    for (int i = from; i < n0; i++) {
                        double jz = szz[base + i];
                        if (q != null && c <= sq) {
                            q[i] += jz * jz;
                        }
                        out[base + i] = p1[i] * jz;
                    }
                }
                if (laplacian) {
                    int lb = (p - 1) * n0;
                    for (int i = from; i < n0; i++) {
                        out[lb + i] = p1[i] * szz[lb + i] + p2[i] * q[i];
                    }
                }
            }
            cachedIn = s.data;
            cachedW = w.data;
            cachedB = x[2].data;
            return Tensor.wrap(new int[] {p, bsz, n}, out);
        }

        @Override
        Tensor[] fastVjp(double[] g, Tensor[] x, boolean[] need) {
            Tensor s = x[0];
            Tensor w = x[1];
            int p = s.shape[0];
            int bsz = s.shape[1];
            int k = s.shape[2];
            int n = w.shape[0];
            int n0 = bsz * n;
            int rows = p * bsz;
            double[] gsz;
            if (identity()) {
                gsz = g;
            } else if (!laplacian) {
                double[][] ds = derivatives(z, n0, false);
                double[] p1 = ds[0];
                double[] p2 = ds[1];
                gsz = SCRATCH.get().get(S_GZ, p * n0);
                int from = VECTOR && p - 1 <= VectorJet.MAX_TANGENTS ? VectorJet.backward(g, sz, gsz, p1, p2, null, n0, p - 1, false) : 0;
                Arrays.fill(gsz, from, n0, 0.0);
                // gz = G_h·φ' + φ''·Σ_k G_k·(t_k·Wᵀ); the tangent slices' cotangents are G_k·φ'.
                firstOrderSlices(g, sz, gsz, p1, 1, p - 1, from, n0);
                for (int i = from; i < n0; i++) {
                    gsz[i] = g[i] * p1[i] + p2[i] * gsz[i];
                }
            } else {
                double[][] ds = derivatives(z, n0, true);
                double[] p1 = ds[0];
                double[] p2 = ds[1];
                double[] t3 = ds[2];
                TempArrays sc = SCRATCH.get();
                gsz = sc.get(S_GZ, p * n0);
                int sq = curvedOf(p - 2);
                int from = VECTOR && p - 2 <= VectorJet.MAX_TANGENTS
                        ? VectorJet.backward(g, sz, gsz, p1, p2, t3, n0, p - 2, true, sq) : 0;
                Arrays.fill(gsz, from, n0, 0.0);
                // Σ_d J_d², accumulated over d in the forward pass's order.
                double[] sumSq = sc.get(S_AUX, n0);
                Arrays.fill(sumSq, from, n0, 0.0);
                int lb = (p - 1) * n0;
                // gz accumulates Σ_d G_J_d·J_d in gsz[0..n0) first, scaled by φ'' below.
                for (int c = 1; c <= sq; c++) {
                    int base = c * n0;
                    for (int i = from; i < n0; i++) {
                        double jz = sz[base + i];
                        double gj = g[base + i];
                        sumSq[i] += jz * jz;
                        gsz[i] += gj * jz;
                        gsz[base + i] = gj * p1[i] + 2.0 * g[lb + i] * p2[i] * jz;
                    }
                }
                // first-order-only tangents: J' = φ'·J, no share in L'
                firstOrderSlices(g, sz, gsz, p1, sq + 1, p - 2, from, n0);
                for (int i = from; i < n0; i++) {
                    double gl = g[lb + i];
                    gsz[i] = g[i] * p1[i] + p2[i] * gsz[i] + gl * (sz[lb + i] * p2[i] + sumSq[i] * t3[i]);
                    gsz[lb + i] = gl * p1[i];
                }
            }
            Tensor[] r = new Tensor[3];
            if (need[0]) {
                double[] gs = CotangentPool.take(rows * k);
                Gemm.gemm(gsz, 0, false, w.data, 0, false, gs, 0, rows, n, k, null);
                r[0] = Tensor.wrap(s.shape, gs);
            }
            if (need[1]) {
                double[] gw = new double[n * k];
                Gemm.gemm(gsz, 0, true, s.data, 0, false, gw, 0, n, rows, k, null);
                r[1] = Tensor.wrap(w.shape, gw);
            }
            if (need[2]) {
                r[2] = Tensor.wrap(x[2].shape, columnSums(gsz, bsz, n));
            }
            return r;
        }
    }
}
