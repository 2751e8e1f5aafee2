package org.scorescope.app;

import javafx.animation.AnimationTimer;
import javafx.beans.binding.Bindings;
import javafx.beans.property.Property;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.scorescope.analysis.Samplers;

/**
 * The Diffusion panel, built in code and placed among the controls by {@link #install}: the noise-level slider with
 * t and σ(t), the score-error heat map switch, where the model's density comes from, and the animated samplers
 * (sampler, steps, snr, particles, Run/Stop, NFE, mode weights). It only binds controls to
 * {@link DiffusionViewModel}; an animation timer hands the sampler run's newest frame to the field view.
 */
final class DiffusionPanel {
    private DiffusionPanel() {
    }

    /**
     * Builds the panel and inserts it into the control column before {@code before}.
     *
     * @param vm      the view-model
     * @param column  the control column
     * @param before  the id of the panel it goes before (the View panel; last if absent)
     * @param canvas  the field view, which draws the sampler run
     * @param binder  binds spinners, reporting unreadable input
     * @return the panel
     */
    static TitledPane install(DiffusionViewModel vm, VBox column, String before, FieldCanvas canvas,
                              ControlBinder binder) {
        GridPane g = new GridPane();
        g.setHgap(6);
        g.setVgap(5);
        g.setPadding(new Insets(2));
        ColumnConstraints c0 = new ColumnConstraints();
        ColumnConstraints c1 = new ColumnConstraints();
        c1.setHgrow(Priority.ALWAYS);
        g.getColumnConstraints().addAll(c0, c1);
        int row = 0;

        Slider noise = new Slider(0, 1, 0);
        noise.setId("noiseSlider");
        // Steps of 0.01 in t: readable times, and the cache of densities per snapshot gets hits.
        noise.setMajorTickUnit(0.1);
        noise.setMinorTickCount(9);
        noise.setSnapToTicks(true);
        noise.valueProperty().bindBidirectional(vm.noiseTimeProperty());
        noise.setTooltip(tip("Noise level t of the forward SDE: the view shows the perturbed density p_t, "
                + "its true score ∇log p_t (faint arrows, pink lines) and the model's s_θ(·, t). 0 is the model's "
                + "smallest time ε."));
        g.addRow(row++, new Label("Noise t"), noise);
        Label noiseValue = wrapping("noiseValue");
        noiseValue.textProperty().bind(vm.noiseTextProperty());
        g.add(noiseValue, 0, row++, 2, 1);
        CheckBox error = new CheckBox("Heat map: error ‖s_θ − ∇log p_t‖²");
        error.setId("scoreErrorCheck");
        error.setMnemonicParsing(false);
        error.setWrapText(true);
        error.setTooltip(tip("Colour the view by log₁₀ of the squared distance between the model's score "
                + "and the true (or KDE) score of p_t, instead of by the model's log-density"));
        error.selectedProperty().bindBidirectional(vm.scoreErrorProperty());
        g.add(error, 0, row++, 2, 1);
        Label density = wrapping("densityLabel");
        density.textProperty().bind(vm.densityTextProperty());
        g.add(density, 0, row++, 2, 1);
        g.add(new Separator(), 0, row++, 2, 1);

        SamplerViewModel s = vm.sampler();
        ComboBox<Samplers.Kind> kind = new ComboBox<>();
        kind.setId("samplerChoice");
        kind.setMaxWidth(Double.MAX_VALUE);
        ControlBinder.combo(kind, s.offered(), s.kindProperty(), Samplers.Kind::id);
        kind.setTooltip(tip(Samplers.SAMPLER_HELP + " CLI: sample --sampler."));
        g.addRow(row++, new Label("Sampler"), kind);
        Spinner<Integer> steps = new Spinner<>();
        steps.setEditable(true);
        steps.setMaxWidth(Double.MAX_VALUE);
        binder.intSpinner(steps, s.stepsProperty(), 1, SamplerViewModel.MAX_STEPS, 100);
        steps.setTooltip(tip(Samplers.STEPS_HELP + " CLI: sample --steps."));
        // the PF-ODE takes its own steps: say so rather than show a number that does not run
        Label adaptive = new Label("adaptive (error-controlled)");
        adaptive.setTooltip(tip(Samplers.STEPS_HELP));
        steps.visibleProperty().bind(s.stepsApplyProperty());
        adaptive.visibleProperty().bind(s.stepsApplyProperty().not());
        StackPane.setAlignment(adaptive, Pos.CENTER_LEFT);
        g.addRow(row++, new Label("Steps"), new StackPane(steps, adaptive));
        Spinner<Double> snr = new Spinner<>(new SpinnerValueFactory.DoubleSpinnerValueFactory(0.001, 1,
                s.snrProperty().get(), 0.01));
        snr.setEditable(true);
        snr.setMaxWidth(Double.MAX_VALUE);
        Property<Double> snrAdapter = s.snrProperty().asObject();
        snr.getValueFactory().valueProperty().bindBidirectional(snrAdapter);
        snr.getProperties().put("adapter", snrAdapter);
        snr.disableProperty().bind(s.snrAppliesProperty().not());
        snr.setTooltip(tip(Samplers.SNR_HELP + " CLI: sample --snr."));
        g.addRow(row++, new Label("snr"), snr);
        Spinner<Integer> particles = new Spinner<>();
        particles.setEditable(true);
        particles.setMaxWidth(Double.MAX_VALUE);
        binder.intSpinner(particles, s.particlesProperty(), 1, SamplerViewModel.MAX_PARTICLES, 100);
        g.addRow(row++, new Label("Particles"), particles);
        Button run = new Button();
        run.setId("samplerRunButton");
        run.setMaxWidth(Double.MAX_VALUE);
        run.textProperty().bind(Bindings.when(s.runningProperty()).then("Stop").otherwise("Run"));
        run.setOnAction(e -> s.runOrStop());
        run.setTooltip(tip("Run the sampler from noise to data on the current model (its snapshot now), "
                + "animated with the paths of some particles"));
        g.add(run, 0, row++, 2, 1);
        CheckBox follow = new CheckBox("The view's noise t follows the run");
        follow.setId("followRunCheck");
        follow.setWrapText(true);
        follow.selectedProperty().bindBidirectional(vm.followRunProperty());
        follow.setTooltip(tip("While the reverse SDE, the PF-ODE or PC runs, show p_t and s_θ(·, t) at the "
                + "run's time t (in steps of " + DiffusionViewModel.FOLLOW_STEP + ")"));
        g.add(follow, 0, row++, 2, 1);
        Label nfe = new Label();
        nfe.setId("nfeLabel");
        nfe.textProperty().bind(Bindings.createStringBinding(() -> "network evaluations (NFE): "
                + s.evaluationsProperty().get(), s.evaluationsProperty()));
        g.add(nfe, 0, row++, 2, 1);
        for (String id : new String[] {"samplerProgress", "samplerWeights", "samplerResults"}) {
            Label l = wrapping(id);
            l.textProperty().bind(switch (id) {
                case "samplerProgress" -> s.progressProperty();
                case "samplerWeights" -> s.weightsProperty();
                default -> s.resultsProperty();
            });
            l.visibleProperty().bind(l.textProperty().isNotEmpty());
            l.managedProperty().bind(l.visibleProperty());
            g.add(l, 0, row++, 2, 1);
        }

        TitledPane pane = new TitledPane("Diffusion", g);
        pane.setId("diffusionPane");
        pane.visibleProperty().bind(vm.appliesProperty());
        pane.managedProperty().bind(pane.visibleProperty());
        int at = -1;
        for (int i = 0; i < column.getChildren().size() && at < 0; i++) {
            at = before.equals(column.getChildren().get(i).getId()) ? i : -1;
        }
        column.getChildren().add(at < 0 ? column.getChildren().size() : at, pane);

        new AnimationTimer() {
            @Override
            public void handle(long now) {
                canvas.setSampler(vm.poll());
            }
        }.start();
        return pane;
    }

    private static Label wrapping(String id) {
        Label l = new Label();
        l.setId(id);
        l.setWrapText(true);
        l.setMaxWidth(Double.MAX_VALUE);
        l.setPrefWidth(200);
        l.setMinWidth(0);
        return l;
    }

    /** A tooltip that wraps, as the settings' tooltips do. */
    private static Tooltip tip(String text) {
        Tooltip t = new Tooltip(text);
        t.setWrapText(true);
        t.setMaxWidth(420);
        return t;
    }
}
