package org.scorescope.train;

import org.scorescope.analysis.DataScale;
import org.scorescope.analysis.Likelihood;
import org.scorescope.model.ModelState;
import org.scorescope.model.ScoreModel;

/**
 * The held-out quality of one run, beside its {@link Trainer}: the held-out NLL (evaluated every
 * {@link Settings#NLL_EVERY} steps by {@link Likelihood#evaluate} on a grid of at most {@value #NLL_GRID_NODES}
 * nodes a side, on points the run never trains on), the best model so far, and the warnings of {@link FitWarnings}.
 * "Best" is measured by the held-out NLL where the model has a density and data are held out, else by the Fisher
 * divergence where the data's true score is known, else by nothing ({@link #metric}). Not thread-safe: the trainer's
 * thread only.
 */
public final class HeldOutQuality {
    /** Grid of the periodic NLL: an energy's log Z settles by 129 nodes a side (see {@link Likelihood}). */
    static final int NLL_GRID_NODES = 129;

    private final ScoreModel model;
    private final double[][] training;
    private final boolean hasTruth;
    private double[][] heldOut;
    private double nll = Double.NaN;
    private String nllError = "";
    private Best best;
    private String warning;
    /** The σ a degenerate-fit warning suggests ({@link SmallData}'s: 1.5 × h_NN); NaN until needed. */
    private double remedySigma = Double.NaN;

    /** What "best" is measured by. */
    public enum Metric {
        /** Held-out mean negative log-likelihood, nats (where the model has a density and data are held out). */
        NLL("held-out NLL"),
        /** Fisher divergence against the true score (where the data's density is known). */
        FISHER("Fisher divergence");

        private final String label;

        Metric(String label) {
            this.label = label;
        }

        /** @return the metric's name in messages */
        public String label() {
            return label;
        }
    }

    /**
     * The parameters with the best held-out quality seen so far.
     *
     * @param step   the step at which they were evaluated
     * @param metric what "best" means
     * @param value  the metric's value there (lower is better)
     * @param theta  the parameters (owned by the record's creator; callers copy before changing)
     */
    public record Best(long step, Metric metric, double value, double[] theta) {
    }

    /**
     * @param model    the model being trained
     * @param training the training points, n × D (they decide the integration box; not copied, not changed)
     * @param hasTruth whether the Fisher divergence against a true score is known
     */
    HeldOutQuality(ScoreModel model, double[][] training, boolean hasTruth) {
        this.model = model;
        this.training = training;
        this.hasTruth = hasTruth;
    }

    /** @param points held-out points, or null (empty) for none; the NLL is next evaluated when due */
    void holdOut(double[][] points) {
        heldOut = points == null || points.length == 0 ? null : points;
        nll = Double.NaN;
    }

    /** @return whether the NLL is due at {@code step} (every {@code every} steps, when points are held out) */
    boolean nllDue(long step, int every) {
        return heldOut != null && step % every == 0;
    }

    /** @return what chooses the best model, or null when nothing does (no held-out data, no truth) */
    public Metric metric() {
        if (heldOut != null && Likelihood.hasDensity(model)) {
            return Metric.NLL;
        }
        return hasTruth ? Metric.FISHER : null;
    }

    /**
     * Evaluates the held-out NLL at θ (NaN, with the reason in {@link #nllError}, when it cannot be).
     *
     * @param theta the parameters
     * @return the NLL in nats, or NaN
     */
    double evaluateNll(double[] theta) {
        if (heldOut == null || !Likelihood.hasDensity(model)) {
            nll = Double.NaN;
            return nll;
        }
        try {
            nll = Likelihood.evaluate(new ModelState(model, theta), heldOut, training, NLL_GRID_NODES)
                    .meanNegLogLikelihood();
            nllError = "";
        } catch (IllegalArgumentException | IllegalStateException e) {
            nll = Double.NaN;
            nllError = e.getMessage();
        }
        return nll;
    }

    /**
     * Keeps θ as the best model when its quality beats the best so far, and updates the warning.
     *
     * @param step         the step now
     * @param fisher       the Fisher divergence now (NaN: unknown)
     * @param nllEvaluated whether the NLL was just evaluated (only then is an NLL judged)
     * @param theta        the parameters now (copied when kept)
     * @param history      the run's history so far, asked for only when the degenerate-fit test runs
     */
    void judge(long step, double fisher, boolean nllEvaluated, double[] theta,
            java.util.function.Supplier<Trainer.History> history) {
        Metric metric = metric();
        if (metric == null) {
            return;
        }
        double value = metric == Metric.NLL ? nll : fisher;
        if (Double.isNaN(value) || (metric == Metric.NLL && !nllEvaluated)) {
            return;
        }
        if (best == null || best.metric() != metric || value < best.value()) {
            best = new Best(step, metric, value, theta.clone());
        }
        String w = FitWarnings.degraded(best, value, step);
        if (nllEvaluated && metric == Metric.NLL) {
            String degenerate = FitWarnings.degenerate(history.get(), SmallData.remedy(model.kind(), remedySigma()), best.step());
            w = degenerate != null ? degenerate : w;
        }
        warning = w;
    }

    /**
     * @return the small-data default's σ, {@link SmallData#SIGMA_PER_NEIGHBOUR} × the median nearest-neighbour
     *     distance, computed once (O(n²), only for a few thousand points)
     */
    private double remedySigma() {
        if (Double.isNaN(remedySigma) && training.length >= 2 && training.length <= 5000) {
            remedySigma = SmallData.SIGMA_PER_NEIGHBOUR * DataScale.medianNearestNeighbourDistance(training);
        }
        return remedySigma;
    }

    /** @param b a saved run's best model, kept when it fits the model ({@code parameters} values) */
    void resume(Best b, int parameters) {
        if (b != null && b.theta().length == parameters) {
            best = b;
        }
    }

    /** Forgets a best model judged after {@code step} (a divergence rolled the run back to it). */
    void forgetAfter(long step) {
        if (best != null && best.step() > step) {
            best = null;
        }
    }

    /** Clears the warning (the best model was just restored). */
    void clearWarning() {
        warning = null;
    }

    /** @return the NLL of the last evaluation, NaN when none */
    public double nll() {
        return nll;
    }

    /** @return why the last NLL evaluation failed, empty when it did not */
    public String nllError() {
        return nllError;
    }

    /** @return the best model, or null */
    public Best best() {
        return best;
    }

    /** @return the current warning, or null */
    public String warning() {
        return warning;
    }
}
