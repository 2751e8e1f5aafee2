package org.scorescope.analysis;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.scorescope.model.DiffusionMlp;
import org.scorescope.model.ModelState;
import org.scorescope.model.NoiseConditionalMlp;
import org.scorescope.model.Sde;
import org.scorescope.model.ScoreModel;

/**
 * The samplers on offer and which model kinds they apply to, with each kind's default, for the CLI's {@code sample}
 * and the app:
 * <ul>
 *   <li>{@link Kind#LANGEVIN}: every kind (a noise-conditional model at σ_L, a diffusion model at t = ε); the default
 *       of energy, score and flow models.</li>
 *   <li>{@link Kind#ANNEALED_LANGEVIN}: noise-conditional (its own ladder; the default) and VE diffusion models (a
 *       geometric ladder of σ(t) from σ_max to σ(ε), NCSN's). Not VP or sub-VP: their marginals also shrink the data
 *       by m(t), so a σ ladder separates the modes within one level and the particles split by proximity, not by
 *       weight (measured on mixture2: 0.49 instead of 0.8 on the major mode).</li>
 *   <li>{@link Kind#REVERSE_SDE}, {@link Kind#PROBABILITY_FLOW} (the default of diffusion models) and
 *       {@link Kind#PREDICTOR_CORRECTOR}: diffusion models with their SDE, and noise-conditional models as the VE SDE
 *       from σ_L to σ_1 ({@link ModelFields#noiseConditionalInTime}).</li>
 * </ul>
 * Stateless.
 */
public final class Samplers {
    /** Default signal-to-noise ratio of the predictor–corrector's Langevin corrector (measured, docs/training.md). */
    public static final double DEFAULT_SNR = 0.05;
    /** Default rtol and atol of the probability-flow sampler (Song et al. 2021's 1e-5). */
    public static final double DEFAULT_TOLERANCE = 1e-5;
    /** The sampler choice, described once for {@code sample --sampler} and the app's sampler control. */
    public static final String SAMPLER_HELP = "langevin: plain Langevin at the smallest noise level; annealed-langevin: "
            + "Langevin down a σ ladder; reverse-sde: Euler–Maruyama on the reverse SDE; pf-ode: the probability-flow "
            + "ODE (adaptive Dormand–Prince); pc: predictor–corrector (default: langevin; annealed-langevin for a "
            + "noise-conditional model, pf-ode for a diffusion model).";
    /** The steps, described once for {@code sample --steps} and the app; the numbers are {@link #defaultSteps}'s. */
    public static final String STEPS_HELP = "Langevin steps (1000); per σ level for annealed Langevin (1000; 100 for a "
            + "diffusion model); time steps of reverse-sde (1000) and pc (500); the pf-ode chooses its own.";
    /** The corrector's signal-to-noise ratio, described once for {@code sample --snr} and the app. */
    public static final String SNR_HELP = "pc: signal-to-noise ratio of the Langevin corrector (default " + DEFAULT_SNR
            + ").";
    /** ε of a noise-conditional model seen as a VE SDE: s(ε) = σ_L(σ_1/σ_L)^ε ≈ σ_L. */
    private static final double NC_EPSILON = 1e-3;

    private Samplers() {
    }

    /** A sampler. */
    public enum Kind {
        /** Unadjusted Langevin dynamics on the model's data score. */
        LANGEVIN("langevin"),
        /** Langevin dynamics over a ladder of noise levels. */
        ANNEALED_LANGEVIN("annealed-langevin"),
        /** Euler–Maruyama on the reverse-time SDE. */
        REVERSE_SDE("reverse-sde"),
        /** The probability-flow ODE by adaptive Dormand–Prince. */
        PROBABILITY_FLOW("pf-ode"),
        /** Predictor–corrector: reverse SDE with Langevin correction. */
        PREDICTOR_CORRECTOR("pc");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        /** @return the CLI name */
        public String id() {
            return id;
        }

        /** @return true for the samplers that start from the SDE's prior rather than a uniform box */
        public boolean fromPrior() {
            return this == REVERSE_SDE || this == PROBABILITY_FLOW || this == PREDICTOR_CORRECTOR;
        }

        /**
         * @param id a CLI name
         * @return the sampler
         * @throws IllegalArgumentException listing the valid names
         */
        public static Kind fromId(String id) {
            for (Kind k : values()) {
                if (k.id.equals(id.toLowerCase(Locale.ROOT))) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown sampler '" + id + "' (expected one of "
                    + Arrays.stream(values()).map(Kind::id).collect(Collectors.joining(", ")) + ")");
        }
    }

    /**
     * Sampler settings; each sampler reads its own.
     *
     * @param steps          Langevin steps, steps per level (annealed), or time steps (reverse SDE, PC)
     * @param stepSize       Langevin ε (annealed: at the last level)
     * @param levels         annealed Langevin of a diffusion model: levels of its ladder
     * @param snr            PC: corrector signal-to-noise ratio
     * @param correctorSteps PC: corrector steps per time
     * @param rtol           PF-ODE relative tolerance
     * @param atol           PF-ODE absolute tolerance
     */
    public record Options(int steps, double stepSize, int levels, double snr, int correctorSteps, double rtol,
                          double atol) {
    }

    /**
     * @param positions   the samples, interleaved
     * @param steps       steps taken (accepted steps for the PF-ODE)
     * @param evaluations network evaluations on the whole batch
     */
    public record Outcome(double[] positions, long steps, long evaluations) {
    }

    /** @return the samplers that apply to this model */
    public static Set<Kind> offered(ScoreModel model) {
        if (model instanceof DiffusionMlp dm) {
            return dm.sde().type() == Sde.Type.VE ? EnumSet.allOf(Kind.class)
                    : EnumSet.complementOf(EnumSet.of(Kind.ANNEALED_LANGEVIN));
        }
        if (model instanceof NoiseConditionalMlp nc) {
            return nc.sigmas().length > 1 ? EnumSet.allOf(Kind.class) : EnumSet.of(Kind.LANGEVIN);
        }
        return EnumSet.of(Kind.LANGEVIN);
    }

    /** @return true when the sampler applies to the model */
    public static boolean offers(Kind kind, ScoreModel model) {
        return offered(model).contains(kind);
    }

    /** @return the model kind's own sampler */
    public static Kind defaultFor(ScoreModel model) {
        if (model instanceof DiffusionMlp) {
            return Kind.PROBABILITY_FLOW;
        }
        return model instanceof NoiseConditionalMlp ? Kind.ANNEALED_LANGEVIN : Kind.LANGEVIN;
    }

    /** @return the default number of steps of a sampler for a model (unused by the PF-ODE, which adapts) */
    public static int defaultSteps(Kind kind, ScoreModel model) {
        return switch (kind) {
            case LANGEVIN, REVERSE_SDE -> 1000;
            case ANNEALED_LANGEVIN -> model instanceof DiffusionMlp ? 100 : 1000;
            case PREDICTOR_CORRECTOR -> 500;
            case PROBABILITY_FLOW -> 0;
        };
    }

    /**
     * The default Langevin step size: 0.01, except for annealed Langevin over a diffusion model's ladder, where
     * ε = 0.1·σ_L² makes every level's step α_i = ε·σ_i²/σ_L² = 0.1·σ_i², stable from s(1) down to s(ε).
     *
     * @param kind   the sampler
     * @param model  the model
     * @param levels the ladder's levels (diffusion)
     * @return ε
     */
    public static double defaultStepSize(Kind kind, ScoreModel model, int levels) {
        if (kind == Kind.ANNEALED_LANGEVIN && model instanceof DiffusionMlp) {
            double[] s = ladder(model, levels);
            return 0.1 * s[s.length - 1] * s[s.length - 1];
        }
        return 0.01;
    }

    /**
     * The SDE a model is sampled with: its own for a diffusion model, the VE SDE through its σ range for a
     * noise-conditional one.
     *
     * @param model a diffusion or noise-conditional model
     * @return the SDE
     */
    public static Sde sdeOf(ScoreModel model) {
        if (model instanceof DiffusionMlp dm) {
            return dm.sde();
        }
        if (model instanceof NoiseConditionalMlp nc) {
            return ModelFields.veOf(nc);
        }
        throw new IllegalArgumentException("a " + model.kind().id() + " model has no SDE");
    }

    /** @return ε, the final time of the SDE samplers for this model */
    public static double epsilonOf(ScoreModel model) {
        return model instanceof DiffusionMlp dm ? dm.epsilon() : NC_EPSILON;
    }

    /** @return s(x, t) of a diffusion model, or of a noise-conditional model as a VE SDE */
    public static TimeScore timeScore(ModelState state) {
        if (state.model() instanceof DiffusionMlp dm) {
            return ModelFields.diffusion(state, dm);
        }
        if (state.model() instanceof NoiseConditionalMlp nc) {
            return ModelFields.noiseConditionalInTime(state, nc);
        }
        throw new IllegalArgumentException("a " + state.model().kind().id() + " model has no time score");
    }

    /** @return the score at the smallest level of the annealing ladder (for step-size checks) */
    public static BatchScore smallestLevelScore(ModelState state) {
        return ModelFields.score(state);
    }

    /**
     * The annealed-Langevin ladder of a model: a noise-conditional model's own levels, or {@code levels} geometric
     * values of a diffusion model's s(t) from s(1) down to s(ε).
     *
     * @param model  the model
     * @param levels levels for a diffusion model, ≥ 2
     * @return σ_1 &gt; … &gt; σ_L
     */
    public static double[] ladder(ScoreModel model, int levels) {
        if (model instanceof NoiseConditionalMlp nc) {
            return nc.sigmas();
        }
        DiffusionMlp dm = (DiffusionMlp) model;
        return NoiseConditionalMlp.geometricSigmas(dm.sde().std(1), dm.sde().std(dm.epsilon()), levels);
    }

    /**
     * Runs a sampler to the end.
     *
     * @param kind  the sampler (must be {@link #offers offered})
     * @param state model and parameters
     * @param box   Langevin starting points (interleaved, 2n; ignored by the samplers that start from the prior)
     * @param n     number of samples
     * @param o     settings
     * @param seed  seed of the prior draws and the noise
     * @return the samples and the work
     */
    public static Outcome run(Kind kind, ModelState state, double[] box, int n, Options o, long seed) {
        ScoreModel model = state.model();
        if (!offers(kind, model)) {
            throw new IllegalArgumentException("the " + kind.id() + " sampler does not apply to a " + model.kind().id()
                    + " model");
        }
        SamplerStepper s = SamplerStepper.start(kind, SamplerStepper.Fields.of(state, o.levels()), box, n, o, seed);
        s.run();
        return new Outcome(s.positions(), s.steps(), s.evaluations());
    }
}
