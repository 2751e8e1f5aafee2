package org.scorescope.model;

import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Tensor;

/**
 * A score network s(x; θ): Rᴰ → Rᴰ, an MLP that outputs the score directly. Its field need not be
 * a gradient (its Jacobian may be asymmetric: the curl); the exact divergence comes from D forward
 * tangents in one pass.
 */
public final class ScoreMlp extends MlpModel {

    /**
     * @param inputDim D
     * @param width hidden width
     * @param depth number of hidden layers
     * @param activation hidden activation
     */
    public ScoreMlp(int inputDim, int width, int depth, Activation activation) {
        this(new Mlp(Mlp.widths(inputDim, width, depth, inputDim), activation, Activation.IDENTITY));
    }

    /** @param mlp a network with as many outputs as inputs */
    public ScoreMlp(Mlp mlp) {
        super(checked(mlp), mlp.widths()[0]);
    }

    private static Mlp checked(Mlp mlp) {
        int[] w = mlp.widths();
        if (w[w.length - 1] != w[0]) {
            throw new IllegalArgumentException("a score network maps Rᴰ to Rᴰ, got " + w[0] + " → " + w[w.length - 1]);
        }
        return mlp;
    }

    @Override
    public ModelSpec.Kind kind() {
        return ModelSpec.Kind.SCORE;
    }

    @Override
    public Tensor score(Tensor theta, Tensor x) {
        return mlp.forward(theta, x);
    }

    @Override
    public ModelSpec toSpec(double[] theta) {
        return new ModelSpec(ModelSpec.Kind.SCORE, inputDim(), mlp.activation(), mlp.outputActivation(),
                mlp.toLayers(theta));
    }
}
