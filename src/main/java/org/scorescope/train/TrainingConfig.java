package org.scorescope.train;

import java.util.Locale;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Probe;
import org.scorescope.data.ToyDataset;
import org.scorescope.model.CouplingFlow;
import org.scorescope.model.EnergyMlp;
import org.scorescope.model.ModelSpec;
import org.scorescope.model.NoiseConditionalMlp;
import org.scorescope.model.ScoreMlp;
import org.scorescope.model.ScoreModel;
import org.scorescope.objective.DenoisingScoreMatching;
import org.scorescope.objective.ExactScoreMatching;
import org.scorescope.objective.MaxLikelihood;
import org.scorescope.objective.MultiNoiseDenoising;
import org.scorescope.objective.Objective;
import org.scorescope.objective.SlicedScoreMatching;
import org.scorescope.train.optim.Adam;
import org.scorescope.train.optim.LearningRateSchedule;
import org.scorescope.train.optim.Optimizer;
import org.scorescope.train.optim.SgdMomentum;

/**
 * Every setting of a training run, immutable. The desktop app's sliders and the CLI's flags both
 * produce one of these; the trainer reads a new one at a step boundary. Settings split in two:
 * those that act live (learning rate, batch, objective parameters, optimizer hyper-parameters,
 * schedule, clipping) and those that need a new model ({@link #needsNewModel}).
 *
 * @param dataset toy dataset the data comes from
 * @param samples number of data points
 * @param dataNoise the dataset's noise parameter (NaN for the dataset's default)
 * @param modelKind energy, score, noise-conditional or flow
 * @param width hidden width
 * @param depth number of hidden layers
 * @param activation hidden activation
 * @param couplings flow: number of coupling layers (each with a width × depth conditioner)
 * @param objective which loss
 * @param projections sliced: projections per sample
 * @param probe sliced: Gaussian or Rademacher projections
 * @param sigma denoising: noise σ (multi-σ: the smallest σ)
 * @param sigmaMax multi-σ denoising: the largest σ of the geometric schedule
 * @param sigmaLevels multi-σ denoising: number of σ levels
 * @param optimizer Adam (AdamW) or SGD with momentum
 * @param learningRate base learning rate
 * @param momentum SGD momentum (Adam uses β1 = 0.9)
 * @param weightDecay decoupled (Adam) or L2 (SGD) weight decay
 * @param batchSize samples per step
 * @param schedule constant or cosine learning rate
 * @param steps planned number of steps (cosine schedule length; the CLI's run length)
 * @param clipNorm global gradient-norm clip, 0 for none
 * @param seed seed of the data, initialization, batches and noise
 */
public record TrainingConfig(
        ToyDataset dataset, int samples, double dataNoise,
        ModelSpec.Kind modelKind, int width, int depth, Activation activation, int couplings,
        ObjectiveKind objective, int projections, Probe probe, double sigma, double sigmaMax, int sigmaLevels,
        OptimizerKind optimizer, double learningRate, double momentum, double weightDecay, int batchSize,
        Schedule schedule, int steps, double clipNorm, long seed) {

    /** The losses on offer. */
    public enum ObjectiveKind {
        /** Hyvärinen score matching with the exact trace. */
        EXACT,
        /** Sliced score matching. */
        SLICED,
        /** Sliced score matching, variance-reduced (½‖s‖² in closed form). */
        SLICED_VR,
        /** Denoising score matching at one σ. */
        DENOISING,
        /** Denoising over a geometric σ schedule, weight σ² (noise-conditional models). */
        DENOISING_MULTI,
        /** Maximum likelihood (flows). */
        MAX_LIKELIHOOD;

        /** @return the CLI/JSON name, e.g. "sliced-vr" */
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Optimizers on offer. */
    public enum OptimizerKind {
        /** Adam with decoupled weight decay (AdamW). */
        ADAM,
        /** SGD with (heavy-ball) momentum. */
        SGD
    }

    /** Learning-rate schedules on offer. */
    public enum Schedule {
        /** The base rate throughout. */
        CONSTANT,
        /** Cosine decay to 1% of the base rate over {@code steps}. */
        COSINE
    }

    /** Validates every field; absurd values are rejected with the field's name and the allowed range. */
    public TrainingConfig {
        requireNonNull(dataset, "dataset");
        requireNonNull(modelKind, "modelKind");
        requireNonNull(activation, "activation");
        requireNonNull(objective, "objective");
        requireNonNull(probe, "probe");
        requireNonNull(optimizer, "optimizer");
        requireNonNull(schedule, "schedule");
        range("samples", samples, 1, 1_000_000);
        if (!Double.isNaN(dataNoise)) {
            range("dataNoise", dataNoise, 0, 10);
        }
        range("width", width, 1, 1024);
        range("depth", depth, 0, 16);
        range("couplings", couplings, 1, 64);
        range("projections", projections, 1, 1024);
        range("sigma", sigma, 1e-4, 100);
        range("sigmaMax", sigmaMax, sigma, 1000);
        range("sigmaLevels", sigmaLevels, 1, 1000);
        if (objective == ObjectiveKind.MAX_LIKELIHOOD && modelKind != ModelSpec.Kind.FLOW) {
            throw new IllegalArgumentException("objective: max-likelihood needs a flow (the " + modelKind.id()
                    + " model has no normalized density)");
        }
        if (objective == ObjectiveKind.DENOISING_MULTI && modelKind != ModelSpec.Kind.NOISE_CONDITIONAL) {
            throw new IllegalArgumentException("objective: denoising-multi needs a noise-conditional model");
        }
        range("learningRate", learningRate, 1e-8, 10);
        range("momentum", momentum, 0, 0.999);
        range("weightDecay", weightDecay, 0, 1);
        range("batchSize", batchSize, 1, 65_536);
        range("steps", steps, 1, 100_000_000);
        range("clipNorm", clipNorm, 0, 1e6);
    }

    /**
     * The defaults: an energy MLP 2-64-64-1 (softplus) trained with the exact loss by Adam at 3e-3 with a
     * cosine decay over 3000 steps, batch 256, on 2000 points of 8gaussians. Chosen so that a default
     * CLI run lowers the Fisher divergence more than tenfold (docs/training.md).
     */
    public static TrainingConfig defaults() {
        return new TrainingConfig(ToyDataset.EIGHT_GAUSSIANS, 2000, Double.NaN,
                ModelSpec.Kind.ENERGY, 64, 2, Activation.SOFTPLUS, 4,
                ObjectiveKind.EXACT, 1, Probe.RADEMACHER, 0.1, 5.0, 10,
                OptimizerKind.ADAM, 3e-3, 0.9, 0, 256,
                Schedule.COSINE, 3000, 0, 1);
    }

    /** @return true when going from this config to {@code next} needs a fresh model (architecture change) */
    public boolean needsNewModel(TrainingConfig next) {
        boolean common = modelKind != next.modelKind || width != next.width || depth != next.depth
                || activation != next.activation;
        return switch (modelKind) {
            case FLOW -> common || couplings != next.couplings;
            case NOISE_CONDITIONAL -> common || sigma != next.sigma || sigmaMax != next.sigmaMax
                    || sigmaLevels != next.sigmaLevels;
            default -> common;
        };
    }

    /** @return true when {@code next} describes different training data */
    public boolean needsNewData(TrainingConfig next) {
        return dataset != next.dataset || samples != next.samples
                || Double.compare(dataNoise, next.dataNoise) != 0 || seed != next.seed;
    }

    /** @return the data noise actually used (the dataset's default when unset) */
    public double effectiveDataNoise() {
        return Double.isNaN(dataNoise) ? dataset.defaultNoise() : dataNoise;
    }

    /** @return a fresh (uninitialized) architecture for these settings, D = 2 */
    public ScoreModel buildModel() {
        return switch (modelKind) {
            case ENERGY -> new EnergyMlp(2, width, depth, activation);
            case SCORE -> new ScoreMlp(2, width, depth, activation);
            case NOISE_CONDITIONAL -> new NoiseConditionalMlp(2, width, depth, activation, sigmaMax, sigma, sigmaLevels);
            case FLOW -> new CouplingFlow(2, couplings, width, depth, activation, 1.0);
        };
    }

    /** @return the objective for these settings */
    public Objective buildObjective() {
        return buildObjective(objective, projections, probe, sigma);
    }

    /**
     * An objective from its kind and parameters (the CLI's commands share this with training).
     *
     * @param objective which loss
     * @param projections sliced: projections per sample
     * @param probe sliced: projection distribution
     * @param sigma denoising: noise σ
     * @return the objective
     */
    public static Objective buildObjective(ObjectiveKind objective, int projections, Probe probe, double sigma) {
        return switch (objective) {
            case EXACT -> new ExactScoreMatching();
            case SLICED -> new SlicedScoreMatching(projections, probe, false);
            case SLICED_VR -> new SlicedScoreMatching(projections, probe, true);
            case DENOISING -> new DenoisingScoreMatching(sigma);
            case DENOISING_MULTI -> MultiNoiseDenoising.ofModelLevels();
            case MAX_LIKELIHOOD -> new MaxLikelihood();
        };
    }

    /** @return a fresh optimizer for these settings */
    public Optimizer buildOptimizer() {
        return optimizer == OptimizerKind.ADAM ? new Adam(0.9, 0.999, 1e-8, weightDecay)
                : new SgdMomentum(momentum, false, weightDecay);
    }

    /** @return the learning-rate schedule */
    public LearningRateSchedule buildSchedule() {
        return schedule == Schedule.CONSTANT ? LearningRateSchedule.constant(learningRate)
                : LearningRateSchedule.cosine(learningRate, steps, learningRate * 0.01);
    }

    /** @return a copy with another learning rate */
    public TrainingConfig withLearningRate(double lr) {
        return new TrainingConfig(dataset, samples, dataNoise, modelKind, width, depth, activation, couplings,
                objective, projections, probe, sigma, sigmaMax, sigmaLevels, optimizer, lr, momentum, weightDecay,
                batchSize, schedule, steps, clipNorm, seed);
    }

    private static void requireNonNull(Object o, String name) {
        if (o == null) {
            throw new IllegalArgumentException(name + ": must be set");
        }
    }

    private static void range(String name, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi)) {
            throw new IllegalArgumentException(name + ": " + v + " is outside [" + lo + ", " + hi + "]");
        }
    }
}
