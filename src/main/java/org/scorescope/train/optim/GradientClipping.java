package org.scorescope.train.optim;

/**
 * Gradient clipping by global L2 norm: if ‖g‖ = √(Σ g_i²) over all given arrays exceeds maxNorm, every entry is
 * multiplied by maxNorm / ‖g‖, so the clipped norm equals maxNorm (up to rounding). PyTorch's
 * {@code clip_grad_norm_} uses maxNorm / (‖g‖ + 1e-6) instead, which differs only in the sixth decimal of small
 * norms.
 */
public final class GradientClipping {
    private GradientClipping() {
    }

    /**
     * Global L2 norm √(Σ over all arrays of g_i²), computed without overflow or underflow for any finite input.
     *
     * @param grads one or more gradient arrays
     * @return the norm; NaN or +∞ if an entry is NaN or infinite
     */
    public static double globalNorm(double[]... grads) {
        double sum = 0.0;
        double maxAbs = 0.0;
        for (double[] g : grads) {
            for (double x : g) {
                sum += x * x;
                maxAbs = Math.max(maxAbs, Math.abs(x));
            }
        }
        if (Double.isNaN(sum) || Double.isNaN(maxAbs)) {
            return Double.NaN;
        }
        if (Double.isInfinite(maxAbs)) {
            return Double.POSITIVE_INFINITY;
        }
        if (maxAbs == 0.0) {
            return 0.0;
        }
        // Squares of entries beyond ~1e154 overflow and below ~1e-154 underflow; rescale only then.
        if (Double.isInfinite(sum) || sum < Double.MIN_NORMAL * 1e16) {
            double scaled = 0.0;
            for (double[] g : grads) {
                for (double x : g) {
                    double y = x / maxAbs;
                    scaled += y * y;
                }
            }
            return maxAbs * Math.sqrt(scaled);
        }
        return Math.sqrt(sum);
    }

    /**
     * Clips one gradient array in place to global norm at most {@code maxNorm}.
     *
     * @param grad    gradient, scaled in place by maxNorm/‖g‖ when ‖g‖ &gt; maxNorm
     * @param maxNorm the largest allowed norm, finite and &gt; 0
     * @return the norm before clipping; if it is NaN or infinite the gradient is left unchanged so that the caller
     *         can detect and skip the step
     */
    public static double clipGlobalNorm(double[] grad, double maxNorm) {
        return clipGlobalNorm(maxNorm, grad);
    }

    /**
     * Clips several gradient arrays (e.g. one per layer) jointly: all are scaled by the same factor
     * maxNorm/‖g‖ when their global norm ‖g‖ exceeds maxNorm.
     *
     * @param maxNorm the largest allowed norm, finite and &gt; 0
     * @param grads   the gradient arrays, scaled in place
     * @return the global norm before clipping (NaN or +∞ leaves the gradients unchanged)
     */
    public static double clipGlobalNorm(double maxNorm, double[]... grads) {
        if (!(maxNorm > 0.0) || !Double.isFinite(maxNorm)) {
            throw new IllegalArgumentException("maxNorm: must be finite and positive, found " + maxNorm);
        }
        double norm = globalNorm(grads);
        if (Double.isFinite(norm) && norm > maxNorm) {
            double scale = maxNorm / norm;
            for (double[] g : grads) {
                for (int i = 0; i < g.length; i++) {
                    g[i] *= scale;
                }
            }
        }
        return norm;
    }
}
