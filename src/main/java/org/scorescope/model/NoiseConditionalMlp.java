package org.scorescope.model;

import java.util.Arrays;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Ops;
import org.scorescope.autodiff.Tensor;

/**
 * A noise-conditional score network (NCSN, Song &amp; Ermon 2019, with the v2 output scaling of Song &amp; Ermon
 * 2020): s(x, σ; θ) = MLP([x, log σ]; θ) / σ, an estimate of the score ∇ₓ log p_σ(x) of the data smoothed by
 * N(0, σ²I), over a fixed list of noise levels σ_1 &gt; … &gt; σ_L (usually geometric). Dividing by σ lets the network
 * output O(1) numbers at every level, since ‖∇ₓ log p_σ‖ ~ 1/σ.
 *
 * <p>As a {@link ScoreModel} it is the data-score estimate at the smallest level: {@link #score(Tensor, Tensor)}
 * = s(x, σ_L). θ is the MLP's θ ({@link Mlp} layout; the first layer has D + 1 columns, the last D rows).
 */
public final class NoiseConditionalMlp extends MlpModel {
    private final double[] sigmas;

    /**
     * A network with {@code depth} hidden layers of {@code width} and a geometric schedule
     * ({@link #geometricSigmas}).
     *
     * @param inputDim D
     * @param width hidden width
     * @param depth number of hidden layers
     * @param activation hidden activation
     * @param sigmaMax σ_1
     * @param sigmaMin σ_L
     * @param levels L
     */
    public NoiseConditionalMlp(int inputDim, int width, int depth, Activation activation, double sigmaMax,
                               double sigmaMin, int levels) {
        this(new Mlp(Mlp.widths(inputDim + 1, width, depth, inputDim), activation, Activation.IDENTITY),
                geometricSigmas(sigmaMax, sigmaMin, levels));
    }

    /**
     * @param mlp a network from D + 1 inputs ([x, log σ]) to D outputs
     * @param sigmas the noise levels, strictly descending, positive and finite (copied)
     */
    public NoiseConditionalMlp(Mlp mlp, double[] sigmas) {
        super(checked(mlp), mlp.widths()[0] - 1);
        this.sigmas = checkSigmas(sigmas);
    }

    private static Mlp checked(Mlp mlp) {
        int[] w = mlp.widths();
        if (w[0] < 2 || w[w.length - 1] != w[0] - 1) {
            throw new IllegalArgumentException("a noise-conditional network maps [x, log σ] ∈ R^(D+1) to Rᴰ, got "
                    + w[0] + " → " + w[w.length - 1]);
        }
        return mlp;
    }

    private static double[] checkSigmas(double[] sigmas) {
        if (sigmas.length == 0) {
            throw new IllegalArgumentException("sigmas: expected at least one noise level");
        }
        double[] s = sigmas.clone();
        for (int i = 0; i < s.length; i++) {
            if (!(s[i] > 0) || !Double.isFinite(s[i])) {
                throw new IllegalArgumentException("sigmas[" + i + "]: expected a positive finite number, found " + s[i]);
            }
            if (i > 0 && !(s[i] < s[i - 1])) {
                throw new IllegalArgumentException("sigmas[" + i + "]: expected strictly descending levels, found "
                        + s[i] + " after " + s[i - 1]);
            }
        }
        return s;
    }

    /**
     * The geometric schedule σ_i = σ_max·(σ_min/σ_max)^{(i−1)/(L−1)}, i = 1..L, with both ends exact
     * (σ_1 = σ_max, σ_L = σ_min bit for bit).
     *
     * @param sigmaMax σ_1, positive and finite
     * @param sigmaMin σ_L, with 0 &lt; σ_min &lt; σ_max (or σ_min = σ_max when L = 1)
     * @param levels L ≥ 1
     * @return the L levels, strictly descending
     */
    public static double[] geometricSigmas(double sigmaMax, double sigmaMin, int levels) {
        if (levels < 1) {
            throw new IllegalArgumentException("levels: expected at least 1, got " + levels);
        }
        if (!(sigmaMin > 0) || !Double.isFinite(sigmaMax) || !(sigmaMin <= sigmaMax)) {
            throw new IllegalArgumentException("expected 0 < sigmaMin ≤ sigmaMax < ∞, got sigmaMin " + sigmaMin
                    + ", sigmaMax " + sigmaMax);
        }
        if (levels == 1) {
            if (sigmaMin != sigmaMax) {
                throw new IllegalArgumentException("one noise level needs sigmaMin = sigmaMax, got sigmaMin "
                        + sigmaMin + ", sigmaMax " + sigmaMax);
            }
            return new double[] {sigmaMax};
        }
        if (sigmaMin == sigmaMax) {
            throw new IllegalArgumentException(levels + " noise levels need sigmaMin < sigmaMax, both are " + sigmaMax);
        }
        double[] s = new double[levels];
        double ratio = sigmaMin / sigmaMax;
        s[0] = sigmaMax;
        for (int i = 1; i < levels - 1; i++) {
            s[i] = sigmaMax * Math.pow(ratio, (double) i / (levels - 1));
        }
        s[levels - 1] = sigmaMin;
        return checkSigmas(s);
    }

    /** @return a copy of the noise levels σ_1 &gt; … &gt; σ_L */
    public double[] sigmas() {
        return sigmas.clone();
    }

    /** @return σ_L, the level at which {@link #score(Tensor, Tensor)} evaluates */
    public double smallestSigma() {
        return sigmas[sigmas.length - 1];
    }

    @Override
    public ModelSpec.Kind kind() {
        return ModelSpec.Kind.NOISE_CONDITIONAL;
    }

    /**
     * s(x_b, σ_b; θ) = MLP([x_b, log σ_b]; θ) / σ_b per row, differentiable in θ, x and σ.
     *
     * @param theta θ (P)
     * @param x points (B, D)
     * @param sigma per-sample noise levels, shape (B) or (B, 1), positive (any values, not only the schedule's)
     * @return scores (B, D)
     */
    public Tensor score(Tensor theta, Tensor x, Tensor sigma) {
        if (x.rank() != 2 || x.dim(1) != inputDim()) {
            throw new IllegalArgumentException("x must have shape (B, " + inputDim() + "), got "
                    + Arrays.toString(x.shape()));
        }
        int b = x.dim(0);
        boolean column = sigma.rank() == 2 && sigma.dim(0) == b && sigma.dim(1) == 1;
        if (!column && !(sigma.rank() == 1 && sigma.dim(0) == b)) {
            throw new IllegalArgumentException("sigma must have shape (" + b + ") or (" + b + ", 1) for " + b
                    + " points, got " + Arrays.toString(sigma.shape()));
        }
        Tensor s = column ? sigma : Ops.reshape(sigma, b, 1);
        Tensor out = mlp.forward(theta, Ops.concat(x, Ops.log(s)));
        return Ops.div(out, s);
    }

    /**
     * s(x_b, σ; θ) at one noise level for every row.
     *
     * @param theta θ (P)
     * @param x points (B, D)
     * @param sigma σ &gt; 0
     * @return scores (B, D)
     */
    public Tensor score(Tensor theta, Tensor x, double sigma) {
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("σ must be a positive finite number, got " + sigma);
        }
        return score(theta, x, Tensor.full(sigma, x.dim(0), 1));
    }

    /** The data-score estimate s(x, σ_L; θ) at the smallest noise level. */
    @Override
    public Tensor score(Tensor theta, Tensor x) {
        return score(theta, x, smallestSigma());
    }

    @Override
    public ModelSpec toSpec(double[] theta) {
        return ModelSpec.noiseConditional(inputDim(), mlp.activation(), mlp.outputActivation(), mlp.toLayers(theta),
                sigmas);
    }
}
