package org.scorescope.field;

import java.util.List;
import org.scorescope.analysis.ContourLine;
import org.scorescope.analysis.Grid2D;
import org.scorescope.analysis.Streamline;
import org.scorescope.data.GaussianMixture;

/**
 * Everything the view draws of one model state that is costly to compute, computed off the FX
 * thread by {@link FieldComputer}, in five parts: the density grid, the arrows, the lines (contours
 * and streamlines), the normalizers and diagnostics, and for a time-conditional model the noise level
 * shown. Treated as immutable: the arrays are never written after publication (readers must not write
 * them either).
 *
 * @param request   what was asked for (the rectangle these grids cover)
 * @param modelStep training step of the model these fields show
 * @param density   log p on the grid and its colour range
 * @param arrows    the score arrows
 * @param lines     contour lines and streamlines
 * @param stats     normalizers, the non-conservative share and the compute time
 * @param noise     the noise level of a diffusion or noise-conditional model, null for the other kinds
 */
public record FieldFrame(FieldRequest request, long modelStep, Density density, Arrows arrows, Lines lines,
                         Stats stats, Noise noise) {

    /** Fields of a model without noise levels. */
    public FieldFrame(FieldRequest request, long modelStep, Density density, Arrows arrows, Lines lines,
                      Stats stats) {
        this(request, modelStep, density, arrows, lines, stats, null);
    }

    /**
     * What a time-conditional model's fields show: its s_θ(·, t) and the density p_t at one time t of its SDE.
     *
     * @param time       t in [ε, 1]
     * @param sigma      s(t), the standard deviation of the noise added by time t
     * @param reference  what p_t and ∇log p_t are computed from ("exact", "KDE of the data"), or null when
     *                   neither is known (then there is no reference density or error)
     * @param error      log₁₀ of the squared score error ‖s_θ(x, t) − ∇log p_t(x)‖² on the density grid, or null
     *                   (not asked for, or no reference)
     * @param errorTop   max of {@code error} (top of its colour range)
     * @param errorBottom bottom of its colour range
     * @param flowPending true while the model's log p_t is the score's integral, waiting for the probability-flow
     *                   density (diffusion models); false once the density is the PF-ODE's (or has no PF-ODE)
     */
    public record Noise(double time, double sigma, String reference, double[] error, double errorTop,
                        double errorBottom, boolean flowPending) {
        /** @return whether the heat map shows the score error rather than log p */
        public boolean showsError() {
            return error != null;
        }
    }

    /**
     * The density grid and its colour range.
     *
     * @param grid          the density grid over the request's rectangle
     * @param logp          log p on the grid, normalized over the rectangle (row-major, y rows)
     * @param top           max of logp (the top of the colour range)
     * @param bottom        top − range: the bottom of the colour range
     * @param densitySource one line saying where log p came from
     * @param modes         how the model and the true density divide their mass in the view among the true
     *                      mixture's modes ({@link GaussianMixture#massByMode}), or null (no truth, or more than
     *                      {@link FieldComputer#MODE_MASS_COMPONENTS} modes)
     */
    public record Density(Grid2D grid, double[] logp, double top, double bottom, String densitySource,
                          ModeMass modes) {
    }

    /**
     * Mass by mode of the model and of the truth.
     *
     * @param model m_k of the model's density
     * @param truth m_k of the true density
     */
    public record ModeMass(double[] model, double[] truth) {
        /** @return the largest |model − truth| over the modes */
        public double largestError() {
            double e = 0;
            for (int k = 0; k < model.length; k++) {
                e = Math.max(e, Math.abs(model[k] - truth[k]));
            }
            return e;
        }
    }

    /**
     * The score arrows on a regular set of anchors.
     *
     * @param arrowXY        arrow anchors, interleaved (x, y)
     * @param arrowScore     model score at the anchors, interleaved
     * @param trueArrowScore true score at the anchors, interleaved, or null
     * @param arrowRef       reference magnitude: arrows reach one arrow spacing at this |s| (the 90th percentile)
     * @param arrowMax       largest |s| over the anchors
     */
    public record Arrows(double[] arrowXY, double[] arrowScore, double[] trueArrowScore, double arrowRef,
                         double arrowMax) {
    }

    /**
     * The contour lines and streamlines.
     *
     * @param levels       contour levels of log p
     * @param contours     model contour lines (labelled with their level)
     * @param trueContours true-density contour lines at the same levels (empty if none)
     * @param streamlines  evenly spaced streamlines of the model score (empty unless requested)
     */
    public record Lines(double[] levels, List<ContourLine> contours, List<ContourLine> trueContours,
                        List<Streamline> streamlines) {
    }

    /**
     * The normalizers of the view and what the computation measured.
     *
     * @param logZ            log of the view normalizer of the model's own log density (energy −E, flow log q),
     *                        NaN for a score network
     * @param trueLogZ        log of the true density's mass in the rectangle (its view normalizer), NaN without
     *                        truth
     * @param nonConservative fraction (RMS) of the score field that no potential explains (score nets), NaN
     *                        otherwise
     * @param computeMillis   wall time this computation took
     */
    public record Stats(double logZ, double trueLogZ, double nonConservative, double computeMillis) {
    }

    /** @return the number of arrows */
    public int arrowCount() {
        return arrows.arrowXY().length / 2;
    }

    // The parts' fields, read directly: the renderers and the inspector read them all over.

    /** @return see {@link Density#grid()} */
    public Grid2D grid() {
        return density.grid();
    }

    /** @return see {@link Density#logp()} */
    public double[] logp() {
        return density.logp();
    }

    /** @return see {@link Density#top()} */
    public double top() {
        return density.top();
    }

    /** @return see {@link Density#bottom()} */
    public double bottom() {
        return density.bottom();
    }

    /** @return see {@link Density#densitySource()} */
    public String densitySource() {
        return density.densitySource();
    }

    /** @return see {@link Arrows#arrowXY()} */
    public double[] arrowXY() {
        return arrows.arrowXY();
    }

    /** @return see {@link Arrows#arrowScore()} */
    public double[] arrowScore() {
        return arrows.arrowScore();
    }

    /** @return see {@link Arrows#trueArrowScore()} */
    public double[] trueArrowScore() {
        return arrows.trueArrowScore();
    }

    /** @return see {@link Arrows#arrowRef()} */
    public double arrowRef() {
        return arrows.arrowRef();
    }

    /** @return see {@link Arrows#arrowMax()} */
    public double arrowMax() {
        return arrows.arrowMax();
    }

    /** @return see {@link Lines#levels()} */
    public double[] levels() {
        return lines.levels();
    }

    /** @return see {@link Lines#contours()} */
    public List<ContourLine> contours() {
        return lines.contours();
    }

    /** @return see {@link Lines#trueContours()} */
    public List<ContourLine> trueContours() {
        return lines.trueContours();
    }

    /** @return see {@link Lines#streamlines()} */
    public List<Streamline> streamlines() {
        return lines.streamlines();
    }

    /** @return see {@link Density#modes()} */
    public ModeMass modes() {
        return density.modes();
    }

    /** @return see {@link Stats#logZ()} */
    public double logZ() {
        return stats.logZ();
    }

    /** @return see {@link Stats#trueLogZ()} */
    public double trueLogZ() {
        return stats.trueLogZ();
    }

    /** @return see {@link Stats#nonConservative()} */
    public double nonConservative() {
        return stats.nonConservative();
    }

    /** @return see {@link Stats#computeMillis()} */
    public double computeMillis() {
        return stats.computeMillis();
    }
}
