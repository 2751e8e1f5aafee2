package org.scorescope.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.scorescope.autodiff.ComputeThreads;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Tensor;
import org.scorescope.model.EnergyMlp;
import org.scorescope.model.ScoreModel;
import org.scorescope.objective.ExactScoreMatching;
import org.scorescope.objective.Objective;

/**
 * The parameter Hessian H = ∇²_θ L(θ) of a training objective on a fixed evaluation batch — the
 * "sloppy model" view of a score model: its eigenvalues typically spread over many decades, a few stiff
 * directions and a long tail of sloppy ones.
 *
 * <p>L is the objective's loss on the batch x (B, D) with its randomness (projections, noise) drawn from
 * {@code new Random(seed)} afresh at every evaluation, so every product below differentiates one fixed
 * deterministic function. Each Hessian-vector product is one forward-over-reverse pass of the engine,
 * {@code H·v = Grad.hvp(θ ↦ L(θ), θ, v)}: the tangent of ∇_θ L along v, exact to rounding.
 *
 * <ul>
 *   <li>{@link #assemble}: the dense H from its P columns H·e_j, {@code columnsPerPass} columns per engine
 *       pass (batched tangents of shape (K, P)) and the passes spread over {@code threads} worker threads
 *       (each builds its own graphs; the engine keeps its state per thread). H is then replaced by
 *       (H + Hᵀ)/2 after measuring the asymmetry max|H_ij − H_ji| / max|H_ij|.</li>
 *   <li>{@link #full}: {@link #assemble} then the EJML symmetric eigen-decomposition in float64
 *       ({@link #decompose}), so eigenvalues many decades below the largest are resolved down to about
 *       ε·max|λ|.</li>
 *   <li>{@link #lanczos}, {@link #slq}, {@link #trace}: the matrix-free tools ({@link Lanczos} with full
 *       reorthogonalization, {@link StochasticLanczosQuadrature}, {@link Hutchinson}) on
 *       {@link #hvpOperator}, for P too large for O(P³).</li>
 * </ul>
 *
 * <p>For an energy MLP with two hidden layers under {@link ExactScoreMatching} (the app's default) both the
 * dense H and the operator come from {@link FactoredEnergyHessian} instead: the same exact Hessian in factored
 * form, built from a few matrix products over the batch (no Hessian-vector products), equal to the engine's
 * columns to rounding; {@link #withStructure withStructure(false)} keeps the engine path as the reference. Its
 * reported asymmetry is that of the factor blocks (the assembled matrix is symmetric by construction).
 *
 * <p>Single products (the Krylov methods) use all threads only for {@link ExactScoreMatching}, which is
 * deterministic and a mean of per-row terms: there L = Σ_c (B_c/B)·L(x_c) over fixed row blocks x_c, so the
 * blocks' products run in parallel and are summed (equal to the whole-batch product up to rounding). Other
 * objectives draw their noise for the whole batch at once, so splitting the rows would change the function;
 * their single products run on the calling thread.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ParameterHessian {
    /** Tangent elements (K·B·P) per pass that the default {@code columnsPerPass} aims at: bounds memory. */
    private static final long TANGENT_BUDGET = 1L << 25;
    private static final int MAX_DEFAULT_COLUMNS = 64;

    /** How a spectrum is obtained. */
    public enum Method {
        /** Dense H from P Hessian-vector products, then a full eigen-decomposition. */
        FULL,
        /** Extreme eigenvalues by Lanczos with full reorthogonalization. */
        LANCZOS,
        /** Spectral density by stochastic Lanczos quadrature. */
        SLQ;

        /** @return the lower-case name used on the command line and in output files */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Parses a command-line name.
         *
         * @param s full, lanczos or slq (case-insensitive)
         * @return the method
         * @throws IllegalArgumentException naming the accepted values
         */
        public static Method parse(String s) {
            for (Method m : values()) {
                if (m.key().equalsIgnoreCase(s == null ? "" : s.trim())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown method '" + s + "' (expected full, lanczos or slq)");
        }
    }

    /** Which curvature matrix is analysed. */
    public enum Curvature {
        /** The full Hessian H = ∇²_θ L. */
        HESSIAN,
        /**
         * The Gauss–Newton matrix G = (1/N) Σ_i J_θ(s(x_i))ᵀ J_θ(s(x_i)) ({@link GaussNewton}): the curvature of the
         * ½‖s‖² term without the second derivatives of s; PSD, rank ≤ N·D, independent of the objective.
         */
        GAUSS_NEWTON;

        /** @return the command-line name: hessian or gauss-newton */
        public String key() {
            return this == HESSIAN ? "hessian" : "gauss-newton";
        }

        /**
         * Parses a command-line name.
         *
         * @param s hessian or gauss-newton (case-insensitive)
         * @return the curvature
         * @throws IllegalArgumentException naming the accepted values
         */
        public static Curvature parse(String s) {
            for (Curvature c : values()) {
                if (c.key().equalsIgnoreCase(s == null ? "" : s.trim())) {
                    return c;
                }
            }
            throw new IllegalArgumentException("unknown curvature '" + s + "' (expected hessian or gauss-newton)");
        }
    }

    /**
     * Settings of the Krylov methods.
     *
     * @param maxIterations Lanczos: cap on the Krylov dimension (products with H), ≥ 1
     * @param tolerance     Lanczos: relative residual tolerance ‖Hy − θy‖ ≤ tol·|θ|, in (0, 1)
     * @param seed          seed of the start vectors and trace probes
     * @param traceProbes   Hutchinson probes for the trace reported with Lanczos; 0 skips it, else ≥ 2
     */
    public record KrylovSettings(int maxIterations, double tolerance, long seed, int traceProbes) {
        /** Validates the ranges. */
        public KrylovSettings {
            if (maxIterations < 1) {
                throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
            }
            if (!(tolerance > 0 && tolerance < 1)) {
                throw new IllegalArgumentException("tolerance must be in (0, 1), got " + tolerance);
            }
            if (traceProbes < 0 || traceProbes == 1) {
                throw new IllegalArgumentException("traceProbes must be 0 (no trace) or >= 2, got " + traceProbes);
            }
        }

        /**
         * Defaults for {@code k} eigenvalues from each end: at most max(200, 10k) iterations, tolerance 1e-8,
         * seed 0, no trace probes.
         *
         * @param k eigenvalues wanted from each end
         * @return the settings
         */
        public static KrylovSettings defaults(int k) {
            return new KrylovSettings(Math.max(200, 10 * k), 1e-8, 0, 0);
        }

        /** @return a copy with a different number of trace probes */
        public KrylovSettings withTraceProbes(int probes) {
            return new KrylovSettings(maxIterations, tolerance, seed, probes);
        }

        /** @return a copy with a different seed */
        public KrylovSettings withSeed(long s) {
            return new KrylovSettings(maxIterations, tolerance, s, traceProbes);
        }
    }

    /**
     * A dense symmetrized Hessian.
     *
     * @param n         P
     * @param entries   row-major P × P entries of (H + Hᵀ)/2 (not copied: the array is the caller's now, and
     *                  {@link #decompose} overwrites it)
     * @param asymmetry max|H_ij − H_ji| / max|H_ij| of the assembled columns before symmetrizing
     * @param millis    wall time of the assembly
     * @param threads   worker threads used
     */
    public record Dense(int n, double[] entries, double asymmetry, long millis, int threads) {
        /** @return tr H = Σ_i H_ii */
        public double trace() {
            double t = 0;
            for (int i = 0; i < n; i++) {
                t += entries[i * n + i];
            }
            return t;
        }
    }

    private final ScoreModel model;
    private final Objective objective;
    private final double[] points;
    private final int batch;
    private final int dim;
    private final long seed;
    private final int threads;
    private final int columnsPerPass;
    private final boolean structure;
    private final Curvature curvature;

    /**
     * A Hessian of {@code objective} on {@code points} with randomness from {@code new Random(seed)}, using
     * min(2, available processors) threads and the default columns per pass.
     *
     * @param model     the architecture
     * @param objective the loss
     * @param points    evaluation batch, B rows of D = model.inputDim() finite values
     * @param seed      seed of the objective's randomness at every evaluation
     */
    public ParameterHessian(ScoreModel model, Objective objective, double[][] points, long seed) {
        this(model, objective, flatten(points, model), points.length, seed,
                Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())), 0, true, Curvature.HESSIAN);
    }

    private ParameterHessian(ScoreModel model, Objective objective, double[] flat, int batch, long seed, int threads,
                             int columnsPerPass, boolean structure, Curvature curvature) {
        if (objective == null) {
            throw new IllegalArgumentException("ParameterHessian: objective must not be null");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("ParameterHessian: threads must be >= 1, got " + threads);
        }
        if (columnsPerPass < 0) {
            throw new IllegalArgumentException("ParameterHessian: columnsPerPass must be >= 1 (or 0 for the default), got "
                    + columnsPerPass);
        }
        this.model = model;
        this.objective = objective;
        this.points = flat;
        this.batch = batch;
        this.dim = model.inputDim();
        this.seed = seed;
        this.threads = threads;
        this.structure = structure;
        this.curvature = curvature == null ? Curvature.HESSIAN : curvature;
        int p = model.parameterCount();
        this.columnsPerPass = columnsPerPass > 0 ? Math.min(columnsPerPass, p)
                : (int) Math.max(1, Math.min(Math.min(MAX_DEFAULT_COLUMNS, p), TANGENT_BUDGET / ((long) batch * p)));
    }

    private static double[] flatten(double[][] points, ScoreModel model) {
        if (model == null) {
            throw new IllegalArgumentException("ParameterHessian: model must not be null");
        }
        if (points == null || points.length == 0) {
            throw new IllegalArgumentException("ParameterHessian: the evaluation batch must have at least one point");
        }
        int d = model.inputDim();
        double[] flat = new double[points.length * d];
        for (int i = 0; i < points.length; i++) {
            if (points[i] == null || points[i].length != d) {
                throw new IllegalArgumentException("ParameterHessian: point " + i + " has "
                        + (points[i] == null ? "no" : String.valueOf(points[i].length)) + " coordinates, the model needs " + d);
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(points[i][j])) {
                    throw new IllegalArgumentException("ParameterHessian: point " + i + ", coordinate " + j + " is "
                            + points[i][j]);
                }
                flat[i * d + j] = points[i][j];
            }
        }
        return flat;
    }

    /**
     * @param n worker threads for column batches and split single products, ≥ 1
     * @return a copy using {@code n} threads
     */
    public ParameterHessian withThreads(int n) {
        return new ParameterHessian(model, objective, points, batch, seed, n, columnsPerPass, structure, curvature);
    }

    /**
     * @param use whether {@link #assemble} and {@link #hvpOperator} may use {@link FactoredEnergyHessian} where it
     *            applies (the default), or always the engine's Hessian-vector products (the reference)
     * @return a copy with that choice
     */
    public ParameterHessian withStructure(boolean use) {
        return new ParameterHessian(model, objective, points, batch, seed, threads, columnsPerPass, use, curvature);
    }

    /**
     * @param c the matrix that {@link #assemble}, {@link #full}, {@link #hvpOperator} and the Krylov methods analyse
     * @return a copy analysing {@code c}
     */
    public ParameterHessian withCurvature(Curvature c) {
        return new ParameterHessian(model, objective, points, batch, seed, threads, columnsPerPass, structure, c);
    }

    /** @return the matrix analysed: the Hessian (default) or the Gauss–Newton matrix */
    public Curvature curvature() {
        return curvature;
    }

    /**
     * The Gauss–Newton matrix on the evaluation batch (independent of the objective and of {@link #curvature()}).
     *
     * @param theta θ (P)
     * @return G in factored form
     */
    public GaussNewton gaussNewton(double[] theta) {
        checkVector(theta, "θ");
        return GaussNewton.compute(model, theta, points, batch);
    }

    /** @return whether the factored exact Hessian is used for this model and objective */
    public boolean structured() {
        return structure && curvature == Curvature.HESSIAN && FactoredEnergyHessian.supports(model, objective, batch);
    }

    private FactoredEnergyHessian factored(double[] theta) {
        return FactoredEnergyHessian.compute((EnergyMlp) model, theta, points, batch);
    }

    /**
     * @param k Hessian columns per engine pass (batched tangents (K, P)), ≥ 1
     * @return a copy using {@code k} columns per pass
     */
    public ParameterHessian withColumnsPerPass(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("ParameterHessian: columnsPerPass must be >= 1, got " + k);
        }
        return new ParameterHessian(model, objective, points, batch, seed, threads, k, structure, curvature);
    }

    /** @return P, the dimension of H */
    public int parameterCount() {
        return model.parameterCount();
    }

    /** @return B, the number of evaluation points */
    public int batchSize() {
        return batch;
    }

    /** @return worker threads */
    public int threads() {
        return threads;
    }

    /** @return Hessian columns per engine pass in {@link #assemble} */
    public int columnsPerPass() {
        return columnsPerPass;
    }

    /** @return the model */
    public ScoreModel model() {
        return model;
    }

    /** @return the objective */
    public Objective objective() {
        return objective;
    }

    /** @return the seed of the objective's randomness */
    public long seed() {
        return seed;
    }

    // ------------------------------------------------------------------ function, gradient, products

    private Tensor rows(int from, int to) {
        double[] part = new double[(to - from) * dim];
        System.arraycopy(points, from * dim, part, 0, part.length);
        return Tensor.of(new int[] {to - from, dim}, part);
    }

    private Function<Tensor, Tensor> lossOf(Tensor x) {
        return th -> objective.loss(model, th, x, new Random(seed));
    }

    private Tensor thetaTensor(double[] theta) {
        if (theta == null) {
            throw new IllegalArgumentException("ParameterHessian: θ must not be null");
        }
        return model.parameters(theta, false);
    }

    private void checkVector(double[] v, String name) {
        if (v == null || v.length != parameterCount()) {
            throw new IllegalArgumentException("ParameterHessian: " + name + " needs " + parameterCount() + " values, got "
                    + (v == null ? "null" : String.valueOf(v.length)));
        }
    }

    /**
     * L(θ), the objective on the evaluation batch with its fixed randomness.
     *
     * @param theta θ (P)
     * @return the loss
     */
    public double loss(double[] theta) {
        Tensor th = thetaTensor(theta);
        Tensor x = rows(0, batch);
        return Grad.noGrad(() -> lossOf(x).apply(th)).item();
    }

    /**
     * L(θ) and ∇_θ L by one reverse pass ({@link Objective#lossAndGradient}), with the same randomness as the
     * Hessian, so finite differences of this gradient approximate H.
     *
     * @param theta θ (P)
     * @return loss and gradient
     */
    public Objective.LossAndGradient lossAndGradient(double[] theta) {
        checkVector(theta, "θ");
        return objective.lossAndGradient(model, theta, rows(0, batch), new Random(seed));
    }

    /**
     * One product out = H·v (G·v for {@link Curvature#GAUSS_NEWTON}, from a fresh {@link GaussNewton}) by forward-over-reverse (split over row blocks in parallel for the exact
     * objective, see the class comment).
     *
     * @param theta θ (P)
     * @param v     direction (P), not modified
     * @param out   receives H·v (P), may not alias v
     */
    public void hvp(double[] theta, double[] v, double[] out) {
        checkVector(v, "v");
        checkVector(out, "out");
        if (curvature == Curvature.GAUSS_NEWTON) {
            gaussNewton(theta).apply(v, out);
            return;
        }
        Tensor th = thetaTensor(theta);
        int blocks = rowSplittable() ? Math.min(threads, batch) : 1;
        if (blocks == 1) {
            double[] r = hvpRows(th, v, 0, batch);
            System.arraycopy(r, 0, out, 0, r.length);
            return;
        }
        int[] bounds = new int[blocks + 1];
        for (int c = 0; c <= blocks; c++) {
            bounds[c] = (int) ((long) batch * c / blocks);
        }
        double[][] parts = new double[blocks][];
        runParallel(blocks, c -> parts[c] = hvpRows(th, v, bounds[c], bounds[c + 1]));
        java.util.Arrays.fill(out, 0, out.length, 0.0);
        for (int c = 0; c < blocks; c++) {
            double w = (double) (bounds[c + 1] - bounds[c]) / batch;
            for (int i = 0; i < out.length; i++) {
                out[i] += w * parts[c][i];
            }
        }
    }

    private boolean rowSplittable() {
        return objective instanceof ExactScoreMatching && threads > 1 && batch > 1;
    }

    private double[] hvpRows(Tensor th, double[] v, int from, int to) {
        Tensor x = rows(from, to);
        Tensor vt = Tensor.of(new int[] {v.length}, v);
        return Grad.noGrad(() -> Grad.hvp(lossOf(x), th, vt)).toArray();
    }

    /**
     * K products in one engine pass: out[k] = H·v[k] with batched tangents of shape (K, P), on the calling
     * thread.
     *
     * @param theta θ (P)
     * @param vs    K directions, row-major K × P, not modified
     * @param k     K ≥ 1
     * @param out   receives the K products, row-major K × P
     */
    public void hvpBatch(double[] theta, double[] vs, int k, double[] out) {
        int p = parameterCount();
        if (k < 1 || vs == null || out == null || vs.length < (long) k * p || out.length < (long) k * p) {
            throw new IllegalArgumentException("ParameterHessian.hvpBatch: need K >= 1 and K·P = " + ((long) k * p)
                    + " values in and out");
        }
        Tensor th = thetaTensor(theta);
        double[] r = hvpTangents(th, rows(0, batch), vs, k);
        System.arraycopy(r, 0, out, 0, k * p);
    }

    private double[] hvpTangents(Tensor th, Tensor x, double[] vs, int k) {
        int p = parameterCount();
        double[] data = vs.length == k * p ? vs : java.util.Arrays.copyOf(vs, k * p);
        Tensor vt = Tensor.of(new int[] {k, p}, data);
        return Grad.noGrad(() -> Grad.hvp(lossOf(x), th, vt)).toArray();
    }

    /**
     * The operator v ↦ H·v at θ (each application one {@link #hvp}); thread-safe.
     *
     * @param theta θ (P), copied
     * @return the symmetric operator of dimension P
     */
    public LinearOperator hvpOperator(double[] theta) {
        checkVector(theta, "θ");
        if (curvature == Curvature.GAUSS_NEWTON) {
            return gaussNewton(theta);
        }
        if (structured()) {
            return factored(theta);
        }
        double[] th = theta.clone();
        int p = parameterCount();
        return new LinearOperator() {
            @Override
            public int dim() {
                return p;
            }

            @Override
            public void apply(double[] v, double[] out) {
                hvp(th, v, out);
            }
        };
    }

    // ------------------------------------------------------------------ dense Hessian

    /**
     * The dense Hessian: column blocks [c₀, c₀ + K) are H·e_c for the basis tangents e_c, computed K per pass
     * and distributed over the worker threads, then symmetrized in place.
     *
     * @param theta θ (P)
     * @return (H + Hᵀ)/2 with the asymmetry measured before symmetrizing
     */
    public Dense assemble(double[] theta) {
        checkVector(theta, "θ");
        int p = parameterCount();
        long cells = (long) p * p;
        if (cells > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("ParameterHessian: a dense " + p + " × " + p
                    + " Hessian does not fit in one array; use the Lanczos or SLQ method");
        }
        if (curvature == Curvature.GAUSS_NEWTON) {
            long t0 = System.nanoTime();
            double[] g = gaussNewton(theta).dense();
            return new Dense(p, g, 0.0, (System.nanoTime() - t0) / 1_000_000, 1);
        }
        if (structured()) {
            long t0 = System.nanoTime();
            FactoredEnergyHessian f = factored(theta);
            double[] h = f.dense();
            double max = 0;
            for (int i = 0; i < h.length; i++) {
                double a = Math.abs(h[i]);
                if (!(a <= Double.MAX_VALUE)) {
                    throw new IllegalArgumentException("ParameterHessian: entry (" + i / p + ", " + i % p + ") of the Hessian is "
                            + h[i] + " (the model or the batch gives non-finite derivatives)");
                }
                max = Math.max(max, a);
            }
            double asym = max == 0 ? 0 : f.blockAsymmetry() / max;
            return new Dense(p, h, asym, (System.nanoTime() - t0) / 1_000_000, ComputeThreads.get());
        }
        double[] h = new double[(int) cells];
        int k = columnsPerPass;
        int blocks = (p + k - 1) / k;
        int used = Math.min(threads, blocks);
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        double[] th = theta.clone();
        runParallel(used, worker -> {
            Tensor tt = thetaTensor(th);
            Tensor x = rows(0, batch);
            try {
                for (int b = next.getAndIncrement(); b < blocks; b = next.getAndIncrement()) {
                    int c0 = b * k;
                    int kk = Math.min(k, p - c0);
                    double[] basis = new double[kk * p];
                    for (int j = 0; j < kk; j++) {
                        basis[j * p + c0 + j] = 1.0;
                    }
                    double[] cols = hvpTangents(tt, x, basis, kk);
                    // row c of the result is H·e_c, i.e. column c; stored as row c (H is symmetric up to rounding)
                    System.arraycopy(cols, 0, h, c0 * p, kk * p);
                }
            } catch (RuntimeException | Error e) {
                next.set(blocks); // the other workers stop at their next block
                throw e;
            }
        });
        double asym = DenseSymmetric.symmetrize(p, h);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        return new Dense(p, h, asym, millis, used);
    }

    /**
     * Full spectrum: {@link #assemble} then {@link #decompose}.
     *
     * @param theta   θ (P)
     * @param vectors whether to compute all P eigenvectors (several times slower)
     * @return all P eigenvalues ascending, exact trace, asymmetry and timings
     */
    public ParameterHessianResult full(double[] theta, boolean vectors) {
        if (curvature == Curvature.GAUSS_NEWTON) {
            // Rank ≤ N·D: the small Gram matrix gives every eigenvalue, no P × P decomposition needed.
            long t0 = System.nanoTime();
            GaussNewton g = gaussNewton(theta);
            long t1 = System.nanoTime();
            ParameterHessianResult.Spectrum sp = g.spectrum(vectors);
            long dec = (System.nanoTime() - t1) / 1_000_000;
            return new ParameterHessianResult(Method.FULL, parameterCount(), sp,
                    new ParameterHessianResult.Diagnostics(g.trace(), 0.0, 0.0, true),
                    new ParameterHessianResult.Cost((t1 - t0) / 1_000_000, dec, 0, 1, 0), null);
        }
        return decompose(assemble(theta), vectors);
    }

    /**
     * All P eigenvalues and any eigenvector on demand.
     *
     * @param result  all P eigenvalues ascending, exact trace, asymmetry and timings (no eigenvectors)
     * @param vectors the eigenvector of any of them, computed when asked for
     */
    public record OnDemand(ParameterHessianResult result, EigenvectorSource vectors) {
    }

    /**
     * Full spectrum with eigenvectors on demand: for the Hessian the dense decomposition keeps its Householder
     * reflectors ({@link HouseholderEigenvectors}: the same cost as the eigenvalues alone, half the matrix kept), for
     * Gauss–Newton the Gram decomposition keeps U and its eigenvectors ({@link GaussNewton#eigenvectors()}).
     *
     * @param theta θ (P)
     * @return all P eigenvalues and their eigenvectors on demand
     */
    public OnDemand fullOnDemand(double[] theta) {
        int p = parameterCount();
        if (curvature == Curvature.GAUSS_NEWTON) {
            long t0 = System.nanoTime();
            GaussNewton g = gaussNewton(theta);
            long t1 = System.nanoTime();
            EigenvectorSource src = g.eigenvectors();
            long dec = (System.nanoTime() - t1) / 1_000_000;
            return new OnDemand(new ParameterHessianResult(Method.FULL, p,
                    new ParameterHessianResult.Spectrum(src.eigenvalues(), null),
                    new ParameterHessianResult.Diagnostics(g.trace(), 0.0, 0.0, true),
                    new ParameterHessianResult.Cost((t1 - t0) / 1_000_000, dec, 0, 1, 0), null), src);
        }
        Dense dense = assemble(theta);
        double trace = dense.trace();
        long t0 = System.nanoTime();
        HouseholderEigenvectors src = HouseholderEigenvectors.decompose(p, dense.entries());
        long dec = (System.nanoTime() - t0) / 1_000_000;
        return new OnDemand(new ParameterHessianResult(Method.FULL, p,
                new ParameterHessianResult.Spectrum(src.eigenvalues(), null),
                new ParameterHessianResult.Diagnostics(trace, 0.0, dense.asymmetry(), true),
                new ParameterHessianResult.Cost(dense.millis(), dec, 0, dense.threads(), p), null), src);
    }

    /**
     * The eigen-decomposition of an assembled Hessian by EJML in float64 (Householder tridiagonalization and
     * implicit symmetric QR, with the step cap a sloppy spectrum needs: see {@link SymmetricEigen#decomposeInPlace}), so
     * eigenvalues many decades below the largest are resolved down to about ε·max|λ|. The trace Σ_i H_ii is
     * taken first; the decomposition then overwrites {@code dense.entries()}.
     *
     * @param dense   a symmetrized Hessian from {@link #assemble} (consumed)
     * @param vectors whether to compute all P eigenvectors
     * @return all P eigenvalues ascending, exact trace, asymmetry and timings (build time from {@code dense})
     */
    public static ParameterHessianResult decompose(Dense dense, boolean vectors) {
        if (dense == null) {
            throw new IllegalArgumentException("ParameterHessian.decompose: dense Hessian must not be null");
        }
        int p = dense.n();
        double trace = dense.trace();
        long t0 = System.nanoTime();
        SymmetricEigen eig = SymmetricEigen.decomposeInPlace(p, dense.entries(), vectors, dense.asymmetry());
        long dec = (System.nanoTime() - t0) / 1_000_000;
        return new ParameterHessianResult(Method.FULL, p,
                new ParameterHessianResult.Spectrum(eig.values(), eig.vectorsUnshared()),
                new ParameterHessianResult.Diagnostics(trace, 0.0, dense.asymmetry(), true),
                new ParameterHessianResult.Cost(dense.millis(), dec, 0, dense.threads(), p), null);
    }

    // ------------------------------------------------------------------ matrix-free methods

    /**
     * Extreme eigenvalues by Lanczos with full reorthogonalization on {@link #hvpOperator}, from one Krylov
     * space, plus an optional Hutchinson trace.
     *
     * @param theta    θ (P)
     * @param kTop     how many largest eigenvalues, ≥ 0
     * @param kBottom  how many smallest (most negative) eigenvalues, ≥ 0; 1 ≤ kTop + kBottom ≤ P
     * @param vectors  whether to return Ritz vectors
     * @param settings iteration cap, tolerance, seed and trace probes
     * @return the Ritz values ascending (bottom then top), the trace estimate and timings
     */
    public ParameterHessianResult lanczos(double[] theta, int kTop, int kBottom, boolean vectors,
                                          KrylovSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("ParameterHessian.lanczos: settings must not be null");
        }
        int p = parameterCount();
        long t0 = System.nanoTime();
        CountingOperator op = new CountingOperator(hvpOperator(theta));
        Lanczos.Result r = new Lanczos(Math.min(settings.maxIterations(), p), settings.tolerance(), settings.seed())
                .extremes(op, kTop, kBottom, vectors);
        long build = (System.nanoTime() - t0) / 1_000_000;
        int n = r.bottom().length + r.top().length;
        double[] values = new double[n];
        double[] vecs = vectors ? new double[n * p] : null;
        int nb = r.bottom().length;
        for (int i = 0; i < nb; i++) {
            values[i] = r.bottom()[i];
            if (vectors) {
                System.arraycopy(r.bottomVectors(), i * p, vecs, i * p, p);
            }
        }
        int nt = r.top().length;
        for (int i = 0; i < nt; i++) {
            // top is descending: reverse it so the whole array ascends
            int src = nt - 1 - i;
            values[nb + i] = r.top()[src];
            if (vectors) {
                System.arraycopy(r.topVectors(), src * p, vecs, (nb + i) * p, p);
            }
        }
        sortPairs(values, vecs, p);
        double trace = Double.NaN;
        double traceErr = Double.NaN;
        long traceMillis = 0;
        if (settings.traceProbes() > 0) {
            long t1 = System.nanoTime();
            Hutchinson.Estimate e = Hutchinson.estimate(op, settings.traceProbes(), Hutchinson.Probe.RADEMACHER,
                    settings.seed() + 1);
            traceMillis = (System.nanoTime() - t1) / 1_000_000;
            trace = e.trace();
            traceErr = e.standardError();
        }
        return new ParameterHessianResult(Method.LANCZOS, p, new ParameterHessianResult.Spectrum(values, vecs),
                new ParameterHessianResult.Diagnostics(trace, traceErr, Double.NaN, r.converged()),
                new ParameterHessianResult.Cost(build, 0, traceMillis, productThreads(), op.count.get()), null);
    }

    /** Bottom and top sets can overlap in value order only when they meet; keep the array ascending. */
    private static void sortPairs(double[] values, double[] vecs, int p) {
        for (int i = 1; i < values.length; i++) {
            for (int j = i; j > 0 && values[j - 1] > values[j]; j--) {
                double t = values[j];
                values[j] = values[j - 1];
                values[j - 1] = t;
                if (vecs != null) {
                    for (int c = 0; c < p; c++) {
                        double u = vecs[j * p + c];
                        vecs[j * p + c] = vecs[(j - 1) * p + c];
                        vecs[(j - 1) * p + c] = u;
                    }
                }
            }
        }
    }

    /**
     * Hutchinson estimate of tr H = E[zᵀHz] with Rademacher z.
     *
     * @param theta  θ (P)
     * @param probes number of probes N ≥ 2
     * @param probeSeed seed of the probes
     * @return mean and standard error s/√N
     */
    public Hutchinson.Estimate trace(double[] theta, int probes, long probeSeed) {
        return Hutchinson.estimate(hvpOperator(theta), probes, Hutchinson.Probe.RADEMACHER, probeSeed);
    }

    /**
     * Spectral density by stochastic Lanczos quadrature (as PyHessian): {@code runs} Rademacher start vectors,
     * {@code steps} Lanczos steps each, pooled nodes θ_j with weights (P/n_v)·τ_j² that sum to P.
     *
     * @param theta θ (P)
     * @param runs  start vectors n_v ≥ 1
     * @param steps Lanczos steps per run m ≥ 1 (capped at P)
     * @param slqSeed seed of the start vectors
     * @return nodes, weights, the trace estimate Σ w_j θ_j and timings
     */
    public ParameterHessianResult slq(double[] theta, int runs, int steps, long slqSeed) {
        int p = parameterCount();
        long t0 = System.nanoTime();
        CountingOperator op = new CountingOperator(hvpOperator(theta));
        StochasticLanczosQuadrature s = StochasticLanczosQuadrature.compute(op, runs, steps, slqSeed);
        long build = (System.nanoTime() - t0) / 1_000_000;
        int total = s.totalNodes();
        double[] nodes = new double[total];
        double[] weights = new double[total];
        s.pooled(nodes, weights);
        return new ParameterHessianResult(Method.SLQ, p, new ParameterHessianResult.Spectrum(new double[0], null),
                new ParameterHessianResult.Diagnostics(s.trace(), Double.NaN, Double.NaN, true),
                new ParameterHessianResult.Cost(build, 0, 0, productThreads(), op.count.get()),
                new ParameterHessianResult.Density(nodes, weights));
    }

    private int productThreads() {
        return rowSplittable() ? Math.min(threads, batch) : 1;
    }

    // ------------------------------------------------------------------ loss landscape

    /**
     * The loss along a line through θ: out[i] = L(θ + α_i·u) with the same fixed randomness as the Hessian
     * (for a unit eigenvector u of eigenvalue λ, L(θ + αu) ≈ L(θ) + α·∇Lᵀu + ½λα² near α = 0).
     *
     * @param theta     θ (P)
     * @param direction u (P), used as given (not normalized)
     * @param alphas    step lengths α_i, finite
     * @return the losses, one per α
     */
    public double[] lossAlongDirection(double[] theta, double[] direction, double[] alphas) {
        checkVector(theta, "θ");
        checkVector(direction, "direction");
        if (alphas == null) {
            throw new IllegalArgumentException("ParameterHessian.lossAlongDirection: alphas must not be null");
        }
        int p = parameterCount();
        double[] out = new double[alphas.length];
        double[] moved = new double[p];
        for (int i = 0; i < alphas.length; i++) {
            double a = alphas[i];
            if (!Double.isFinite(a)) {
                throw new IllegalArgumentException("ParameterHessian.lossAlongDirection: alpha " + i + " is " + a);
            }
            for (int j = 0; j < p; j++) {
                moved[j] = theta[j] + a * direction[j];
            }
            out[i] = loss(moved);
        }
        return out;
    }

    // ------------------------------------------------------------------ threads

    /** A unit of parallel work indexed by worker number. */
    @FunctionalInterface
    private interface Task {
        void run(int worker);
    }

    private static final ThreadFactory DAEMONS = r -> {
        Thread t = new Thread(r, "parameter-hessian");
        t.setDaemon(true);
        return t;
    };

    /**
     * Runs {@code n} tasks, the last on the calling thread and the others on a short-lived pool; the first
     * failure is rethrown after all have stopped.
     */
    private static void runParallel(int n, Task task) {
        if (n == 1) {
            task.run(0);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(n - 1, DAEMONS);
        try {
            List<Future<?>> fs = new ArrayList<>(n - 1);
            for (int w = 0; w < n - 1; w++) {
                int worker = w;
                fs.add(pool.submit(() -> task.run(worker)));
            }
            RuntimeException first = null;
            try {
                task.run(n - 1);
            } catch (RuntimeException e) {
                first = e;
            }
            for (Future<?> f : fs) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof Error err) {
                        throw err;
                    }
                    if (first == null) {
                        first = c instanceof RuntimeException re ? re : new IllegalStateException(c);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("ParameterHessian: interrupted while waiting for workers", e);
                }
            }
            if (first != null) {
                throw first;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Counts products, for the report. */
    private static final class CountingOperator implements LinearOperator {
        private final LinearOperator inner;
        private final AtomicInteger count = new AtomicInteger();

        CountingOperator(LinearOperator inner) {
            this.inner = inner;
        }

        @Override
        public int dim() {
            return inner.dim();
        }

        @Override
        public void apply(double[] v, double[] out) {
            count.incrementAndGet();
            inner.apply(v, out);
        }
    }
}
