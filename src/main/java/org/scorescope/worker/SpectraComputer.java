package org.scorescope.worker;

import java.util.function.Consumer;
import org.scorescope.analysis.CriticalPoints;
import org.scorescope.analysis.EigenvectorSource;
import org.scorescope.analysis.Grid2D;
import org.scorescope.analysis.LocalHessians;
import org.scorescope.analysis.ParameterHessian;
import org.scorescope.analysis.ParameterHessianResult;
import org.scorescope.field.ViewBox;
import org.scorescope.model.ModelState;
import org.scorescope.model.ScoreModel;
import org.scorescope.objective.Objective;

/**
 * The spectra of one snapshot, computed on the calling thread (no JavaFX): meant for the
 * {@link SpectraService}'s background thread.
 *
 * <ul>
 *   <li>Hessian ladder: the eigenvalues of H = ∇²_θ L(θ) on at most {@link #EVAL_POINTS} evenly strided data
 *       points with the objective's randomness fixed by {@link #SEED}. P ≤ {@link #FULL_LIMIT}: all P at once
 *       ({@link ParameterHessian#full}). {@link #FULL_LIMIT} &lt; P ≤ {@link #DENSE_LIMIT}: first the
 *       {@link #LANCZOS_TOP} largest and {@link #LANCZOS_BOTTOM} smallest ({@link ParameterHessian#lanczos}),
 *       published at once as {@link SpectraResult.Ladder#pending() pending}, then, when the request asks for it,
 *       all P by the dense decomposition (seconds: the caller asks for it less often), published as a second
 *       result. P &gt; {@link #DENSE_LIMIT}: the Lanczos ends plus the SLQ spectral density.</li>
 *   <li>Gauss–Newton ladder: all P eigenvalues of G = (1/N) Σ J_θ(s)ᵀJ_θ(s) from its (N·D)² Gram matrix
 *       ({@link org.scorescope.analysis.GaussNewton}), every time (rank ≤ N·D makes it cheap).</li>
 *   <li>A ladder with all P eigenvalues carries their eigenvectors on demand ({@link SpectraResult.Ladder#source()}:
 *       the dense Hessian's Householder reflectors, 78 MB at P = 4417, or G's Gram eigenvectors), so any rung can be
 *       inspected.</li>
 *   <li>Slice: L(θ + α·u) for the selected ladder's top unit eigenvector u, α ∈ [−1, 1]·a with
 *       a = clamp(√(2·max(|L(θ)|, 0.1)/|λ_max|), 10⁻⁴, 1), the step at which ½λα² reaches about |L|.</li>
 *   <li>Local: histogram of log10|λ| of the local matrices ({@link LocalHessians}) at the same points; glyphs,
 *       local eigen-pairs on a {@link #GLYPH_GRID}² grid over the view square; the critical points of the field
 *       over the view ({@link CriticalPoints}, {@link #CRITICAL_SEEDS}² seeds).</li>
 * </ul>
 */
public final class SpectraComputer {
    /** Largest P for which the full dense spectrum is computed in the same pass as the ends. */
    public static final int FULL_LIMIT = 1500;
    /** Largest P for which all P eigenvalues are computed (in a second, slower pass); beyond it SLQ. */
    public static final int DENSE_LIMIT = 5000;
    /** Evaluation batch size cap. */
    public static final int EVAL_POINTS = 128;
    /** Seed of the objective's randomness on the evaluation batch. */
    public static final long SEED = 12345L;
    /** Lanczos: largest eigenvalues resolved when P &gt; {@link #FULL_LIMIT}. */
    public static final int LANCZOS_TOP = 20;
    /** Lanczos: smallest eigenvalues resolved when P &gt; {@link #FULL_LIMIT}. */
    public static final int LANCZOS_BOTTOM = 5;
    /** Gauss–Newton eigenvectors kept for the inspector (the largest). */
    public static final int GN_VECTORS = 20;
    /** SLQ start vectors and steps when P &gt; {@link #DENSE_LIMIT}. */
    public static final int SLQ_RUNS = 4;
    /** SLQ Lanczos steps per start vector. */
    public static final int SLQ_STEPS = 60;
    /** Glyph grid nodes per side. */
    public static final int GLYPH_GRID = 14;
    /** Critical-point seeds per side of the view. */
    public static final int CRITICAL_SEEDS = 20;
    /** Samples of the loss slice. */
    public static final int SLICE_POINTS = 41;
    /** Bins of the local log10|λ| histogram. */
    public static final int LOCAL_BINS = 24;

    /**
     * What one request asks for.
     *
     * @param curvature the ladder that the slice, the history and the inspector follow
     * @param full      whether to compute all P Hessian eigenvalues when FULL_LIMIT &lt; P ≤ DENSE_LIMIT
     */
    public record Options(SpectraResult.Curvature curvature, boolean full) {
        /** @return the Hessian, with the full spectrum */
        public static Options defaults() {
            return new Options(SpectraResult.Curvature.HESSIAN, true);
        }
    }

    private SpectraComputer() {
    }

    /**
     * The evaluation batch: every ⌈n/128⌉-th point of the data, so it is fixed for fixed data.
     *
     * @param points interleaved (x, y) data, at least one point
     * @return at most {@link #EVAL_POINTS} rows (x, y)
     */
    public static double[][] evaluationBatch(double[] points) {
        int n = points.length / 2;
        if (n < 1) {
            throw new IllegalArgumentException("SpectraComputer: the data have no points");
        }
        int stride = (n + EVAL_POINTS - 1) / EVAL_POINTS;
        int b = (n + stride - 1) / stride;
        double[][] out = new double[b][];
        for (int i = 0; i < b; i++) {
            int k = i * stride;
            out[i] = new double[] {points[2 * k], points[2 * k + 1]};
        }
        return out;
    }

    /**
     * Computes the spectra of a snapshot with {@link Options#defaults()}, and returns the last result (the full
     * spectrum where it is computed in a second pass).
     *
     * @param frame a published frame with a model and data
     * @param view  the square the glyphs cover, or null for no glyphs
     * @return the result (never null); failures are reported in {@link SpectraResult#error()}
     */
    public static SpectraResult compute(FrameData frame, ViewBox view) {
        SpectraResult[] last = new SpectraResult[1];
        compute(frame, view, Options.defaults(), r -> last[0] = r);
        return last[0];
    }

    /**
     * Computes the spectra of a snapshot, publishing one result, or two when the full Hessian spectrum follows its
     * Lanczos ends.
     *
     * @param frame   a published frame with a model and data
     * @param view    the square the glyphs and critical points cover, or null for none
     * @param options curvature and whether to compute all P eigenvalues
     * @param publish receives each result in order (never null results); failures in {@link SpectraResult#error()}
     */
    public static void compute(FrameData frame, ViewBox view, Options options, Consumer<SpectraResult> publish) {
        String thread = Thread.currentThread().getName();
        long step = frame == null ? 0 : frame.step();
        if (frame == null || frame.model() == null) {
            publish.accept(SpectraResult.failed(step, "no model yet", thread));
            return;
        }
        if (frame.pointCount() == 0) {
            publish.accept(SpectraResult.failed(step, "no data", thread));
            return;
        }
        long t0 = System.nanoTime();
        SpectraResult first;
        ParameterHessian hessian;
        double[] theta;
        try {
            ModelState state = frame.model();
            ScoreModel model = state.model();
            theta = state.theta();
            Objective objective = frame.config().buildObjective();
            double[][] batch = evaluationBatch(frame.points());
            // One thread: the training worker keeps the other core (the machine may have only two).
            hessian = new ParameterHessian(model, objective, batch, SEED).withThreads(1);
            int p = hessian.parameterCount();
            long tH = System.nanoTime();
            SpectraResult.Ladder h = hessianLadder(hessian, theta, batch.length,
                    options.full() && p > FULL_LIMIT && p <= DENSE_LIMIT);
            stopIfInterrupted();
            long tG = System.nanoTime();
            SpectraResult.Ladder g = gaussNewtonLadder(hessian, theta, batch.length);
            long tS = System.nanoTime();
            boolean gnSelected = options.curvature() == SpectraResult.Curvature.GAUSS_NEWTON;
            SpectraResult.Ladder selected = gnSelected ? g : h;
            SpectraResult.Vectors vs = selected.vectors();
            double[] u = vs.vector(vs.count() - 1);
            double l0 = hessian.loss(theta);
            double lambda = Math.abs(vs.values()[vs.count() - 1]);
            double scale = lambda > 0 ? Math.sqrt(2 * Math.max(Math.abs(l0), 0.1) / lambda) : 1;
            scale = Math.max(1e-4, Math.min(1, scale));
            double[] alphas = new double[SLICE_POINTS];
            for (int i = 0; i < SLICE_POINTS; i++) {
                alphas[i] = scale * (2.0 * i / (SLICE_POINTS - 1) - 1);
            }
            double[] slice = hessian.lossAlongDirection(theta, u, alphas);

            stopIfInterrupted();
            long tL = System.nanoTime();
            LocalHessians local = LocalHessians.compute(model, theta, batch);
            SpectraResult.Glyphs glyphs = null;
            long tC = System.nanoTime();
            CriticalPoints critical = null;
            if (view != null && model.inputDim() == 2) {
                double x0 = view.cx() - view.half();
                double x1 = view.cx() + view.half();
                double y0 = view.cy() - view.half();
                double y1 = view.cy() + view.half();
                Grid2D grid = new Grid2D(x0, x1, y0, y1, GLYPH_GRID, GLYPH_GRID);
                LocalHessians gl = LocalHessians.onGrid(model, theta, grid);
                critical = CriticalPoints.find(CriticalPoints.of(model, theta), x0, x1, y0, y1, CRITICAL_SEEDS);
                glyphs = new SpectraResult.Glyphs(grid.points(), gl.eigenvalues(), gl.eigenvectors(), critical,
                        gl.kind() == LocalHessians.Kind.LOG_DENSITY_HESSIAN ? "∇²ₓ log p" : "sym ∂s/∂x");
            }
            long tEnd = System.nanoTime();
            long millis = (tEnd - t0) / 1_000_000;
            String detail = String.format(java.util.Locale.ROOT,
                    "Hessian %s %s · Gauss–Newton all P %s · slice %s · local, glyphs and critical points %s",
                    h.method().startsWith("full") ? "all P" : "ends", secs(tG - tH), secs(tS - tG), secs(tL - tS),
                    secs(tEnd - tL));
            first = new SpectraResult(step, selected, gnSelected ? h : g,
                    new SpectraResult.Slice(l0, alphas, slice),
                    new SpectraResult.Pointwise(local.log10Histogram(LOCAL_BINS), local.kind(), glyphs, critical),
                    new SpectraResult.Outcome(millis, thread, "", detail));
        } catch (RuntimeException e) {
            publish.accept(SpectraResult.failed(step, e.getClass().getSimpleName() + ": " + e.getMessage(), thread));
            return;
        }
        publish.accept(first);
        SpectraResult.Ladder pendingLadder = first.ladder().curvature() == SpectraResult.Curvature.HESSIAN
                ? first.ladder() : first.companion();
        if (pendingLadder == null || !pendingLadder.pending() || Thread.currentThread().isInterrupted()) {
            return;
        }
        try {
            long tF = System.nanoTime();
            ParameterHessian.OnDemand od = hessian.fullOnDemand(theta);
            ParameterHessianResult all = od.result();
            String detail = first.outcome().detail() + String.format(java.util.Locale.ROOT,
                    " · then Hessian all P %s (build %s, eigenvalues %s)", secs(System.nanoTime() - tF),
                    secs(all.buildMillis() * 1_000_000L), secs(all.decomposeMillis() * 1_000_000L));
            SpectraResult.Ladder done = pendingLadder.completed(all.eigenvalues(), all.spanAboveNoise(),
                    all.noiseFloor(), od.vectors());
            long millis = (System.nanoTime() - t0) / 1_000_000;
            boolean hSelected = first.ladder() == pendingLadder;
            publish.accept(first.withLadders(hSelected ? done : first.ladder(), hSelected ? first.companion() : done,
                    millis).withTime(millis, detail));
        } catch (java.util.concurrent.CancellationException e) {
            return; // a newer request or closing: the ends already published stay
        } catch (RuntimeException | OutOfMemoryError e) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            // The ends stay on screen; say why the rest is missing.
            SpectraResult.Ladder ends = new SpectraResult.Ladder(pendingLadder.method() + " (all P failed: "
                    + e.getClass().getSimpleName() + ")", pendingLadder.parameters(), pendingLadder.batch(),
                    pendingLadder.eigenvalues(), pendingLadder.span(), pendingLadder.negatives(),
                    pendingLadder.curvature(), pendingLadder.noiseFloor(), false, pendingLadder.density(),
                    pendingLadder.vectors(), null);
            boolean hSelected = first.ladder() == pendingLadder;
            publish.accept(first.withLadders(hSelected ? ends : first.ladder(), hSelected ? first.companion() : ends,
                    (System.nanoTime() - t0) / 1_000_000));
        }
    }

    /** The service is closing (its thread was interrupted): stop between stages instead of finishing. */
    private static void stopIfInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException("interrupted");
        }
    }

    private static String secs(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    private static SpectraResult.Ladder hessianLadder(ParameterHessian hessian, double[] theta, int batch,
                                                      boolean pending) {
        int p = hessian.parameterCount();
        int top = Math.min(LANCZOS_TOP, Math.max(1, p / 2));
        int bottom = Math.min(LANCZOS_BOTTOM, Math.max(0, p - top - 1) / 2);
        ParameterHessianResult ends = hessian.lanczos(theta, top, bottom, true,
                ParameterHessian.KrylovSettings.defaults(top));
        SpectraResult.Vectors vectors = new SpectraResult.Vectors(ends.eigenvalues(), ends.eigenvectors());
        if (p <= FULL_LIMIT) {
            ParameterHessian.OnDemand all = hessian.fullOnDemand(theta);
            return ladder("full", all.result(), batch, SpectraResult.Curvature.HESSIAN, false, null, vectors,
                    all.vectors());
        }
        SpectraResult.Density density = null;
        String method = "Lanczos";
        if (p > DENSE_LIMIT) {
            ParameterHessianResult slq = hessian.slq(theta, SLQ_RUNS, SLQ_STEPS, SEED);
            density = new SpectraResult.Density(slq.densityNodes(), slq.densityWeights());
            method = "Lanczos + SLQ";
        }
        return ladder(method, ends, batch, SpectraResult.Curvature.HESSIAN, pending, density, vectors, null);
    }

    private static SpectraResult.Ladder gaussNewtonLadder(ParameterHessian hessian, double[] theta, int batch) {
        ParameterHessian.OnDemand all = hessian.withCurvature(ParameterHessian.Curvature.GAUSS_NEWTON)
                .fullOnDemand(theta);
        int p = hessian.parameterCount();
        int m = Math.min(GN_VECTORS, p);
        double[] topValues = new double[m];
        double[] topVectors = new double[m * p];
        for (int a = 0; a < m; a++) {
            EigenvectorSource.Eigenpair e = all.vectors().eigenpair(p - m + a);
            topValues[a] = e.value();
            System.arraycopy(e.vector(), 0, topVectors, a * p, p);
        }
        return ladder("full", all.result(), batch, SpectraResult.Curvature.GAUSS_NEWTON, false, null,
                new SpectraResult.Vectors(topValues, topVectors), all.vectors());
    }

    private static SpectraResult.Ladder ladder(String method, ParameterHessianResult r, int batch,
                                               SpectraResult.Curvature c, boolean pending,
                                               SpectraResult.Density density, SpectraResult.Vectors vectors,
                                               EigenvectorSource source) {
        double[] values = r.eigenvalues();
        double floor = ParameterHessianResult.noiseFloor(r.parameters(), values);
        return new SpectraResult.Ladder(method, r.parameters(), batch, values, r.spanAboveNoise(), r.negativeCount(),
                c, floor, pending, density, vectors, source);
    }
}
