package org.scorescope.analysis;

/**
 * A time-conditional score s(x, t) ≈ ∇ₓ log p_t(x) of the marginals of a forward SDE, evaluated on a batch of points
 * (interleaved, D = 2: {@code x0, y0, x1, y1, …}). Implementations write {@code out[2i + d]} for {@code i < n} and
 * keep no references to the arrays.
 */
@FunctionalInterface
public interface TimeScore {
    /**
     * @param xs  interleaved points, at least {@code 2n} values
     * @param n   number of points
     * @param t   time in (0, 1]
     * @param out receives the interleaved scores, at least {@code 2n} values
     */
    void score(double[] xs, int n, double t, double[] out);

    /**
     * A time score with the divergence ∇ₓ·s(x, t) per point, for the probability-flow likelihood.
     */
    @FunctionalInterface
    interface WithDivergence {
        /**
         * @param xs  interleaved points
         * @param n   number of points
         * @param t   time in (0, 1]
         * @param out receives the interleaved scores
         * @param div receives tr(∂s/∂x) per point (exact or an unbiased estimate)
         */
        void scoreAndDivergence(double[] xs, int n, double t, double[] out, double[] div);
    }
}
