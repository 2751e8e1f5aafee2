package org.scorescope.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.scorescope.analysis.EigenvectorSource;
import org.scorescope.analysis.LadderComparison;
import org.scorescope.analysis.ParameterGroups;
import org.scorescope.analysis.ParameterHessian;
import org.scorescope.analysis.ParameterHessianResult;
import org.scorescope.autodiff.Probe;
import org.scorescope.data.AtomicFiles;
import org.scorescope.data.PointsCsv;
import org.scorescope.io.MemoryBudget;
import org.scorescope.io.OutputPaths;
import org.scorescope.model.ModelState;
import org.scorescope.objective.DenoisingScoreMatching;
import org.scorescope.objective.ExactScoreMatching;
import org.scorescope.objective.Objective;
import org.scorescope.objective.SlicedScoreMatching;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hessian}: the spectrum of the parameter Hessian H = ∇²_θ L(θ) of a model file's objective on a
 * point file, written as JSON (see {@link #writeJson}). Exit codes: 0 success, 1 failure (unreadable or
 * invalid file, numerical failure), 2 usage error (bad flag or value). Errors are one line on stderr; the
 * output file is written atomically, so a failed run never leaves a partial file.
 */
@Command(name = "hessian",
        mixinStandardHelpOptions = true,
        description = {
            "Eigenvalues of the parameter Hessian of a training objective on a point set (the 'sloppy model' spectrum),",
            "or of the Gauss-Newton matrix (--curvature gauss-newton). full: all P eigenvalues (dense decomposition;",
            "Gauss-Newton from its small Gram matrix); lanczos: k largest and k smallest; slq: spectral density",
            "(stochastic Lanczos quadrature). --compare draws several ladders side by side (--png, --csv)."})
public final class HessianCommand implements Callable<Integer> {
    /** The value of the output's {@code format} field. */
    public static final String FORMAT = "scorescope-hessian";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M.json", description = "Model file.")
    private Path modelFile;

    @Option(names = "--points", required = true, paramLabel = "P.csv", description = "Evaluation points (CSV, one point per line).")
    private Path pointsFile;

    @Option(names = "--objective", defaultValue = "exact", paramLabel = "NAME",
            description = "exact, sliced, sliced-vr or denoising (default: ${DEFAULT-VALUE}).")
    private String objectiveName;

    @Option(names = "--sigma", defaultValue = "0.1", paramLabel = "S", description = "Denoising noise σ > 0 (default: ${DEFAULT-VALUE}).")
    private double sigma;

    @Option(names = "--projections", defaultValue = "1", paramLabel = "N",
            description = "Sliced: projections per point, >= 1 (default: ${DEFAULT-VALUE}).")
    private int projections;

    @Option(names = "--probe", defaultValue = "rademacher", paramLabel = "KIND",
            description = "Sliced: rademacher or gaussian projections (default: ${DEFAULT-VALUE}).")
    private String probeName;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "Seed of the objective's randomness (fixed for every evaluation) and of the Krylov start vectors.")
    private long seed;

    @Option(names = "--method", defaultValue = "full", paramLabel = "M", description = "full, lanczos or slq (default: ${DEFAULT-VALUE}).")
    private String methodName;

    @Option(names = "--curvature", defaultValue = "hessian", paramLabel = "C",
            description = "hessian (∇²_θ L) or gauss-newton (mean over the points of J_θ(s)ᵀJ_θ(s), PSD, rank <= N·D; "
                    + "independent of the objective) (default: ${DEFAULT-VALUE}).")
    private String curvatureName;

    @Option(names = "--k", defaultValue = "20", paramLabel = "K",
            description = "Lanczos: eigenvalues from each end of the spectrum (default: ${DEFAULT-VALUE}).")
    private int k;

    @Option(names = "--max-iterations", paramLabel = "N", description = "Lanczos: Krylov dimension cap (default: max(200, 10k)).")
    private Integer maxIterations;

    @Option(names = "--tolerance", defaultValue = "1e-8", paramLabel = "TOL",
            description = "Lanczos: relative residual tolerance (default: ${DEFAULT-VALUE}).")
    private double tolerance;

    @Option(names = "--trace-probes", defaultValue = "10", paramLabel = "N",
            description = "Lanczos: Hutchinson probes for the trace, 0 to skip (default: ${DEFAULT-VALUE}).")
    private int traceProbes;

    @Option(names = "--runs", defaultValue = "10", paramLabel = "N", description = "SLQ: start vectors (default: ${DEFAULT-VALUE}).")
    private int runs;

    @Option(names = "--steps", defaultValue = "80", paramLabel = "N", description = "SLQ: Lanczos steps per run (default: ${DEFAULT-VALUE}).")
    private int steps;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: min(2, processors)).")
    private Integer threads;

    @Option(names = "--vectors", arity = "0..1", fallbackValue = "all", paramLabel = "all|K,...",
            description = "Also write eigenvectors, as arrays and grouped by layer: alone or 'all', every resolved one"
                    + " (full, lanczos); with --method full a comma-separated list of indices into the ascending"
                    + " eigenvalues (negative from the top: -1 the largest) writes only those, computed on demand at"
                    + " the cost of the eigenvalues alone, with their residual and accuracy.")
    private String vectors;

    /** {@code --vectors}' indices, resolved against P; null for all or none. */
    private int[] vectorIndices;

    @Option(names = "--out", required = true, paramLabel = "H.json", description = "Output JSON file (written atomically).")
    private Path out;

    @Option(names = "--compare", split = ",", paramLabel = "L",
            description = "Compare ladders of the same model and points instead: any of exact, sliced, denoising,"
                    + " gauss-newton (comma-separated), each normalized by its λmax; with --method full or lanczos.")
    private java.util.List<String> compare;

    @Option(names = "--png", paramLabel = "L.png", description = "With --compare: also draw the ladders side by side.")
    private Path png;

    @Option(names = "--csv", paramLabel = "L.csv",
            description = "With --compare: also write ladder,method,index,eigenvalue,normalized rows.")
    private Path csv;

    /** What the command is doing, for an out-of-memory message that names the right culprit. */
    private String phase = "checking the options";

    /** Thrown for a bad option value: exit code 2. */
    private static final class UsageError extends Exception {
        private static final long serialVersionUID = 1L;

        UsageError(String message) {
            super(message);
        }
    }

    /**
     * Reads the model and points, computes the spectrum and writes the JSON file.
     *
     * @return 0 on success, 1 on a file or numerical failure, 2 on a bad option value (one line on stderr)
     */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run();
        } catch (UsageError e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 2;
        } catch (NoSuchFileException e) {
            err.println("error: no such file: " + e.getFile());
            err.flush();
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println("error: " + ScoreScopeCli.describe(e));
            err.flush();
            return 1;
        } catch (OutOfMemoryError e) {
            // Say what ran out: reading a file and building the Hessian call for different remedies.
            err.println("error: out of memory while " + phase + " (the Java heap is limited to "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MB"
                    + (phase.startsWith("computing") ? "; try --method lanczos or slq, fewer points, or java -Xmx)"
                            : "; use a smaller file or java -Xmx)"));
            err.flush();
            return 1;
        }
    }

    private Objective objective() throws UsageError {
        String name = objectiveName.trim().toLowerCase(Locale.ROOT);
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new UsageError("--sigma must be a positive finite number, got " + sigma);
        }
        if (projections < 1) {
            throw new UsageError("--projections must be >= 1, got " + projections);
        }
        Probe probe = switch (probeName.trim().toLowerCase(Locale.ROOT)) {
            case "rademacher" -> Probe.RADEMACHER;
            case "gaussian" -> Probe.GAUSSIAN;
            default -> throw new UsageError("--probe must be rademacher or gaussian, got '" + probeName + "'");
        };
        return switch (name) {
            case "exact" -> new ExactScoreMatching();
            case "sliced" -> new SlicedScoreMatching(projections, probe, false);
            case "sliced-vr" -> new SlicedScoreMatching(projections, probe, true);
            case "denoising" -> new DenoisingScoreMatching(sigma);
            default -> throw new UsageError("--objective must be exact, sliced, sliced-vr or denoising, got '"
                    + objectiveName + "'");
        };
    }

    private int run() throws UsageError, IOException {
        Objective objective = objective();
        ParameterHessian.Method method;
        try {
            method = ParameterHessian.Method.parse(methodName);
        } catch (IllegalArgumentException e) {
            throw new UsageError("--method: " + e.getMessage());
        }
        ParameterHessian.Curvature curvature;
        try {
            curvature = ParameterHessian.Curvature.parse(curvatureName);
        } catch (IllegalArgumentException e) {
            throw new UsageError("--curvature: " + e.getMessage());
        }
        int nThreads = threads != null ? threads : Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        if (nThreads < 1) {
            throw new UsageError("--threads must be >= 1, got " + nThreads);
        }
        if (k < 1) {
            throw new UsageError("--k must be >= 1, got " + k);
        }
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new UsageError("--tolerance must be in (0, 1), got " + tolerance);
        }
        if (traceProbes < 0 || traceProbes == 1) {
            throw new UsageError("--trace-probes must be 0 or >= 2, got " + traceProbes);
        }
        if (maxIterations != null && maxIterations < 2 * k) {
            throw new UsageError("--max-iterations must be >= 2k = " + (2 * k) + " (k from each end), got " + maxIterations);
        }
        if (runs < 1 || steps < 1) {
            throw new UsageError("--runs and --steps must be >= 1, got " + runs + " and " + steps);
        }
        if (vectors != null && method == ParameterHessian.Method.SLQ) {
            throw new UsageError("--vectors needs --method full or lanczos (SLQ gives a density, not eigenvectors)");
        }
        if (vectors != null && !"all".equals(vectors) && method != ParameterHessian.Method.FULL) {
            throw new UsageError("--vectors " + vectors + " needs --method full (only it resolves every eigenvalue);"
                    + " use --vectors alone for the Lanczos vectors");
        }
        if (compare != null && !compare.isEmpty()) {
            return runCompare(method);
        }
        if (png != null || csv != null) {
            throw new UsageError("--png and --csv need --compare");
        }
        new OutputPaths().input("--model", modelFile).input("--points", pointsFile).checkFile("--out", out);

        phase = "reading " + modelFile;
        ModelState state = ModelState.read(modelFile);
        phase = "reading " + pointsFile;
        double[][] points = PointsCsv.read(pointsFile, state.model().inputDim());
        int p = state.model().parameterCount();
        if (method == ParameterHessian.Method.LANCZOS && 2L * k > p) {
            throw new UsageError("--k " + k + " asks for " + (2L * k) + " eigenvalues but the model has only P = " + p
                    + " parameters");
        }
        long hidden = 0;
        for (int w : state.toSpec().widths()) {
            hidden += w;
        }
        // Every Hessian-vector product runs over all points at once; about 6 KB a point was measured for a
        // 2-64-64-1 energy model (6.2 GB for a million points), which this reproduces.
        int dim = state.model().inputDim();
        MemoryBudget.require("hessian over " + points.length + " points", MemoryBudget.times(points.length,
                MemoryBudget.plus(hidden, dim), dim + 1L, 8, 2), "use fewer points");
        if (vectors != null && !"all".equals(vectors)) {
            vectorIndices = indices(vectors, p);
        }
        boolean allVectors = "all".equals(vectors);
        if (method == ParameterHessian.Method.FULL) {
            // The dense P×P matrix, a copy for the decomposition and, with --vectors all, the eigenvectors.
            long bytes = MemoryBudget.times(p, p, 8, allVectors ? 3 : 2);
            MemoryBudget.require("--method full on P = " + p + " parameters (dense P×P Hessian)", bytes,
                    "use --method lanczos or slq");
        } else if (allVectors) {
            MemoryBudget.require("--vectors for " + (2L * k) + " eigenvectors of P = " + p,
                    MemoryBudget.times(p, 2L * k, 8, 2), "lower --k or drop --vectors");
        }
        phase = "computing the Hessian (" + methodName + ")";
        ParameterHessianResult r;
        EigenvectorSource.Eigenpair[] picked = null;
        String what = String.format(Locale.ROOT, "hessian: %s on P = %d parameters, %d points", method.key(), p,
                points.length);
        try (Heartbeat hb = Heartbeat.start(spec.commandLine().getErr(), () -> what)) {
            if (vectorIndices != null) {
                ParameterHessian.OnDemand od = new ParameterHessian(state.model(), objective, points, seed)
                        .withThreads(nThreads).withCurvature(curvature).fullOnDemand(state.theta());
                r = od.result();
                picked = new EigenvectorSource.Eigenpair[vectorIndices.length];
                for (int i = 0; i < picked.length; i++) {
                    picked[i] = od.vectors().eigenpair(vectorIndices[i]);
                }
            } else {
                r = compute(state, objective, points, method, nThreads, curvature);
            }
        }
        ParameterGroups groups = ParameterGroups.of(state.model());
        EigenvectorSource.Eigenpair[] pairs = picked;
        AtomicFiles.writeBytes(out, os -> writeJson(os, r, objective, points.length, seed, curvature, groups, pairs));
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(summary(r));
        stdout.flush();
        return 0;
    }

    private int runCompare(ParameterHessian.Method method) throws UsageError, IOException {
        for (String c : compare) {
            if (!LadderComparison.NAMES.contains(c.trim().toLowerCase(Locale.ROOT))) {
                throw new UsageError("--compare: unknown ladder '" + c + "' (expected " + String.join(", ",
                        LadderComparison.NAMES) + ")");
            }
        }
        if (method == ParameterHessian.Method.SLQ) {
            throw new UsageError("--compare needs --method full or lanczos");
        }
        OutputPaths paths = new OutputPaths().input("--model", modelFile).input("--points", pointsFile);
        paths.checkFile("--out", out);
        if (png != null) {
            paths.checkFile("--png", png);
        }
        if (csv != null) {
            paths.checkFile("--csv", csv);
        }
        phase = "reading " + modelFile;
        ModelState state = ModelState.read(modelFile);
        phase = "reading " + pointsFile;
        double[][] points = PointsCsv.read(pointsFile, state.model().inputDim());
        int p = state.model().parameterCount();
        if (method == ParameterHessian.Method.FULL) {
            MemoryBudget.require("--method full on P = " + p + " parameters (dense P×P Hessian)",
                    MemoryBudget.times(p, p, 8, 2), "use --method lanczos");
        }
        phase = "computing the ladders";
        java.util.List<LadderComparison.Ladder> ladders;
        String what = String.format(Locale.ROOT, "hessian --compare %s on P = %d parameters, %d points",
                String.join(",", compare), p, points.length);
        try (Heartbeat hb = Heartbeat.start(spec.commandLine().getErr(), () -> what)) {
            ladders = LadderComparison.compute(state.model(), state.theta(), points, seed, compare, sigma,
                    method == ParameterHessian.Method.FULL ? Integer.MAX_VALUE : 0, k);
        }
        AtomicFiles.writeBytes(out, os -> writeCompareJson(os, ladders, points.length));
        if (csv != null) {
            AtomicFiles.writeBytes(csv, os -> LadderComparison.writeCsv(os, ladders));
        }
        if (png != null) {
            java.awt.image.BufferedImage img = org.scorescope.render.LadderPlot.render(ladders, String.format(Locale.ROOT,
                    "%s, P = %,d, %d points: ladders normalized by λmax", modelFile.getFileName(), p, points.length),
                    300 + 260 * ladders.size(), 700);
            org.scorescope.render.ViewImage.writePng(img, png);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        for (LadderComparison.Ladder l : ladders) {
            stdout.println(String.format(Locale.ROOT, "%s: %s, %d eigenvalues, λmax %.6g, %.2f decades above the float64"
                    + " floor", l.label(), l.method(), l.eigenvalues().length, l.lambdaMax(), l.span()));
        }
        stdout.flush();
        return 0;
    }

    private void writeCompareJson(OutputStream os, java.util.List<LadderComparison.Ladder> ladders, int batch)
            throws IOException {
        JsonGenerator g = new JsonFactory().createGenerator(os, JsonEncoding.UTF8);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.writeStartObject();
        g.writeStringField("format", FORMAT + "-compare");
        g.writeNumberField("version", 1);
        g.writeNumberField("seed", seed);
        g.writeNumberField("points", batch);
        g.writeArrayFieldStart("ladders");
        for (LadderComparison.Ladder l : ladders) {
            g.writeStartObject();
            g.writeStringField("label", l.label());
            g.writeStringField("method", l.method());
            g.writeNumberField("lambdaMax", l.lambdaMax());
            g.writeNumberField("noiseFloor", l.noiseFloor());
            writeIfDefined(g, "spanDecades", l.span());
            g.writeFieldName("eigenvalues");
            writeArray(g, l.eigenvalues());
            g.writeFieldName("normalized");
            writeArray(g, l.normalized());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeRaw('\n');
        g.flush();
    }

    /** Parses {@code --vectors K,…}: indices into the ascending eigenvalues, negative ones from the top. */
    private static int[] indices(String list, int p) throws UsageError {
        String[] parts = list.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            int k;
            try {
                k = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UsageError("--vectors: '" + parts[i].trim() + "' is not 'all' or an index (expected e.g. 0,2208,-1)");
            }
            int at = k < 0 ? p + k : k;
            if (at < 0 || at >= p) {
                throw new UsageError("--vectors: index " + k + " is outside the P = " + p + " eigenvalues (0 … " + (p - 1)
                        + ", or −1 … −" + p + " from the top)");
            }
            out[i] = at;
        }
        return out;
    }

    private ParameterHessianResult compute(ModelState state, Objective objective, double[][] points,
                                           ParameterHessian.Method method, int nThreads,
                                           ParameterHessian.Curvature curvature) {
        ParameterHessian ph = new ParameterHessian(state.model(), objective, points, seed).withThreads(nThreads)
                .withCurvature(curvature);
        double[] theta = state.theta();
        return switch (method) {
            case FULL -> ph.full(theta, vectors != null);
            case LANCZOS -> {
                ParameterHessian.KrylovSettings ks = ParameterHessian.KrylovSettings.defaults(k);
                yield ph.lanczos(theta, k, k, vectors != null, new ParameterHessian.KrylovSettings(
                        maxIterations != null ? maxIterations : ks.maxIterations(), tolerance, seed, traceProbes));
            }
            case SLQ -> ph.slq(theta, runs, steps, seed);
        };
    }

    private static String summary(ParameterHessianResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "hessian: %s, P = %d", r.method().key(), r.parameters()));
        if (r.eigenvalues().length > 0) {
            sb.append(String.format(Locale.ROOT, ", %d eigenvalues in [%.6g, %.6g], span %.2f decades above the float64 "
                            + "floor %.2g, %d negative", r.eigenvalues().length, r.smallest(), r.largest(),
                    r.spanAboveNoise(), r.noiseFloor(), r.negativeCount()));
        }
        if (!Double.isNaN(r.trace())) {
            sb.append(String.format(Locale.ROOT, ", trace %.6g", r.trace()));
        }
        sb.append(String.format(Locale.ROOT, ", build %d ms, decompose %d ms", r.buildMillis(), r.decomposeMillis()));
        if (!r.converged()) {
            sb.append(" (NOT converged: raise --max-iterations or --tolerance)");
        }
        return sb.toString();
    }

    /**
     * Writes a result as JSON: {@code format}, {@code version}, {@code method}, {@code curvature} (hessian or
     * gauss-newton), {@code objective}, {@code seed}, {@code parameters} (P), {@code points} (B), {@code eigenvalues}
     * (ascending, float64 in shortest round-trip form), {@code trace}, {@code traceStandardError} (when estimated),
     * {@code asymmetry} (full), {@code noiseFloor} (P·ε·max|λ|, the float64 rounding floor), {@code spanDecades}
     * (log₁₀ max|λ| − log₁₀ min|λ| over the |λ| above the floor), {@code spanDecadesAll} (over every nonzero |λ|),
     * {@code negativeCount}, {@code converged}, {@code threads}, {@code hessianVectorProducts}, {@code millis}
     * {build, decompose, trace}, optionally {@code eigenvectors} (one array of P per eigenvalue, same order) with
     * {@code parameterGroups} (name, shape) and {@code eigenvectorsByLayer} (per eigenvector one object per group:
     * {@code share} of ‖v‖² and its {@code components} row-major), and for SLQ {@code density} {nodes, weights}
     * (weights sum to P). With picked eigenpairs the eigenvectors are theirs, in the order given, with
     * {@code eigenvectorIndices} (into {@code eigenvalues}) and {@code eigenvectorAccuracy} (per vector {@code residual}
     * ‖Hv − λv‖, {@code gap} to the nearest other eigenvalue, {@code angleBoundDegrees} asin(floor/gap) and
     * {@code noiseDominated}). Values that are undefined (NaN) are omitted rather than written as non-JSON tokens.
     *
     * @param os        destination (not closed)
     * @param r         the result
     * @param objective the objective that was differentiated
     * @param batch     number of evaluation points
     * @param seed      the seed used
     * @param curvature the matrix analysed
     * @param groups    the model's parameter groups, for {@code eigenvectorsByLayer}
     * @param picked    eigenvectors computed on demand, or null for the result's own (if any)
     * @throws IOException on write failure
     */
    public static void writeJson(OutputStream os, ParameterHessianResult r, Objective objective, int batch, long seed,
                                 ParameterHessian.Curvature curvature, ParameterGroups groups,
                                 EigenvectorSource.Eigenpair[] picked) throws IOException {
        JsonGenerator g = new JsonFactory().createGenerator(os, JsonEncoding.UTF8);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.writeStartObject();
        g.writeStringField("format", FORMAT);
        g.writeNumberField("version", 1);
        g.writeStringField("method", r.method().key());
        g.writeStringField("curvature", curvature.key());
        g.writeStringField("objective", objective.describe());
        g.writeNumberField("seed", seed);
        g.writeNumberField("parameters", r.parameters());
        g.writeNumberField("points", batch);
        double[] values = r.eigenvalues();
        g.writeFieldName("eigenvalues");
        writeArray(g, values);
        writeIfDefined(g, "trace", r.trace());
        writeIfDefined(g, "traceStandardError", r.traceStandardError());
        writeIfDefined(g, "asymmetry", r.asymmetry());
        writeIfDefined(g, "noiseFloor", r.noiseFloor());
        writeIfDefined(g, "spanDecades", r.spanAboveNoise());
        writeIfDefined(g, "spanDecadesAll", r.spanDecades());
        g.writeNumberField("negativeCount", r.negativeCount());
        g.writeBooleanField("converged", r.converged());
        g.writeNumberField("threads", r.threads());
        g.writeNumberField("hessianVectorProducts", r.hessianVectorProducts());
        g.writeObjectFieldStart("millis");
        g.writeNumberField("build", r.buildMillis());
        g.writeNumberField("decompose", r.decomposeMillis());
        g.writeNumberField("trace", r.traceMillis());
        g.writeEndObject();
        double[][] vecs = null;
        if (picked != null) {
            vecs = new double[picked.length][];
            g.writeArrayFieldStart("eigenvectorIndices");
            for (int i = 0; i < picked.length; i++) {
                vecs[i] = picked[i].vector();
                g.writeNumber(picked[i].index());
            }
            g.writeEndArray();
            g.writeArrayFieldStart("eigenvectorAccuracy");
            for (EigenvectorSource.Eigenpair e : picked) {
                g.writeStartObject();
                g.writeNumberField("residual", e.residual());
                writeIfDefined(g, "gap", Double.isInfinite(e.gap()) ? Double.NaN : e.gap());
                g.writeNumberField("angleBoundDegrees", e.angleDegrees());
                g.writeBooleanField("noiseDominated", e.noiseDominated());
                g.writeEndObject();
            }
            g.writeEndArray();
        } else if (r.hasEigenvectors()) {
            vecs = new double[values.length][];
            for (int i = 0; i < values.length; i++) {
                vecs[i] = r.eigenvector(i);
            }
        }
        if (vecs != null) {
            g.writeArrayFieldStart("eigenvectors");
            for (double[] v : vecs) {
                writeArray(g, v);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("parameterGroups");
            for (ParameterGroups.Group pg : groups.groups()) {
                g.writeStartObject();
                g.writeStringField("name", pg.name());
                g.writeArrayFieldStart("shape");
                g.writeNumber(pg.rows());
                if (!pg.bias()) {
                    g.writeNumber(pg.cols());
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("eigenvectorsByLayer");
            for (double[] v : vecs) {
                double[] shares = groups.shares(v);
                g.writeStartArray();
                for (int k = 0; k < shares.length; k++) {
                    ParameterGroups.Group pg = groups.groups().get(k);
                    g.writeStartObject();
                    g.writeStringField("name", pg.name());
                    g.writeNumberField("share", shares[k]);
                    g.writeFieldName("components");
                    writeArray(g, pg.pick(v));
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndArray();
        }
        if (r.densityNodes() != null) {
            g.writeObjectFieldStart("density");
            g.writeFieldName("nodes");
            writeArray(g, r.densityNodes());
            g.writeFieldName("weights");
            writeArray(g, r.densityWeights());
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeRaw('\n');
        g.flush();
    }

    private static void writeIfDefined(JsonGenerator g, String name, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumberField(name, v);
        }
    }

    private static void writeArray(JsonGenerator g, double[] a) throws IOException {
        g.writeArray(a, 0, a.length);
    }
}
