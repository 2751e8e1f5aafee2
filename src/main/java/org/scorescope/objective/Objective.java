package org.scorescope.objective;

import java.util.Random;
import org.scorescope.autodiff.Tensor;
import org.scorescope.model.ScoreModel;

/**
 * A training objective L(θ) estimated on a batch of data x. Implementations build the loss from
 * differentiable engine ops, so its θ-gradient is one reverse pass and its θ-Hessian-vector products
 * one forward-over-reverse pass. Stochastic objectives draw their noise from the given Random, so a
 * fixed seed gives a fixed loss.
 */
public interface Objective {

    /**
     * The loss on a batch, a scalar tensor differentiable in θ: {@link #lossWith} on the draws of {@link #draw}.
     *
     * @param model the architecture
     * @param theta θ (P)
     * @param x data batch (B, D)
     * @param rng source of projections / noise (unused by deterministic objectives)
     * @return scalar loss
     */
    default Tensor loss(ScoreModel model, Tensor theta, Tensor x, Random rng) {
        return lossWith(model, theta, x, draw(model, x, rng));
    }

    /**
     * The batch's random values (noise, projections, levels), drawn from {@code rng} in the order the
     * objective documents. The default draws nothing (a deterministic objective).
     *
     * @param model the architecture
     * @param x data batch (B, D)
     * @param rng source of projections / noise
     * @return draws with batch axis length B
     * @throws IllegalArgumentException if the objective does not apply to the model
     */
    default BatchDraws draw(ScoreModel model, Tensor x, Random rng) {
        return BatchDraws.none(x.dim(0));
    }

    /**
     * The loss on a batch with its draws given: mean_b ℓ(x_b, draws_b; θ), a mean of per-sample terms, so the
     * loss of the whole batch is Σ_t (n_t/B)·(the loss of row range t with its rows of the draws).
     *
     * @param model the architecture
     * @param theta θ (P)
     * @param x data batch (B, D)
     * @param draws {@link #draw}'s values for these B rows
     * @return scalar loss
     */
    Tensor lossWith(ScoreModel model, Tensor theta, Tensor x, BatchDraws draws);

    /** @return a short human-readable description with its parameters, e.g. "sliced (4 Gaussian, VR)" */
    String describe();

    /**
     * The loss and its gradient ∇_θ L, one reverse pass per tile of {@link BatchTiles#rows} rows: the draws are
     * made for the whole batch first, so the result equals the untiled one up to rounding and does not depend on
     * the number of compute threads.
     *
     * @param model the architecture
     * @param theta θ of length P
     * @param x data batch (B, D)
     * @param rng source of projections / noise
     * @return loss value and gradient (length P)
     */
    default LossAndGradient lossAndGradient(ScoreModel model, double[] theta, Tensor x, Random rng) {
        return BatchTiles.lossAndGradient(this, model, theta, x, draw(model, x, rng),
                BatchTiles.rows(x.dim(0), x.dim(1)));
    }

    /**
     * A loss value with its parameter gradient.
     *
     * @param loss L(θ)
     * @param gradient ∇_θ L, length P
     */
    record LossAndGradient(double loss, double[] gradient) {
    }
}
