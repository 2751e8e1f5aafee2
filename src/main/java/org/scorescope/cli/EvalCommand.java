package org.scorescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.scorescope.analysis.SymmetricEigen;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Probe;
import org.scorescope.autodiff.Tensor;
import org.scorescope.data.AtomicFiles;
import org.scorescope.data.PointsCsv;
import org.scorescope.model.ModelFormatException;
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
        ModelState state = ModelState.read(modelFile);
        ScoreModel model = state.model();
        if (model.kind() == ModelSpec.Kind.FLOW) {
            throw new IllegalArgumentException("eval reports gradients in the MLP layer layout; a flow has couplings "
                    + "(use hessian or train for flows)");
        }
        int dim = model.inputDim();
        double[][] points = PointsCsv.read(pointsFile, dim);
        if (points.length == 0) {
            throw new IllegalArgumentException(pointsFile + ": no points");
        }
        Objective obj = TrainingConfig.buildObjective(objective, projections, Probe.RADEMACHER, sigma);
        double[] v = hvpFile == null ? null : direction(state.toSpec(), hvpFile);

        Tensor x = Tensor.of(points);
        Tensor theta = state.thetaTensor();
        Tensor scores = Grad.noGrad(() -> model.score(theta, x));
        Tensor jac = Grad.noGrad(() -> Grad.batchJacobian(z -> model.score(theta, z), x));

        ObjectNode root = JSON.createObjectNode();
        ArrayNode pts = root.putArray("points");
        for (int b = 0; b < points.length; b++) {
            ObjectNode p = pts.addObject();
            vector(p.putArray("x"), points[b]);
            ArrayNode score = p.putArray("score");
            double[] sym = new double[dim * dim];
            ArrayNode jrows = p.putArray("jacobian");
            for (int i = 0; i < dim; i++) {
                score.add(scores.get(b, i));
                ArrayNode row = jrows.addArray();
                for (int j = 0; j < dim; j++) {
                    row.add(jac.get(b, i, j));
                    sym[i * dim + j] = 0.5 * (jac.get(b, i, j) + jac.get(b, j, i));
                }
            }
            vector(p.putArray("hessianEigenvalues"), SymmetricEigen.decompose(dim, sym, false).values());
        }
        Objective.LossAndGradient lg = obj.lossAndGradient(model, state.theta(), x, new Random(seed));
        root.put("loss", lg.loss());
        root.set("lossGradient", layers(model.toSpec(lg.gradient())));
        if (v != null) {
            Tensor hv = Grad.hvp(th -> obj.loss(model, th, x, new Random(seed)), model.parameters(state.theta(), false),
                    Tensor.of(new int[] {v.length}, v));
            root.set("hvp", layers(model.toSpec(hv.toArray())));
        }
        AtomicFiles.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        spec.commandLine().getOut().println("points=" + points.length + " loss=" + lg.loss() + " out=" + out);
        return 0;
    }

    /** Reads {"layers": [...]} in the model's layout and returns it as a θ-shaped vector. */
    private static double[] direction(ModelSpec modelSpec, Path file) throws Exception {
        JsonNode root = JSON.readTree(file.toFile());
        if (root == null || !root.has("layers") || !root.get("layers").isArray()) {
            throw new ModelFormatException(file.getFileName() + ": layers", "expected an array of {weight, bias}");
        }
        List<ModelSpec.Layer> layers = new ArrayList<>();
        for (JsonNode l : root.get("layers")) {
            layers.add(new ModelSpec.Layer(JSON.treeToValue(l.get("weight"), double[][].class),
                    JSON.treeToValue(l.get("bias"), double[].class)));
        }
        try {
            return ModelState.fromSpec(new ModelSpec(modelSpec.kind(), modelSpec.inputDim(), modelSpec.activation(),
                    modelSpec.outputActivation(), layers)).theta();
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file.getFileName() + ": layers", "does not match the model: " + e.getMessage());
        }
    }

    private static ObjectNode layers(ModelSpec spec) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode arr = o.putArray("layers");
        for (ModelSpec.Layer l : spec.layers()) {
            ObjectNode lo = arr.addObject();
            ArrayNode w = lo.putArray("weight");
            for (double[] row : l.weight()) {
                vector(w.addArray(), row);
            }
            vector(lo.putArray("bias"), l.bias());
        }
        return o;
    }

    private static ArrayNode vector(ArrayNode a, double[] v) {
        for (double d : v) {
            a.add(d);
        }
        return a;
    }
}
