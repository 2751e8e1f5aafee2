package org.scorescope.analysis;

import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Tensor;
import org.scorescope.autodiff.Probe;
import org.scorescope.autodiff.ScoreOps;
import org.scorescope.model.DiffusionMlp;
import org.scorescope.model.ModelState;
import org.scorescope.model.Sde;
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

    /**
     * A diffusion model's score s(x, t; θ) as a {@link TimeScore}.
     *
     * @param state a diffusion model and its parameters
     * @param model the same model, typed
     * @return a thread-safe time score
     */
    public static TimeScore diffusion(ModelState state, DiffusionMlp model) {
        Tensor theta = state.thetaTensor();
        int dim = model.inputDim();
        return (xs, n, t, out) -> {
            Tensor x = Tensor.of(new int[] {n, dim}, n * dim == xs.length ? xs : java.util.Arrays.copyOf(xs, n * dim));
            double[] s = Grad.noGrad(() -> model.score(theta, x, t)).toArray();
            System.arraycopy(s, 0, out, 0, n * dim);
        };
    }

    /**
     * A diffusion model's score with its exact divergence tr(∂s/∂x), from one forward pass with D batched tangents.
     *
     * @param state a diffusion model and its parameters
     * @param model the same model, typed
     * @return a thread-safe time score with divergence
     */
    public static TimeScore.WithDivergence diffusionWithDivergence(ModelState state, DiffusionMlp model) {
        Tensor theta = state.thetaTensor();
        int dim = model.inputDim();
        return (xs, n, t, out, div) -> {
            Tensor x = Tensor.of(new int[] {n, dim}, java.util.Arrays.copyOf(xs, n * dim));
            ScoreOps.FieldAndDivergence r = Grad.noGrad(() -> ScoreOps.fieldAndDivergence(
                    z -> model.score(theta, z, t), x));
            System.arraycopy(r.field().toArray(), 0, out, 0, n * dim);
            System.arraycopy(r.divergence().toArray(), 0, div, 0, n);
        };
    }

    /**
     * As {@link #diffusionWithDivergence} with Hutchinson's estimate vᵀ(∂s/∂x)v of the divergence (Grathwohl et al.
     * 2019), v Rademacher, one probe per point, fixed for every call with the same number of points so that an ODE
     * solve sees one smooth integrand (unbiased; for comparison with the exact trace).
     *
     * @param state a diffusion model and its parameters
     * @param model the same model, typed
     * @param seed  seed of the probes
     * @return a time score with a stochastic divergence (not thread-safe)
     */
    public static TimeScore.WithDivergence diffusionWithHutchinson(ModelState state, DiffusionMlp model, long seed) {
        Tensor theta = state.thetaTensor();
        int dim = model.inputDim();
        java.util.Random rng = new java.util.Random(seed);
        Tensor[] probe = new Tensor[1];
        return (xs, n, t, out, div) -> {
            if (probe[0] == null || probe[0].dim(1) != n) {
                probe[0] = Tensor.rademacher(rng, 1, n, dim);
            }
            Tensor v = probe[0];
            Tensor x = Tensor.of(new int[] {n, dim}, java.util.Arrays.copyOf(xs, n * dim));
            Grad.Jvp r = Grad.noGrad(() -> Grad.jvp(z -> model.score(theta, z, t), x, v));
            double[] tan = r.tangent().toArray();
            double[] vv = v.toArray();
            System.arraycopy(r.primal().toArray(), 0, out, 0, n * dim);
            for (int i = 0; i < n; i++) {
                double acc = 0;
                for (int d = 0; d < dim; d++) {
                    acc += tan[i * dim + d] * vv[i * dim + d];
                }
                div[i] = acc;
            }
        };
    }

    /**
     * A noise-conditional model seen as a VE diffusion: s(x, t) = s(x, σ(t)) with σ(t) = σ_L(σ_1/σ_L)^t, the
     * continuous interpolation of its ladder (its network reads any log σ).
     *
     * @param state a noise-conditional model and its parameters
     * @param model the same model, typed
     * @return the time score of {@link #veOf(NoiseConditionalMlp)}
     */
    public static TimeScore noiseConditionalInTime(ModelState state, NoiseConditionalMlp model) {
        NoiseConditionalScore nc = noiseConditional(state, model);
        Sde sde = veOf(model);
        return (xs, n, t, out) -> nc.score(xs, n, sde.std(t), out);
    }

    /**
     * @param model a noise-conditional model with at least two levels
     * @return the VE SDE from its smallest to its largest σ
     */
    public static Sde veOf(NoiseConditionalMlp model) {
        double[] s = model.sigmas();
        return Sde.ve(s[s.length - 1], s[0]);
    }

    /**
     * A diffusion model's score at the times where its perturbation has standard deviation σ, for annealed Langevin
     * dynamics over a σ ladder: s(x, t(σ)) with t(σ) the inverse of {@link Sde#std}.
     *
     * @param state a diffusion model and its parameters
     * @param model the same model, typed
     * @return a noise-conditional view of the model
     */
    public static NoiseConditionalScore diffusionBySigma(ModelState state, DiffusionMlp model) {
        TimeScore ts = diffusion(state, model);
        Sde sde = model.sde();
        return (xs, n, sigma, out) -> ts.score(xs, n, Math.min(1, Math.max(model.epsilon(), sde.timeOfStd(sigma))),
                out);
    }
}
