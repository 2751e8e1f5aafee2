package org.scorescope.objective;

import java.util.Random;
import org.scorescope.autodiff.Ops;
import org.scorescope.autodiff.Tensor;
import org.scorescope.model.ScoreModel;

/**
 * Maximum likelihood: L(θ) = −mean_b log q(x_b; θ), the negative log-likelihood per sample, for models with an
 * exact normalized density (a flow). Equals KL(p_data ‖ q_θ) plus the data entropy. With a smoothing σ &gt; 0 every
 * batch is blurred afresh, L(θ) = −mean_b log q(x_b + σε_b; θ) with ε_b ~ N(0, I), whose minimizer is the data
 * convolved with N(0, σ²I) (a kernel density estimate's target), so a flexible flow cannot collapse onto a few
 * points. Draws: for σ &gt; 0 the B×D values ε, {@code rng.nextGaussian()} row-major; none for σ = 0.
 */
public final class MaxLikelihood implements Objective {
    private final double smoothing;

    /** Maximum likelihood of the data as given. */
    public MaxLikelihood() {
        this(0);
    }

    /**
     * @param smoothing σ ≥ 0 of the Gaussian noise added to every batch (0: none)
     */
    public MaxLikelihood(double smoothing) {
        if (!(smoothing >= 0) || !Double.isFinite(smoothing)) {
            throw new IllegalArgumentException("smoothing σ must be finite and ≥ 0, got " + smoothing);
        }
        this.smoothing = smoothing;
    }

    /** @return the smoothing σ, 0 for none */
    public double smoothing() {
        return smoothing;
    }

    @Override
    public BatchDraws draw(ScoreModel model, Tensor x, Random rng) {
        return smoothing > 0 ? BatchDraws.of(x.dim(0), Tensor.randn(rng, x.shape())) : BatchDraws.none(x.dim(0));
    }

    /**
     * −mean_b log q(x_b + σε_b; θ).
     *
     * @throws IllegalArgumentException if the model has no normalized density (an energy's −E lacks log Z(θ), a
     *                                  score network has none at all)
     */
    @Override
    public Tensor lossWith(ScoreModel model, Tensor theta, Tensor x, BatchDraws draws) {
        if (!model.hasNormalizedDensity()) {
            throw new IllegalArgumentException("maximum likelihood needs a model with a normalized density (a flow); "
                    + "a " + model.kind().id() + " model has none");
        }
        if (smoothing > 0) {
            x = Ops.add(x, Ops.mulScalar(draws.part(0), smoothing));
        }
        Tensor logQ = model.logDensity(theta, x).orElseThrow(() -> new IllegalArgumentException(
                "the " + model.kind().id() + " model claims a normalized density but returns no log-density"));
        return Ops.neg(Ops.mean(logQ));
    }

    @Override
    public String describe() {
        return smoothing > 0 ? "maximum likelihood (smoothing σ = " + smoothing + ")" : "maximum likelihood";
    }
}
