package org.scorescope.model;

import java.util.Optional;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.LaplacianJet;
import org.scorescope.autodiff.Ops;
import org.scorescope.autodiff.ScoreOps;
import org.scorescope.autodiff.Tensor;

/**
 * An energy model: a scalar MLP E(x; θ) with p(x) ∝ exp(−E(x)) and score s(x) = −∇ₓE(x), a
 * conservative field by construction. Its exact score-matching terms come from one forward
 * Laplacian pass: s = −∇ₓE and tr(∂s/∂x) = −ΔE.
 */
public final class EnergyMlp extends MlpModel {

    /**
     * @param inputDim D
     * @param width hidden width
     * @param depth number of hidden layers
     * @param activation hidden activation
     */
    public EnergyMlp(int inputDim, int width, int depth, Activation activation) {
        this(new Mlp(Mlp.widths(inputDim, width, depth, 1), activation, Activation.IDENTITY));
    }

    /** @param mlp a network with one output */
    public EnergyMlp(Mlp mlp) {
        super(checked(mlp), mlp.widths()[0]);
    }

    private static Mlp checked(Mlp mlp) {
        int[] w = mlp.widths();
        if (w[w.length - 1] != 1) {
            throw new IllegalArgumentException("an energy network has one output, got " + w[w.length - 1]);
        }
        return mlp;
    }

    /**
     * PyTorch's default initialization with the first layer's units anchored at training points
     * ({@link Mlp#initialParameters(long, double[][])}): the energy's curvature sits where the data are. On
     * 8gaussians this halves the exact loss's Fisher divergence after the default 3000 steps (docs/training.md).
     */
    @Override
    public double[] initialParameters(long seed, double[][] points) {
        return mlp.initialParameters(seed, points);
    }

    @Override
    public ModelSpec.Kind kind() {
        return ModelSpec.Kind.ENERGY;
    }

    /**
     * E(x; θ) per row.
     *
     * @param theta θ (P)
     * @param x (B, D)
     * @return (B)
     */
    public Tensor energy(Tensor theta, Tensor x) {
        return Ops.reshape(mlp.forward(theta, x), x.dim(0));
    }

    /** s = −∇ₓE, by one reverse pass that stays differentiable in θ (and x). */
    @Override
    public Tensor score(Tensor theta, Tensor x) {
        return Ops.neg(ScoreOps.inputGradient(z -> energy(theta, z), x));
    }

    /** Forward Laplacian: s = −∇ₓE and tr(∂s/∂x) = −ΔE from one jet pass. */
    @Override
    public ScoreAndDivergence scoreAndDivergence(Tensor theta, Tensor x) {
        LaplacianJet j = mlp.jet(theta, x);
        return new ScoreAndDivergence(Ops.neg(j.gradient()), Ops.neg(j.laplacianScalar()));
    }

    /**
     * A directional jet along the K projections: vᵀs = −∂_vE from its first-order slices and
     * Σ_k v_kᵀ(∂s/∂x)v_k = −Σ_k ∂²_{v_k}E from its second-order slice, K + 2 streams in one forward pass
     * instead of a forward pass over the reverse-mode score. When s is asked for, the coordinate axes ride along
     * as D first-order-only streams (s = −∇ₓE, K + D + 2 streams).
     */
    @Override
    public SlicedTerms slicedTerms(Tensor theta, Tensor x, Tensor v, boolean withScore) {
        LaplacianJet j = mlp.jetAlong(theta, x, v, withScore);
        int k = v.dim(0);
        int b = x.dim(0);
        int d = x.dim(1);
        Tensor jac = Ops.reshape(j.jacobian(), 1, (withScore ? k + d : k) * b);
        Tensor projected = Ops.neg(Ops.reshape(withScore ? Ops.slice(jac, 0, k * b) : jac, k, b));
        Tensor curvature = Ops.neg(j.laplacianScalar());
        Tensor score = withScore
                ? Ops.neg(Ops.transpose(Ops.reshape(Ops.slice(jac, k * b, (k + d) * b), d, b)))
                : null;
        return new SlicedTerms(projected, curvature, score);
    }

    /** log p = −E up to the normalizing constant log Z(θ). */
    @Override
    public Optional<Tensor> logDensity(Tensor theta, Tensor x) {
        return Optional.of(Ops.neg(energy(theta, x)));
    }

    @Override
    public ModelSpec toSpec(double[] theta) {
        return new ModelSpec(ModelSpec.Kind.ENERGY, inputDim(), mlp.activation(), mlp.outputActivation(),
                mlp.toLayers(theta));
    }
}
