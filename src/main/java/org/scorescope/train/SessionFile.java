package org.scorescope.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.scorescope.data.AtomicFiles;
import org.scorescope.io.Inputs;
import org.scorescope.io.JsonText;
import org.scorescope.model.ModelFile;
import org.scorescope.model.ModelFormatException;
import org.scorescope.model.ModelSpec;
import org.scorescope.model.ModelState;
import org.scorescope.train.optim.Optimizer;

/**
 * A saved session, the whole state of a run as one JSON file: every setting, the data, the model,
 * and what the next steps depend on (optimizer moments, random state, metric history), so that
 * continuing a saved session is bit-identical to never having stopped. The CLI's {@code train}
 * writes one too, and {@code train --resume} continues it.
 * <pre>
 * { "format": "scorescope-session", "version": 2,
 *   "settings": { "dataset": "8gaussians", "samples": 2000, "dataNoise": null, … },  // ids of {@link Settings}
 *   "points": [[x, y], …],
 *   "step": 2000,
 *   "model": { a model file object, see {@link ModelFile} },
 *   "run": { "optimizer": { "algorithm": "adam", "steps": 2000, "buffers": [[…], […]] },
 *            "random": { "lcg": 1234, "nextGaussian": null },
 *            "logGradNormMean": -1.2,
 *            "history": { "initialFisher": 7.76, "step": […], "loss": […], "fisher": [null, …, 0.75], "gradNorm": […] } } }
 * </pre>
 * Settings missing from a file take their defaults for the file's model kind (so files stay
 * readable when settings are added); unknown and duplicate fields, wrong types and trailing
 * content are errors whose messages name the field. Version 1 files (the settings under
 * {@code config}, no {@code run}) still open: they continue with fresh optimizer moments. Doubles
 * are written with shortest round-trip precision, so a save/load round trip is exact.
 */
public final class SessionFile {
    /** The {@code format} value of a session file. */
    public static final String FORMAT = "scorescope-session";
    /** File name extension of session files (the installers associate it with the app). */
    public static final String EXTENSION = ".scorescope";
    /** The version written. */
    public static final int VERSION = 2;
    private static final ObjectMapper JSON = JsonText.strictMapper();
    private static final Set<String> TOP_V1 = Set.of("format", "version", "config", "points", "step", "model");
    private static final Set<String> TOP = Set.of("format", "version", "settings", "points", "step", "model", "run");
    private static final Set<String> RUN = Set.of("optimizer", "random", "logGradNormMean", "history");
    private static final Set<String> OPTIMIZER = Set.of("algorithm", "steps", "buffers");
    private static final Set<String> RANDOM = Set.of("lcg", "nextGaussian");
    private static final List<String> HISTORY = List.of("step", "loss", "fisher", "gradNorm");

    private SessionFile() {
    }

    /**
     * A session's contents.
     *
     * @param config the settings
     * @param points the data, n × D
     * @param model the model, or null when none was trained yet
     * @param step steps the model was trained for
     * @param run the optimizer, random and history state at {@code step}, or null (fresh optimizer)
     */
    public record Session(TrainingConfig config, double[][] points, ModelState model, long step,
            Trainer.Checkpoint run) {
        /** A session without run state: continuing it starts the optimizer afresh. */
        public Session(TrainingConfig config, double[][] points, ModelState model, long step) {
            this(config, points, model, step, null);
        }

        /** The whole state of a trainer, with its data. */
        public static Session of(Trainer trainer, double[][] points) {
            return new Session(trainer.config(), points, trainer.model(), trainer.stepCount(), trainer.checkpoint());
        }
    }

    /** Writes a session atomically. */
    public static void write(Path file, Session s) throws IOException {
        AtomicFiles.writeString(file, toJson(s));
    }

    /** @return the session as pretty-printed JSON */
    public static String toJson(Session s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.set("settings", settingsJson(s.config()));
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
        if (s.run() != null) {
            root.set("run", runJson(s.run()));
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the settings as a JSON object keyed by setting id (also the shape of presets) */
    public static ObjectNode settingsJson(TrainingConfig c) {
        ObjectNode o = JSON.createObjectNode();
        c.values().forEach((s, v) -> putValue(o, s, v));
        return o;
    }

    private static <T> void putValue(ObjectNode o, Setting<T> s, Object value) {
        T v = s.type().cast(value);
        if (v instanceof Integer i) {
            o.put(s.id(), i);
        } else if (v instanceof Long l) {
            o.put(s.id(), l);
        } else if (v instanceof Double d) {
            if (Double.isNaN(d)) {
                o.putNull(s.id());
            } else {
                o.put(s.id(), d);
            }
        } else {
            o.put(s.id(), s.format(v));
        }
    }

    private static ObjectNode runJson(Trainer.Checkpoint c) {
        ObjectNode run = JSON.createObjectNode();
        ObjectNode opt = run.putObject("optimizer");
        opt.put("algorithm", c.optimizer().algorithm());
        opt.put("steps", c.optimizer().steps());
        ArrayNode buffers = opt.putArray("buffers");
        c.optimizer().buffers().forEach(b -> buffers.add(doubles(b)));
        ObjectNode rnd = run.putObject("random");
        rnd.put("lcg", c.random().lcg());
        putNumber(rnd, "nextGaussian", c.random().nextGaussian());
        putNumber(run, "logGradNormMean", c.logGradNormMean());
        ObjectNode h = run.putObject("history");
        Trainer.History hist = c.history();
        putNumber(h, "initialFisher", hist.initialFisher());
        double[][] series = {hist.steps(), hist.losses(), hist.fishers(), hist.gradNorms()};
        for (int i = 0; i < HISTORY.size(); i++) {
            h.set(HISTORY.get(i), doubles(series[i]));
        }
        return run;
    }

    private static ArrayNode doubles(double[] values) {
        ArrayNode a = JSON.createArrayNode();
        for (double v : values) {
            if (Double.isNaN(v)) {
                a.addNull();
            } else {
                a.add(v);
            }
        }
        return a;
    }

    private static void putNumber(ObjectNode o, String name, double v) {
        if (Double.isNaN(v)) {
            o.putNull(name);
        } else {
            o.put(name, v);
        }
    }

    /**
     * Reads a session file. A bare model file (as written by {@code train}) is accepted too: it
     * becomes a session with default settings for its architecture and no data.
     *
     * @throws ModelFormatException naming the file and the field when the content is invalid
     */
    public static Session read(Path file) throws IOException {
        String text = Inputs.readString(file);
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
            throw new ModelFormatException(JsonText.where(e), "not valid JSON: " + JsonText.reason(e));
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
        JsonNode version = root.path("version");
        if (!version.isInt() || version.intValue() < 1 || version.intValue() > VERSION) {
            throw new ModelFormatException("version", "expected 1 or " + VERSION + ", found " + version);
        }
        boolean v1 = version.intValue() == 1;
        rejectUnknown(root, v1 ? TOP_V1 : TOP, "");
        String settingsField = v1 ? "config" : "settings";
        TrainingConfig config = settings(required(root, settingsField), settingsField);
        double[][] points = points(required(root, "points"));
        ModelState model = null;
        if (root.hasNonNull("model")) {
            try {
                model = ModelState.fromSpec(ModelFile.parse(root.get("model").toString()));
            } catch (ModelFormatException e) {
                throw new ModelFormatException("model." + e.path(), e.reason());
            }
            if (model.model().kind() != config.model().kind()) {
                throw new ModelFormatException("model.kind", "the model is " + model.model().kind().id()
                        + ", the settings say " + config.model().kind().id());
            }
            try {
                config = config.withAll(architecture(model.toSpec()));
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException("model", e.getMessage());
            }
        }
        long step = nonNegativeLong(required(root, "step"), "step");
        Trainer.Checkpoint run = root.has("run") ? run(root.get("run"), step) : null;
        if (run != null && model == null) {
            throw new ModelFormatException("run", "a run state needs a model");
        }
        return new Session(config, points, model, step, run);
    }

    /**
     * Parses a settings object keyed by setting id (a session's settings, a preset): the values it
     * names over the defaults of the model kind it names, or of {@code base}'s kind.
     *
     * @param o the JSON object
     * @param base the settings that unnamed ones keep
     * @param where the field path for messages
     */
    public static TrainingConfig settings(JsonNode o, TrainingConfig base, String where) throws ModelFormatException {
        if (!o.isObject()) {
            throw new ModelFormatException(where, "expected an object");
        }
        Map<Setting<?>, Object> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            Setting<?> s = Settings.byId(e.getKey())
                    .orElseThrow(() -> new ModelFormatException(where + "." + e.getKey(), "unknown setting"));
            values.put(s, value(s, e.getValue(), where + "." + e.getKey()));
        }
        try {
            return base.withAll(values);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(where, e.getMessage());
        }
    }

    private static TrainingConfig settings(JsonNode o, String where) throws ModelFormatException {
        JsonNode kind = o.path("modelKind");
        ModelSpec.Kind k = kind.isTextual() ? value(Settings.MODEL_KIND, kind, where + ".modelKind")
                : Settings.MODEL_KIND.defaultFor(ModelSpec.Kind.ENERGY);
        return settings(o, TrainingConfig.defaults(k), where);
    }

    private static <T> T value(Setting<T> s, JsonNode n, String path) throws ModelFormatException {
        try {
            Class<T> t = s.type();
            if (t == Integer.class && n.isIntegralNumber() && n.canConvertToInt()) {
                return s.check(n.intValue());
            }
            if (t == Long.class && n.isIntegralNumber() && n.canConvertToLong()) {
                return s.check(n.longValue());
            }
            if (t == Double.class && n.isNumber()) {
                return s.check(n.doubleValue());
            }
            if (t == Double.class && n.isNull() && s.optional()) {
                return t.cast(Double.NaN);
            }
            if (!s.choices().isEmpty() && n.isTextual()) {
                return s.parse(n.textValue());
            }
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(path, e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
        }
        String expected = !s.choices().isEmpty() ? "a name" : s.type() == Double.class ? "a number" : "an integer";
        throw new ModelFormatException(path, "expected " + expected + ", found " + n);
    }

    private static Trainer.Checkpoint run(JsonNode r, long step) throws ModelFormatException {
        object(r, "run");
        rejectUnknown(r, RUN, "run.");
        JsonNode o = object(required(r, "optimizer"), "run.optimizer");
        rejectUnknown(o, OPTIMIZER, "run.optimizer.");
        JsonNode alg = required(o, "algorithm");
        if (!alg.isTextual()) {
            throw new ModelFormatException("run.optimizer.algorithm", "expected a name, found " + alg);
        }
        JsonNode bufs = required(o, "buffers");
        if (!bufs.isArray()) {
            throw new ModelFormatException("run.optimizer.buffers", "expected an array of arrays");
        }
        List<double[]> buffers = new ArrayList<>();
        for (int i = 0; i < bufs.size(); i++) {
            buffers.add(doubles(bufs.get(i), "run.optimizer.buffers[" + i + "]", false));
        }
        Optimizer.State opt = new Optimizer.State(alg.textValue(),
                nonNegativeLong(required(o, "steps"), "run.optimizer.steps"), buffers);
        JsonNode rn = object(required(r, "random"), "run.random");
        rejectUnknown(rn, RANDOM, "run.random.");
        JsonNode lcg = required(rn, "lcg");
        ResumableRandom.State random;
        try {
            random = new ResumableRandom.State(nonNegativeLong(lcg, "run.random.lcg"),
                    optionalNumber(required(rn, "nextGaussian"), "run.random.nextGaussian"));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("run.random.lcg", e.getMessage());
        }
        double logGradNormMean = optionalNumber(required(r, "logGradNormMean"), "run.logGradNormMean");
        JsonNode h = object(required(r, "history"), "run.history");
        Set<String> historyFields = new java.util.HashSet<>(HISTORY);
        historyFields.add("initialFisher");
        rejectUnknown(h, historyFields, "run.history.");
        double initialFisher = optionalNumber(required(h, "initialFisher"), "run.history.initialFisher");
        double[][] series = new double[HISTORY.size()][];
        for (int i = 0; i < series.length; i++) {
            series[i] = doubles(required(h, HISTORY.get(i)), "run.history." + HISTORY.get(i), true);
        }
        if (series[0].length > 0 && series[0][series[0].length - 1] != step) {
            throw new ModelFormatException("run.history.step", "ends at " + Setting.number(series[0][series[0].length - 1])
                    + ", the session is at step " + step);
        }
        try {
            return new Trainer.Checkpoint(step, opt, random, logGradNormMean,
                    new Trainer.History(initialFisher, series[0], series[1], series[2], series[3]));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("run.history", e.getMessage().replace("history: ", ""));
        }
    }

    /** Settings describing a bare model file's architecture, defaults for everything else. */
    private static TrainingConfig defaultsFor(ModelSpec spec) {
        Map<Setting<?>, Object> arch = architecture(spec);
        if (spec.kind() == ModelSpec.Kind.FLOW && spec.flow().spline() != null) {
            arch.put(Settings.TAIL_BOUND, spec.flow().spline().tailBound());
        }
        return TrainingConfig.defaults(spec.kind()).withAll(arch);
    }

    /**
     * The settings a model's structure decides (kind, widths, activation, flow transform, noise levels):
     * what the model file says wins over a session's settings, so the controls show the model that runs.
     * An automatic spline tail bound stays automatic.
     */
    private static Map<Setting<?>, Object> architecture(ModelSpec spec) {
        Map<Setting<?>, Object> arch = new LinkedHashMap<>();
        arch.put(Settings.MODEL_KIND, spec.kind());
        arch.put(Settings.ACTIVATION, spec.activation());
        if (spec.kind() == ModelSpec.Kind.FLOW) {
            ModelSpec.Coupling first = spec.flow().couplings().get(0);
            int depth = first.layers().size() - 1;
            ModelSpec.Spline spline = spec.flow().spline();
            arch.put(Settings.FLOW_TRANSFORM, spline == null ? TrainingConfig.FlowTransform.AFFINE
                    : TrainingConfig.FlowTransform.SPLINE);
            if (spline != null) {
                arch.put(Settings.SPLINE_BINS, spline.bins());
            }
            arch.put(Settings.COUPLINGS, spec.flow().couplings().size());
            arch.put(Settings.DEPTH, depth);
            if (depth > 0) {
                arch.put(Settings.WIDTH, first.layers().get(0).outputs());
            }
        } else {
            int[] w = spec.widths();
            arch.put(Settings.DEPTH, w.length - 2);
            if (w.length > 2) {
                arch.put(Settings.WIDTH, w[1]);
            }
        }
        if (spec.kind() == ModelSpec.Kind.NOISE_CONDITIONAL) {
            double[] s = spec.sigmas();
            arch.put(Settings.SIGMA_MAX, s[0]);
            arch.put(Settings.SIGMA, s[s.length - 1]);
            arch.put(Settings.SIGMA_LEVELS, s.length);
        }
        return arch;
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
            out[i] = doubles(row, "points[" + i + "]", false);
        }
        return out;
    }

    private static double[] doubles(JsonNode a, String path, boolean nulls) throws ModelFormatException {
        if (!a.isArray()) {
            throw new ModelFormatException(path, "expected an array of numbers");
        }
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = a.get(i);
            if (nulls && v.isNull()) {
                out[i] = Double.NaN;
            } else if (v.isNumber() && Double.isFinite(v.doubleValue())) {
                out[i] = v.doubleValue();
            } else {
                throw new ModelFormatException(path + "[" + i + "]", "expected a finite number" + (nulls ? " or null" : "")
                        + ", found " + v);
            }
        }
        return out;
    }

    private static double optionalNumber(JsonNode n, String path) throws ModelFormatException {
        if (n.isNull()) {
            return Double.NaN;
        }
        if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
            throw new ModelFormatException(path, "expected a finite number or null, found " + n);
        }
        return n.doubleValue();
    }

    private static long nonNegativeLong(JsonNode n, String path) throws ModelFormatException {
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
            throw new ModelFormatException(path, "expected a non-negative integer, found " + n);
        }
        return n.longValue();
    }

    private static JsonNode object(JsonNode n, String path) throws ModelFormatException {
        if (!n.isObject()) {
            throw new ModelFormatException(path, "expected an object");
        }
        return n;
    }

    private static JsonNode required(JsonNode o, String field) throws ModelFormatException {
        if (!o.has(field)) {
            throw new ModelFormatException(field, "missing");
        }
        return o.get(field);
    }

    private static void rejectUnknown(JsonNode o, Set<String> allowed, String prefix) throws ModelFormatException {
        for (Iterator<String> it = o.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw new ModelFormatException(prefix + name, "unknown field");
            }
        }
    }
}
