package org.scorescope.objective;

import java.util.List;
import java.util.Random;
import org.scorescope.autodiff.Grad;
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
     * The loss on a batch, a scalar tensor differentiable in θ.
     *
     * @param model the architecture
     * @param theta θ (P)
     * @param x data batch (B, D)
     * @param rng source of projections / noise (unused by deterministic objectives)
     * @return scalar loss
     */
    Tensor loss(ScoreModel model, Tensor theta, Tensor x, Random rng);

    /** @return a short human-readable description with its parameters, e.g. "sliced (4 Gaussian, VR)" */
    String describe();

    /**
     * The loss and its gradient ∇_θ L, by one reverse pass.
     *
     * @param model the architecture
     * @param theta θ of length P
     * @param x data batch (B, D)
     * @param rng source of projections / noise
     * @return loss value and gradient (length P)
     */
    default LossAndGradient lossAndGradient(ScoreModel model, double[] theta, Tensor x, Random rng) {
        Tensor th = model.parameters(theta, true);
        Tensor loss = loss(model, th, x, rng);
        List<Tensor> g = Grad.grad(List.of(loss), List.of(th), null, false);
        return new LossAndGradient(loss.item(), g.get(0).toArray());
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
