package org.scorescope.analysis;

import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Tensor;
import org.scorescope.data.GaussianMixture;
import org.scorescope.model.DiffusionMlp;
import org.scorescope.model.ModelState;
import org.scorescope.model.NoiseConditionalMlp;
import org.scorescope.model.ScoreModel;

/**
 * What a model's Fisher divergence F = ½ E_{x∼p*}‖s_θ(x) − ∇ log p*(x)‖² should be measured against. A
 * noise-conditional model's {@link ScoreModel#score} is its estimate at the smallest level σ_L, i.e. of the score of
 * the data perturbed by N(0, σ_L²I), so its target is p* = p ∗ N(0, σ_L²I) ({@link GaussianMixture#convolved});
 * a diffusion model's is its estimate at the smallest time ε, so its target is the SDE's marginal p_ε
 * ({@link DiffusionMlp#marginal}); every other model targets p itself. (Against the clean p a perfect noise-conditional model would still show the
 * floor F(p_σ ‖ p), 0.044 on 8gaussians at σ = 0.1.) Stateless.
 */
public final class FisherTarget {
    private FisherTarget() {
    }

    /**
     * @param model a model
     * @param truth the data's exact density
     * @return {@code truth.convolved(σ_L)} for a noise-conditional model, p_ε for a diffusion model, {@code truth}
     *         otherwise
     */
    public static GaussianMixture of(ScoreModel model, GaussianMixture truth) {
        if (model instanceof DiffusionMlp dm) {
            return DiffusionMlp.marginal(dm.sde(), truth, dm.epsilon());
        }
        return model instanceof NoiseConditionalMlp nc ? truth.convolved(nc.smallestSigma()) : truth;
    }

    /**
     * @param model a model
     * @return a short label for charts and logs: "vs p" or "vs p ∗ N(0, σ²I), σ = …"
     */
    public static String describe(ScoreModel model) {
        if (model instanceof DiffusionMlp dm) {
            return "vs p_t at t = ε = " + dm.epsilon();
        }
        return model instanceof NoiseConditionalMlp nc ? "vs p ∗ N(0, σ²I), σ = " + nc.smallestSigma() : "vs p";
    }

    /**
     * F against {@link #of}, at n points drawn from that target (seeded, so repeated calls compare like with like).
     *
     * @param state model and parameters
     * @param truth the data's exact density
     * @param n     number of points, ≥ 1
     * @param seed  seed of the points
     * @return F ≥ 0
     */
    public static double fisherDivergence(ModelState state, GaussianMixture truth, int n, long seed) {
        GaussianMixture target = of(state.model(), truth);
        double[][] pts = target.sample(n, seed);
        Tensor th = state.thetaTensor();
        double[] s = Grad.noGrad(() -> state.model().score(th, Tensor.of(pts))).toArray();
        double[] flat = new double[pts.length * pts[0].length];
        for (int i = 0; i < pts.length; i++) {
            System.arraycopy(pts[i], 0, flat, i * pts[i].length, pts[i].length);
        }
        return target.fisherDivergence(flat, s);
    }
}
