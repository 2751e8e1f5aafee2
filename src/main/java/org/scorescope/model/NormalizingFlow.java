package org.scorescope.model;

import java.util.Optional;
import org.scorescope.autodiff.ScoreOps;
import org.scorescope.autodiff.Tensor;

/**
 * A model with an exact, normalized log-density log q(x) = log N(f(x); 0, I) + log|det ∂f/∂x|:
 * its density is {@link #logProb}, and its score s(x) = ∇ₓ log q(x) is one reverse pass through it,
 * differentiable in θ.
 */
public interface NormalizingFlow extends ScoreModel {
    /**
     * @param theta θ (P)
     * @param x points (B, D)
     * @return log q(x) per row (B), differentiable in θ and x
     */
    Tensor logProb(Tensor theta, Tensor x);

    @Override
    default Tensor score(Tensor theta, Tensor x) {
        return ScoreOps.inputGradient(z -> logProb(theta, z), x);
    }

    @Override
    default Optional<Tensor> logDensity(Tensor theta, Tensor x) {
        return Optional.of(logProb(theta, x));
    }

    /** @return true: ∫ q = 1 by the change-of-variables formula */
    @Override
    default boolean hasNormalizedDensity() {
        return true;
    }
}
