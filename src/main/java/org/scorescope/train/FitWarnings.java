package org.scorescope.train;

import java.util.Locale;

/**
 * Judges a run's held-out quality from its history and best model, and words the warnings. Two cases:
 * <ul>
 *   <li><b>Degenerate fit</b> ({@link #degenerate}): the training loss falls while the held-out NLL rises. The
 *       model sharpens its density around the training points (exact or sliced score matching on a small sample
 *       has no lower bound: the loss → −∞ as q collapses onto the points), which is memorisation, not learning.
 *       Detected when, after the NLL's best evaluation, the NLL has risen by at least {@link #NLL_RISE} nats and
 *       the loss has fallen by at least {@link #LOSS_FALL} (absolute) and 10% of its magnitude at the best step.
 *       The remedy is denoising score matching at σ ≈ 1.5 × the data's median nearest-neighbour distance (the
 *       small-data default, {@link SmallData}).</li>
 *   <li><b>Degraded</b> ({@link #degraded}): the current quality is far from the best: NLL at least
 *       {@link #NLL_RISE} nats above the best (the held-out likelihood fell by a factor e^0.5 ≈ 1.65 per point),
 *       or a Fisher divergence above {@link #FISHER_RATIO} times the best. Typical of a learning rate too high
 *       to settle (Adam at lr 10) or a long run that drifts.</li>
 * </ul>
 * Stateless.
 */
public final class FitWarnings {
    /** NLL rise above the best that counts as degraded, nats. */
    public static final double NLL_RISE = 0.5;
    /** Fisher divergence ratio to the best that counts as degraded. */
    public static final double FISHER_RATIO = 2.0;
    /** Smallest absolute loss fall that counts as "falling". */
    public static final double LOSS_FALL = 0.5;
    /** NLL evaluations needed before a trend is judged. */
    static final int MIN_EVALUATIONS = 3;
    /** Rows of loss averaged at each end, so that minibatch noise does not decide. */
    private static final int LOSS_WINDOW = 10;

    private FitWarnings() {
    }

    /**
     * @param best    the best model so far, or null
     * @param current the quality now, in the best model's metric (NaN: unknown)
     * @param step    the step now
     * @return a one-line warning when the quality now is far from the best, else null
     */
    public static String degraded(HeldOutQuality.Best best, double current, long step) {
        if (best == null || !Double.isFinite(current) || step <= best.step()) {
            return null;
        }
        boolean far = best.metric() == HeldOutQuality.Metric.NLL ? current - best.value() >= NLL_RISE
                : current > FISHER_RATIO * best.value();
        if (!far) {
            return null;
        }
        return "quality degraded: the " + best.metric().label() + " is " + num(current) + " at step " + step
                + ", against " + num(best.value()) + " at step " + best.step()
                + " (the best model, kept); the learning rate may be too high";
    }

    /**
     * @param h      the history (NaN NLL between evaluations)
     * @param remedy what to do about it ({@link SmallData#remedy})
     * @return a one-line warning when the loss falls while the held-out NLL rises, else null
     */
    public static String degenerate(Trainer.History h, String remedy) {
        return degenerate(h, remedy, -1);
    }

    /**
     * As {@link #degenerate(Trainer.History, String)}, naming {@code bestStep} as the step the NLL rises from (in a
     * decimated history the best NLL's row may sit a few steps after its evaluation).
     *
     * @param h           the history
     * @param remedy      what to do about it ({@link SmallData#remedy})
     * @param bestStep    the step of the best NLL evaluation, −1 to take the history's row
     * @return the warning, or null
     */
    public static String degenerate(Trainer.History h, String remedy, long bestStep) {
        double[] nll = h.nlls();
        int evaluations = 0;
        int bestRow = -1;
        int lastRow = -1;
        for (int i = 0; i < nll.length; i++) {
            if (Double.isNaN(nll[i])) {
                continue;
            }
            evaluations++;
            if (bestRow < 0 || nll[i] < nll[bestRow]) {
                bestRow = i;
            }
            lastRow = i;
        }
        if (evaluations < MIN_EVALUATIONS || lastRow == bestRow || nll[lastRow] - nll[bestRow] < NLL_RISE) {
            return null;
        }
        double lossAtBest = meanLoss(h.losses(), bestRow);
        double lossNow = meanLoss(h.losses(), h.losses().length - 1);
        double fall = lossAtBest - lossNow;
        if (!(fall >= LOSS_FALL && fall >= 0.1 * Math.abs(lossAtBest))) {
            return null;
        }
        long since = bestStep >= 0 ? bestStep : (long) h.steps()[bestRow];
        return "degenerate fit: the training loss falls while the held-out NLL rises, so the density is collapsing "
                + "onto the training points; " + remedy + ", or go back to the best model "
                + "(loss " + num(lossAtBest) + " → " + num(lossNow) + ", NLL " + num(nll[bestRow]) + " → "
                + num(nll[lastRow]) + " nats since step " + since + ")";
    }

    /** @return the mean loss of the {@link #LOSS_WINDOW} rows ending at {@code end} */
    private static double meanLoss(double[] losses, int end) {
        int from = Math.max(0, end - LOSS_WINDOW + 1);
        double s = 0;
        for (int i = from; i <= end; i++) {
            s += losses[i];
        }
        return s / (end - from + 1);
    }

    static String num(double v) {
        return Setting.number(Double.parseDouble(String.format(Locale.ROOT, "%.4g", v)));
    }
}
