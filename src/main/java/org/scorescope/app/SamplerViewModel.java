package org.scorescope.app;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.scorescope.analysis.SamplerStepper;
import org.scorescope.analysis.Samplers;
import org.scorescope.data.GaussianMixture;
import org.scorescope.model.ModelState;
import org.scorescope.model.ScoreModel;
import org.scorescope.train.Trainer;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.SamplerRun;

/**
 * The sampler panel's view-model: which sampler ({@link Samplers#offered} for the current model), its steps, the
 * predictor–corrector's snr and the number of particles; Run/Stop of an animated {@link SamplerRun} on the current
 * model snapshot; and what the run shows: its network evaluations (NFE), where it is, and the weight its particles
 * put on each mode of the true mixture next to the truth's, kept per sampler so that the samplers compare (on
 * mixture2, plain Langevin gets 0.8/0.2 wrong, the others right). Defaults and ranges come from {@link Samplers}.
 * Owner (FX) thread only; the run computes on its own thread and is polled once per animation frame.
 */
public final class SamplerViewModel {
    /** Most particles of a run. */
    static final int MAX_PARTICLES = 20_000;
    /** Most steps of a run. */
    static final int MAX_STEPS = 100_000;
    private static final int DEFAULT_PARTICLES = 1000;
    /** Annealed Langevin levels of a diffusion model's ladder (the CLI's default). */
    private static final int LEVELS = 10;

    /** Makes the stepper of a run; tests substitute known scores. */
    @FunctionalInterface
    interface StepperFactory {
        SamplerStepper start(Samplers.Kind kind, ModelState state, double[] box, int n, Samplers.Options o, long seed);
    }

    private final Supplier<FrameData> frame;
    private final StepperFactory factory;
    private final boolean paced;
    private final ObservableList<Samplers.Kind> offered = FXCollections.observableArrayList();
    private final ObjectProperty<Samplers.Kind> kind = new SimpleObjectProperty<>(Samplers.Kind.PROBABILITY_FLOW);
    private final IntegerProperty steps = new SimpleIntegerProperty(1000);
    private final DoubleProperty snr = new SimpleDoubleProperty(Samplers.DEFAULT_SNR);
    private final IntegerProperty particles = new SimpleIntegerProperty(DEFAULT_PARTICLES);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyLongWrapper evaluations = new ReadOnlyLongWrapper(0);
    private final ReadOnlyStringWrapper progress = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper weights = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper results = new ReadOnlyStringWrapper("");
    private final BooleanProperty stepsApply = new SimpleBooleanProperty(false);
    private final BooleanProperty snrApplies = new SimpleBooleanProperty(false);
    private final Map<Samplers.Kind, String> lastResults = new EnumMap<>(Samplers.Kind.class);
    private SamplerRun run;
    private SamplerRun.Frame shown;
    private GaussianMixture truth;
    private ScoreModel offeredFor;
    private long seed = 1;

    /**
     * @param frame the newest frame (its model snapshot is what a run samples)
     */
    SamplerViewModel(Supplier<FrameData> frame) {
        this(frame, (k, s, box, n, o, seed) -> SamplerStepper.start(k, SamplerStepper.Fields.of(s, o.levels()), box,
                n, o, seed), true);
    }

    /**
     * @param frame   the newest frame
     * @param factory makes a run's stepper
     * @param paced   whether runs are drawn out to be watched (false: as fast as they compute)
     */
    SamplerViewModel(Supplier<FrameData> frame, StepperFactory factory, boolean paced) {
        this.frame = frame;
        this.factory = factory;
        this.paced = paced;
        kind.addListener((o, was, now) -> kindChanged());
        kindChanged();
    }

    /**
     * Offers the samplers of a model (called with every frame): a new model kind takes its default sampler and
     * hides the last run; otherwise the choice stays while it is still offered.
     *
     * @param model the current model, or null
     */
    void modelChanged(ScoreModel model) {
        if (model == null) {
            return;
        }
        boolean newKind = offeredFor == null || offeredFor.kind() != model.kind();
        List<Samplers.Kind> now = new ArrayList<>(Samplers.offered(model));
        offeredFor = model;
        if (!now.equals(offered)) {
            offered.setAll(now);
        }
        if (newKind) {
            clear();
            clearResults();
        }
        if (newKind || !offered.contains(kind.get())) {
            Samplers.Kind d = Samplers.defaultFor(model);
            if (kind.get() == d) {
                kindChanged();
            } else {
                kind.set(d);
            }
        }
    }

    private void kindChanged() {
        Samplers.Kind k = kind.get();
        if (k == null) {
            return;
        }
        if (offeredFor != null) {
            steps.set(Samplers.defaultSteps(k, offeredFor));
        }
        stepsApply.set(k != Samplers.Kind.PROBABILITY_FLOW);
        snrApplies.set(k == Samplers.Kind.PREDICTOR_CORRECTOR);
    }

    /** Starts a run of the chosen sampler on the current model snapshot, or stops the one running. */
    public void runOrStop() {
        if (run != null && running.get()) {
            run.stop();
            return;
        }
        FrameData f = frame.get();
        if (f == null || f.model() == null || kind.get() == null) {
            return;
        }
        ModelState state = f.model();
        Samplers.Kind k = kind.get();
        if (!Samplers.offers(k, state.model())) {
            progress.set("The " + k.id() + " sampler does not apply to a " + state.model().kind().id() + " model.");
            return;
        }
        int n = particles.get();
        double[] box = SamplerRun.uniformStart(f.points(), f.config().data().dataset().defaultBox(), n, seed);
        Samplers.Options o = new Samplers.Options(Math.max(1, steps.get()),
                Samplers.defaultStepSize(k, state.model(), LEVELS), LEVELS, snr.get(), 1, Samplers.DEFAULT_TOLERANCE,
                Samplers.DEFAULT_TOLERANCE);
        truth = f.hasTruth() ? Trainer.truth(f.config()) : null;
        try {
            run = new SamplerRun(factory.start(k, state, box, n, o, seed++), truth, paced, () -> { });
        } catch (IllegalArgumentException e) {
            progress.set("Cannot run " + k.id() + ": " + e.getMessage());
            return;
        }
        running.set(true);
        poll();
    }

    /**
     * Takes the run's newest frame, if any, and updates the texts (once per animation frame).
     *
     * @return the frame to draw, or null when there is no run
     */
    public SamplerRun.Frame poll() {
        if (run == null) {
            return null;
        }
        SamplerRun.Frame f = run.take();
        if (f == null) {
            return shown;
        }
        shown = f;
        evaluations.set(f.evaluations());
        String where = Double.isNaN(f.time()) ? ""
                : (f.kind() == Samplers.Kind.ANNEALED_LANGEVIN ? ", σ = " : ", t = ") + fmt(f.time());
        progress.set(f.error().isEmpty()
                ? String.format(Locale.ROOT, "step %d%s%s%s", f.steps(), f.planned() > 0 ? " / " + f.planned() : "",
                        where, f.done() ? " · done" : "")
                : "Stopped: " + f.error());
        weights.set(weightsText(f.modeWeights()));
        if (f.done()) {
            running.set(false);
            if (f.modeWeights() != null && f.error().isEmpty()) {
                lastResults.put(f.kind(), String.format(Locale.ROOT, "%s: %s (%d NFE)", f.kind().id(),
                        join(f.modeWeights()), f.evaluations()));
                List<String> lines = new ArrayList<>(lastResults.values());
                results.set(String.join("\n", lines));
            }
        }
        return f;
    }

    /** Hides the run's particles (a new model or dataset makes them meaningless) and stops it. */
    public void clear() {
        if (run != null) {
            run.stop();
        }
        run = null;
        shown = null;
        running.set(false);
        progress.set("");
        weights.set("");
    }

    /** Forgets the per-sampler mode weights (new data). */
    void clearResults() {
        lastResults.clear();
        results.set("");
    }

    private String weightsText(double[] w) {
        if (w == null || truth == null) {
            return "";
        }
        double[] t = new double[truth.components()];
        for (int k = 0; k < t.length; k++) {
            t[k] = truth.weight(k);
        }
        return "mode weights: sampled " + join(w) + " · true " + join(t);
    }

    private static String join(double[] w) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < w.length; k++) {
            b.append(k == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.3f", w[k]));
        }
        return b.toString();
    }

    private static String fmt(double v) {
        return org.scorescope.render.Fmt.num(v);
    }

    /** @return the samplers offered for the current model */
    public ObservableList<Samplers.Kind> offered() {
        return offered;
    }

    /** @return the chosen sampler */
    public ObjectProperty<Samplers.Kind> kindProperty() {
        return kind;
    }

    /** @return steps: Langevin steps, per level for annealed Langevin, time steps of the reverse SDE and PC */
    public IntegerProperty stepsProperty() {
        return steps;
    }

    /** @return the predictor–corrector's signal-to-noise ratio */
    public DoubleProperty snrProperty() {
        return snr;
    }

    /** @return the number of particles of a run */
    public IntegerProperty particlesProperty() {
        return particles;
    }

    /** @return whether the chosen sampler has a step count (the PF-ODE adapts its own) */
    public BooleanProperty stepsApplyProperty() {
        return stepsApply;
    }

    /** @return whether the chosen sampler reads snr */
    public BooleanProperty snrAppliesProperty() {
        return snrApplies;
    }

    /** @return whether a run is going */
    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** @return the run's network evaluations so far */
    public ReadOnlyLongProperty evaluationsProperty() {
        return evaluations.getReadOnlyProperty();
    }

    /** @return where the run is: its step and time */
    public ReadOnlyStringProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** @return the run's mode weights next to the truth's, or "" without a mixture */
    public ReadOnlyStringProperty weightsProperty() {
        return weights.getReadOnlyProperty();
    }

    /** @return the finished runs' mode weights, one line per sampler */
    public ReadOnlyStringProperty resultsProperty() {
        return results.getReadOnlyProperty();
    }
}
