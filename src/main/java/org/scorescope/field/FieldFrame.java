package org.scorescope.field;

import java.util.List;
import org.scorescope.analysis.ContourLine;
import org.scorescope.analysis.Grid2D;
import org.scorescope.analysis.Streamline;

/**
 * Everything the view draws of one model state that is costly to compute, computed off the FX
 * thread by {@link FieldComputer}. Treated as immutable: the arrays are never written after
 * publication (readers must not write them either).
 *
 * @param request           what was asked for (the rectangle these grids cover)
 * @param modelStep         training step of the model these fields show
 * @param grid              the density grid over the request's rectangle
 * @param logp              log p on the grid, normalized over the rectangle (row-major, y rows)
 * @param top               max of logp (the top of the colour range)
 * @param bottom            top − range: the bottom of the colour range
 * @param arrowXY           arrow anchors, interleaved (x, y)
 * @param arrowScore        model score at the anchors, interleaved
 * @param trueArrowScore    true score at the anchors, interleaved, or null
 * @param arrowRef          reference magnitude: arrows reach one arrow spacing at this |s| (the 90th percentile)
 * @param arrowMax          largest |s| over the anchors
 * @param levels            contour levels of log p
 * @param contours          model contour lines (labelled with their level)
 * @param trueContours      true-density contour lines at the same levels (empty if none)
 * @param streamlines       evenly spaced streamlines of the model score (empty unless requested)
 * @param logZ              log of the view normalizer of the model's own log density (energy −E, flow log q),
 *                          NaN for a score network
 * @param trueLogZ          log of the true density's mass in the rectangle (its view normalizer), NaN without truth
 * @param nonConservative   fraction (RMS) of the score field that no potential explains (score nets), NaN otherwise
 * @param densitySource     one line saying where log p came from
 * @param computeMillis     wall time this computation took
 */
public record FieldFrame(FieldRequest request, long modelStep, Grid2D grid, double[] logp, double top, double bottom,
                         double[] arrowXY, double[] arrowScore, double[] trueArrowScore, double arrowRef, double arrowMax,
                         double[] levels, List<ContourLine> contours, List<ContourLine> trueContours,
                         List<Streamline> streamlines, double logZ, double trueLogZ, double nonConservative, String densitySource,
                         double computeMillis) {

    /** @return the number of arrows */
    public int arrowCount() {
        return arrowXY.length / 2;
    }
}
