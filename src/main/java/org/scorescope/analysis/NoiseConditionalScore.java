package org.scorescope.analysis;

/**
 * A noise-conditional score {@code s(x, σ) ≈ ∇ log p_σ(x)}, the score of the data density convolved with
 * {@code N(0, σ²I)} (Song &amp; Ermon 2019), evaluated on a batch of 2-D points.
 */
@FunctionalInterface
public interface NoiseConditionalScore {
    /**
     * Evaluates the score at {@code n} points for noise level {@code sigma}.
     *
     * @param xs    interleaved points, at least {@code 2n} values
     * @param n     number of points
     * @param sigma the noise level {@code σ > 0}
     * @param out   receives the interleaved scores, at least {@code 2n} values
     */
    void score(double[] xs, int n, double sigma, double[] out);
}
