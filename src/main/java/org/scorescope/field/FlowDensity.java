package org.scorescope.field;

import org.scorescope.analysis.Grid2D;

/**
 * A time-conditional model's own log-density log p_t on a grid, computed by the probability-flow ODE
 * ({@link org.scorescope.analysis.ProbabilityFlow#logDensity}) off the FX thread, possibly coarser than the view's
 * grid (the view interpolates it). Immutable; the array is never written after publication.
 *
 * @param version  the model version it was computed for (the worker's counter)
 * @param step     that model's training step
 * @param time     the time t of the density, in [ε, 1]
 * @param grid     the grid, covering the requested rectangle
 * @param logp     log p_t at the grid nodes (row-major, y rows), nats
 * @param refined  whether this is the finest level asked for (false: a coarse first pass, a finer one follows)
 * @param evaluations network evaluations the solve took
 * @param millis   wall time of the solve
 */
public record FlowDensity(long version, long step, double time, Grid2D grid, double[] logp, boolean refined,
                          long evaluations, double millis) {

    /**
     * @param area a rectangle
     * @param t    a time
     * @return whether this density covers exactly that rectangle at that time
     */
    public boolean covers(FieldRequest.Area area, double t) {
        return time == t && grid.xmin() == area.xmin() && grid.xmax() == area.xmax() && grid.ymin() == area.ymin()
                && grid.ymax() == area.ymax();
    }
}
