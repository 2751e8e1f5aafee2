package org.scorescope.app;

import java.util.Locale;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import org.scorescope.analysis.PerturbedDensity;
import org.scorescope.field.FieldFrame;
import org.scorescope.model.DiffusionMlp;
import org.scorescope.model.ScoreModel;
import org.scorescope.render.Fmt;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.SamplerRun;

/**
 * The Diffusion panel's view-model, for diffusion and noise-conditional models ({@link PerturbedDensity#applies}):
 * the noise level t of the view with its σ(t), the score-error heat map switch (both view options held by
 * {@link ViewOptionsViewModel}, which sends them to the worker), what the model's density in the view is (the
 * probability-flow density, or the score's integral while that is computed), and the {@link SamplerViewModel}.
 * Owner (FX) thread only.
 */
public final class DiffusionViewModel {
    private final ViewOptionsViewModel view;
    private final SamplerViewModel sampler;
    private final ReadOnlyBooleanWrapper applies = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper noiseText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper densityText = new ReadOnlyStringWrapper("");
    private final BooleanProperty followRun = new SimpleBooleanProperty(true);
    private ScoreModel model;
    /** The noise level a followed run moves the view by. */
    static final double FOLLOW_STEP = 0.05;

    /**
     * @param frame the newest frame
     * @param view  the view options (noise level, heat map)
     */
    DiffusionViewModel(ReadOnlyObjectProperty<FrameData> frame, ViewOptionsViewModel view) {
        this(frame, view, new SamplerViewModel(frame::get));
    }

    DiffusionViewModel(ReadOnlyObjectProperty<FrameData> frame, ViewOptionsViewModel view, SamplerViewModel sampler) {
        this.view = view;
        this.sampler = sampler;
        frame.addListener((o, was, f) -> frameChanged(f));
        view.noiseTimeProperty().addListener(o -> noiseChanged());
        frameChanged(frame.get());
    }

    private void frameChanged(FrameData f) {
        ScoreModel m = f == null || f.model() == null ? null : f.model().model();
        if (m != model) {
            model = m;
            applies.set(m != null && PerturbedDensity.applies(m));
            sampler.modelChanged(m);
            noiseChanged();
        }
        FieldFrame field = f == null ? null : f.field();
        FieldFrame.Noise noise = field == null ? null : field.noise();
        if (noise == null) {
            densityText.set("");
        } else if (noise.flowPending()) {
            densityText.set("Model density: computing the probability-flow density… (until then, the score's "
                    + "integral)");
        } else {
            densityText.set(model instanceof DiffusionMlp ? "Model density: log p_t by the probability-flow ODE"
                    : "Model density: integrated from s_θ(·, t)");
        }
    }

    private void noiseChanged() {
        if (model == null || !applies.get()) {
            noiseText.set("");
            return;
        }
        double t = PerturbedDensity.time(model, view.noiseTimeProperty().get());
        noiseText.set(String.format(Locale.ROOT, "t = %s, σ(t) = %s", Fmt.num(t),
                Fmt.num(PerturbedDensity.sigma(model, t))));
    }

    /**
     * Takes the sampler run's newest frame (once per animation frame); while an SDE sampler runs and
     * {@link #followRunProperty} is on, the view's noise level follows its time t in steps of {@value #FOLLOW_STEP}
     * (each step recomputes the fields, so not every frame).
     *
     * @return the run's frame to draw, or null
     */
    public SamplerRun.Frame poll() {
        SamplerRun.Frame f = sampler.poll();
        if (f != null && followRun.get() && f.kind().fromPrior() && !Double.isNaN(f.time())) {
            double t = Math.round(f.time() / FOLLOW_STEP) * FOLLOW_STEP;
            if (Math.abs(t - view.noiseTimeProperty().get()) > 1e-9) {
                view.noiseTimeProperty().set(Math.max(0, Math.min(1, t)));
            }
        }
        return f;
    }

    /** @return whether the view's noise level follows a running SDE sampler's time */
    public BooleanProperty followRunProperty() {
        return followRun;
    }

    /** @return whether the current model has noise levels (the panel shows only then) */
    public ReadOnlyBooleanProperty appliesProperty() {
        return applies.getReadOnlyProperty();
    }

    /** @return the noise level t ∈ [0, 1] of the view (clamped to [ε, 1] when computed) */
    public DoubleProperty noiseTimeProperty() {
        return view.noiseTimeProperty();
    }

    /** @return whether the heat map shows ‖s_θ − ∇log p_t‖² */
    public BooleanProperty scoreErrorProperty() {
        return view.scoreErrorHeatProperty();
    }

    /** @return the time shown and its σ(t), e.g. "t = 0.15, σ(t) = 0.47" */
    public ReadOnlyStringProperty noiseTextProperty() {
        return noiseText.getReadOnlyProperty();
    }

    /** @return where the model's density in the view comes from */
    public ReadOnlyStringProperty densityTextProperty() {
        return densityText.getReadOnlyProperty();
    }

    /** @return the sampler panel's view-model */
    public SamplerViewModel sampler() {
        return sampler;
    }
}
