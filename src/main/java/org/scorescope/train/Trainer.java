package org.scorescope.train;

import org.scorescope.analysis.FisherTarget;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Tensor;
import org.scorescope.data.GaussianMixture;
import org.scorescope.model.ModelState;
import org.scorescope.model.ScoreModel;
import org.scorescope.objective.Objective;
import org.scorescope.train.optim.GradientClipping;
import org.scorescope.train.optim.LearningRateSchedule;
import org.scorescope.train.optim.Optimizer;

/**
 * Trains one model on one data set, one optimizer step at a time: a minibatch, the objective's loss
 * and θ-gradient, optional global-norm clipping, the optimizer update at the scheduled rate. Every
 * step checks that the loss, the gradient and the new parameters are finite; if not, the step is
 * undone, the run is marked {@link TrainingSnapshot.Status#DIVERGED} with a diagnosis, and the last
 * finite parameters are kept. Deterministic for a given config seed.
 *
 * <p>Not thread-safe: one thread (the worker, or the CLI) drives it; other threads read the
 * immutable {@link TrainingSnapshot}s it produces.
 */
public final class Trainer {
    /** Points on which the Fisher divergence is estimated, drawn once from the true density. */
    private static final int FISHER_POINTS = 512;

    private final double[] data;
    private final int n;
    private final int dim;
    private final GaussianMixture truth;
    private final Tensor fisherPoints;
    private final ScoreModel model;
    private final ResumableRandom rng;
    private final BoundedHistory history = new BoundedHistory();

    private TrainingConfig config;
    private Objective objective;
    private Optimizer optimizer;
    private LearningRateSchedule schedule;
    private double[] theta;
    private long step;
    private TrainingSnapshot.Status status = TrainingSnapshot.Status.IDLE;
    private String message = "";
    private double lastLoss = Double.NaN;
    private double lastFisher = Double.NaN;
    private double initialFisher = Double.NaN;
    private double lastGradNorm = Double.NaN;
    private double lastLr = Double.NaN;
    private double msPerStep = Double.NaN;
    /** Last parameters at which the loss and gradient looked sane; a divergence rolls back to them. */
    private double[] lastHealthy;
    private long lastHealthyStep;
    /** Running mean of log‖g‖ over healthy steps. */
    private double logGradNormMean = Double.NaN;
    /** Held-out NLL, best model and warnings. */
    private final HeldOutQuality quality;

    /**
     * Everything besides the settings, data and parameters that the next steps depend on: with it a
     * saved run continues bit-identically.
     *
     * @param step steps taken (the schedule's position)
     * @param optimizer the optimizer's moments and step count
     * @param random the state of the batch and noise generator
     * @param logGradNormMean running mean of log‖g‖ that judges which parameters count as healthy
     * @param history the metric history
     * @param best the best model by held-out quality, or null
     */
    public record Checkpoint(long step, Optimizer.State optimizer, ResumableRandom.State random,
            double logGradNormMean, History history, HeldOutQuality.Best best) {
        /** A run state without a best model. */
        public Checkpoint(long step, Optimizer.State optimizer, ResumableRandom.State random, double logGradNormMean,
                History history) {
            this(step, optimizer, random, logGradNormMean, history, null);
        }

        /**
         * The state of a run at {@code step} of which nothing else is known (a model saved without its
         * run): fresh optimizer moments and the seed's random state.
         */
        public static Checkpoint fresh(TrainingConfig config, long step) {
            return new Checkpoint(step, config.buildOptimizer().state(),
                    new ResumableRandom(config.run().seed()).state(), Double.NaN, History.EMPTY);
        }

        /**
         * @return the same run state without its metric history and best model (the data changed: neither was
         *     measured on the new data)
         */
        public Checkpoint withoutHistory() {
            return new Checkpoint(step, optimizer, random, logGradNormMean, History.EMPTY, null);
        }
    }

    /**
     * The metric history, one entry per recorded step (Fisher divergence and NLL NaN between evaluations); past
     * {@link BoundedHistory#DEFAULT_CAPACITY} rows it is decimated (see {@link BoundedHistory}).
     *
     * @param initialFisher the Fisher divergence of the initial model, NaN when unknown
     * @param steps step numbers
     * @param losses training losses
     * @param fishers Fisher divergences
     * @param gradNorms gradient norms before clipping
     * @param nlls held-out mean negative log-likelihoods, nats
     */
    public record History(double initialFisher, double[] steps, double[] losses, double[] fishers, double[] gradNorms,
            double[] nlls) {
        /** No history. */
        public static final History EMPTY = new History(Double.NaN, new double[0], new double[0], new double[0],
                new double[0]);

        /** A history without held-out NLLs. */
        public History(double initialFisher, double[] steps, double[] losses, double[] fishers, double[] gradNorms) {
            this(initialFisher, steps, losses, fishers, gradNorms, nans(steps.length));
        }

        /** Checks that the five series have one length. */
        public History {
            int n = steps.length;
            if (losses.length != n || fishers.length != n || gradNorms.length != n || nlls.length != n) {
                throw new IllegalArgumentException("history: the series have different lengths");
            }
        }

        private static double[] nans(int n) {
            double[] a = new double[n];
            java.util.Arrays.fill(a, Double.NaN);
            return a;
        }
    }

    /**
     * @param config settings (architecture, objective, optimizer, seed)
     * @param points training data, n × D (copied)
     * @param truth the exact density the data come from, or null when unknown (no Fisher divergence)
     * @param initial model to start from, or null for a fresh one initialized from the seed
     */
    public Trainer(TrainingConfig config, double[][] points, GaussianMixture truth, ModelState initial) {
        this(config, points, truth, initial, null);
    }

    /**
     * A trainer that continues a saved run.
     *
     * @param config settings
     * @param points training data, n × D (copied)
     * @param truth the exact density, or null
     * @param initial the saved model, or null for a fresh one
     * @param resume the saved run's {@link #checkpoint()}, or null to start at step 0
     */
    public Trainer(TrainingConfig config, double[][] points, GaussianMixture truth, ModelState initial,
            Checkpoint resume) {
        if (points.length == 0) {
            throw new IllegalArgumentException("no training data");
        }
        this.n = points.length;
        this.dim = points[0].length;
        this.data = new double[n * dim];
        for (int i = 0; i < n; i++) {
            if (points[i].length != dim) {
                throw new IllegalArgumentException("point " + i + " has " + points[i].length + " coordinates, expected " + dim);
            }
            System.arraycopy(points[i], 0, data, i * dim, dim);
        }
        this.model = initial != null ? initial.model() : config.buildModel(points);
        if (model.inputDim() != dim) {
            throw new IllegalArgumentException("the model takes " + model.inputDim() + "-D input, the data are " + dim + "-D");
        }
        long seed = config.run().seed();
        this.theta = initial != null ? initial.theta() : model.initialParameters(seed, points);
        this.lastHealthy = theta.clone();
        // A noise-conditional model learns the score of the data blurred by its smallest σ: that is its target.
        this.truth = truth == null ? null : FisherTarget.of(model, truth);
        this.fisherPoints = this.truth == null ? null : Tensor.of(this.truth.sample(FISHER_POINTS, seed + 1));
        this.rng = new ResumableRandom(seed);
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = points[i].clone();
        }
        this.quality = new HeldOutQuality(model, rows, this.truth != null);
        this.config = config;
        this.objective = config.buildObjective();
        this.optimizer = config.buildOptimizer();
        this.schedule = config.buildSchedule();
        if (resume != null) {
            step = resume.step();
            lastHealthyStep = step;
            if (resume.optimizer().algorithm().equals(optimizer.state().algorithm())) {
                optimizer.restore(resume.optimizer()); // a different optimizer starts afresh
            }
            rng.restore(resume.random());
            logGradNormMean = resume.logGradNormMean();
            History h = resume.history();
            history.load(h);
            lastLoss = history.lastLoss();
            lastGradNorm = history.lastGradNorm();
            quality.resume(resume.best(), theta.length);
            if (Double.isNaN(logGradNormMean)) {
                logGradNormMean = Math.log(Math.max(lastGradNorm, Double.MIN_NORMAL));
            }
            initialFisher = h.initialFisher();
            evaluateFisher();
        } else {
            evaluateFisher();
            initialFisher = lastFisher;
        }
        if (quality.best() == null) {
            quality.judge(step, lastFisher, false, theta, this::history);
        }
    }

    /** @return the state that, with the settings, data and model, continues this run bit-identically */
    public Checkpoint checkpoint() {
        return new Checkpoint(step, optimizer.state(), rng.state(), logGradNormMean, history(), quality.best());
    }

    /** @return true once the planned number of steps ({@link Settings#STEPS}) has been taken */
    public boolean planComplete() {
        return step >= config.run().steps();
    }

    /** A trainer on the config's own toy data set (with its exact density when it has one). */
    public static Trainer forDataset(TrainingConfig config) {
        double[][] points = sample(config);
        return new Trainer(config, points, truth(config), null);
    }

    /** @return the config's data: its dataset's points for its size, noise and seed */
    public static double[][] sample(TrainingConfig config) {
        TrainingConfig.DataConfig d = config.data();
        return d.dataset().sample(d.samples(), d.effectiveNoise(), config.run().seed());
    }

    /** Held-out points drawn by {@link #heldOut}: enough for a mean NLL good to about ±0.03 nats. */
    public static final int HELD_OUT_POINTS = 2000;
    /** Added to the run's seed for the held-out sample, so it is independent of the training sample. */
    public static final long HELD_OUT_SEED_OFFSET = 1000;

    /**
     * Fresh points from the config's dataset generator that the run never trains on: {@link #HELD_OUT_POINTS} of
     * them, same noise, seed {@code run.seed() + }{@link #HELD_OUT_SEED_OFFSET}. Deterministic, and drawn from its
     * own generator, so it changes neither the training data nor the run's random stream.
     *
     * @param config settings (dataset, noise, seed)
     * @return held-out points for the held-out likelihood
     */
    public static double[][] heldOut(TrainingConfig config) {
        TrainingConfig.DataConfig d = config.data();
        return d.dataset().sample(HELD_OUT_POINTS, d.effectiveNoise(), config.run().seed() + HELD_OUT_SEED_OFFSET);
    }

    /** @return the exact density of the config's dataset (at its noise), or null when it has none */
    public static GaussianMixture truth(TrainingConfig config) {
        TrainingConfig.DataConfig d = config.data();
        return d.dataset().mixture(d.effectiveNoise()).orElse(null);
    }

    /**
     * @return the exact density behind {@code points} when they are the config's own dataset sample
     *     and the dataset is a mixture; null for other data (a CSV, drawn points)
     */
    public static GaussianMixture truthOf(TrainingConfig config, double[][] points) {
        GaussianMixture t = truth(config);
        return t != null && java.util.Arrays.deepEquals(points, sample(config)) ? t : null;
    }

    /** @return the current settings */
    public TrainingConfig config() {
        return config;
    }

    /**
     * Applies settings that act live (objective and its parameters, optimizer, learning rate and
     * schedule, batch size, clipping) from the next step on.
     *
     * @param next new settings with the same architecture
     * @throws IllegalArgumentException if {@code next} needs a new model; build a new Trainer instead
     */
    public void setConfig(TrainingConfig next) {
        if (config.needsNewModel(next)) {
            throw new IllegalArgumentException("the architecture changed: start a new trainer");
        }
        TrainingConfig.OptimizerConfig was = config.optimizer();
        TrainingConfig.OptimizerConfig now = next.optimizer();
        if (now.kind() != was.kind() || now.momentum() != was.momentum() || now.weightDecay() != was.weightDecay()) {
            Optimizer fresh = next.buildOptimizer();
            if (now.kind() == was.kind()) {
                fresh.restore(optimizer.state()); // keep Adam's moments / SGD's velocity
            }
            optimizer = fresh;
        }
        objective = next.buildObjective();
        schedule = next.buildSchedule();
        config = next;
        if (status == TrainingSnapshot.Status.DIVERGED) {
            // New settings are the user's answer to a divergence: allow another try from the last finite θ.
            status = TrainingSnapshot.Status.PAUSED;
        }
    }

    /** @return true when the run diverged and will not step until the settings change or it resumes */
    public boolean diverged() {
        return status == TrainingSnapshot.Status.DIVERGED;
    }

    /** Clears a divergence so that the run can continue from the last finite parameters. */
    public void resumeAfterDivergence() {
        if (diverged()) {
            status = TrainingSnapshot.Status.PAUSED;
        }
    }

    /** Marks the run paused (the worker calls this when the user pauses). */
    public void pause() {
        if (status == TrainingSnapshot.Status.RUNNING) {
            status = TrainingSnapshot.Status.PAUSED;
        }
    }

    /**
     * Takes one optimizer step.
     *
     * @return true if the step was taken, false if the run has diverged (now or before)
     */
    public boolean step() {
        if (diverged()) {
            return false;
        }
        long t0 = System.nanoTime();
        status = TrainingSnapshot.Status.RUNNING;
        Tensor batch = sampleBatch();
        Objective.LossAndGradient lg = objective.lossAndGradient(model, theta, batch, rng);
        double[] g = lg.gradient();
        if (!Double.isFinite(lg.loss()) || !allFinite(g)) {
            return diverge("the " + (Double.isFinite(lg.loss()) ? "gradient" : "loss") + " became "
                    + (Double.isFinite(lg.loss()) ? "non-finite" : lg.loss()) + " at step " + (step + 1));
        }
        double clip = config.optimizer().clipNorm();
        double norm = clip > 0 ? GradientClipping.clipGlobalNorm(g, clip)
                : GradientClipping.globalNorm(g);
        noteHealth(norm);
        double lr = schedule.at(step);
        optimizer.step(theta, g, lr);
        if (!allFinite(theta)) {
            return diverge("the parameters became non-finite at step " + (step + 1));
        }
        step++;
        lastLoss = lg.loss();
        lastGradNorm = norm;
        lastLr = lr;
        double fisher = Double.NaN;
        // and at the plan's last step, so a run ends with the Fisher divergence of its final model
        if (step % config.run().fisherEvery() == 0 || step == config.run().steps()) {
            evaluateFisher();
            fisher = lastFisher;
        }
        double nll = quality.nllDue(step, config.get(Settings.NLL_EVERY)) ? quality.evaluateNll(theta) : Double.NaN;
        history.add(step, lastLoss, fisher, norm, nll);
        if (!Double.isNaN(fisher) || !Double.isNaN(nll)) {
            quality.judge(step, lastFisher, !Double.isNaN(nll), theta, this::history);
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        msPerStep = Double.isNaN(msPerStep) ? ms : 0.9 * msPerStep + 0.1 * ms;
        return true;
    }

    /** @return an immutable snapshot of the run now */
    public TrainingSnapshot snapshot() {
        return new TrainingSnapshot(step, status, message, new ModelState(model, theta), lastLoss, lastFisher,
                lastGradNorm, lastLr, msPerStep,
                new TrainingSnapshot.Curves(history.steps(), history.losses(), history.fishers(), history.nlls()));
    }

    /** @return the current (always finite) model */
    public ModelState model() {
        return new ModelState(model, theta);
    }

    /** @return steps taken */
    public long stepCount() {
        return step;
    }

    /** @return the Fisher divergence of the model this run started from, NaN when unknown */
    public double initialFisher() {
        return initialFisher;
    }

    /** @return the Fisher divergence now, NaN when the data have no known score */
    public double fisherDivergence() {
        return lastFisher;
    }

    /**
     * A blow-up is usually visible a few steps before anything overflows: the gradient norm jumps by
     * orders of magnitude. Parameters evaluated with a finite loss and a gradient norm within 100× of
     * the running (geometric) mean count as healthy and become the rollback point.
     */
    private void noteHealth(double gradNorm) {
        double logNorm = Math.log(Math.max(gradNorm, Double.MIN_NORMAL));
        boolean healthy = Double.isNaN(logGradNormMean) || logNorm <= logGradNormMean + Math.log(100);
        if (healthy) {
            logGradNormMean = Double.isNaN(logGradNormMean) ? logNorm : 0.9 * logGradNormMean + 0.1 * logNorm;
            System.arraycopy(theta, 0, lastHealthy, 0, theta.length);
            lastHealthyStep = step;
        }
    }

    private boolean diverge(String why) {
        theta = lastHealthy.clone();
        // The optimizer's moments took part in the blow-up; a retry starts them afresh.
        optimizer.reset();
        status = TrainingSnapshot.Status.DIVERGED;
        message = "Diverged: " + why + " (learning rate " + schedule.at(step) + "). Restored the parameters of step "
                + lastHealthyStep + ", the last with a sane gradient; lower the learning rate or enable clipping.";
        // The restored step is the step everywhere: the history after it belongs to the blow-up.
        step = lastHealthyStep;
        history.truncateAfter(step);
        lastLoss = history.lastLoss();
        lastGradNorm = history.lastGradNorm();
        quality.forgetAfter(step);
        evaluateFisher();
        quality.evaluateNll(theta);
        return false;
    }

    /**
     * Gives the run held-out points: from now on the held-out NLL is evaluated every {@link Settings#NLL_EVERY}
     * steps, recorded in the history, and (where the model has a density) chooses the best model. Not evaluated
     * now: building a trainer stays cheap (the app builds one for every edit of the data).
     *
     * @param points held-out points (n × D, not trained on), or null for none
     */
    public void holdOut(double[][] points) {
        quality.holdOut(points);
    }

    /** @return the run's held-out NLL, best model and warnings (read on the trainer's thread) */
    public HeldOutQuality quality() {
        return quality;
    }

    /**
     * Makes the best model the current one: its parameters replace θ, the optimizer's moments restart (they
     * belong to the path that left the best), and the Fisher divergence and NLL are evaluated again. The step
     * count, schedule and history go on: the history shows the run as it happened.
     *
     * @return false when there is no best model
     */
    public boolean restoreBest() {
        HeldOutQuality.Best best = quality.best();
        if (best == null) {
            return false;
        }
        theta = best.theta().clone();
        System.arraycopy(theta, 0, lastHealthy, 0, theta.length);
        lastHealthyStep = step;
        optimizer.reset();
        evaluateFisher();
        quality.evaluateNll(theta);
        quality.clearWarning();
        message = "Restored the best model (step " + best.step() + ", " + best.metric().label() + " "
                + FitWarnings.num(best.value()) + ").";
        return true;
    }

    private History history() {
        return history.toHistory(initialFisher);
    }

    private void evaluateFisher() {
        if (truth == null) {
            return;
        }
        Tensor th = model.parameters(theta, false);
        double[] s = Grad.noGrad(() -> model.score(th, fisherPoints)).toArray();
        lastFisher = truth.fisherDivergence(fisherPoints.toArray(), s);
    }

    private Tensor sampleBatch() {
        int b = Math.min(config.optimizer().batchSize(), n);
        double[] x = new double[b * dim];
        for (int i = 0; i < b; i++) {
            int j = rng.nextInt(n);
            System.arraycopy(data, j * dim, x, i * dim, dim);
        }
        return Tensor.of(new int[] {b, dim}, x);
    }

    private static boolean allFinite(double[] v) {
        for (double d : v) {
            if (!Double.isFinite(d)) {
                return false;
            }
        }
        return true;
    }
}
