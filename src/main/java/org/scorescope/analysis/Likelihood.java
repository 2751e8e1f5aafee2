package org.scorescope.analysis;

import java.util.Arrays;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Tensor;
import org.scorescope.data.GaussianMixture;
import org.scorescope.model.DiffusionMlp;
import org.scorescope.model.ModelSpec;
import org.scorescope.model.ModelState;
import org.scorescope.model.NoiseConditionalMlp;
import org.scorescope.model.ScoreModel;

/**
 * Held-out log-likelihood of a trained 2-D model, in nats: per point log q(x) and the mean negative
 * log-likelihood NLL = −(1/m) Σ_j log q(x_j). How q is obtained depends on the model:
 * <ul>
 *   <li><b>flow</b> ({@link Method#EXACT}): the change-of-variables density the flow defines,
 *       log q(x) = log N(f(x); 0, I) + log|det ∂f/∂x|, exact; no box or grid.</li>
 *   <li><b>energy</b> ({@link Method#ENERGY_QUADRATURE}): q(x) = exp(−E(x))/Z with
 *       log Z = log ∫_box exp(−E) by the trapezoidal rule over the {@linkplain Box#covering box}. The grid is
 *       refined (65, 129, 257, 513 nodes a side) until two successive log Z differ by less than
 *       {@link #QUADRATURE_TOLERANCE}; that difference is reported as the quadrature error. log q(x) =
 *       −E(x) − log Z is then evaluated at the points themselves (no interpolation). Mass that the energy puts
 *       outside the box is not counted; {@link Result#logZWideBox} repeats the quadrature over a box twice as
 *       wide, and a difference from {@link Result#logZ} says that the energy is not concentrated near the data
 *       (or is not normalizable at all).</li>
 *   <li><b>noise-conditional</b> and <b>score</b> networks ({@link Method#SCORE_INTEGRATION}): they output scores
 *       only. The score field on the grid (for a noise-conditional model at its smallest σ, i.e. a model of the
 *       data perturbed by N(0, σ_L²I)) is integrated by {@link ScoreIntegrator} (least squares: the potential φ
 *       whose gradient is closest to the field, second-order accurate), normalized by {@link DensityNormalizer}
 *       over a box padded by only {@link #INTEGRATION_PADDING_STD} standard deviation (a wider box lets the
 *       untrained field far from the data decide the normalizer), and log q at each point is the bilinear
 *       interpolation of log q on the grid.
 *       The grid is refined until the NLL changes by less than {@link #QUADRATURE_TOLERANCE}. A field that is
 *       not a gradient has no density; {@link Result#nonConservativeFraction} says how much of it the
 *       potential leaves unexplained. Compare a noise-conditional model's NLL with the truth perturbed by the
 *       same σ ({@link GaussianMixture#convolved}), not with the clean truth.</li>
 *   <li><b>diffusion</b> ({@link Method#PROBABILITY_FLOW}): log p_ε(x) = log p_1(x(1)) + ∫_ε^1 ∇·v dt along the
 *       probability-flow ODE dx/dt = v(x, t) = f(t)x − ½g(t)²s(x, t) from x(ε) = x ({@link ProbabilityFlow}), with
 *       the exact divergence of the 2 × 2 score Jacobian; no box or grid. It is the density of the model's own
 *       sampler (the PF-ODE) at t = ε, whose marginal differs from the data's by a noise of s(ε) (≈ 0.01 for VP).</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class Likelihood {
    /** Stop refining the grid once two successive estimates (log Z or NLL) differ by less than this, nats. */
    public static final double QUADRATURE_TOLERANCE = 0.002;
    /** Box padding around the points for an energy, in per-axis standard deviations of the points. */
    public static final double PADDING_STD = 3.0;
    /**
     * Box padding for score integration. Smaller than an energy's: a score network is trained only where data (plus
     * noise) fall, and over a wide box the potential of its untrained field far out decides the normalizer (measured
     * on 8gaussians: a denoising score net's NLL is 3.34 with this box and 5.91 with a 3-std one, while an energy's
     * changes by less than 0.01).
     */
    public static final double INTEGRATION_PADDING_STD = 1.0;
    private static final int[] LEVELS = {65, 129, 257, 513};
    private static final int CHUNK = 8192;

    private Likelihood() {
    }

    /** How a model's density was obtained. */
    public enum Method {
        /** The flow's exact normalized density. */
        EXACT,
        /** exp(−E) normalized by box quadrature. */
        ENERGY_QUADRATURE,
        /** The score field integrated on a grid, then normalized by box quadrature. */
        SCORE_INTEGRATION,
        /** A diffusion model's log p_ε through its probability-flow ODE with the exact divergence. */
        PROBABILITY_FLOW
    }

    /** Relative and absolute tolerance of the probability-flow likelihood's ODE solve (Song et al. 2021's 1e-5). */
    public static final double FLOW_TOLERANCE = 1e-5;
    /** Points per probability-flow solve: each chunk shares its step sizes. */
    private static final int FLOW_CHUNK = 1000;

    /**
     * A diffusion model's log-density log p_ε(x) through its probability-flow ODE ({@link ProbabilityFlow#logDensity}):
     * exact up to the ODE solver's tolerance and the prior's mismatch with p_1, with the exact 2 × 2 divergence of the
     * score, or Hutchinson's one-probe estimate for comparison.
     *
     * @param state      a diffusion model and its parameters
     * @param heldOut    m ≥ 1 points
     * @param rtol       relative tolerance
     * @param atol       absolute tolerance
     * @param hutchinson true for the Hutchinson divergence (Rademacher probe per point, fixed over the solve)
     * @return log p_ε per point and the number of network evaluations
     */
    public static ProbabilityFlow.Result probabilityFlow(ModelState state, double[][] heldOut, double rtol,
                                                         double atol, boolean hutchinson) {
        if (!(state.model() instanceof DiffusionMlp dm) || dm.inputDim() != 2) {
            throw new IllegalArgumentException("Likelihood: the probability flow needs a 2-D diffusion model, this is a "
                    + state.model().kind().id() + " model");
        }
        TimeScore.WithDivergence field = hutchinson ? ModelFields.diffusionWithHutchinson(state, dm, 1)
                : ModelFields.diffusionWithDivergence(state, dm);
        return ProbabilityFlow.logDensity(field, dm.sde(), flatten(heldOut, 2), heldOut.length, dm.epsilon(), rtol,
                atol, FLOW_CHUNK);
    }

    /**
     * The integration box [xmin, xmax] × [ymin, ymax].
     *
     * @param xmin left edge
     * @param xmax right edge
     * @param ymin bottom edge
     * @param ymax top edge
     */
    public record Box(double xmin, double xmax, double ymin, double ymax) {
        /**
         * The bounding box of all the given points, each side moved out by {@link #PADDING_STD} standard
         * deviations of the points along that axis (at least 0.1, so a degenerate axis still has a width).
         * For a Gaussian blob this leaves out ~e^(−4.5) ≈ 1% of mass per side beyond the extreme points'
         * own 3σ halo, in practice far less because the extreme points already sit in the tails.
         *
         * @param sets point sets (n × 2 each; null sets are skipped), at least one point in all
         * @return the box
         */
        public static Box covering(double[][]... sets) {
            return covering(PADDING_STD, sets);
        }

        /**
         * As {@link #covering(double[][]...)} with another padding.
         *
         * @param paddingStd padding in per-axis standard deviations, ≥ 0
         * @param sets       point sets (null sets are skipped), at least one point in all
         * @return the box
         */
        public static Box covering(double paddingStd, double[][]... sets) {
            if (!(paddingStd >= 0) || !Double.isFinite(paddingStd)) {
                throw new IllegalArgumentException("Likelihood: padding must be finite and ≥ 0, got " + paddingStd);
            }
            double xmin = Double.POSITIVE_INFINITY;
            double xmax = Double.NEGATIVE_INFINITY;
            double ymin = Double.POSITIVE_INFINITY;
            double ymax = Double.NEGATIVE_INFINITY;
            double sx = 0;
            double sy = 0;
            double sxx = 0;
            double syy = 0;
            int n = 0;
            for (double[][] set : sets) {
                if (set == null) {
                    continue;
                }
                for (double[] p : set) {
                    requirePoint(p, n);
                    xmin = Math.min(xmin, p[0]);
                    xmax = Math.max(xmax, p[0]);
                    ymin = Math.min(ymin, p[1]);
                    ymax = Math.max(ymax, p[1]);
                    sx += p[0];
                    sy += p[1];
                    sxx += p[0] * p[0];
                    syy += p[1] * p[1];
                    n++;
                }
            }
            if (n == 0) {
                throw new IllegalArgumentException("Likelihood: no points to build a box from");
            }
            double stdX = Math.sqrt(Math.max(0, sxx / n - (sx / n) * (sx / n)));
            double stdY = Math.sqrt(Math.max(0, syy / n - (sy / n) * (sy / n)));
            double px = Math.max(paddingStd * stdX, 0.1);
            double py = Math.max(paddingStd * stdY, 0.1);
            return new Box(xmin - px, xmax + px, ymin - py, ymax + py);
        }

        /** @return the box with each half-width doubled about its centre */
        public Box widened() {
            double cx = 0.5 * (xmin + xmax);
            double cy = 0.5 * (ymin + ymax);
            return new Box(cx - (xmax - xmin), cx + (xmax - xmin), cy - (ymax - ymin), cy + (ymax - ymin));
        }

        /** @param n nodes per side @return an n × n node grid over the box */
        public Grid2D grid(int n) {
            return new Grid2D(xmin, xmax, ymin, ymax, n, n);
        }
    }

    /**
     * The outcome of a likelihood evaluation.
     *
     * @param method                  how q was obtained
     * @param logDensity              log q(x_j) per held-out point, nats
     * @param meanNegLogLikelihood    −mean_j log q(x_j), nats
     * @param box                     the integration box (null for {@link Method#EXACT})
     * @param gridNodes               nodes per side of the accepted grid (0 for EXACT)
     * @param quadratureError         difference between the last two refinements (log Z for an energy, the NLL
     *                                for score integration), nats; 0 for EXACT; larger than
     *                                {@link #QUADRATURE_TOLERANCE} when even 513 nodes did not settle; NaN when
     *                                the refinement was capped at 65 nodes (one level, nothing to compare)
     * @param logZ                    log of the box normalizer (NaN for EXACT)
     * @param logZWideBox             energy only: log Z over {@link Box#widened()}; ≈ logZ when the energy's mass
     *                                is near the data (NaN otherwise)
     * @param nonConservativeFraction score integration only: RMS fraction of the field that is not a gradient
     *                                (NaN otherwise)
     * @param sigma                   noise-conditional only: the σ whose perturbed density this is (NaN
     *                                otherwise)
     */
    public record Result(Method method, double[] logDensity, double meanNegLogLikelihood, Box box, int gridNodes,
                         double quadratureError, double logZ, double logZWideBox, double nonConservativeFraction,
                         double sigma) {
        /** Copies the per-point values in. */
        public Result {
            logDensity = logDensity.clone();
        }

        /** @return a copy of log q per point */
        @Override
        public double[] logDensity() {
            return logDensity.clone();
        }
    }

    /**
     * @param model a model
     * @return true when {@link #evaluate} gives it a density: every 2-D model (a flow exactly, an energy by
     *         quadrature, a score or noise-conditional network by integrating its field); higher-dimensional
     *         models only when they are flows
     */
    public static boolean hasDensity(ScoreModel model) {
        return model.hasNormalizedDensity() || model.inputDim() == 2;
    }

    /**
     * Held-out likelihood of a model, the box built from the training points and the held-out points
     * ({@link Box#covering}, padded by {@link #PADDING_STD} for an energy, {@link #INTEGRATION_PADDING_STD} for score
     * integration).
     *
     * @param state    model and parameters
     * @param heldOut  m ≥ 1 points to score (n × D)
     * @param training the points the model was trained on (shape the box; may be null)
     * @return per-point log q and the mean NLL
     * @throws IllegalArgumentException if the model has no density ({@link #hasDensity}) or a point is malformed
     */
    public static Result evaluate(ModelState state, double[][] heldOut, double[][] training) {
        return evaluate(state, heldOut, training, LEVELS[LEVELS.length - 1]);
    }

    /**
     * As {@link #evaluate(ModelState, double[][], double[][])} with the grid refinement stopped at {@code maxNodes}
     * a side: for a chart updated during training, 129 costs ~0.1–1 s per call where 513 can take ~10 s for score
     * integration; {@link Result#quadratureError} says what was given up.
     *
     * @param state    model and parameters
     * @param heldOut  points to score
     * @param training training points (shape the box; may be null)
     * @param maxNodes the finest grid, one of 65, 129, 257, 513 (other values round down, at least 65)
     * @return per-point log q and the mean NLL
     */
    public static Result evaluate(ModelState state, double[][] heldOut, double[][] training, int maxNodes) {
        ScoreModel model = state.model();
        requireDensity(model);
        Box box = model.hasNormalizedDensity() || model instanceof DiffusionMlp ? null : Box.covering(model.kind() == ModelSpec.Kind.ENERGY
                ? PADDING_STD : INTEGRATION_PADDING_STD, training, heldOut);
        return evaluateInBox(state, heldOut, box, maxNodes);
    }

    /**
     * Held-out likelihood over a given box (ignored for a flow, whose density is exact). The box should hold the
     * held-out points; points outside it get −∞ from score integration.
     *
     * @param state   model and parameters
     * @param heldOut m ≥ 1 points to score
     * @param box     the integration box (may be null for a flow)
     * @return per-point log q and the mean NLL
     */
    public static Result evaluateInBox(ModelState state, double[][] heldOut, Box box) {
        return evaluateInBox(state, heldOut, box, LEVELS[LEVELS.length - 1]);
    }

    /**
     * As {@link #evaluateInBox(ModelState, double[][], Box)} with the refinement stopped at {@code maxNodes}.
     *
     * @param state    model and parameters
     * @param heldOut  m ≥ 1 points to score
     * @param box      the integration box (may be null for a flow)
     * @param maxNodes the finest grid (see {@link #evaluate(ModelState, double[][], double[][], int)})
     * @return per-point log q and the mean NLL
     */
    public static Result evaluateInBox(ModelState state, double[][] heldOut, Box box, int maxNodes) {
        ScoreModel model = state.model();
        if (heldOut.length == 0) {
            throw new IllegalArgumentException("Likelihood: no held-out points");
        }
        requireDensity(model);
        if (model.hasNormalizedDensity()) {
            double[] lq = logDensityAt(state, flatten(heldOut, model.inputDim()), heldOut.length);
            return new Result(Method.EXACT, lq, -mean(lq), null, 0, 0, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN);
        }
        if (model instanceof DiffusionMlp dm) {
            double[] lq = probabilityFlow(state, heldOut, FLOW_TOLERANCE, FLOW_TOLERANCE, false).values();
            return new Result(Method.PROBABILITY_FLOW, lq, -mean(lq), null, 0, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN);
        }
        if (box == null) {
            throw new IllegalArgumentException("Likelihood: a " + model.kind().id() + " model needs a box");
        }
        if (model.kind() == ModelSpec.Kind.ENERGY) {
            return energy(state, heldOut, box, levels(maxNodes));
        }
        return integrated(state, heldOut, box, levels(maxNodes));
    }

    /**
     * −(1/m) Σ_j log q(x_j) in nats; see {@link #evaluate}.
     *
     * @param state    model and parameters
     * @param heldOut  points to score
     * @param training training points (shape the box; may be null)
     * @return the mean negative log-likelihood
     */
    public static double meanNegLogLikelihood(ModelState state, double[][] heldOut, double[][] training) {
        return evaluate(state, heldOut, training).meanNegLogLikelihood();
    }

    /**
     * The reference value for a known density: −(1/m) Σ_j log p(x_j).
     *
     * @param truth   the exact density (for a noise-conditional model, {@code truth.convolved(σ_L)})
     * @param heldOut points
     * @return the truth's mean NLL on those points, nats
     */
    public static double meanNegLogLikelihood(GaussianMixture truth, double[][] heldOut) {
        double s = 0;
        for (double[] p : heldOut) {
            s += truth.logDensity(p);
        }
        return -s / heldOut.length;
    }

    private static int[] levels(int maxNodes) {
        int k = 1;
        while (k < LEVELS.length && LEVELS[k] <= maxNodes) {
            k++;
        }
        return Arrays.copyOf(LEVELS, k);
    }

    private static void requireDensity(ScoreModel model) {
        if (!hasDensity(model)) {
            throw new IllegalArgumentException("Likelihood: a " + model.kind().id() + " model in "
                    + model.inputDim() + "-D has no density to evaluate (quadrature is 2-D only)");
        }
    }

    private static Result energy(ModelState state, double[][] heldOut, Box box, int[] levels) {
        double prev = Double.NaN;
        double err = Double.NaN;
        int nodes = 0;
        for (int n : levels) {
            double lz = boxLogZ(state, box.grid(n));
            err = Math.abs(lz - prev);
            prev = lz;
            nodes = n;
            if (err < QUADRATURE_TOLERANCE) {
                break;
            }
        }
        double logZ = prev;
        // same spacing over the doubled box, capped at the finest level: a diagnostic, not the answer
        double wide = boxLogZ(state, box.widened().grid(Math.min(2 * nodes - 1, LEVELS[LEVELS.length - 1])));
        double[] lq = logDensityAt(state, flatten(heldOut, 2), heldOut.length);
        for (int i = 0; i < lq.length; i++) {
            lq[i] -= logZ;
        }
        return new Result(Method.ENERGY_QUADRATURE, lq, -mean(lq), box, nodes, err, logZ, wide, Double.NaN,
                Double.NaN);
    }

    private static double boxLogZ(ModelState state, Grid2D grid) {
        double[] f = logDensityAt(state, grid.points(), grid.size());
        for (int k = 0; k < f.length; k++) {
            if (!Double.isFinite(f[k])) {
                // +∞ (E → −∞) has no normalizer; report it instead of a meaningless number
                throw new IllegalStateException("Likelihood: the energy is not finite at grid node ("
                        + grid.x(k % grid.nx()) + ", " + grid.y(k / grid.nx()) + "): " + f[k]);
            }
        }
        return DensityNormalizer.logZ(grid, f);
    }

    private static Result integrated(ModelState state, double[][] heldOut, Box box, int[] levels) {
        double sigma = state.model() instanceof NoiseConditionalMlp nc ? nc.smallestSigma() : Double.NaN;
        double prevNll = Double.NaN;
        double err = Double.NaN;
        double[] lq = null;
        ScoreIntegrator.Result last = null;
        int nodes = 0;
        BatchScore field = ModelFields.score(state);
        for (int n : levels) {
            Grid2D grid = box.grid(n);
            double[] scores = new double[2 * grid.size()];
            double[] pts = grid.points();
            for (int start = 0; start < grid.size(); start += CHUNK) {
                int m = Math.min(CHUNK, grid.size() - start);
                double[] part = Arrays.copyOfRange(pts, 2 * start, 2 * (start + m));
                double[] out = new double[2 * m];
                field.score(part, m, out);
                System.arraycopy(out, 0, scores, 2 * start, 2 * m);
            }
            double[] logp = new double[grid.size()];
            last = new ScoreIntegrator(grid).logDensity(scores, logp);
            double[] here = new double[heldOut.length];
            for (int j = 0; j < heldOut.length; j++) {
                double v = grid.interpolate(logp, heldOut[j][0], heldOut[j][1]);
                here[j] = Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
            }
            double nll = -mean(here);
            err = Math.abs(nll - prevNll);
            prevNll = nll;
            lq = here;
            nodes = n;
            if (err < QUADRATURE_TOLERANCE) {
                break;
            }
        }
        return new Result(Method.SCORE_INTEGRATION, lq, prevNll, box, nodes, err, last.logZ(), Double.NaN,
                last.nonConservativeFraction(), sigma);
    }

    /** −E (energy) or log q (flow) at n flat points, in chunks, without recording a graph. */
    private static double[] logDensityAt(ModelState state, double[] flat, int n) {
        ScoreModel model = state.model();
        int d = model.inputDim();
        Tensor theta = state.thetaTensor();
        double[] out = new double[n];
        for (int start = 0; start < n; start += CHUNK) {
            int m = Math.min(CHUNK, n - start);
            Tensor x = Tensor.of(new int[] {m, d}, Arrays.copyOfRange(flat, start * d, (start + m) * d));
            double[] v = Grad.noGrad(() -> model.logDensity(theta, x).orElseThrow()).toArray();
            System.arraycopy(v, 0, out, start, m);
        }
        return out;
    }

    private static double[] flatten(double[][] points, int d) {
        double[] flat = new double[points.length * d];
        for (int i = 0; i < points.length; i++) {
            if (points[i].length != d) {
                throw new IllegalArgumentException("Likelihood: point " + i + " has " + points[i].length
                        + " coordinates, the model takes " + d);
            }
            System.arraycopy(points[i], 0, flat, i * d, d);
        }
        return flat;
    }

    private static void requirePoint(double[] p, int index) {
        if (p.length != 2 || !Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
            throw new IllegalArgumentException("Likelihood: point " + index + " must have 2 finite coordinates, got "
                    + Arrays.toString(p));
        }
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
