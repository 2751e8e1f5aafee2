package org.scorescope.model;

/**
 * The common part of the models that are one {@link Mlp} over θ: the network, the data dimension D,
 * P = the network's parameter count, and PyTorch's default {@code nn.Linear} initialization.
 */
abstract class MlpModel implements ScoreModel {
    /** The network; θ is laid out as {@link Mlp} describes. */
    protected final Mlp mlp;
    private final int inputDim;

    /**
     * @param mlp the network
     * @param inputDim D, the dimension of x (the network may take more inputs, e.g. log σ)
     */
    MlpModel(Mlp mlp, int inputDim) {
        this.mlp = mlp;
        this.inputDim = inputDim;
    }

    /** @return the underlying network */
    public Mlp mlp() {
        return mlp;
    }

    @Override
    public int inputDim() {
        return inputDim;
    }

    @Override
    public int parameterCount() {
        return mlp.parameterCount();
    }

    /** PyTorch's default {@code nn.Linear} initialization for every layer (see {@link Mlp#initialParameters}). */
    @Override
    public double[] initialParameters(long seed) {
        return mlp.initialParameters(seed);
    }
}
