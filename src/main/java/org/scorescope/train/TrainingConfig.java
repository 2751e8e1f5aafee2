package org.scorescope.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Probe;
import org.scorescope.data.ToyDataset;
import org.scorescope.model.CouplingFlow;
import org.scorescope.model.DiffusionMlp;
import org.scorescope.model.Sde;
import org.scorescope.model.EnergyMlp;
import org.scorescope.model.ModelSpec;
import org.scorescope.model.NoiseConditionalMlp;
import org.scorescope.model.ScoreMlp;
import org.scorescope.model.ScoreModel;
import org.scorescope.model.SplineFlow;
import org.scorescope.objective.ContinuousDenoising;
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
 * Every setting of a training run, immutable: a value for each {@link Setting} of {@link Settings#ALL},
 * read through five small records ({@link #data}, {@link #model}, {@link #objective},
 * {@link #optimizer}, {@link #run}). The desktop app's controls and the CLI's options both produce
 * one of these; the trainer takes a new one at a step boundary. Whether a change acts live or needs
 * new data or a new model follows from the settings' descriptions ({@link #needsNewModel}).
 */
public final class TrainingConfig {
    private final Map<Setting<?>, Object> values;
    private final DataConfig data;
    private final ModelConfig model;
    private final ObjectiveConfig objective;
    private final OptimizerConfig optimizer;
    private final RunConfig run;

    /**
     * The data: {@code noise} is the dataset generator's noise parameter, NaN for its standard value.
     *
     * @param dataset toy dataset
     * @param samples number of points
     * @param noise generator noise, NaN for the dataset's default
     */
    public record DataConfig(ToyDataset dataset, int samples, double noise) {
        /** @return the noise actually used (the dataset's default when unset) */
        public double effectiveNoise() {
            return Double.isNaN(noise) ? dataset.defaultNoise() : noise;
        }
    }

    /**
     * The architecture.
     *
     * @param kind energy, score, noise-conditional or flow
     * @param width hidden width
     * @param depth hidden layers
     * @param activation hidden activation
     * @param transform flow: spline or affine couplings
     * @param couplings flow: coupling layers
     * @param splineBins spline flow: bins per spline
     * @param tailBound spline flow: B of [−B, B]², NaN for automatic ({@link SplineFlow#tailBoundFor})
     */
    public record ModelConfig(ModelSpec.Kind kind, int width, int depth, Activation activation, FlowTransform transform,
            int couplings, int splineBins, double tailBound) {
        /** @return e.g. "energy 64×2 softplus" or "flow 4 spline couplings of 64×2 tanh" */
        public String describe() {
            return kind.id() + (kind == ModelSpec.Kind.FLOW ? " " + couplings + " "
                    + transform.name().toLowerCase(Locale.ROOT) + " couplings of" : "")
                    + " " + width + "×" + depth + " " + activation.jsonName();
        }
    }

    /**
     * The loss.
     *
     * @param kind which loss
     * @param projections sliced: projections per sample
     * @param probe sliced: projection distribution
     * @param sigma denoising σ; noise-conditional: the smallest σ
     * @param sigmaMax noise-conditional: the largest σ
     * @param sigmaLevels noise-conditional: number of σ levels
     * @param smoothing maximum likelihood: σ of the blur added to every batch, 0 for none
     */
    public record ObjectiveConfig(ObjectiveKind kind, int projections, Probe probe, double sigma, double sigmaMax,
            int sigmaLevels, double smoothing) {
    }

    /**
     * The optimizer and its schedule.
     *
     * @param kind Adam (AdamW) or SGD with momentum
     * @param learningRate base rate
     * @param momentum SGD momentum
     * @param weightDecay decoupled (Adam) or L2 (SGD) decay
     * @param batchSize points per step
     * @param schedule constant or cosine
     * @param clipNorm global gradient-norm clip, 0 for none
     */
    public record OptimizerConfig(OptimizerKind kind, double learningRate, double momentum, double weightDecay,
            int batchSize, Schedule schedule, double clipNorm) {
    }

    /**
     * The run.
     *
     * @param steps planned steps (the cosine horizon; where training stops)
     * @param fisherEvery steps between two Fisher divergence evaluations
     * @param seed seed of data, initialization, batches and noise
     */
    public record RunConfig(int steps, int fisherEvery, long seed) {
    }

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
        MAX_LIKELIHOOD,
        /** Continuous-time denoising over t ∈ [ε, 1] of a forward SDE, weight s(t)² (diffusion models). */
        DENOISING_SDE;

        /** @return the CLI/JSON name, e.g. "sliced-vr" */
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** @return true for the sliced losses */
        public boolean sliced() {
            return this == SLICED || this == SLICED_VR;
        }

        /** @return true for the single-σ denoising loss */
        public boolean denoising() {
            return this == DENOISING;
        }

        /** @return true when this loss can train a model of this kind */
        public boolean fits(ModelSpec.Kind kind) {
            return switch (this) {
                case MAX_LIKELIHOOD -> kind == ModelSpec.Kind.FLOW;
                case DENOISING_MULTI -> kind == ModelSpec.Kind.NOISE_CONDITIONAL;
                case DENOISING_SDE -> kind == ModelSpec.Kind.DIFFUSION;
                case EXACT, SLICED, SLICED_VR, DENOISING -> kind != ModelSpec.Kind.DIFFUSION;
            };
        }

        /** @return what {@link #fits} asks of the model, for messages */
        String requirement() {
            return switch (this) {
                case MAX_LIKELIHOOD -> "it needs a flow, the only kind with a normalized density";
                case DENOISING_MULTI -> "it needs a noise-conditional model";
                case DENOISING_SDE -> "it needs a diffusion model";
                case EXACT, SLICED, SLICED_VR, DENOISING -> "it fits every kind but diffusion (which trains over t "
                        + "with denoising-sde)";
            };
        }
    }

    /** Coupling transforms of a flow. */
    public enum FlowTransform {
        /** Monotone rational-quadratic splines (Durkan et al. 2019). */
        SPLINE,
        /** Affine couplings, z = x·exp(s) + t (RealNVP). */
        AFFINE
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

    private TrainingConfig(Map<Setting<?>, Object> values) {
        Map<Setting<?>, Object> v = new LinkedHashMap<>();
        for (Setting<?> s : Settings.ALL) {
            Object value = values.get(s);
            if (value == null) {
                throw new IllegalArgumentException(s.id() + ": must be set");
            }
            v.put(s, s.check(value));
        }
        this.values = java.util.Collections.unmodifiableMap(v);
        this.data = new DataConfig(get(Settings.DATASET), get(Settings.SAMPLES), get(Settings.DATA_NOISE));
        this.model = new ModelConfig(get(Settings.MODEL_KIND), get(Settings.WIDTH), get(Settings.DEPTH),
                get(Settings.ACTIVATION), get(Settings.FLOW_TRANSFORM), get(Settings.COUPLINGS),
                get(Settings.SPLINE_BINS), get(Settings.TAIL_BOUND));
        this.objective = new ObjectiveConfig(get(Settings.OBJECTIVE), get(Settings.PROJECTIONS), get(Settings.PROBE),
                get(Settings.SIGMA), get(Settings.SIGMA_MAX), get(Settings.SIGMA_LEVELS), get(Settings.SMOOTHING));
        this.optimizer = new OptimizerConfig(get(Settings.OPTIMIZER), get(Settings.LEARNING_RATE),
                get(Settings.MOMENTUM), get(Settings.WEIGHT_DECAY), get(Settings.BATCH_SIZE), get(Settings.SCHEDULE),
                get(Settings.CLIP_NORM));
        this.run = new RunConfig(get(Settings.STEPS), get(Settings.FISHER_EVERY), get(Settings.SEED));
        ObjectiveKind o = objective.kind();
        ModelSpec.Kind k = model.kind();
        if (!o.fits(k)) {
            throw new IllegalArgumentException("objective: " + o.id() + " does not fit a " + k.id() + " model ("
                    + o.requirement() + ")");
        }
        if (k == ModelSpec.Kind.NOISE_CONDITIONAL && objective.sigmaMax() < objective.sigma()) {
            throw new IllegalArgumentException("sigmaMax: " + Setting.number(objective.sigmaMax())
                    + " is below sigma " + Setting.number(objective.sigma()));
        }
    }

    /**
     * A configuration from a value for every setting.
     *
     * @throws IllegalArgumentException naming the first missing or invalid setting
     */
    public static TrainingConfig of(Map<Setting<?>, Object> values) {
        return new TrainingConfig(values);
    }

    /**
     * The defaults for an energy model: 2-64-64-1 softplus trained with the exact loss by Adam at 3e-3
     * with a cosine decay over 3000 steps, batch 256, on 2000 points of 8gaussians (docs/training.md).
     */
    public static TrainingConfig defaults() {
        return defaults(ModelSpec.Kind.ENERGY);
    }

    /** @return every setting at its default for a model of this kind */
    public static TrainingConfig defaults(ModelSpec.Kind kind) {
        Map<Setting<?>, Object> v = new LinkedHashMap<>();
        for (Setting<?> s : Settings.ALL) {
            v.put(s, s.defaultFor(kind));
        }
        v.put(Settings.MODEL_KIND, kind);
        return new TrainingConfig(v);
    }

    /** @return the value of a setting */
    public <T> T get(Setting<T> s) {
        return s.type().cast(values.get(s));
    }

    /** @return every value, in {@link Settings#ALL} order (unmodifiable) */
    public Map<Setting<?>, Object> values() {
        return values;
    }

    /**
     * A copy with one setting changed.
     *
     * @throws IllegalArgumentException when the value is out of range or makes the whole inconsistent
     */
    public <T> TrainingConfig with(Setting<T> s, T value) {
        Map<Setting<?>, Object> v = new LinkedHashMap<>(values);
        v.put(s, value);
        return new TrainingConfig(v);
    }

    /**
     * A copy with several settings changed at once (a preset, a session's settings), applied over
     * the defaults of the model kind and loss they name ({@link Settings#moveDefaults}): settings
     * that {@code changes} does not mention take the new kind's or loss's default.
     */
    public TrainingConfig withAll(Map<? extends Setting<?>, ?> changes) {
        Map<Setting<?>, Object> v = new LinkedHashMap<>(values);
        for (Setting<?> chosen : List.of(Settings.MODEL_KIND, Settings.OBJECTIVE)) {
            Object named = changes.get(chosen);
            if (named != null && !named.equals(v.get(chosen))) {
                v.put(chosen, named);
                Settings.moveDefaults(v, chosen);
            }
        }
        v.putAll(changes);
        return new TrainingConfig(v);
    }

    /** @return the data settings */
    public DataConfig data() {
        return data;
    }

    /** @return the architecture */
    public ModelConfig model() {
        return model;
    }

    /** @return the loss */
    public ObjectiveConfig objective() {
        return objective;
    }

    /** @return the optimizer and its schedule */
    public OptimizerConfig optimizer() {
        return optimizer;
    }

    /** @return the run */
    public RunConfig run() {
        return run;
    }

    /** @return the settings whose values differ in {@code next}, in {@link Settings#ALL} order */
    public List<Setting<?>> changesTo(TrainingConfig next) {
        return Settings.ALL.stream().filter(s -> !Objects.equals(values.get(s), next.values.get(s))).toList();
    }

    /**
     * @return true when going from this config to {@code next} needs a fresh model: a setting that
     *     shapes the model (for the current or the next kind) changed
     */
    public boolean needsNewModel(TrainingConfig next) {
        return changesTo(next).stream().anyMatch(s -> s.effect(model.kind()) == Setting.Effect.NEW_MODEL
                && (s.appliesTo(this) || s.appliesTo(next)));
    }

    /** @return true when {@code next} describes different training data */
    public boolean needsNewData(TrainingConfig next) {
        return changesTo(next).stream().anyMatch(s -> s.effect(model.kind()) == Setting.Effect.NEW_DATA);
    }

    /**
     * A fresh (uninitialized) architecture for these settings, D = 2.
     *
     * @param points the training data (n × 2): an automatic spline tail bound covers them
     * @return the architecture
     */
    public ScoreModel buildModel(double[][] points) {
        return switch (model.kind()) {
            case ENERGY -> new EnergyMlp(2, model.width(), model.depth(), model.activation());
            case SCORE -> new ScoreMlp(2, model.width(), model.depth(), model.activation());
            case NOISE_CONDITIONAL -> new NoiseConditionalMlp(2, model.width(), model.depth(), model.activation(),
                    objective.sigmaMax(), objective.sigma(), objective.sigmaLevels());
            case FLOW -> model.transform() == FlowTransform.AFFINE
                    ? new CouplingFlow(2, model.couplings(), model.width(), model.depth(), model.activation(), 1.0)
                    : new SplineFlow(model.couplings(), model.splineBins(), Double.isNaN(model.tailBound())
                            ? SplineFlow.tailBoundFor(points) : model.tailBound(), model.width(), model.depth(),
                            model.activation());
            case DIFFUSION -> new DiffusionMlp(2, model.width(), model.depth(), model.activation(), buildSde(points));
        };
    }

    /**
     * The forward SDE of a diffusion model: VP or sub-VP with β from 0.1 to 20, or VE from σ_min = {@link Settings#SIGMA}
     * to σ_max = the largest distance between two training points (Song &amp; Ermon 2020's rule, on at most 2000 of
     * them, evenly strided; the settings' own data set when there are none), so the prior covers the data.
     *
     * @param points the training data (n × 2), or null
     * @return the SDE
     */
    public Sde buildSde(double[][] points) {
        return switch (get(Settings.SDE)) {
            case VP -> Sde.vp();
            case SUBVP -> Sde.subVp();
            case VE -> {
                double[][] p = points != null && points.length > 1 ? stride(points, 2000)
                        : data.dataset().sample(Math.min(data.samples(), 2000), data.effectiveNoise(), run.seed());
                double far = 0;
                for (int i = 0; i < p.length; i++) {
                    for (int j = i + 1; j < p.length; j++) {
                        far = Math.max(far, Math.hypot(p[i][0] - p[j][0], p[i][1] - p[j][1]));
                    }
                }
                yield Sde.ve(objective.sigma(), Math.max(far, 2 * objective.sigma()));
            }
        };
    }

    /** @return at most {@code max} of the points, every ⌈n/max⌉-th */
    private static double[][] stride(double[][] points, int max) {
        int step = (points.length + max - 1) / max;
        double[][] out = new double[(points.length + step - 1) / step][];
        for (int i = 0; i < out.length; i++) {
            out[i] = points[i * step];
        }
        return out;
    }

    /** @return the objective for these settings */
    public Objective buildObjective() {
        return buildObjective(objective.kind(), objective.projections(), objective.probe(), objective.sigma(),
                objective.smoothing());
    }

    /**
     * An objective from its kind and parameters (the CLI's commands share this with training).
     *
     * @param objective which loss
     * @param projections sliced: projections per sample
     * @param probe sliced: projection distribution
     * @param sigma denoising: noise σ
     * @param smoothing maximum likelihood: σ of the blur added to every batch, 0 for none
     * @return the objective
     */
    public static Objective buildObjective(ObjectiveKind objective, int projections, Probe probe, double sigma,
            double smoothing) {
        return switch (objective) {
            case EXACT -> new ExactScoreMatching();
            case SLICED -> new SlicedScoreMatching(projections, probe, false);
            case SLICED_VR -> new SlicedScoreMatching(projections, probe, true);
            case DENOISING -> new DenoisingScoreMatching(sigma);
            case DENOISING_MULTI -> MultiNoiseDenoising.ofModelLevels();
            case MAX_LIKELIHOOD -> new MaxLikelihood(smoothing);
            case DENOISING_SDE -> new ContinuousDenoising();
        };
    }

    /** @return a fresh optimizer for these settings */
    public Optimizer buildOptimizer() {
        return optimizer.kind() == OptimizerKind.ADAM ? new Adam(0.9, 0.999, 1e-8, optimizer.weightDecay())
                : new SgdMomentum(optimizer.momentum(), false, optimizer.weightDecay());
    }

    /** @return the learning-rate schedule */
    public LearningRateSchedule buildSchedule() {
        double lr = optimizer.learningRate();
        return optimizer.schedule() == Schedule.CONSTANT ? LearningRateSchedule.constant(lr)
                : LearningRateSchedule.cosine(lr, run.steps(), lr * 0.01);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainingConfig c && values.equals(c.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("TrainingConfig{");
        values.forEach((s, v) -> b.append(s.id()).append('=').append(v).append(' '));
        return b.append('}').toString();
    }
}
