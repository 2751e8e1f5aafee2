package org.scorescope.objective;

import org.scorescope.autodiff.Ops;
import org.scorescope.autodiff.Tensor;
import org.scorescope.model.ScoreModel;

/**
 * Maximum likelihood: L(θ) = −mean_b log q(x_b; θ), the negative log-likelihood per sample, for models with an
 * exact normalized density (a flow). Equals KL(p_data ‖ q_θ) plus the data entropy. Deterministic: nothing is
 * drawn.
 */
public final class MaxLikelihood implements Objective {

    /**
     * −mean_b log q(x_b; θ).
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
        Tensor logQ = model.logDensity(theta, x).orElseThrow(() -> new IllegalArgumentException(
                "the " + model.kind().id() + " model claims a normalized density but returns no log-density"));
        return Ops.neg(Ops.mean(logQ));
    }

    @Override
    public String describe() {
        return "maximum likelihood";
    }
}
