package org.scorescope.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.scorescope.analysis.SymmetricEigen;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Probe;
import org.scorescope.autodiff.Tensor;
import org.scorescope.data.AtomicFiles;
import org.scorescope.data.PointsCsv;
import org.scorescope.io.MemoryBudget;
import org.scorescope.io.OutputPaths;
import org.scorescope.model.ModelFile;
import org.scorescope.model.ModelSpec;
import org.scorescope.model.ModelState;
import org.scorescope.model.ScoreModel;
import org.scorescope.objective.Objective;
import org.scorescope.train.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scorescope eval}: the engine's answers for a model at given points, in full double
 * precision, in the layout of DESIGN.md §4 — per point the score s(x), its Jacobian ∂sᵢ/∂xⱼ and the
 * eigenvalues of the Jacobian's symmetric part (for an energy model, the Hessian of log p); the
 * objective's mean loss over the points, its θ-gradient and optionally the θ-Hessian times a given
 * vector, both in the model file's layer layout. Made to be compared with independent tools.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate score, Jacobian, loss, gradient and HVP of a model at points (JSON out).")
public final class EvalCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model file (JSON).")
    Path modelFile;
    @Option(names = "--points", required = true, paramLabel = "CSV", description = "Points, one per row.")
    Path pointsFile;
    @Option(names = "--objective", converter = Converters.ObjectiveConverter.class, paramLabel = "NAME",
            description = "exact (default), sliced, sliced-vr, denoising, denoising-multi or max-likelihood.")
    TrainingConfig.ObjectiveKind objective = TrainingConfig.ObjectiveKind.EXACT;
    @Option(names = "--projections", description = "Sliced: projections per point (default ${DEFAULT-VALUE}).")
    int projections = 1;
    @Option(names = "--sigma", description = "Denoising: noise σ (default ${DEFAULT-VALUE}).")
    double sigma = 0.1;
    @Option(names = "--seed", description = "Seed of the stochastic objectives' draws (default ${DEFAULT-VALUE}).")
    long seed = 1;
    @Option(names = "--hvp", paramLabel = "V", description = "Parameter direction {\"layers\": [...]} for the HVP.")
    Path hvpFile;
    @Option(names = "--out", required = true, paramLabel = "JSON", description = "Result file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (projections < 1) {
            throw usage("--projections must be >= 1, found " + projections);
        }
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw usage("--sigma must be a positive finite number, found " + sigma);
        }
        if (objective == TrainingConfig.ObjectiveKind.MAX_LIKELIHOOD) {
            throw usage("--objective max-likelihood is for flows, which eval does not support (use hessian or train)");
        }
        new OutputPaths().input("--model", modelFile).input("--points", pointsFile).input("--hvp", hvpFile)
                .checkFile("--out", out);
        ModelState state = ModelState.read(modelFile);
        ScoreModel model = state.model();
        if (model.kind() == ModelSpec.Kind.FLOW) {
            throw new IllegalArgumentException(modelFile + ": eval reports gradients in the MLP layer layout; a flow has "
                    + "couplings (use hessian or train for flows)");
        }
        if (objective == TrainingConfig.ObjectiveKind.DENOISING_MULTI && model.kind() != ModelSpec.Kind.NOISE_CONDITIONAL) {
            throw usage("--objective denoising-multi needs a noise-conditional model; " + modelFile + " is "
                    + model.kind().id());
        }
        int dim = model.inputDim();
        double[] v = hvpFile == null ? null : direction(state.toSpec(), hvpFile);
        double[][] points = PointsCsv.read(pointsFile, dim);
        // Per point the autodiff tape holds a few copies of every hidden activation, for the Jacobian and the
        // double backward of the loss; the output holds score, Jacobian and eigenvalues.
        long hidden = 0;
        for (int w : state.toSpec().widths()) {
            hidden += w;
        }
        long perPoint = MemoryBudget.plus(MemoryBudget.times(hidden + dim, dim + 1, 8, 4),
                MemoryBudget.times(dim, dim, 8, 4));
        MemoryBudget.require("eval of " + points.length + " points", MemoryBudget.times(points.length, perPoint),
                "use fewer points");
        Objective obj = TrainingConfig.buildObjective(objective, projections, Probe.RADEMACHER, sigma);

        Tensor x = Tensor.of(points);
        Tensor theta = state.thetaTensor();
        Tensor scores;
        Tensor jac;
        Objective.LossAndGradient lg;
        ModelSpec hvp = null;
        try (Heartbeat hb = Heartbeat.start(spec.commandLine().getErr(), () -> "eval: " + points.length + " points")) {
            scores = Grad.noGrad(() -> model.score(theta, x));
            jac = Grad.noGrad(() -> Grad.batchJacobian(z -> model.score(theta, z), x));
            lg = obj.lossAndGradient(model, state.theta(), x, new Random(seed));
            if (v != null) {
                Tensor hv = Grad.hvp(th -> obj.loss(model, th, x, new Random(seed)),
                        model.parameters(state.theta(), false), Tensor.of(new int[] {v.length}, v));
                hvp = model.toSpec(hv.toArray());
            }
        }
        ModelSpec gradient = model.toSpec(lg.gradient());
        ModelSpec hvpSpec = hvp;
        // Streamed rather than built as a tree: the output is several times the size of the points.
        AtomicFiles.writeBytes(out, os -> {
            JsonGenerator g = JSON.getFactory().createGenerator(os, JsonEncoding.UTF8);
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeArrayFieldStart("points");
            double[] sym = new double[dim * dim];
            for (int b = 0; b < points.length; b++) {
                g.writeStartObject();
                g.writeFieldName("x");
                g.writeArray(points[b], 0, dim);
                g.writeArrayFieldStart("score");
                for (int i = 0; i < dim; i++) {
                    g.writeNumber(scores.get(b, i));
                }
                g.writeEndArray();
                g.writeArrayFieldStart("jacobian");
                for (int i = 0; i < dim; i++) {
                    g.writeStartArray();
                    for (int j = 0; j < dim; j++) {
                        g.writeNumber(jac.get(b, i, j));
                        sym[i * dim + j] = 0.5 * (jac.get(b, i, j) + jac.get(b, j, i));
                    }
                    g.writeEndArray();
                }
                g.writeEndArray();
                double[] eig = SymmetricEigen.decompose(dim, sym, false).values();
                g.writeFieldName("hessianEigenvalues");
                g.writeArray(eig, 0, eig.length);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("loss", lg.loss());
            g.writeFieldName("lossGradient");
            layers(g, gradient);
            if (hvpSpec != null) {
                g.writeFieldName("hvp");
                layers(g, hvpSpec);
            }
            g.writeEndObject();
            g.flush();
        });
        spec.commandLine().getOut().println("points=" + points.length + " loss=" + lg.loss() + " out=" + out);
        return 0;
    }

    private picocli.CommandLine.ParameterException usage(String message) {
        return new picocli.CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** Reads {"layers": [...]} in the model's layout and returns it as a θ-shaped vector. */
    private static double[] direction(ModelSpec modelSpec, Path file) throws IOException {
        List<ModelSpec.Layer> layers = ModelFile.readLayersLike(file, modelSpec);
        ModelSpec like = modelSpec.kind() == ModelSpec.Kind.NOISE_CONDITIONAL
                ? ModelSpec.noiseConditional(modelSpec.inputDim(), modelSpec.activation(), modelSpec.outputActivation(),
                        layers, modelSpec.sigmas())
                : new ModelSpec(modelSpec.kind(), modelSpec.inputDim(), modelSpec.activation(),
                        modelSpec.outputActivation(), layers);
        return ModelState.fromSpec(like).theta();
    }

    private static void layers(JsonGenerator g, ModelSpec spec) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("layers");
        for (ModelSpec.Layer l : spec.layers()) {
            g.writeStartObject();
            g.writeArrayFieldStart("weight");
            for (double[] row : l.weight()) {
                g.writeArray(row, 0, row.length);
            }
            g.writeEndArray();
            g.writeFieldName("bias");
            g.writeArray(l.bias(), 0, l.bias().length);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
