package org.scorescope.analysis;

import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Tensor;
import org.scorescope.model.ModelState;
import org.scorescope.model.NoiseConditionalMlp;

/**
 * Evaluations of a trained model over plain arrays, for samplers, grids and the CLI: the score
 * s(x; θ) at many points at once, computed without recording a graph.
 */
public final class ModelFields {
    private ModelFields() {
    }

    /**
     * A noise-conditional model's score s(x, σ; θ) as a {@link NoiseConditionalScore}, for annealed
     * Langevin sampling.
     *
     * @param state a noise-conditional model and its parameters
     * @param model the same model, typed
     * @return a thread-safe noise-conditional score function
     */
    public static NoiseConditionalScore noiseConditional(ModelState state, NoiseConditionalMlp model) {
        Tensor theta = state.thetaTensor();
        int dim = model.inputDim();
        return (xs, n, sigma, out) -> {
            Tensor x = Tensor.of(new int[] {n, dim}, n * dim == xs.length ? xs : java.util.Arrays.copyOf(xs, n * dim));
            double[] s = Grad.noGrad(() -> model.score(theta, x, sigma)).toArray();
            System.arraycopy(s, 0, out, 0, n * dim);
        };
    }

    /**
     * The model's score as a {@link BatchScore}: out[i·D + d] = s_d(x_i; θ).
     *
     * @param state model and parameters
     * @return a thread-safe batch score function
     */
    public static BatchScore score(ModelState state) {
        Tensor theta = state.thetaTensor();
        int dim = state.model().inputDim();
        return (xs, n, out) -> {
            Tensor x = Tensor.of(new int[] {n, dim}, n * dim == xs.length ? xs : java.util.Arrays.copyOf(xs, n * dim));
            double[] s = Grad.noGrad(() -> state.model().score(theta, x)).toArray();
            System.arraycopy(s, 0, out, 0, n * dim);
        };
    }
}
