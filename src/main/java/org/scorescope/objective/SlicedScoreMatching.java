package org.scorescope.objective;

import java.util.Random;
import org.scorescope.autodiff.Ops;
import org.scorescope.autodiff.Probe;
import org.scorescope.autodiff.Tensor;
import org.scorescope.model.ScoreModel;

/**
 * Sliced score matching (Song et al. 2019): with n random projections v per sample (E[vvᵀ] = I),
 * L(θ) = mean_{b,k} [ v_kᵀ (∂s/∂x) v_k + ½ (v_kᵀ s)² ], or in the variance-reduced form
 * mean_{b,k} [ v_kᵀ (∂s/∂x) v_k ] + mean_b ½‖s‖², whose second term is exact. All n·B products
 * (∂s/∂x)·v come from ONE forward pass with batched tangents. Draws: the projections v (n, B, D), row-major.
 */
public final class SlicedScoreMatching implements Objective {
    private final int projections;
    private final Probe probe;
    private final boolean varianceReduced;

    /**
     * @param projections n ≥ 1 projections per sample
     * @param probe Gaussian or Rademacher projections
     * @param varianceReduced use the closed form ½‖s‖² for the second term
     */
    public SlicedScoreMatching(int projections, Probe probe, boolean varianceReduced) {
        if (projections < 1) {
            throw new IllegalArgumentException("projections must be ≥ 1, got " + projections);
        }
        this.projections = projections;
        this.probe = probe;
        this.varianceReduced = varianceReduced;
    }

    @Override
    public BatchDraws draw(ScoreModel model, Tensor x, Random rng) {
        int b = x.dim(0);
        int d = x.dim(1);
        Tensor v = probe == Probe.RADEMACHER ? Tensor.rademacher(rng, projections, b, d)
                : Tensor.randn(rng, projections, b, d);
        return BatchDraws.along(b, new Tensor[] {v}, new int[] {1});
    }

    @Override
    public Tensor lossWith(ScoreModel model, Tensor theta, Tensor x, BatchDraws draws) {
        Tensor v = draws.part(0);
        ScoreModel.SlicedTerms t = model.slicedTerms(theta, x, v, varianceReduced);
        Tensor second = varianceReduced
                ? Ops.mean(Ops.sum(Ops.square(t.score()), -1, false))
                : Ops.mean(Ops.square(t.projected()));
        // mean over (k, b) of v_kᵀ(∂s/∂x)v_k from its per-sample sums over k
        return Ops.add(Ops.mulScalar(Ops.mean(t.curvature()), 1.0 / projections), Ops.mulScalar(second, 0.5));
    }

    @Override
    public String describe() {
        return "sliced (" + projections + " " + probe.name().toLowerCase(java.util.Locale.ROOT)
                + (varianceReduced ? ", VR)" : ")");
    }
}
