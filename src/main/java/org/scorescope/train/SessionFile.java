package org.scorescope.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Probe;
import org.scorescope.data.AtomicFiles;
import org.scorescope.data.ToyDataset;
import org.scorescope.model.ModelFile;
import org.scorescope.model.ModelFormatException;
import org.scorescope.model.ModelSpec;
import org.scorescope.model.ModelState;

/**
 * A saved session: every setting, the data points and (optionally) the model with its step count, as
 * one JSON file, so a run can be closed and reopened exactly. The CLI's {@code train} writes one too.
 * <pre>
 * { "format": "scorescope-session", "version": 1,
 *   "config": { "dataset": "8gaussians", "samples": 2000, "dataNoise": null, "modelKind": "energy", … },
 *   "points": [[x, y], …],
 *   "step": 2000,
 *   "model": { a model file object, see {@link ModelFile} } }
 * </pre>
 * Unknown fields are errors; messages name the field. Doubles are written with shortest
 * round-trip precision, so a save/load round trip is exact.
 */
public final class SessionFile {
    /** The {@code format} value of a session file. */
    public static final String FORMAT = "scorescope-session";
    /** File name extension of session files (the installers associate it with the app). */
    public static final String EXTENSION = ".scorescope";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TOP = Set.of("format", "version", "config", "points", "step", "model");
    private static final Set<String> CONFIG = Set.of("dataset", "samples", "dataNoise", "modelKind", "width",
            "depth", "activation", "couplings", "objective", "projections", "probe", "sigma", "sigmaMax", "sigmaLevels",
            "optimizer", "learningRate",
            "momentum", "weightDecay", "batchSize", "schedule", "steps", "clipNorm", "seed");

    private SessionFile() {
    }

    /**
     * A session's contents.
     *
     * @param config the settings
     * @param points the data, n × D
     * @param model the model, or null when none was trained yet
     * @param step steps the model was trained for
     */
    public record Session(TrainingConfig config, double[][] points, ModelState model, long step) {
    }

    /** Writes a session atomically. */
    public static void write(Path file, Session s) throws IOException {
        AtomicFiles.writeString(file, toJson(s));
    }

    /** @return the session as pretty-printed JSON */
    public static String toJson(Session s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", 1);
        TrainingConfig c = s.config();
        ObjectNode cfg = root.putObject("config");
        cfg.put("dataset", c.dataset().id());
        cfg.put("samples", c.samples());
        if (Double.isNaN(c.dataNoise())) {
            cfg.putNull("dataNoise");
        } else {
            cfg.put("dataNoise", c.dataNoise());
        }
        cfg.put("modelKind", c.modelKind().id());
        cfg.put("width", c.width());
        cfg.put("depth", c.depth());
        cfg.put("activation", c.activation().jsonName());
        cfg.put("couplings", c.couplings());
        cfg.put("objective", c.objective().id());
        cfg.put("projections", c.projections());
        cfg.put("probe", lower(c.probe()));
        cfg.put("sigma", c.sigma());
        cfg.put("sigmaMax", c.sigmaMax());
        cfg.put("sigmaLevels", c.sigmaLevels());
        cfg.put("optimizer", lower(c.optimizer()));
        cfg.put("learningRate", c.learningRate());
        cfg.put("momentum", c.momentum());
        cfg.put("weightDecay", c.weightDecay());
        cfg.put("batchSize", c.batchSize());
        cfg.put("schedule", lower(c.schedule()));
        cfg.put("steps", c.steps());
        cfg.put("clipNorm", c.clipNorm());
        cfg.put("seed", c.seed());
        ArrayNode pts = root.putArray("points");
        for (double[] p : s.points()) {
            ArrayNode row = pts.addArray();
            for (double v : p) {
                row.add(v);
            }
        }
        root.put("step", s.step());
        if (s.model() != null) {
            try {
                root.set("model", JSON.readTree(ModelFile.toJson(s.model().toSpec())));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("model JSON did not parse back", e);
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a session file. A bare model file (as written by {@code train}) is accepted too: it
     * becomes a session with default settings for its architecture and no data.
     *
     * @throws ModelFormatException naming the field when the content is invalid
     */
    public static Session read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            return parse(text);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(file.getFileName() + ": " + e.path(), e.reason());
        }
    }

    /** Parses session JSON (see {@link #read}). */
    public static Session parse(String text) throws ModelFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException("(root)", "not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException("(root)", "expected a JSON object");
        }
        if (ModelFile.FORMAT.equals(root.path("format").asText())) {
            ModelState model = ModelState.fromSpec(ModelFile.parse(text));
            return new Session(defaultsFor(model.toSpec()), new double[0][], model, 0);
        }
        if (!FORMAT.equals(root.path("format").asText())) {
            throw new ModelFormatException("format", "expected '" + FORMAT + "' or '" + ModelFile.FORMAT + "'");
        }
        rejectUnknown(root, TOP, "");
        if (root.path("version").asInt(-1) != 1) {
            throw new ModelFormatException("version", "unsupported " + root.get("version"));
        }
        TrainingConfig config = config(required(root, "config"));
        double[][] points = points(required(root, "points"));
        ModelState model = null;
        if (root.hasNonNull("model")) {
            try {
                model = ModelState.fromSpec(ModelFile.parse(root.get("model").toString()));
            } catch (ModelFormatException e) {
                throw new ModelFormatException("model." + e.path(), e.reason());
            }
        }
        long step = root.path("step").asLong(0);
        return new Session(config, points, model, step);
    }

    /** Settings describing a bare model file's architecture, defaults for everything else. */
    private static TrainingConfig defaultsFor(ModelSpec spec) {
        TrainingConfig d = TrainingConfig.defaults();
        int width = d.width();
        int depth = d.depth();
        int couplings = d.couplings();
        double sigmaMin = d.sigma();
        double sigmaMax = d.sigmaMax();
        int levels = d.sigmaLevels();
        TrainingConfig.ObjectiveKind objective = d.objective();
        if (spec.kind() == ModelSpec.Kind.FLOW) {
            ModelSpec.Coupling first = spec.flow().couplings().get(0);
            couplings = spec.flow().couplings().size();
            depth = first.layers().size() - 1;
            width = depth > 0 ? first.layers().get(0).outputs() : width;
            objective = TrainingConfig.ObjectiveKind.MAX_LIKELIHOOD;
        } else {
            int[] w = spec.widths();
            width = w.length > 2 ? w[1] : width;
            depth = w.length - 2;
        }
        if (spec.kind() == ModelSpec.Kind.NOISE_CONDITIONAL) {
            double[] s = spec.sigmas();
            sigmaMax = s[0];
            sigmaMin = s[s.length - 1];
            levels = s.length;
            objective = TrainingConfig.ObjectiveKind.DENOISING_MULTI;
        }
        return new TrainingConfig(d.dataset(), d.samples(), d.dataNoise(), spec.kind(), width, depth,
                spec.activation(), couplings, objective, d.projections(), d.probe(), sigmaMin, sigmaMax, levels,
                d.optimizer(), d.learningRate(), d.momentum(), d.weightDecay(), d.batchSize(), d.schedule(),
                d.steps(), d.clipNorm(), d.seed());
    }

    private static TrainingConfig config(JsonNode c) throws ModelFormatException {
        if (!c.isObject()) {
            throw new ModelFormatException("config", "expected an object");
        }
        rejectUnknown(c, CONFIG, "config.");
        try {
            return new TrainingConfig(
                    named(c, "dataset", ToyDataset::fromId),
                    integer(c, "samples"),
                    c.path("dataNoise").isNull() || c.path("dataNoise").isMissingNode() ? Double.NaN : number(c, "dataNoise"),
                    named(c, "modelKind", ModelSpec.Kind::fromId),
                    integer(c, "width"), integer(c, "depth"),
                    named(c, "activation", Activation::fromJson),
                    integer(c, "couplings"),
                    named(c, "objective", id -> TrainingConfig.ObjectiveKind.valueOf(upper(id))),
                    integer(c, "projections"),
                    named(c, "probe", id -> Probe.valueOf(upper(id))),
                    number(c, "sigma"), number(c, "sigmaMax"), integer(c, "sigmaLevels"),
                    named(c, "optimizer", id -> TrainingConfig.OptimizerKind.valueOf(upper(id))),
                    number(c, "learningRate"), number(c, "momentum"), number(c, "weightDecay"),
                    integer(c, "batchSize"),
                    named(c, "schedule", id -> TrainingConfig.Schedule.valueOf(upper(id))),
                    integer(c, "steps"), number(c, "clipNorm"), c.path("seed").asLong());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("config", e.getMessage());
        }
    }

    private static double[][] points(JsonNode p) throws ModelFormatException {
        if (!p.isArray()) {
            throw new ModelFormatException("points", "expected an array of [x, y] rows");
        }
        double[][] out = new double[p.size()][];
        for (int i = 0; i < p.size(); i++) {
            JsonNode row = p.get(i);
            if (!row.isArray() || row.size() != 2) {
                throw new ModelFormatException("points[" + i + "]", "expected [x, y]");
            }
            out[i] = new double[2];
            for (int d = 0; d < 2; d++) {
                if (!row.get(d).isNumber() || !Double.isFinite(row.get(d).asDouble())) {
                    throw new ModelFormatException("points[" + i + "][" + d + "]", "expected a finite number");
                }
                out[i][d] = row.get(d).asDouble();
            }
        }
        return out;
    }

    private static JsonNode required(JsonNode o, String field) throws ModelFormatException {
        if (!o.has(field)) {
            throw new ModelFormatException(field, "missing");
        }
        return o.get(field);
    }

    private static int integer(JsonNode c, String f) throws ModelFormatException {
        JsonNode n = required(c, f);
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw new ModelFormatException("config." + f, "expected an integer, found " + n);
        }
        return n.intValue();
    }

    private static double number(JsonNode c, String f) throws ModelFormatException {
        JsonNode n = required(c, f);
        if (!n.isNumber()) {
            throw new ModelFormatException("config." + f, "expected a number, found " + n);
        }
        return n.doubleValue();
    }

    private static <T> T named(JsonNode c, String f, Function<String, T> lookup) throws ModelFormatException {
        JsonNode n = required(c, f);
        try {
            return lookup.apply(n.asText());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("config." + f, "unknown '" + n.asText() + "'");
        }
    }

    private static void rejectUnknown(JsonNode o, Set<String> allowed, String prefix) throws ModelFormatException {
        for (Iterator<String> it = o.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw new ModelFormatException(prefix + name, "unknown field");
            }
        }
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static String upper(String id) {
        return id.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
