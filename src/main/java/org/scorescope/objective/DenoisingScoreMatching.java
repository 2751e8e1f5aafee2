package org.scorescope.objective;

import java.util.Random;
import org.scorescope.autodiff.Ops;
import org.scorescope.autodiff.Tensor;
import org.scorescope.model.ScoreModel;

/**
 * Denoising score matching (Vincent 2011) at one noise level σ: with x̃ = x + σε, ε ~ N(0, I),
 * L(θ) = mean_b ½‖s(x̃_b) + ε_b/σ‖², whose minimizer is the score of the data smoothed by N(0, σ²I).
 * For small σ, L − D/(2σ²) approaches the exact (Hyvärinen) loss. Draws: the B×D values ε,
 * {@code rng.nextGaussian()} row-major.
 */
public final class DenoisingScoreMatching implements Objective {
    private final double sigma;

    /** @param sigma noise standard deviation, > 0 */
    public DenoisingScoreMatching(double sigma) {
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("σ must be a positive finite number, got " + sigma);
        }
        this.sigma = sigma;
    }

    /** @return σ */
    public double sigma() {
        return sigma;
    }

    @Override
    public BatchDraws draw(ScoreModel model, Tensor x, Random rng) {
        return BatchDraws.of(x.dim(0), Tensor.randn(rng, x.shape()));
    }

    @Override
    public Tensor lossWith(ScoreModel model, Tensor theta, Tensor x, BatchDraws draws) {
        Tensor eps = draws.part(0);
        Tensor noisy = Ops.add(x, Ops.mulScalar(eps, sigma));
        Tensor residual = Ops.add(model.score(theta, noisy), Ops.mulScalar(eps, 1 / sigma));
        return Ops.mulScalar(Ops.mean(Ops.sum(Ops.square(residual), -1, false)), 0.5);
    }

    @Override
    public String describe() {
        return "denoising (σ = " + sigma + ")";
    }
}
