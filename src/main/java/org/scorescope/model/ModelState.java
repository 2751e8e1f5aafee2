package org.scorescope.model;

import java.io.IOException;
import java.nio.file.Path;
import org.scorescope.autodiff.Tensor;

/**
 * An architecture together with its parameters θ: what a model file holds, what a training
 * snapshot publishes and what the analysis code evaluates. Immutable: θ is copied in and out.
 */
public final class ModelState {
    private final ScoreModel model;
    private final double[] theta;

    /**
     * @param model the architecture
     * @param theta its parameters (copied)
     */
    public ModelState(ScoreModel model, double[] theta) {
        if (theta.length != model.parameterCount()) {
            throw new IllegalArgumentException("θ has " + theta.length + " values, the model needs "
                    + model.parameterCount());
        }
        this.model = model;
        this.theta = theta.clone();
    }

    /** @return the architecture */
    public ScoreModel model() {
        return model;
    }

    /** @return a copy of θ */
    public double[] theta() {
        return theta.clone();
    }

    /** @return θ as a constant tensor (P), not tracked for gradients */
    public Tensor thetaTensor() {
        return model.parameters(theta, false);
    }

    /** @return the model file description */
    public ModelSpec toSpec() {
        return model.toSpec(theta);
    }

    /**
     * The architecture and θ a model file describes: an {@link EnergyMlp}, {@link ScoreMlp},
     * {@link NoiseConditionalMlp} or {@link CouplingFlow}, by the spec's kind.
     *
     * @param spec a validated spec
     * @return the model state
     */
    public static ModelState fromSpec(ModelSpec spec) {
        if (spec.kind() == ModelSpec.Kind.FLOW && spec.flow().spline() != null) {
            SplineFlow flow = SplineFlow.fromSpec(spec);
            return new ModelState(flow, flow.parametersFromSpec(spec));
        }
        if (spec.kind() == ModelSpec.Kind.FLOW) {
            CouplingFlow flow = CouplingFlow.fromSpec(spec);
            return new ModelState(flow, flow.parametersFromSpec(spec));
        }
        Mlp mlp = new Mlp(spec.widths(), spec.activation(), spec.outputActivation());
        ScoreModel model = switch (spec.kind()) {
            case ENERGY -> new EnergyMlp(mlp);
            case SCORE -> new ScoreMlp(mlp);
            case NOISE_CONDITIONAL -> new NoiseConditionalMlp(mlp, spec.sigmas());
            case FLOW -> throw new AssertionError("handled above");
        };
        return new ModelState(model, mlp.fromLayers(spec.layers()));
    }

    /** Reads a model file (see {@link ModelFile}). */
    public static ModelState read(Path file) throws IOException {
        return fromSpec(ModelFile.read(file));
    }

    /** Writes this model atomically as a model file. */
    public void write(Path file) throws IOException {
        ModelFile.write(file, toSpec());
    }
}
