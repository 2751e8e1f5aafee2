package org.scorescope.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.scorescope.analysis.Likelihood;
import org.scorescope.analysis.LocalHessians;
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
 *
 * <p>Flows too: their "jacobian" is the exact Hessian of log q ({@link LocalHessians}), their loss gradient is in the
 * couplings layout, and their default objective is max-likelihood; {@code --hvp} is MLP-only. For every model with a
 * density ({@link Likelihood#hasDensity}) the output adds per point {@code logDensity} and the points' mean
 * negative log-likelihood, its method and, for quadrature, the box (built around the given points). A diffusion
 * model's density is log p_ε through its probability-flow ODE ({@link Likelihood#probabilityFlow}: exact 2 × 2
 * divergence, or Hutchinson's estimate with {@code --divergence hutchinson}); the output then adds the solver's
 * network evaluations, and the default objective is denoising-sde.
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
            description = "exact (default; max-likelihood for a flow, denoising-sde for a diffusion model), sliced, "
                    + "sliced-vr, denoising, denoising-multi, max-likelihood (flows) or denoising-sde (diffusion).")
    TrainingConfig.ObjectiveKind objective;
    @Option(names = "--projections", description = "Sliced: projections per point (default ${DEFAULT-VALUE}).")
    int projections = 1;
    @Option(names = "--sigma", description = "Denoising: noise σ (default ${DEFAULT-VALUE}).")
    double sigma = 0.1;
    @Option(names = "--seed", description = "Seed of the stochastic objectives' draws (default ${DEFAULT-VALUE}).")
    long seed = 1;
    @Option(names = "--divergence", paramLabel = "exact|hutchinson", description = "Diffusion: divergence in the "
            + "probability-flow likelihood, exact (default) or a one-probe Hutchinson estimate, for comparison.")
    String divergence = "exact";
    @Option(names = "--rtol", description = "Diffusion: relative tolerance of the likelihood's ODE solve (default "
            + "${DEFAULT-VALUE}).")
    double rtol = Likelihood.FLOW_TOLERANCE;
    @Option(names = "--atol", description = "Diffusion: absolute tolerance of the likelihood's ODE solve (default "
            + "${DEFAULT-VALUE}).")
    double atol = Likelihood.FLOW_TOLERANCE;
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
        new OutputPaths().input("--model", modelFile).input("--points", pointsFile).input("--hvp", hvpFile)
                .checkFile("--out", out);
        ModelState state = ModelState.read(modelFile);
        ScoreModel model = state.model();
        boolean flow = model.kind() == ModelSpec.Kind.FLOW;
        boolean diffusion = model.kind() == ModelSpec.Kind.DIFFUSION;
        if (!divergence.equals("exact") && !divergence.equals("hutchinson")) {
            throw usage("--divergence must be exact or hutchinson, found " + divergence);
        }
        if (!(rtol > 0) || !(atol > 0) || !Double.isFinite(rtol) || !Double.isFinite(atol)) {
            throw usage("--rtol and --atol must be positive finite numbers, found " + rtol + ", " + atol);
        }
        TrainingConfig.ObjectiveKind kind = objective != null ? objective
                : flow ? TrainingConfig.ObjectiveKind.MAX_LIKELIHOOD
                : diffusion ? TrainingConfig.ObjectiveKind.DENOISING_SDE : TrainingConfig.ObjectiveKind.EXACT;

        if (kind == TrainingConfig.ObjectiveKind.MAX_LIKELIHOOD && !flow) {
            throw usage("--objective max-likelihood needs a flow (a normalized density); " + modelFile + " is "
                    + model.kind().id());
        }
        if (flow && hvpFile != null) {
            throw usage("--hvp takes a direction in the MLP layer layout; it is not supported for flows");
        }
        if (kind == TrainingConfig.ObjectiveKind.DENOISING_MULTI && model.kind() != ModelSpec.Kind.NOISE_CONDITIONAL) {
            throw usage("--objective denoising-multi needs a noise-conditional model; " + modelFile + " is "
                    + model.kind().id());
        }
        if ((kind == TrainingConfig.ObjectiveKind.DENOISING_SDE) != diffusion) {
            throw usage("--objective " + kind.id() + " does not fit " + modelFile + ", a " + model.kind().id()
                    + " model (denoising-sde is the diffusion models' loss, and theirs alone)");
        }
        int dim = model.inputDim();
        double[] v = hvpFile == null ? null : direction(state.toSpec(), hvpFile);
        double[][] points = PointsCsv.read(pointsFile, dim);
        // Per point the autodiff tape holds a few copies of every hidden activation, for the Jacobian and the
        // double backward of the loss; the output holds score, Jacobian and eigenvalues.
        long hidden = 0;
        ModelSpec modelSpec = state.toSpec();
        if (flow) {
            for (ModelSpec.Coupling c : modelSpec.flow().couplings()) {
                for (int w : c.widths()) {
                    hidden += w;
                }
            }
        } else {
            for (int w : modelSpec.widths()) {
                hidden += w;
            }
        }
        long perPoint = MemoryBudget.plus(MemoryBudget.times(hidden + dim, dim + 1, 8, 4),
                MemoryBudget.times(dim, dim, 8, 4));
        MemoryBudget.require("eval of " + points.length + " points", MemoryBudget.times(points.length, perPoint),
                "use fewer points");
        Objective obj = TrainingConfig.buildObjective(kind, projections, Probe.RADEMACHER, sigma, 0);

        Tensor x = Tensor.of(points);
        Tensor theta = state.thetaTensor();
        Tensor scores;
        Tensor jac;
        Objective.LossAndGradient lg;
        ModelSpec hvp = null;
        try (Heartbeat hb = Heartbeat.start(spec.commandLine().getErr(), () -> "eval: " + points.length + " points")) {
            scores = Grad.noGrad(() -> model.score(theta, x));
            // a flow's score is itself a reverse pass: its Jacobian is the exact Hessian of log q, taken as one
            jac = flow ? Tensor.of(new int[] {points.length, dim, dim},
                    LocalHessians.compute(model, state.theta(), points).matrices())
                    : Grad.noGrad(() -> Grad.batchJacobian(z -> model.score(theta, z), x));
            lg = obj.lossAndGradient(model, state.theta(), x, new Random(seed));
            if (v != null) {
                Tensor hv = Grad.hvp(th -> obj.loss(model, th, x, new Random(seed)),
                        model.parameters(state.theta(), false), Tensor.of(new int[] {v.length}, v));
                hvp = model.toSpec(hv.toArray());
            }
        }
        ModelSpec gradient = model.toSpec(lg.gradient());
        ModelSpec hvpSpec = hvp;
        long[] evaluations = {-1};
        Likelihood.Result likelihood = likelihood(state, points, evaluations);
        double[] logDensity = likelihood == null ? null : likelihood.logDensity();
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
                if (logDensity != null) {
                    writeNumberOrNull(g, "logDensity", logDensity[b]);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            if (likelihood != null) {
                writeLikelihood(g, likelihood);
                if (evaluations[0] >= 0) {
                    g.writeNumberField("likelihoodEvaluations", evaluations[0]);
                    g.writeStringField("likelihoodDivergence", divergence);
                }
            }
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
        spec.commandLine().getOut().println("points=" + points.length + " loss=" + lg.loss()
                + (likelihood == null ? "" : " nll=" + likelihood.meanNegLogLikelihood()) + " out=" + out);
        return 0;
    }

    /** @return the points' likelihood, or null (with a note on stderr when it failed) when the model has none */
    private Likelihood.Result likelihood(ModelState state, double[][] points, long[] evaluations) {
        if (!Likelihood.hasDensity(state.model())) {
            return null;
        }
        try (Heartbeat hb = Heartbeat.start(spec.commandLine().getErr(),
                () -> "eval: likelihood of " + points.length + " points")) {
            if (state.model().kind() == ModelSpec.Kind.DIFFUSION) {
                org.scorescope.analysis.ProbabilityFlow.Result r = Likelihood.probabilityFlow(state, points, rtol, atol,
                        divergence.equals("hutchinson"));
                evaluations[0] = r.evaluations();
                double nll = 0;
                for (double v : r.values()) {
                    nll -= v / points.length;
                }
                return new Likelihood.Result(Likelihood.Method.PROBABILITY_FLOW, r.values(), nll, null, 0, Double.NaN,
                        Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            return Likelihood.evaluate(state, points, null);
        } catch (IllegalArgumentException | IllegalStateException e) {
            spec.commandLine().getErr().println("warning: no likelihood: " + e.getMessage());
            return null;
        }
    }

    private static void writeLikelihood(JsonGenerator g, Likelihood.Result r) throws IOException {
        writeNumberOrNull(g, "meanNegLogLikelihood", r.meanNegLogLikelihood());
        g.writeStringField("likelihoodMethod", switch (r.method()) {
            case EXACT -> "exact";
            case ENERGY_QUADRATURE -> "energy-quadrature";
            case SCORE_INTEGRATION -> "score-integration";
            case PROBABILITY_FLOW -> "probability-flow";
        });
        if (r.box() != null) {
            Likelihood.Box box = r.box();
            g.writeFieldName("likelihoodBox");
            g.writeArray(new double[] {box.xmin(), box.xmax(), box.ymin(), box.ymax()}, 0, 4);
            g.writeNumberField("likelihoodGridNodes", r.gridNodes());
            writeNumberOrNull(g, "quadratureError", r.quadratureError());
        }
        if (!Double.isNaN(r.sigma())) {
            g.writeNumberField("likelihoodSigma", r.sigma());
        }
    }

    /** JSON has no ±∞ or NaN: those are written as null. */
    private static void writeNumberOrNull(JsonGenerator g, String field, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumberField(field, v);
        } else {
            g.writeNullField(field);
        }
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
                : modelSpec.kind() == ModelSpec.Kind.DIFFUSION
                ? ModelSpec.diffusion(modelSpec.inputDim(), modelSpec.activation(), modelSpec.outputActivation(),
                        layers, modelSpec.diffusion())
                : new ModelSpec(modelSpec.kind(), modelSpec.inputDim(), modelSpec.activation(),
                        modelSpec.outputActivation(), layers);
        return ModelState.fromSpec(like).theta();
    }

    private static void layers(JsonGenerator g, ModelSpec spec) throws IOException {
        g.writeStartObject();
        if (spec.kind() == ModelSpec.Kind.FLOW) {
            // the couplings layout of the model file: per coupling its mask and its conditioner's layers
            g.writeArrayFieldStart("couplings");
            for (ModelSpec.Coupling c : spec.flow().couplings()) {
                g.writeStartObject();
                g.writeFieldName("mask");
                g.writeArray(c.mask(), 0, c.mask().length);
                g.writeArrayFieldStart("layers");
                writeLayers(g, c.layers());
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            return;
        }
        g.writeArrayFieldStart("layers");
        writeLayers(g, spec.layers());
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeLayers(JsonGenerator g, List<ModelSpec.Layer> layers) throws IOException {
        for (ModelSpec.Layer l : layers) {
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
    }
}
