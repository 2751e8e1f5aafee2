package org.scorescope.analysis;

import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Tensor;
import org.scorescope.model.ModelState;

/**
 * Evaluations of a trained model over plain arrays, for samplers, grids and the CLI: the score
 * s(x; θ) at many points at once, computed without recording a graph.
 */
public final class ModelFields {
    private ModelFields() {
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
