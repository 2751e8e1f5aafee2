package org.scorescope.analysis;

/**
 * A score function {@code s(x) = ∇ log p(x)} evaluated on a batch of 2-D points.
 *
 * <p>Implementations must write {@code out[2i] = s_x(x_i)}, {@code out[2i+1] = s_y(x_i)} for
 * {@code i < n} and must not keep references to the arrays.
 */
@FunctionalInterface
public interface BatchScore {
    /**
     * Evaluates the score at {@code n} points.
     *
     * @param xs  interleaved points {@code x0, y0, x1, y1, …}, at least {@code 2n} values
     * @param n   number of points
     * @param out receives the interleaved scores, at least {@code 2n} values
     */
    void score(double[] xs, int n, double[] out);
}
