package org.scorescope.model;

import java.util.Arrays;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Ops;
import org.scorescope.autodiff.Tensor;
import org.scorescope.data.GaussianMixture;

/**
 * A time-conditional score network for a forward {@link Sde} (Song et al. 2021):
 * <pre>
 *   s(x, t; θ) = MLP([c(t)·x, sin(2π f_k t)_k, cos(2π f_k t)_k]; θ) / s(t),   t ∈ [ε, 1],
 * </pre>
 * an estimate of ∇ₓ log p_t(x), the score of the data pushed through the SDE to time t. s(t) is the perturbation
 * kernel's standard deviation ({@link Sde#std}) and c(t) = 1/√(m(t)² + s(t)²) ({@link Sde#inputScale}) keeps the
 * input at the data's scale; dividing by s(t) lets the network output the O(1) noise estimate −z at every t (the
 * same scaling as {@link NoiseConditionalMlp}'s 1/σ).
 *
 * <p>As a {@link ScoreModel} it is the data-score estimate at the smallest time: {@link #score(Tensor, Tensor)} =
 * s(x, ε). θ is the MLP's θ ({@link Mlp} layout; the first layer has D + 2K columns, the last D rows).
 */
public final class DiffusionMlp extends MlpModel {
    /** The time-feature frequencies of a fresh model: sin(2π f t) with f = ¼ is monotone on [0, 1]. */
    public static final double[] DEFAULT_FREQUENCIES = {0.25, 0.5, 1, 2};
    /** ε of a fresh model: p_ε is the data perturbed by a noise of s(ε) ≈ 0.01 for VP. */
    public static final double DEFAULT_EPSILON = 1e-3;

    private final DiffusionSpec time;
    private final Sde sde;
    private final double[] frequencies;

    /**
     * A network with {@code depth} hidden layers of {@code width}, the default frequencies and ε.
     *
     * @param inputDim   D
     * @param width      hidden width
     * @param depth      hidden layers
     * @param activation hidden activation
     * @param sde        the forward SDE
     */
    public DiffusionMlp(int inputDim, int width, int depth, Activation activation, Sde sde) {
        this(new Mlp(Mlp.widths(inputDim + 2 * DEFAULT_FREQUENCIES.length, width, depth, inputDim), activation,
                Activation.IDENTITY), new DiffusionSpec(sde, DEFAULT_EPSILON, DEFAULT_FREQUENCIES));
    }

    /**
     * @param mlp  a network from D + 2K inputs to D outputs
     * @param time the SDE, ε and the K frequencies
     */
    public DiffusionMlp(Mlp mlp, DiffusionSpec time) {
        super(mlp, checked(mlp, time));
        this.time = time;
        this.sde = time.sde();
        this.frequencies = time.frequencies();
    }

    private static int checked(Mlp mlp, DiffusionSpec time) {
        int[] w = mlp.widths();
        int d = w[0] - time.timeFeatures();
        if (d < 1 || w[w.length - 1] != d) {
            throw new IllegalArgumentException("a diffusion network maps [x, " + time.timeFeatures()
                    + " time features] ∈ R^(D+" + time.timeFeatures() + ") to Rᴰ, got " + w[0] + " → " + w[w.length - 1]);
        }
        return d;
    }

    /** @return the forward SDE */
    public Sde sde() {
        return sde;
    }

    /** @return ε, the smallest time */
    public double epsilon() {
        return time.epsilon();
    }

    /** @return the SDE, ε and the frequencies */
    public DiffusionSpec timeConditioning() {
        return time;
    }

    @Override
    public ModelSpec.Kind kind() {
        return ModelSpec.Kind.DIFFUSION;
    }

    /**
     * The raw network output MLP([c(t)x, φ(t)]) = s(t)·s(x, t; θ), the estimate of −z for x = m(t)x₀ + s(t)z.
     * Differentiable in θ and x (not in t: the features are constants).
     *
     * @param theta θ (P)
     * @param x     points (B, D)
     * @param t     per-row times in (0, 1], length B
     * @return (B, D)
     */
    public Tensor noiseOutput(Tensor theta, Tensor x, double[] t) {
        int b = checkShape(x, t);
        int k = frequencies.length;
        double[] feat = new double[b * 2 * k];
        double[] scale = new double[b];
        for (int i = 0; i < b; i++) {
            scale[i] = sde.inputScale(t[i]);
            for (int j = 0; j < k; j++) {
                double a = 2 * Math.PI * frequencies[j] * t[i];
                feat[i * 2 * k + j] = Math.sin(a);
                feat[i * 2 * k + k + j] = Math.cos(a);
            }
        }
        Tensor in = Ops.concat(Ops.mul(x, Tensor.of(new int[] {b, 1}, scale)), Tensor.of(new int[] {b, 2 * k}, feat));
        return mlp.forward(theta, in);
    }

    /**
     * s(x_b, t_b; θ) per row, differentiable in θ and x.
     *
     * @param theta θ (P)
     * @param x     points (B, D)
     * @param t     per-row times in (0, 1], length B
     * @return scores (B, D)
     */
    public Tensor score(Tensor theta, Tensor x, double[] t) {
        int b = checkShape(x, t);
        double[] inv = new double[b];
        for (int i = 0; i < b; i++) {
            inv[i] = 1 / sde.std(t[i]);
        }
        return Ops.mul(noiseOutput(theta, x, t), Tensor.of(new int[] {b, 1}, inv));
    }

    /**
     * s(x_b, t; θ) at one time for every row.
     *
     * @param theta θ (P)
     * @param x     points (B, D)
     * @param t     time in (0, 1]
     * @return scores (B, D)
     */
    public Tensor score(Tensor theta, Tensor x, double t) {
        if (!(t > 0 && t <= 1)) {
            throw new IllegalArgumentException("t must be in (0, 1], got " + t);
        }
        double[] ts = new double[x.rank() == 2 ? x.dim(0) : 0];
        Arrays.fill(ts, t);
        return score(theta, x, ts);
    }

    /** The data-score estimate s(x, ε; θ) at the smallest time. */
    @Override
    public Tensor score(Tensor theta, Tensor x) {
        return score(theta, x, epsilon());
    }

    private int checkShape(Tensor x, double[] t) {
        if (x.rank() != 2 || x.dim(1) != inputDim()) {
            throw new IllegalArgumentException("x must have shape (B, " + inputDim() + "), got "
                    + Arrays.toString(x.shape()));
        }
        if (t.length != x.dim(0)) {
            throw new IllegalArgumentException("expected " + x.dim(0) + " times, got " + t.length);
        }
        return t.length;
    }

    /**
     * The exact marginal p_t of a Gaussian mixture pushed through an SDE: every component N(μ, diag σ²) becomes
     * N(m(t)μ, diag(m(t)²σ² + s(t)²)), the weights stay.
     *
     * @param sde   the SDE
     * @param truth p_0
     * @param t     time in [0, 1]
     * @return p_t
     */
    public static GaussianMixture marginal(Sde sde, GaussianMixture truth, double t) {
        double m = sde.mean(t);
        double s = sde.std(t);
        int k = truth.components();
        double[] w = new double[k];
        double[][] mu = new double[k][];
        double[][] sd = new double[k][];
        for (int c = 0; c < k; c++) {
            w[c] = truth.weight(c);
            mu[c] = truth.mean(c);
            sd[c] = truth.sigma(c);
            for (int d = 0; d < mu[c].length; d++) {
                mu[c][d] *= m;
                sd[c][d] = Math.sqrt(m * m * sd[c][d] * sd[c][d] + s * s);
            }
        }
        return GaussianMixture.diagonal(w, mu, sd);
    }

    @Override
    public ModelSpec toSpec(double[] theta) {
        return ModelSpec.diffusion(inputDim(), mlp.activation(), mlp.outputActivation(), mlp.toLayers(theta), time);
    }
}
