package org.scorescope.worker;

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
 *   <li>Ladder: the eigenvalues of H = ∇²_θ L(θ) on at most {@link #EVAL_POINTS} evenly strided data points
 *       with the objective's randomness fixed by {@link #SEED}: all P of them ({@link ParameterHessian#full})
 *       when P ≤ {@link #FULL_LIMIT}, else the {@link #LANCZOS_TOP} largest and {@link #LANCZOS_BOTTOM}
 *       smallest ({@link ParameterHessian#lanczos}) because a dense P³ decomposition takes minutes there.</li>
 *   <li>Slice: L(θ + α·u) for the top unit eigenvector u (Lanczos top-1 Ritz vector), α ∈ [−1, 1]·a with
 *       a = clamp(√(2·max(|L(θ)|, 0.1)/|λ_max|), 10⁻⁴, 1), the step at which ½λα² reaches about |L|.</li>
 *   <li>Local: histogram of log10|λ| of the local matrices ({@link LocalHessians}) at the same points.</li>
 *   <li>Glyphs: local eigen-pairs on a {@link #GLYPH_GRID}² grid over the view square.</li>
 * </ul>
 */
public final class SpectraComputer {
    /** Largest P for which the full dense spectrum is computed. */
    public static final int FULL_LIMIT = 1500;
    /** Evaluation batch size cap. */
    public static final int EVAL_POINTS = 128;
    /** Seed of the objective's randomness on the evaluation batch. */
    public static final long SEED = 12345L;
    /** Lanczos: largest eigenvalues resolved when P &gt; {@link #FULL_LIMIT}. */
    public static final int LANCZOS_TOP = 20;
    /** Lanczos: smallest eigenvalues resolved when P &gt; {@link #FULL_LIMIT}. */
    public static final int LANCZOS_BOTTOM = 5;
    /** Glyph grid nodes per side. */
    public static final int GLYPH_GRID = 14;
    /** Samples of the loss slice. */
    public static final int SLICE_POINTS = 41;
    /** Bins of the local log10|λ| histogram. */
    public static final int LOCAL_BINS = 24;

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
     * Computes the spectra of a snapshot.
     *
     * @param frame a published frame with a model and data
     * @param view  the square the glyphs cover, or null for no glyphs
     * @return the result (never null); failures are reported in {@link SpectraResult#error()}
     */
    public static SpectraResult compute(FrameData frame, ViewBox view) {
        String thread = Thread.currentThread().getName();
        long step = frame == null ? 0 : frame.step();
        if (frame == null || frame.model() == null) {
            return SpectraResult.failed(step, "no model yet", thread);
        }
        if (frame.pointCount() == 0) {
            return SpectraResult.failed(step, "no data", thread);
        }
        long t0 = System.nanoTime();
        try {
            ModelState state = frame.model();
            ScoreModel model = state.model();
            double[] theta = state.theta();
            Objective objective = frame.config().buildObjective();
            double[][] batch = evaluationBatch(frame.points());
            // One thread: the training worker keeps the other core (the machine may have only two).
            ParameterHessian hessian = new ParameterHessian(model, objective, batch, SEED).withThreads(1);
            int p = hessian.parameterCount();
            ParameterHessianResult spectrum;
            ParameterHessianResult topPair;
            if (p <= FULL_LIMIT) {
                spectrum = hessian.full(theta, false);
                // The top eigenvector from a short Lanczos run: far cheaper than the P eigenvectors of the dense solve.
                topPair = hessian.lanczos(theta, 1, 0, true, ParameterHessian.KrylovSettings.defaults(1));
            } else {
                spectrum = hessian.lanczos(theta, LANCZOS_TOP, LANCZOS_BOTTOM, true,
                        ParameterHessian.KrylovSettings.defaults(LANCZOS_TOP));
                topPair = spectrum;
            }
            double[] values = spectrum.eigenvalues();
            double[] u = topPair.eigenvector(topPair.eigenvalues().length - 1);
            double l0 = hessian.loss(theta);
            double lambda = Math.abs(topPair.largest());
            double scale = lambda > 0 ? Math.sqrt(2 * Math.max(Math.abs(l0), 0.1) / lambda) : 1;
            scale = Math.max(1e-4, Math.min(1, scale));
            double[] alphas = new double[SLICE_POINTS];
            for (int i = 0; i < SLICE_POINTS; i++) {
                alphas[i] = scale * (2.0 * i / (SLICE_POINTS - 1) - 1);
            }
            double[] slice = hessian.lossAlongDirection(theta, u, alphas);

            LocalHessians local = LocalHessians.compute(model, theta, batch);
            SpectraResult.Glyphs glyphs = null;
            if (view != null && model.inputDim() == 2) {
                Grid2D grid = new Grid2D(view.cx() - view.half(), view.cx() + view.half(), view.cy() - view.half(),
                        view.cy() + view.half(), GLYPH_GRID, GLYPH_GRID);
                LocalHessians g = LocalHessians.onGrid(model, theta, grid);
                glyphs = new SpectraResult.Glyphs(grid.points(), g.eigenvalues(), g.eigenvectors());
            }
            int negatives = 0;
            for (double v : values) {
                if (v < 0) {
                    negatives++;
                }
            }
            double span = spectrum.spanDecades(Math.min(0.5, p * 2.220446049250313e-16));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            return new SpectraResult(step,
                    new SpectraResult.Ladder(p <= FULL_LIMIT ? "full" : "Lanczos", p, batch.length, values, span,
                            negatives),
                    new SpectraResult.Slice(l0, alphas, slice),
                    new SpectraResult.Pointwise(local.log10Histogram(LOCAL_BINS), local.kind(), glyphs),
                    new SpectraResult.Outcome(millis, thread, ""));
        } catch (RuntimeException e) {
            return SpectraResult.failed(step, e.getClass().getSimpleName() + ": " + e.getMessage(), thread);
        }
    }
}
