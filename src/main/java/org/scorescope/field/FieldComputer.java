package org.scorescope.field;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.scorescope.analysis.BatchScore;
import org.scorescope.analysis.ContourLine;
import org.scorescope.analysis.DensityNormalizer;
import org.scorescope.analysis.Grid2D;
import org.scorescope.analysis.LocalHessian2x2;
import org.scorescope.analysis.MarchingSquares;
import org.scorescope.analysis.PerturbedDensity;
import org.scorescope.analysis.Samplers;
import org.scorescope.analysis.ScoreIntegrator;
import org.scorescope.analysis.Streamline;
import org.scorescope.analysis.Streamlines;
import org.scorescope.analysis.TimeScore;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Tensor;
import org.scorescope.data.GaussianMixture;
import org.scorescope.model.DiffusionMlp;
import org.scorescope.model.ModelState;
import org.scorescope.model.ScoreModel;

/**
 * Computes the drawable fields of a model on the background worker (never on the FX thread):
 * <ul>
 * <li>log p on a grid over the visible rectangle: for a model with an energy, log p = −E − log Z with
 * Z = Σ w_k exp(−E_k) over the rectangle ({@link DensityNormalizer}); for a model with a normalized
 * density (a flow), its exact log q; for a score network, the least-squares potential of the score
 * field ({@link ScoreIntegrator}, warm-started from the previous frame), again normalized over the
 * rectangle;</li>
 * <li>the colour range of the heat map: [max − range, max] of log p (the renderer colours its pixels);</li>
 * <li>the score at arrow anchors; contour lines of log p ({@link MarchingSquares}) at "nice" levels;
 * streamlines ({@link Streamlines#evenlySpaced}) when asked for;</li>
 * <li>the same for the true density when there is one (normalized over the same rectangle, so the two
 * sets of contours are comparable);</li>
 * <li>for a diffusion or noise-conditional model, all of it at the request's noise level t (see
 * {@link #compute(ModelState, long, GaussianMixture, GaussianMixture, FieldRequest, FlowDensity)}).</li>
 * </ul>
 * Not thread-safe (it keeps the integrator's warm start): one worker uses one instance.
 */
public final class FieldComputer {
    /** Smallest colour/contour span, nats. */
    private static final double MIN_SPAN = 3;
    /** Mixtures with at most this many modes get their mass by mode computed ({@link FieldFrame.ModeMass}). */
    public static final int MODE_MASS_COMPONENTS = 4;
    /** Decades of squared score error the error heat map spans below its maximum. */
    private static final double ERROR_DECADES = 4;

    private ScoreIntegrator integrator;

    /**
     * Computes the fields of a model.
     *
     * @param state     the model and θ
     * @param modelStep the training step (carried through for the view)
     * @param truth     the true density, or null
     * @param req       what to compute
     * @return the fields
     */
    public FieldFrame compute(ModelState state, long modelStep, GaussianMixture truth, FieldRequest req) {
        return compute(state, modelStep, truth, null, req, null);
    }

    /**
     * Computes the fields of a model; a diffusion or noise-conditional model ({@link PerturbedDensity#applies}) is
     * shown at the request's noise level t: its score s_θ(·, t), the reference p_t and ∇log p_t
     * ({@link PerturbedDensity#marginal} of the truth, or of the data's KDE without one), and on request the squared
     * score error as the heat map. A diffusion model's log p_t is the probability-flow density when {@code flow}
     * covers the view at t (interpolated bilinearly onto the grid, normalized over the view like the truth), and the
     * score's integral until then.
     *
     * @param state     the model and θ
     * @param modelStep the training step (carried through for the view)
     * @param truth     the true density p₀, or null
     * @param dataKde   an estimate of p₀ used for p_t when there is no truth, or null
     * @param req       what to compute
     * @param flow      the newest probability-flow density, or null
     * @return the fields
     */
    public FieldFrame compute(ModelState state, long modelStep, GaussianMixture truth, GaussianMixture dataKde,
                              FieldRequest req, FlowDensity flow) {
        long t0 = System.nanoTime();
        ScoreModel model = state.model();
        Tensor theta = state.thetaTensor();
        Grid2D grid = new Grid2D(req.xmin(), req.xmax(), req.ymin(), req.ymax(), req.nx(), req.ny());
        int n = grid.size();
        double[] pts = grid.points();
        Tensor x = Tensor.of(new int[] {n, 2}, pts);

        boolean timed = PerturbedDensity.applies(model);
        double time = timed ? PerturbedDensity.time(model, req.noise().time()) : Double.NaN;
        TimeScore timeScore = timed ? Samplers.timeScore(state) : null;
        GaussianMixture p0 = truth != null ? truth : timed ? dataKde : null;
        GaussianMixture reference = timed && p0 != null ? PerturbedDensity.marginal(model, p0, time) : truth;
        ScoreAt scoreAt = timed ? (xy, m) -> checked(xy, m, (a, k, out) -> timeScore.score(a, k, time, out))
                : (xy, m) -> score(model, theta, xy, m);

        double[] logp = new double[n];
        double[] gridScore = null;
        double logZ = Double.NaN;
        double nonConservative = Double.NaN;
        boolean flowPending = false;
        String source;
        Optional<Tensor> unnormalized = timed ? Optional.empty() : Grad.noGrad(() -> model.logDensity(theta, x));
        boolean useFlow = timed && flow != null && flow.covers(req.area(), time);
        if (unnormalized.isPresent()) {
            double[] f = unnormalized.get().toArray();
            requireUsable(f, "log density");
            if (model.hasNormalizedDensity()) {
                // Normalize over the view anyway, so that model and truth contours share one meaning.
                logZ = DensityNormalizer.logDensity(grid, f, logp);
                source = "log q of the flow, normalized over the view";
            } else {
                logZ = DensityNormalizer.logDensity(grid, f, logp);
                source = "−E, normalized over the view";
            }
        } else if (useFlow) {
            double[] f = new double[n];
            for (int k = 0; k < n; k++) {
                f[k] = flow.grid().interpolate(flow.logp(), pts[2 * k], pts[2 * k + 1]);
            }
            requireUsable(f, "probability-flow log density");
            DensityNormalizer.logDensity(grid, f, logp);
            source = String.format(java.util.Locale.ROOT, "probability-flow ODE, %d × %d grid, step %d%s",
                    flow.grid().nx(), flow.grid().ny(), flow.step(),
                    flow.refined() && flow.step() == modelStep ? "" : " (refining…)");
            flowPending = !flow.refined() || flow.step() != modelStep;
        } else {
            gridScore = scoreAt.at(pts, n);
            if (integrator == null || !sameGrid(integrator.grid(), grid)) {
                integrator = new ScoreIntegrator(grid);
            }
            ScoreIntegrator.Result r = integrator.logDensity(gridScore, logp);
            nonConservative = r.nonConservativeFraction();
            flowPending = model instanceof DiffusionMlp && req.density();
            source = String.format(java.util.Locale.ROOT,
                    "integrated from the score; %.0f%% of the field is not a gradient%s", 100 * nonConservative,
                    flowPending ? "; computing the PF-ODE density…" : "");
        }
        double top = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (double v : logp) {
            top = Math.max(top, v);
            min = Math.min(min, v);
        }
        // Colours and contours span the values on the grid, but never more than rangeNats below the top
        // (deep tails would otherwise take all the colours).
        // At least MIN_SPAN nats, so that a nearly flat model looks nearly flat.
        double bottom = top - Math.max(Math.min(MIN_SPAN, req.rangeNats()), Math.min(top - min, req.rangeNats()));

        // Arrow anchors at the centres of cells of about arrowSpacing pixels.
        int ax = Math.max(2, (int) Math.round(req.pixelWidth() / req.arrowSpacing()));
        int ay = Math.max(2, (int) Math.round(req.pixelHeight() / req.arrowSpacing()));
        double[] anchors = new double[2 * ax * ay];
        double w = req.xmax() - req.xmin();
        double h = req.ymax() - req.ymin();
        for (int j = 0, k = 0; j < ay; j++) {
            for (int i = 0; i < ax; i++, k += 2) {
                anchors[k] = req.xmin() + (i + 0.5) * w / ax;
                anchors[k + 1] = req.ymin() + (j + 0.5) * h / ay;
            }
        }
        double[] arrowScore = scoreAt.at(anchors, ax * ay);
        double[] mags = new double[ax * ay];
        for (int k = 0; k < mags.length; k++) {
            mags[k] = Math.hypot(arrowScore[2 * k], arrowScore[2 * k + 1]);
        }
        double[] sorted = mags.clone();
        Arrays.sort(sorted);
        double arrowMax = sorted[sorted.length - 1];
        double arrowRef = Math.max(1e-12, sorted[(int) Math.floor(0.9 * (sorted.length - 1))]);

        double[] levels = req.contourCount() == 0 || !(top > bottom) ? new double[0]
                : MarchingSquares.niceLevels(bottom, top, req.contourCount());
        List<ContourLine> contours = levels.length == 0 ? List.of() : MarchingSquares.contours(grid, logp, levels);

        double[] trueArrows = null;
        double trueLogZ = Double.NaN;
        List<ContourLine> trueContours = List.of();
        FieldFrame.ModeMass modes = null;
        if (reference != null) {
            double[] tl = new double[n];
            reference.logDensityBatch(pts, tl);
            double[] tlNorm = new double[n];
            trueLogZ = DensityNormalizer.logDensity(grid, tl, tlNorm);
            if (truth != null && reference.components() <= MODE_MASS_COMPONENTS) {
                modes = new FieldFrame.ModeMass(reference.massByMode(pts, logp), reference.massByMode(pts, tlNorm));
            }
            if (levels.length > 0) {
                trueContours = MarchingSquares.contours(grid, tlNorm, levels);
            }
            trueArrows = new double[anchors.length];
            reference.scoreBatch(anchors, trueArrows);
        }

        List<Streamline> lines = List.of();
        if (req.streamlines()) {
            if (gridScore == null) {
                gridScore = scoreAt.at(pts, n);
            }
            Streamlines tracer = new Streamlines(grid, gridScore, Streamlines.Options.defaults(grid));
            lines = tracer.evenlySpaced(Math.min(w, h) / 28, 0.5);
        }
        FieldFrame.Noise noise = null;
        if (timed) {
            double[] error = null;
            double errTop = Double.NaN;
            double errBottom = Double.NaN;
            if (req.noise().scoreError() && reference != null) {
                if (gridScore == null) {
                    gridScore = scoreAt.at(pts, n);
                }
                double[] ts = new double[2 * n];
                reference.scoreBatch(pts, ts);
                error = new double[n];
                errTop = Double.NEGATIVE_INFINITY;
                double errMin = Double.POSITIVE_INFINITY;
                for (int k = 0; k < n; k++) {
                    double dx = gridScore[2 * k] - ts[2 * k];
                    double dy = gridScore[2 * k + 1] - ts[2 * k + 1];
                    // A floor far below any visible error keeps log₁₀ finite where the two agree exactly.
                    error[k] = Math.log10(dx * dx + dy * dy + 1e-12);
                    errTop = Math.max(errTop, error[k]);
                    errMin = Math.min(errMin, error[k]);
                }
                errBottom = Math.max(errMin, errTop - ERROR_DECADES);
                if (!(errTop > errBottom)) {
                    errBottom = errTop - 1;
                }
            }
            noise = new FieldFrame.Noise(time, PerturbedDensity.sigma(model, time),
                    reference == null ? null : truth != null ? "exact" : "KDE of the data", error, errTop, errBottom,
                    flowPending);
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        return new FieldFrame(req, modelStep,
                new FieldFrame.Density(grid, logp, top, bottom, source, modes),
                new FieldFrame.Arrows(anchors, arrowScore, trueArrows, arrowRef, arrowMax),
                new FieldFrame.Lines(levels, contours, trueContours, lines),
                new FieldFrame.Stats(logZ, trueLogZ, nonConservative, ms), noise);
    }

    /** The model's score at n interleaved points (the model's own, or at the noise level shown). */
    @FunctionalInterface
    private interface ScoreAt {
        double[] at(double[] xy, int n);
    }

    /** A batch score, checked finite (see {@link #score(ScoreModel, Tensor, double[], int)}). */
    private static double[] checked(double[] xy, int n, BatchScore f) {
        double[] s = new double[2 * n];
        f.score(xy, n, s);
        for (int i = 0; i < s.length; i++) {
            if (!Double.isFinite(s[i])) {
                throw new IllegalStateException("the model's score is " + s[i] + " at point " + i / 2
                        + "; the model is not usable for drawing");
            }
        }
        return s;
    }

    /**
     * The inspector's numbers at one point: s(x), J = ∂s/∂x by forward-mode batch Jacobian, its
     * eigenvalues ({@link LocalHessian2x2#jacobianEigenvalues}) and curl, log p(x) (energy: −E(x) − log Z
     * with the field's Z; otherwise the field's log p interpolated bilinearly), and the true values. A
     * time-conditional model is inspected at the fields' noise level t: s_θ(x, t) against p_t.
     *
     * @param state the model
     * @param field the latest fields (for the normalizer, the integrated log p and the noise level), or null
     * @param truth the true density, or null
     * @param x     point x
     * @param y     point y
     * @return the inspector record
     */
    public static HoverInfo inspect(ModelState state, FieldFrame field, GaussianMixture truth, double x, double y) {
        ScoreModel model = state.model();
        Tensor theta = state.thetaTensor();
        FieldFrame.Noise noise = field == null ? null : field.noise();
        java.util.function.Function<Tensor, Tensor> scoreOf;
        if (noise != null && model instanceof DiffusionMlp dm) {
            scoreOf = z -> dm.score(theta, z, noise.time());
        } else if (noise != null && model instanceof org.scorescope.model.NoiseConditionalMlp nc) {
            double sigma = noise.sigma();
            scoreOf = z -> nc.score(theta, z, sigma);
        } else {
            scoreOf = z -> model.score(theta, z);
        }
        if (noise != null && truth != null) {
            truth = PerturbedDensity.marginal(model, truth, noise.time());
        }
        Tensor p = Tensor.of(new int[] {1, 2}, new double[] {x, y});
        double[] s = Grad.noGrad(() -> scoreOf.apply(p)).toArray();
        double[] j = Grad.noGrad(() -> Grad.batchJacobian(scoreOf, p)).toArray();
        double[] eig = new double[4];
        LocalHessian2x2.jacobianEigenvalues(j[0], j[1], j[2], j[3], eig);
        double curl = LocalHessian2x2.curl(j[1], j[2]);
        double logp = Double.NaN;
        boolean exact = false;
        Optional<Tensor> lu = Grad.noGrad(() -> model.logDensity(theta, p));
        if (lu.isPresent() && field != null && Double.isFinite(field.logZ())) {
            logp = lu.get().toArray()[0] - field.logZ();
            exact = true;
        } else if (field != null && field.grid().contains(x, y)) {
            logp = field.grid().interpolate(field.logp(), x, y);
            exact = lu.isPresent();
        }
        double tsx = Double.NaN;
        double tsy = Double.NaN;
        double tlp = Double.NaN;
        double tl1 = Double.NaN;
        double tl2 = Double.NaN;
        if (truth != null) {
            double[] pt = {x, y};
            double[] ts = truth.score(pt);
            tsx = ts[0];
            tsy = ts[1];
            tlp = truth.logDensity(pt);
            if (field != null && Double.isFinite(field.trueLogZ())) {
                // Same normalization as the drawn truth: over the view rectangle.
                tlp -= field.trueLogZ();
            }
            double[][] hs = truth.hessianLogDensity(pt);
            double[] te = new double[4];
            LocalHessian2x2.symmetricEigen(hs[0][0], 0.5 * (hs[0][1] + hs[1][0]), hs[1][1], te);
            tl1 = te[0];
            tl2 = te[1];
        }
        return new HoverInfo(x, y, new HoverInfo.Model(s[0], s[1], logp, exact, curl),
                new HoverInfo.Jacobian(eig[0], eig[1], eig[2], eig[3]),
                new HoverInfo.Truth(tsx, tsy, tlp, tl1, tl2));
    }

    /**
     * Model score at n interleaved points, evaluated without recording a reverse graph.
     *
     * @param model the model
     * @param theta θ as a tensor
     * @param xy    interleaved points, at least 2n values
     * @param n     number of points
     * @return interleaved scores, 2n values
     */
    public static double[] score(ScoreModel model, Tensor theta, double[] xy, int n) {
        double[] in = xy.length == 2 * n ? xy : Arrays.copyOf(xy, 2 * n);
        Tensor t = Tensor.of(new int[] {n, 2}, in);
        double[] s = Grad.noGrad(() -> model.score(theta, t)).toArray();
        for (int i = 0; i < s.length; i++) {
            if (!Double.isFinite(s[i])) {
                throw new IllegalStateException("the model's score is " + s[i] + " at point " + i / 2
                        + "; the model is not usable for drawing");
            }
        }
        return s;
    }

    private static boolean sameGrid(Grid2D a, Grid2D b) {
        return a.nx() == b.nx() && a.ny() == b.ny() && a.xmin() == b.xmin() && a.xmax() == b.xmax()
                && a.ymin() == b.ymin() && a.ymax() == b.ymax();
    }

    private static void requireUsable(double[] v, String what) {
        for (int i = 0; i < v.length; i++) {
            if (Double.isNaN(v[i]) || v[i] == Double.POSITIVE_INFINITY) {
                throw new IllegalStateException("the model's " + what + " is " + v[i] + " at entry " + i
                        + "; the model is not usable for drawing");
            }
        }
    }
}
