package org.scorescope.train;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Probe;
import org.scorescope.data.ToyDataset;
import org.scorescope.model.ModelSpec;
import org.scorescope.model.Sde;
import org.scorescope.train.Setting.Effect;
import org.scorescope.train.Setting.Group;
import org.scorescope.train.TrainingConfig.FlowTransform;
import org.scorescope.train.TrainingConfig.ObjectiveKind;
import org.scorescope.train.TrainingConfig.OptimizerKind;
import org.scorescope.train.TrainingConfig.Schedule;

/**
 * Every training setting, described once (see {@link Setting}). The ids are the keys of the
 * session format's {@code settings} object and of presets; the options are the {@code train}
 * command's; the help texts are the app's tooltips. The per-kind defaults were chosen by
 * measurement (docs/training.md): every kind learns under its own defaults, in the app and the CLI.
 */
public final class Settings {
    private static final ModelSpec.Kind FLOW = ModelSpec.Kind.FLOW;
    private static final ModelSpec.Kind NC = ModelSpec.Kind.NOISE_CONDITIONAL;
    private static final ModelSpec.Kind DIFF = ModelSpec.Kind.DIFFUSION;

    /** Toy dataset the data are drawn from. */
    public static final Setting<ToyDataset> DATASET = Setting.choice("dataset", "--dataset", ToyDataset.class,
            ToyDataset.EIGHT_GAUSSIANS, ToyDataset::id).label("Dataset", Group.DATA).effect(Effect.NEW_DATA)
            .help("Toy distribution the training points are drawn from; the Gaussian mixtures have an exact score.")
            .build();
    /** Number of data points. */
    public static final Setting<Integer> SAMPLES = Setting.integer("samples", "--samples", 1, 1_000_000, 2000).log()
            .forKind(FLOW, 50_000)
            .label("Samples", Group.DATA).effect(Effect.NEW_DATA)
            .help("Number of training points drawn from the dataset; a flexible flow needs many, or it puts "
                    + "ripples of density around each point.").build();
    /** The dataset's noise parameter; NaN for the dataset's standard value. */
    public static final Setting<Double> DATA_NOISE = Setting.real("dataNoise", "--noise", 0, 10, Double.NaN)
            .optional().label("Data noise", Group.DATA).effect(Effect.NEW_DATA)
            .help("Noise of the dataset's generator, in its own units; auto = the dataset's standard value.")
            .build();
    /** Model kind. */
    public static final Setting<ModelSpec.Kind> MODEL_KIND = Setting.choice("modelKind", "--model",
            ModelSpec.Kind.class, ModelSpec.Kind.ENERGY, ModelSpec.Kind::id).label("Kind", Group.MODEL)
            .effect(Effect.NEW_MODEL)
            .help("energy: p ∝ exp(−E), s = −∇E; score: s directly; noise-conditional: s(x, σ) over a σ ladder; "
                    + "flow: an invertible map to a Gaussian, with an exact density; diffusion: s(x, t) of a forward "
                    + "SDE.")
            .build();
    /** Hidden width. */
    public static final Setting<Integer> WIDTH = Setting.integer("width", "--width", 1, 1024, 64).log()
            .label("Width", Group.MODEL).effect(Effect.NEW_MODEL)
            .help("Units per hidden layer (for a flow: of each coupling's conditioner).").build();
    /** Hidden layers. */
    public static final Setting<Integer> DEPTH = Setting.integer("depth", "--depth", 0, 16, 2).forKind(DIFF, 3)
            .label("Depth", Group.MODEL).effect(Effect.NEW_MODEL)
            .help("Number of hidden layers.").build();
    /** Hidden activation. */
    public static final Setting<Activation> ACTIVATION = Setting.choice("activation", "--activation",
            Activation.class, Activation.SOFTPLUS, Activation::jsonName).forKind(FLOW, Activation.TANH)
            .label("Activation", Group.MODEL).effect(Effect.NEW_MODEL)
            .help("Hidden activation; smooth ones keep the score's derivatives meaningful.").build();
    /** Flow coupling transform. */
    public static final Setting<FlowTransform> FLOW_TRANSFORM = Setting.choice("flowTransform", "--transform",
            FlowTransform.class, FlowTransform.SPLINE, Setting::lowerDash).label("Transform", Group.MODEL)
            .effect(Effect.NEW_MODEL).appliesWhen(c -> c.model().kind() == FLOW)
            .help("Flow: rational-quadratic splines (Durkan et al. 2019) or affine couplings (RealNVP); affine "
                    + "ones cannot separate many modes.")
            .build();
    /** Flow coupling layers. */
    public static final Setting<Integer> COUPLINGS = Setting.integer("couplings", "--couplings", 1, 64, 4)
            .label("Couplings", Group.MODEL).effect(Effect.NEW_MODEL)
            .appliesWhen(c -> c.model().kind() == FLOW)
            .help("Flow: coupling layers, each with a Width × Depth conditioner.").build();
    /** Spline bins. */
    public static final Setting<Integer> SPLINE_BINS = Setting.integer("splineBins", "--bins", 2, 64, 16)
            .label("Spline bins", Group.MODEL).effect(Effect.NEW_MODEL)
            .appliesWhen(c -> c.model().kind() == FLOW && c.model().transform() == FlowTransform.SPLINE)
            .help("Spline flow: bins of each monotone rational-quadratic spline.").build();
    /** Spline tail bound; NaN for automatic. */
    public static final Setting<Double> TAIL_BOUND = Setting.real("tailBound", "--tail-bound", 0.01, 1e4, Double.NaN)
            .optional().log().label("Tail bound", Group.MODEL).effect(Effect.NEW_MODEL)
            .appliesWhen(c -> c.model().kind() == FLOW && c.model().transform() == FlowTransform.SPLINE)
            .help("Spline flow: the splines act on [−B, B]², the identity outside; auto = 1.2 × the largest "
                    + "|coordinate| of the data when the model is made.")
            .build();
    /** The forward SDE of a diffusion model. */
    public static final Setting<Sde.Type> SDE = Setting.choice("sde", "--sde", Sde.Type.class, Sde.Type.VP,
            Sde.Type::id).label("SDE", Group.MODEL).effect(Effect.NEW_MODEL)
            .appliesWhen(c -> c.model().kind() == DIFF)
            .help("Diffusion: the forward SDE (Song et al. 2021): vp (β 0.1 → 20), subvp, or ve (σ from σ to the "
                    + "data's largest pairwise distance).")
            .build();
    /** The loss. */
    public static final Setting<ObjectiveKind> OBJECTIVE = Setting.choice("objective", "--objective",
            ObjectiveKind.class, ObjectiveKind.EXACT, ObjectiveKind::id)
            .forKind(NC, ObjectiveKind.DENOISING_MULTI).forKind(FLOW, ObjectiveKind.MAX_LIKELIHOOD)
            .forKind(DIFF, ObjectiveKind.DENOISING_SDE)
            .label("Loss", Group.OBJECTIVE)
            .help("exact: Hyvärinen's E[tr ∇s + ½‖s‖²]; sliced: random projections of it; denoising: match the "
                    + "score of data blurred by σ; denoising-multi: over the σ ladder; max-likelihood: flows only; "
                    + "denoising-sde: diffusion only, over t ∈ [ε, 1] with weight s(t)².")
            .build();
    /** Sliced projections per sample. */
    public static final Setting<Integer> PROJECTIONS = Setting.integer("projections", "--projections", 1, 1024, 1)
            .label("Projections", Group.OBJECTIVE)
            .appliesWhen(c -> c.objective().kind().sliced())
            .help("Sliced: random projections v per sample in E[vᵀ∇s v + ½(vᵀs)²].").build();
    /** Sliced probe distribution. */
    public static final Setting<Probe> PROBE = Setting.choice("probe", "--probe", Probe.class, Probe.RADEMACHER,
            Setting::lowerDash).label("Projection", Group.OBJECTIVE)
            .appliesWhen(c -> c.objective().kind().sliced())
            .help("Sliced: Gaussian or Rademacher (±1) projections; Rademacher has the lower variance.").build();
    /** Denoising σ (multi-σ: the smallest). */
    public static final Setting<Double> SIGMA = Setting.real("sigma", "--sigma", 1e-4, 100, 0.1).log()
            .label("σ", Group.OBJECTIVE)
            .effectFor(NC, Effect.NEW_MODEL).effectFor(DIFF, Effect.NEW_MODEL).forKind(DIFF, 0.01)
            .appliesWhen(c -> c.objective().kind().denoising() || c.model().kind() == NC
                    || c.model().kind() == DIFF && c.get(SDE) == Sde.Type.VE)
            .help("Denoising: the noise σ added to the data (noise-conditional: the smallest σ of the ladder, "
                    + "which needs a new model; diffusion with the ve SDE: σ_min).")
            .build();
    /** Maximum likelihood: the σ of the Gaussian blur added to every batch. */
    public static final Setting<Double> SMOOTHING = Setting.real("smoothing", "--smoothing", 0, 100, 0)
            .label("Smoothing σ", Group.OBJECTIVE)
            .appliesWhen(c -> c.objective().kind() == ObjectiveKind.MAX_LIKELIHOOD)
            .help("Maximum likelihood: fit the data blurred by N(0, σ²) (fresh noise every step) instead of the "
                    + "points as given; 0 = no blur. Fewer than 500 points get 1.5 × the median nearest-neighbour "
                    + "distance, so that a flow does not collapse onto them.")
            .build();
    /** The largest σ of the noise-conditional ladder. */
    public static final Setting<Double> SIGMA_MAX = Setting.real("sigmaMax", "--sigma-max", 1e-4, 1000, 2.0).log()
            .label("σ max", Group.OBJECTIVE).effect(Effect.NEW_MODEL).appliesWhen(c -> c.model().kind() == NC)
            .help("Noise-conditional: the largest σ of the geometric ladder (about the data's diameter).").build();
    /** Levels of the noise-conditional ladder. */
    public static final Setting<Integer> SIGMA_LEVELS = Setting.integer("sigmaLevels", "--sigma-levels", 1, 1000, 5)
            .label("σ levels", Group.OBJECTIVE).effect(Effect.NEW_MODEL).appliesWhen(c -> c.model().kind() == NC)
            .help("Noise-conditional: number of σ levels of the geometric ladder.").build();
    /** Optimizer. */
    public static final Setting<OptimizerKind> OPTIMIZER = Setting.choice("optimizer", "--optimizer",
            OptimizerKind.class, OptimizerKind.ADAM, Setting::lowerDash).label("Optimizer", Group.OPTIMIZER)
            .help("Adam with decoupled weight decay (AdamW), or SGD with heavy-ball momentum.").build();
    /** Base learning rate. */
    public static final Setting<Double> LEARNING_RATE = Setting.real("learningRate", "--lr", 1e-8, 10, 3e-3).log()
            .forKind(NC, 1e-2).forKind(DIFF, 6e-3).label("Learning rate", Group.OPTIMIZER)
            .help("Base learning rate; the schedule scales it. Acts at the next step.").build();
    /** SGD momentum. */
    public static final Setting<Double> MOMENTUM = Setting.real("momentum", "--momentum", 0, 0.999, 0.9)
            .label("Momentum", Group.OPTIMIZER).appliesWhen(c -> c.optimizer().kind() == OptimizerKind.SGD)
            .help("SGD: heavy-ball momentum (Adam uses β₁ = 0.9).").build();
    /** Weight decay. */
    public static final Setting<Double> WEIGHT_DECAY = Setting.real("weightDecay", "--weight-decay", 0, 1, 0)
            .label("Weight decay", Group.OPTIMIZER)
            .help("Decoupled (Adam) or L2 (SGD) weight decay.").build();
    /** Minibatch size. */
    public static final Setting<Integer> BATCH_SIZE = Setting.integer("batchSize", "--batch", 1, 65_536, 256).log()
            .forKind(NC, 512).forObjective(ObjectiveKind.DENOISING, 1024)
            .label("Batch", Group.OPTIMIZER)
            .help("Data points per step (at most the number of points); single-σ denoising wants large batches, "
                    + "its target's variance is D/σ² per point.").build();
    /** Learning-rate schedule. */
    public static final Setting<Schedule> SCHEDULE = Setting.choice("schedule", "--schedule", Schedule.class,
            Schedule.COSINE, Setting::lowerDash).label("Schedule", Group.OPTIMIZER)
            .help("constant, or cosine decay to 1% of the rate over the planned steps.").build();
    /** Global gradient-norm clip. */
    public static final Setting<Double> CLIP_NORM = Setting.real("clipNorm", "--clip", 0, 1e6, 0)
            .label("Clip norm", Group.OPTIMIZER)
            .help("Clip the gradient's global norm to this; 0 = off.").build();
    /** Planned steps. */
    public static final Setting<Integer> STEPS = Setting.integer("steps", "--steps", 1, 100_000_000, 3000).log().forKind(NC, 8000)
            .forKind(DIFF, 5000).forKind(FLOW, 4000)
            .label("Steps", Group.RUN)
            .help("Planned length of the run: the cosine schedule's horizon; training stops there.").build();
    /** Steps between two evaluations of the Fisher divergence. */
    public static final Setting<Integer> FISHER_EVERY = Setting.integer("fisherEvery", "--fisher-every", 1, 1_000_000, 10)
            .label("Fisher every", Group.RUN)
            .help("Steps between two evaluations of the Fisher divergence against the true score (512 points).")
            .build();
    /**
     * Steps between two held-out NLL evaluations ({@link org.scorescope.analysis.Likelihood}, grid of at most 129
     * nodes a side). Measured on 8gaussians: a flow's costs about 12 ms (2 steps), an energy's quadrature about
     * 80 ms and a score field's integration 25–40 ms (20–80 steps), so every 50 and every 500 steps cost under
     * 5% of the training time.
     */
    public static final Setting<Integer> NLL_EVERY = Setting.integer("nllEvery", "--nll-every", 1, 1_000_000, 500)
            .forKind(FLOW, 50).label("NLL every", Group.RUN)
            .help("Steps between two evaluations of the held-out negative log-likelihood (nats), which also "
                    + "chooses the best model.")
            .build();
    /** Seed. */
    public static final Setting<Long> SEED = Setting.longInteger("seed", "--seed", 0, Long.MAX_VALUE, 1)
            .label("Seed", Group.RUN).effect(Effect.NEW_DATA)
            .help("Seed of the data, the initialization, the batches and the noise.").build();

    /** Every setting, in panel order. */
    public static final List<Setting<?>> ALL = List.of(DATASET, SAMPLES, DATA_NOISE, MODEL_KIND, WIDTH, DEPTH,
            ACTIVATION, FLOW_TRANSFORM, COUPLINGS, SPLINE_BINS, TAIL_BOUND, SDE, OBJECTIVE, PROJECTIONS, PROBE, SIGMA,
            SMOOTHING, SIGMA_MAX, SIGMA_LEVELS, OPTIMIZER, LEARNING_RATE, MOMENTUM, WEIGHT_DECAY, BATCH_SIZE, SCHEDULE, CLIP_NORM,
            STEPS, FISHER_EVERY, NLL_EVERY, SEED);

    private Settings() {
    }

    /**
     * What choosing a model kind or a loss does to the other settings: after {@code chosen} took a new
     * value in {@code values}, every setting whose default depends on it moves to its new default (a
     * new kind also brings its own loss). The app's controls, presets, sessions and the CLI share it.
     *
     * @param values a value per setting, changed in place
     * @param chosen {@link #MODEL_KIND} or {@link #OBJECTIVE}; other settings move nothing
     */
    public static void moveDefaults(Map<Setting<?>, Object> values, Setting<?> chosen) {
        if (chosen != MODEL_KIND && chosen != OBJECTIVE) {
            return;
        }
        ModelSpec.Kind kind = (ModelSpec.Kind) values.get(MODEL_KIND);
        if (chosen == MODEL_KIND) {
            values.put(OBJECTIVE, OBJECTIVE.defaultFor(kind));
        }
        ObjectiveKind objective = (ObjectiveKind) values.get(OBJECTIVE);
        for (Setting<?> s : ALL) {
            if (s != OBJECTIVE && (s.hasPerObjectiveDefault() || chosen == MODEL_KIND && s.hasPerKindDefault())) {
                values.put(s, s.defaultFor(kind, objective));
            }
        }
    }

    /** @return the setting with this id, if any */
    public static Optional<Setting<?>> byId(String id) {
        return ALL.stream().filter(s -> s.id().equals(id)).findFirst();
    }
}
