package org.scorescope.model;

import java.util.Optional;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Ops;
import org.scorescope.autodiff.ScoreOps;
import org.scorescope.autodiff.Tensor;

/**
 * A parametric model of a density on Rᴰ seen through its score s(x; θ) ≈ ∇ₓ log p(x). The model is
 * only the architecture: all parameters live in one flat vector θ (length {@link #parameterCount()}),
 * passed to every call as a Tensor, so that θ-gradients, θ-Hessians and HVPs are plain engine calls
 * on a single input. Implementations are immutable and thread-safe.
 */
public interface ScoreModel {

    /** @return what the network computes (energy, score, noise-conditional score, flow) */
    ModelSpec.Kind kind();

    /** @return D, the dimension of x */
    int inputDim();

    /** @return P, the length of θ */
    int parameterCount();

    /**
     * Fresh parameters, deterministic for a seed (PyTorch's default {@code nn.Linear} initialization
     * for MLP layers: W, b ~ U(−1/√fan_in, 1/√fan_in)).
     *
     * @param seed random seed
     * @return θ of length P
     */
    double[] initialParameters(long seed);

    /**
     * Fresh parameters that may depend on the training data, deterministic for a seed and the points. The
     * default ignores the points ({@link #initialParameters(long)}); a model whose fit depends on where its
     * first layer's units sit relative to the data overrides it.
     *
     * @param seed random seed
     * @param points training data (n × D); null or empty for the data-free initialization
     * @return θ of length P
     */
    default double[] initialParameters(long seed, double[][] points) {
        return initialParameters(seed);
    }

    /**
     * The score s(x; θ) = ∇ₓ log p(x; θ) per row of x, differentiable in θ and x.
     *
     * @param theta θ, shape (P)
     * @param x points, shape (B, D)
     * @return scores, shape (B, D)
     */
    Tensor score(Tensor theta, Tensor x);

    /**
     * The score and its exact divergence tr(∂s/∂x) per row, the two terms of the Hyvärinen loss.
     * The default pushes D forward tangents through {@link #score} in one pass that yields the score
     * too (the network runs once); models with a
     * cheaper exact form (an energy's forward Laplacian) override it.
     *
     * @param theta θ, shape (P)
     * @param x points, shape (B, D)
     * @return s (B, D) and tr(∂s/∂x) (B)
     */
    default ScoreAndDivergence scoreAndDivergence(Tensor theta, Tensor x) {
        ScoreOps.FieldAndDivergence r = ScoreOps.fieldAndDivergence(z -> score(theta, z), x);
        return new ScoreAndDivergence(r.field(), r.divergence());
    }

    /**
     * The terms of sliced score matching for K projections per sample: v_kᵀs(x_b) for every k and b, and
     * Σ_k v_kᵀ(∂s/∂x)(x_b)v_k per sample. The default pushes the K directions through {@link #score} as forward
     * tangents (forward-over-reverse for a score that is itself a gradient); an energy overrides it with a
     * directional jet, since there vᵀs = −∂_vE and vᵀ(∂s/∂x)v = −∂²_vE.
     *
     * @param theta θ, shape (P)
     * @param x points, shape (B, D)
     * @param v projections, shape (K, B, D), plain
     * @param withScore also return s (B, D) (the variance-reduced estimator needs ‖s‖²)
     * @return the terms
     */
    default SlicedTerms slicedTerms(Tensor theta, Tensor x, Tensor v, boolean withScore) {
        Grad.Jvp sj = Grad.jvp(z -> score(theta, z), x, v);
        Tensor s = sj.primal();
        Tensor curvature = Ops.sum(Ops.sum(Ops.mul(v, sj.tangent()), -1, false), 0, false);
        return new SlicedTerms(Ops.sum(Ops.mul(v, s), -1, false), curvature, withScore ? s : null);
    }

    /**
     * log p(x; θ) up to a θ-dependent constant where the model defines one: −E(x) for an energy,
     * the exact normalized log q(x) for a flow; empty for a score network (its field need not be a
     * gradient).
     *
     * @param theta θ, shape (P)
     * @param x points, shape (B, D)
     * @return (B), or empty
     */
    default Optional<Tensor> logDensity(Tensor theta, Tensor x) {
        return Optional.empty();
    }

    /** @return true when {@link #logDensity} is normalized (integrates to one), as for a flow */
    default boolean hasNormalizedDensity() {
        return false;
    }

    /**
     * The model file description of this architecture with parameters θ.
     *
     * @param theta θ of length P
     * @return a spec that {@link ModelState#fromSpec} turns back into this model and θ, bit-exactly
     */
    ModelSpec toSpec(double[] theta);

    /**
     * θ as a Tensor leaf for one evaluation; a convenience so callers never build shapes by hand.
     *
     * @param theta θ of length P (copied)
     * @return tensor of shape (P), tracked for reverse mode when {@code requiresGrad}
     */
    default Tensor parameters(double[] theta, boolean requiresGrad) {
        if (theta.length != parameterCount()) {
            throw new IllegalArgumentException("θ has " + theta.length + " values, the model needs " + parameterCount());
        }
        Tensor t = Tensor.of(new int[] {theta.length}, theta);
        return requiresGrad ? t.requiresGrad() : t;
    }

    /**
     * The terms of sliced score matching for K projections v_k per sample.
     *
     * @param projected v_kᵀs(x_b), shape (K, B)
     * @param curvature Σ_k v_kᵀ(∂s/∂x)(x_b)v_k, shape (B)
     * @param score s(x), shape (B, D), or null when not asked for
     */
    record SlicedTerms(Tensor projected, Tensor curvature, Tensor score) {
    }

    /**
     * The two terms of the exact score-matching loss per sample.
     *
     * @param score s(x), shape (B, D)
     * @param divergence tr(∂s/∂x), shape (B)
     */
    record ScoreAndDivergence(Tensor score, Tensor divergence) {
        /** @return the per-sample Hyvärinen integrand tr(∂s/∂x) + ½‖s‖², shape (B) */
        public Tensor hyvarinen() {
            return Ops.add(divergence, Ops.mulScalar(Ops.sum(Ops.square(score), -1, false), 0.5));
        }
    }
}
