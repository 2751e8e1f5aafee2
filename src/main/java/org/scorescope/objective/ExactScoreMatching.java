package org.scorescope.objective;

import org.scorescope.autodiff.Ops;
import org.scorescope.autodiff.Tensor;
import org.scorescope.model.ScoreModel;

/**
 * Hyvärinen's exact score matching: L(θ) = mean_b [ tr(∂s/∂x)(x_b) + ½‖s(x_b)‖² ], which equals
 * ½E‖s − ∇log p_data‖² up to a constant. The trace is exact: a forward Laplacian for energy models,
 * D forward tangents in one pass otherwise (never one reverse pass per dimension).
 */
public final class ExactScoreMatching implements Objective {

    @Override
    public Tensor lossWith(ScoreModel model, Tensor theta, Tensor x, BatchDraws draws) {
        return Ops.mean(model.scoreAndDivergence(theta, x).hyvarinen());
    }

    @Override
    public String describe() {
        return "exact";
    }
}
