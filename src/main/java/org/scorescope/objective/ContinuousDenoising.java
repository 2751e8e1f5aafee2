package org.scorescope.objective;

import java.util.Random;
import org.scorescope.autodiff.Ops;
import org.scorescope.autodiff.Tensor;
import org.scorescope.model.DiffusionMlp;
import org.scorescope.model.Sde;
import org.scorescope.model.ScoreModel;

/**
 * Continuous-time denoising score matching (Song et al. 2021, eq. 7) for a {@link DiffusionMlp}: per sample b a time
 * t_b ∈ [ε, 1], z_b ~ N(0, I), x_b(t) = m(t_b)x_b + s(t_b)z_b, and
 * <pre>
 *   L(θ) = mean_b ½ λ(t_b)‖s_θ(x_b(t_b), t_b) + z_b/s(t_b)‖²   with λ(t) = s(t)²,
 * </pre>
 * the usual weighting that makes every time's term O(1): λ(t)‖s_θ + z/s(t)‖² = ‖s(t)s_θ + z‖², the noise-prediction
 * loss of the network output ({@link DiffusionMlp#noiseOutput}).
 *
 * <p>The times are stratified: t_b = ε + (1 − ε)(π(b) + u_b)/B for a random permutation π and u_b ~ U(0, 1), so
 * every batch covers [ε, 1] evenly (an unbiased estimate of the uniform-t loss with less variance than i.i.d. t).
 * Random draws, in this order: the B permutation swaps, the B offsets u_b, then the B×D noise values
 * {@code rng.nextGaussian()} row-major; a fixed seed gives a fixed loss.
 */
public final class ContinuousDenoising implements Objective {

    /**
     * The stratified times t (B) and the noise z (B, D).
     *
     * @throws IllegalArgumentException if the model is not a diffusion model
     */
    @Override
    public BatchDraws draw(ScoreModel model, Tensor x, Random rng) {
        double eps = diffusion(model).epsilon();
        int b = x.dim(0);
        int d = x.dim(1);
        int[] order = new int[b];
        for (int i = 0; i < b; i++) {
            order[i] = i;
        }
        for (int i = b - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        double[] t = new double[b];
        for (int i = 0; i < b; i++) {
            t[i] = eps + (1 - eps) * (order[i] + rng.nextDouble()) / b;
        }
        return BatchDraws.of(b, Tensor.of(new int[] {b}, t), Tensor.randn(rng, b, d));
    }

    /**
     * The loss at the drawn times and noise.
     *
     * @throws IllegalArgumentException if the model is not a diffusion model
     */
    @Override
    public Tensor lossWith(ScoreModel model, Tensor theta, Tensor x, BatchDraws draws) {
        DiffusionMlp dm = diffusion(model);
        Sde sde = dm.sde();
        int b = x.dim(0);
        double[] t = draws.part(0).toArray();
        Tensor z = draws.part(1);
        double[] mean = new double[b];
        double[] std = new double[b];
        for (int i = 0; i < b; i++) {
            mean[i] = sde.mean(t[i]);
            std[i] = sde.std(t[i]);
        }
        Tensor noisy = Ops.add(Ops.mul(x, Tensor.of(new int[] {b, 1}, mean)),
                Ops.mul(z, Tensor.of(new int[] {b, 1}, std)));
        Tensor residual = Ops.add(dm.noiseOutput(theta, noisy, t), z);
        return Ops.mulScalar(Ops.mean(Ops.sum(Ops.square(residual), -1, false)), 0.5);
    }

    private static DiffusionMlp diffusion(ScoreModel model) {
        if (!(model instanceof DiffusionMlp dm)) {
            throw new IllegalArgumentException("continuous denoising needs a diffusion model (kind diffusion, "
                    + "s(x, t)); a " + model.kind().id() + " model has no time input");
        }
        return dm;
    }

    @Override
    public String describe() {
        return "continuous denoising (λ(t) = s(t)², t stratified on [ε, 1])";
    }
}
