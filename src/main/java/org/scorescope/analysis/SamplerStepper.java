package org.scorescope.analysis;

import org.scorescope.model.DiffusionMlp;
import org.scorescope.model.ModelState;
import org.scorescope.model.NoiseConditionalMlp;
import org.scorescope.model.Sde;
import org.scorescope.model.ScoreModel;

/**
 * One of the {@link Samplers} advanced a step at a time, so that a view can animate it from noise to data and count
 * its network evaluations; {@link Samplers#run} runs the same steppers to the end. A step is one Langevin step
 * (plain or annealed), one reverse-SDE or predictor–corrector time, or one accepted Dormand–Prince step of the
 * probability-flow ODE. Not thread-safe: one thread steps it.
 */
public final class SamplerStepper {
    /**
     * The score functions a sampler reads, over plain arrays.
     *
     * @param sde     the SDE of the SDE samplers, or null for a model without one
     * @param epsilon their final time ε
     * @param time    s(x, t), or null
     * @param data    the data score (a time-conditional model's at its smallest level)
     * @param byNoise s(x, σ) for annealed Langevin, or null
     * @param ladder  annealed Langevin's σ_1 &gt; … &gt; σ_L, or null
     */
    public record Fields(Sde sde, double epsilon, TimeScore time, BatchScore data, NoiseConditionalScore byNoise,
                         double[] ladder) {
        /**
         * @param state  model and parameters (an immutable snapshot)
         * @param levels annealed Langevin levels of a diffusion model's ladder
         * @return the model's fields
         */
        public static Fields of(ModelState state, int levels) {
            ScoreModel model = state.model();
            BatchScore data = ModelFields.score(state);
            if (model instanceof DiffusionMlp dm) {
                return new Fields(dm.sde(), dm.epsilon(), ModelFields.diffusion(state, dm), data,
                        ModelFields.diffusionBySigma(state, dm), Samplers.ladder(dm, Math.max(2, levels)));
            }
            if (model instanceof NoiseConditionalMlp nc && nc.sigmas().length > 1) {
                return new Fields(ModelFields.veOf(nc), Samplers.epsilonOf(nc), ModelFields.noiseConditionalInTime(state,
                        nc), data, ModelFields.noiseConditional(state, nc), nc.sigmas());
            }
            return new Fields(null, Double.NaN, null, data, null, null);
        }
    }

    private interface Step {
        boolean step();
    }

    private final Samplers.Kind kind;
    private final Step step;
    private final java.util.function.Supplier<double[]> positions;
    private final java.util.function.LongSupplier evaluations;
    private final java.util.function.DoubleSupplier time;
    private final long planned;
    private long steps;
    private boolean done;

    private SamplerStepper(Samplers.Kind kind, Step step, java.util.function.Supplier<double[]> positions,
                           java.util.function.LongSupplier evaluations, java.util.function.DoubleSupplier time,
                           long planned) {
        this.kind = kind;
        this.step = step;
        this.positions = positions;
        this.evaluations = evaluations;
        this.time = time;
        this.planned = planned;
    }

    /**
     * Sets a sampler up at its start: plain and annealed Langevin from {@code box} (copied), the SDE samplers from
     * prior draws of the SDE (seeded with {@code seed}, their noise with {@code seed + 1}).
     *
     * @param kind the sampler; its fields must be present
     * @param f    the model's fields
     * @param box  Langevin starting points, interleaved (2n)
     * @param n    number of particles
     * @param o    settings
     * @param seed seed
     * @return the stepper, before its first step
     * @throws IllegalArgumentException if the sampler needs a field the model lacks
     */
    public static SamplerStepper start(Samplers.Kind kind, Fields f, double[] box, int n, Samplers.Options o,
                                       long seed) {
        switch (kind) {
            case LANGEVIN -> {
                LangevinSampler s = new LangevinSampler(f.data(), box.clone(), n, o.stepSize(), seed);
                long[] left = {o.steps()};
                return new SamplerStepper(kind, () -> {
                    if (left[0] <= 0) {
                        return false;
                    }
                    s.step();
                    left[0]--;
                    return true;
                }, s::positions, s::stepsTaken, () -> Double.NaN, o.steps());
            }
            case ANNEALED_LANGEVIN -> {
                require(f.byNoise() != null, kind);
                AnnealedLangevinSampler s = new AnnealedLangevinSampler(f.byNoise(), box.clone(), n, f.ladder(),
                        o.steps(), o.stepSize(), seed);
                return new SamplerStepper(kind, s::step, s::positions, s::stepsTaken,
                        () -> s.isDone() ? f.ladder()[f.ladder().length - 1] : s.sigma(),
                        (long) o.steps() * f.ladder().length);
            }
            default -> {
                require(f.time() != null, kind);
                double[] xs = ReverseSdeSampler.priorSample(f.sde(), n, seed);
                if (kind == Samplers.Kind.PROBABILITY_FLOW) {
                    DormandPrince dp = ProbabilityFlow.sampler(f.time(), f.sde(), xs, n, f.epsilon(), o.rtol(), o.atol());
                    return new SamplerStepper(kind, dp::step, () -> dp.state().clone(), dp::evaluations, dp::time, -1);
                }
                if (kind == Samplers.Kind.REVERSE_SDE) {
                    ReverseSdeSampler s = new ReverseSdeSampler(f.time(), f.sde(), xs, n, o.steps(), f.epsilon(),
                            seed + 1);
                    return new SamplerStepper(kind, s::step, s::positions, s::evaluations, s::time, o.steps());
                }
                PredictorCorrectorSampler s = new PredictorCorrectorSampler(f.time(), f.sde(), xs, n, o.steps(),
                        o.correctorSteps(), o.snr(), f.epsilon(), seed + 1);
                return new SamplerStepper(kind, s::step, s::positions, s::evaluations, s::time, o.steps());
            }
        }
    }

    private static void require(boolean present, Samplers.Kind kind) {
        if (!present) {
            throw new IllegalArgumentException("the " + kind.id() + " sampler needs a diffusion or noise-conditional "
                    + "model");
        }
    }

    /**
     * One step.
     *
     * @return false (doing nothing) when the sampler had already finished
     * @throws IllegalStateException if a score is not finite
     */
    public boolean step() {
        if (done || !step.step()) {
            done = true;
            return false;
        }
        steps++;
        return true;
    }

    /** Runs the remaining steps. */
    public void run() {
        while (step()) {
            // one step at a time
        }
    }

    /** @return the sampler */
    public Samplers.Kind kind() {
        return kind;
    }

    /** @return whether the last call to {@link #step()} found nothing left to do */
    public boolean done() {
        return done;
    }

    /** @return steps taken (accepted steps for the probability flow) */
    public long steps() {
        return steps;
    }

    /** @return the steps of the whole run, or −1 when adaptive (the probability flow) */
    public long plannedSteps() {
        return planned;
    }

    /** @return network evaluations on the whole batch so far */
    public long evaluations() {
        return evaluations.getAsLong();
    }

    /**
     * @return where the sampler is: the SDE time t (running from 1 to ε), annealed Langevin's current σ, NaN for
     *         plain Langevin
     */
    public double time() {
        return time.getAsDouble();
    }

    /** @return a copy of the particles, interleaved */
    public double[] positions() {
        return positions.get();
    }
}
