package org.scorescope.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.scorescope.data.AtomicFiles;
import org.scorescope.autodiff.Activation;
import org.scorescope.model.ModelSpec.Kind;
import org.scorescope.model.ModelSpec.Layer;
import org.scorescope.io.InputLimits;
import org.scorescope.io.Inputs;
import org.scorescope.io.JsonText;

/**
 * Reads and writes {@code scorescope-model} JSON files (format described in docs/model-format.md).
 *
 * <p>Reading is strict: unknown or duplicate fields, wrong types, non-finite or out-of-range numbers, ragged
 * matrices, a broken dimension chain and a last layer of the wrong size for the kind are all errors, reported as a
 * {@link ModelFormatException} whose message names the field, e.g.
 * {@code layers[1].weight: expected 64 columns (the previous layer's outputs), found 63}. Writing emits every
 * number with {@link Double#toString(double)}, which parses back to the identical double, so a write/read round
 * trip is bit-exact.
 *
 * <p>Files are read as UTF-8 only (UTF-16 and UTF-32 are refused) and bounded by {@link InputLimits} while they
 * are read, so a huge or endless input fails fast instead of filling the heap.
 *
 * <p>The document is handled in two layers: fields common to every kind ({@link #COMMON_FIELDS}) and fields a kind
 * adds ({@link #kindFields(Kind)}): energy and score models add {@code outputActivation} and {@code layers}, a
 * noise-conditional model also {@code sigmas}, a flow {@code couplings} (each coupling a {@code mask} and its
 * conditioner's {@code layers}) with, for affine couplings, {@code scaleBound} or, for {@code "transform": "spline"},
 * {@code bins} and {@code tailBound}. Paths in messages follow the nesting, e.g.
 * {@code couplings[1].layers[0].weight: expected 1 columns (the mask's ones), found 2}.
 */
public final class ModelFile {
    /** The value of the {@code format} field. */
    public static final String FORMAT = "scorescope-model";
    /** The only version this code reads and writes. */
    public static final int VERSION = 1;

    /** Fields every kind has, in the order they are written. */
    private static final List<String> COMMON_FIELDS = List.of("format", "version", "kind", "inputDim", "activation");
    private static final List<String> LAYER_FIELDS = List.of("weight", "bias");
    private static final List<String> COUPLING_FIELDS = List.of("mask", "layers");
    /** c in s = c·tanh(ŝ/c) when a flow file omits {@code scaleBound}: a plain tanh. */
    private static final double DEFAULT_SCALE_BOUND = 1.0;

    private static final ObjectMapper JSON = JsonText.strictMapper();

    private ModelFile() {
    }

    /**
     * Reads a model file (UTF-8 JSON).
     *
     * @param file the file
     * @return the validated model
     * @throws ModelFormatException naming the file and the offending field if the document is invalid
     * @throws IOException          if the file cannot be read
     */
    public static ModelSpec read(Path file) throws IOException {
        try (InputStream in = Inputs.openUtf8Json(file)) {
            return fromTree(tree(in));
        } catch (ModelFormatException e) {
            throw new ModelFormatException(String.valueOf(file.getFileName()), e.path(), e.reason(), e.getCause());
        }
    }

    /**
     * Parses a model document from a string.
     *
     * @param json the document
     * @return the validated model
     * @throws ModelFormatException naming the offending field if the document is invalid
     */
    public static ModelSpec parse(String json) throws ModelFormatException {
        try {
            return fromTree(tree(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new ModelFormatException(null, "(root)", "unreadable: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a parameter-shaped file {@code {"layers": [{weight, bias}, ...]}} (a direction in θ-space, such as the
     * vector of a Hessian-vector product) and checks it against a model's layer shapes. Reading is as strict as for
     * a model file: unknown or duplicate fields, wrong types, non-finite numbers and any shape that differs from the
     * model are errors naming the field, e.g. {@code v.json: layers[0].weight: expected 64 rows like the model,
     * found 3}. The file is bounded by {@link InputLimits}.
     *
     * @param file  the file
     * @param model the model whose layout the vector must have (energy, score or noise-conditional)
     * @return the layers, in the model's order
     * @throws ModelFormatException naming the file and field if the document is invalid or mismatched
     * @throws IOException          if the file cannot be read
     */
    public static List<Layer> readLayersLike(Path file, ModelSpec model) throws IOException {
        try (InputStream in = Inputs.openUtf8Json(file)) {
            JsonNode root = tree(in);
            if (!root.isObject()) {
                throw new ModelFormatException("(root)", "expected a JSON object with layers, found " + describe(root));
            }
            rejectUnknown(root, new LinkedHashSet<>(List.of("layers")), "");
            List<Layer> layers = layers(required(root, "layers", "layers"), "layers");
            List<Layer> expected = model.layers();
            if (layers.size() != expected.size()) {
                throw new ModelFormatException("layers", "expected " + expected.size() + " layers like the model, found "
                        + layers.size());
            }
            for (int l = 0; l < layers.size(); l++) {
                Layer a = layers.get(l);
                Layer e = expected.get(l);
                if (a.outputs() != e.outputs()) {
                    throw new ModelFormatException("layers[" + l + "].weight", "expected " + e.outputs()
                            + " rows like the model, found " + a.outputs());
                }
                if (a.inputs() != e.inputs()) {
                    throw new ModelFormatException("layers[" + l + "].weight", "expected " + e.inputs()
                            + " columns like the model, found " + a.inputs());
                }
            }
            return layers;
        } catch (ModelFormatException e) {
            throw new ModelFormatException(String.valueOf(file.getFileName()), e.path(), e.reason(), e.getCause());
        }
    }

    /**
     * Parses one JSON document (duplicate keys and trailing content are errors). Size and encoding errors of the
     * stream ({@link org.scorescope.io.InputTooLargeException}) pass through unchanged so they keep their message.
     */
    private static JsonNode tree(InputStream in) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(null, JsonText.where(e), "invalid JSON: " + JsonText.reason(e), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new ModelFormatException("(root)", "empty document");
        }
        return root;
    }

    /**
     * Writes a model file atomically (temporary file + rename, see {@link AtomicFiles}).
     *
     * @param file the file to create or replace
     * @param spec the model
     * @throws IOException if writing fails; an existing file is then unchanged
     */
    public static void write(Path file, ModelSpec spec) throws IOException {
        AtomicFiles.writeString(file, toJson(spec));
    }

    /**
     * Serialises a model: two-space indentation, one matrix row per line, numbers via
     * {@link Double#toString(double)} (shortest-or-close decimal that reads back bit-exactly).
     *
     * @param spec the model
     * @return the JSON document, ending in a newline
     */
    public static String toJson(ModelSpec spec) {
        StringBuilder sb = new StringBuilder(256 + 24 * spec.parameterCount());
        sb.append("{\n");
        sb.append("  \"format\": \"").append(FORMAT).append("\",\n");
        sb.append("  \"version\": ").append(VERSION).append(",\n");
        sb.append("  \"kind\": \"").append(spec.kind().id()).append("\",\n");
        sb.append("  \"inputDim\": ").append(spec.inputDim()).append(",\n");
        sb.append("  \"activation\": \"").append(spec.activation().jsonName()).append("\"");
        if (spec.kind() == Kind.FLOW) {
            ModelSpec.Flow flow = spec.flow();
            if (flow.spline() == null) {
                sb.append(",\n  \"scaleBound\": ").append(flow.scaleBound()).append(",\n");
            } else {
                sb.append(",\n  \"transform\": \"spline\",\n  \"bins\": ").append(flow.spline().bins())
                        .append(",\n  \"tailBound\": ").append(flow.spline().tailBound()).append(",\n");
            }
            sb.append("  \"couplings\": [\n");
            List<ModelSpec.Coupling> couplings = flow.couplings();
            for (int k = 0; k < couplings.size(); k++) {
                ModelSpec.Coupling c = couplings.get(k);
                sb.append("    {\n      \"mask\": [");
                int[] mask = c.mask();
                for (int i = 0; i < mask.length; i++) {
                    sb.append(i > 0 ? ", " : "").append(mask[i]);
                }
                sb.append("],\n      \"layers\": ");
                writeLayers(sb, c.layers(), "      ");
                sb.append("\n    }").append(k + 1 < couplings.size() ? ",\n" : "\n");
            }
            sb.append("  ]\n}\n");
            return sb.toString();
        }
        sb.append(",\n  \"outputActivation\": \"").append(spec.outputActivation().jsonName()).append("\",\n");
        if (spec.kind() == Kind.NOISE_CONDITIONAL) {
            sb.append("  \"sigmas\": [");
            double[] sigmas = spec.sigmas();
            for (int i = 0; i < sigmas.length; i++) {
                sb.append(i > 0 ? ", " : "").append(sigmas[i]);
            }
            sb.append("],\n");
        }
        sb.append("  \"layers\": ");
        writeLayers(sb, spec.layers(), "  ");
        sb.append("\n}\n");
        return sb.toString();
    }

    /** Appends {@code [ {weight, bias}, ... ]}, one matrix row per line, closing bracket at {@code indent}. */
    private static void writeLayers(StringBuilder sb, List<Layer> layers, String indent) {
        String obj = indent + "  ";
        String field = obj + "  ";
        String row = field + "  ";
        sb.append("[\n");
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            sb.append(obj).append("{\n").append(field).append("\"weight\": [\n");
            for (int o = 0; o < layer.outputs(); o++) {
                sb.append(row).append('[');
                for (int i = 0; i < layer.inputs(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    sb.append(layer.weight(o, i));
                }
                sb.append(o + 1 < layer.outputs() ? "],\n" : "]\n");
            }
            sb.append(field).append("],\n").append(field).append("\"bias\": [");
            for (int o = 0; o < layer.outputs(); o++) {
                if (o > 0) {
                    sb.append(", ");
                }
                sb.append(layer.bias(o));
            }
            sb.append("]\n").append(obj).append('}').append(l + 1 < layers.size() ? ",\n" : "\n");
        }
        sb.append(indent).append(']');
    }

    private static ModelSpec fromTree(JsonNode root) throws ModelFormatException {
        if (!root.isObject()) {
            throw new ModelFormatException("(root)", "expected a JSON object, found " + describe(root));
        }
        String format = text(root, "format");
        if (!FORMAT.equals(format)) {
            throw new ModelFormatException("format", "expected '" + FORMAT + "', found '" + format + "'");
        }
        JsonNode version = required(root, "version", "version");
        if (!version.isIntegralNumber()) {
            throw new ModelFormatException("version", "expected an integer, found " + describe(version));
        }
        if (!version.canConvertToInt() || version.intValue() != VERSION) {
            throw new ModelFormatException("version", "unsupported " + version.asText() + " (this reader supports "
                    + VERSION + ")");
        }
        Kind kind = named(root, "kind", Kind::fromId);
        Set<String> allowed = new LinkedHashSet<>(COMMON_FIELDS);
        allowed.addAll(kindFields(kind));
        rejectUnknown(root, allowed, "");

        JsonNode dimNode = required(root, "inputDim", "inputDim");
        if (!dimNode.isIntegralNumber() || !dimNode.canConvertToInt() || dimNode.intValue() < 1) {
            throw new ModelFormatException("inputDim", "expected a positive integer, found " + describe(dimNode));
        }
        int inputDim = dimNode.intValue();
        Activation activation = named(root, "activation", ModelFile::activation);
        try {
            if (kind == Kind.FLOW) {
                return flow(root, inputDim, activation);
            }
            Activation outputActivation = root.has("outputActivation")
                    ? named(root, "outputActivation", ModelFile::activation) : Activation.IDENTITY;
            double[] sigmas = kind == Kind.NOISE_CONDITIONAL
                    ? vector(required(root, "sigmas", "sigmas"), "sigmas") : null;
            List<Layer> layers = layers(required(root, "layers", "layers"), "layers");
            return new ModelSpec(kind, inputDim, activation, outputActivation, layers, sigmas, null);
        } catch (IllegalArgumentException e) {
            // ModelSpec reports structural problems (dimension chain, last layer) as "path: reason".
            String msg = e.getMessage();
            int colon = msg.indexOf(": ");
            throw colon > 0 ? new ModelFormatException(msg.substring(0, colon), msg.substring(colon + 2))
                    : new ModelFormatException("(root)", msg);
        }
    }

    /** Top-level fields a kind adds to {@link #COMMON_FIELDS}, in the order they are written. */
    private static List<String> kindFields(Kind kind) {
        return switch (kind) {
            case ENERGY, SCORE -> List.of("outputActivation", "layers");
            case NOISE_CONDITIONAL -> List.of("outputActivation", "sigmas", "layers");
            case FLOW -> List.of("transform", "scaleBound", "bins", "tailBound", "couplings");
        };
    }

    /** A flow: affine couplings (the default {@code transform}, optional {@code scaleBound}) or splines. */
    private static ModelSpec flow(JsonNode root, int inputDim, Activation activation) throws ModelFormatException {
        boolean spline = root.has("transform") && named(root, "transform", ModelFile::transform);
        for (String field : spline ? List.of("scaleBound") : List.of("bins", "tailBound")) {
            if (root.has(field)) {
                throw new ModelFormatException(field, "only " + (spline ? "affine" : "spline") + " couplings have it");
            }
        }
        if (!spline) {
            double scaleBound = root.has("scaleBound") ? number(root.get("scaleBound"), "scaleBound") : DEFAULT_SCALE_BOUND;
            return ModelSpec.flow(inputDim, activation, scaleBound, couplings(required(root, "couplings", "couplings")));
        }
        JsonNode bins = required(root, "bins", "bins");
        if (!bins.isIntegralNumber() || !bins.canConvertToInt() || bins.intValue() < 2
                || bins.intValue() > ModelSpec.MAX_BINS) {
            throw new ModelFormatException("bins", "expected an integer in [2, " + ModelSpec.MAX_BINS + "], found "
                    + describe(bins));
        }
        ModelSpec.Spline shape = new ModelSpec.Spline(bins.intValue(),
                number(required(root, "tailBound", "tailBound"), "tailBound"));
        return ModelSpec.splineFlow(inputDim, activation, shape, couplings(required(root, "couplings", "couplings")));
    }

    /** true for "spline", false for "affine". */
    private static boolean transform(String id) {
        return switch (id) {
            case "spline" -> true;
            case "affine" -> false;
            default -> throw new IllegalArgumentException("unknown '" + id + "' (expected affine or spline)");
        };
    }

    private static List<Layer> layers(JsonNode node, String path) throws ModelFormatException {
        if (!node.isArray()) {
            throw new ModelFormatException(path, "expected an array of layers, found " + describe(node));
        }
        if (node.isEmpty()) {
            throw new ModelFormatException(path, "expected at least one layer");
        }
        List<Layer> layers = new ArrayList<>(node.size());
        for (int l = 0; l < node.size(); l++) {
            String layerPath = path + "[" + l + "]";
            JsonNode layer = node.get(l);
            if (!layer.isObject()) {
                throw new ModelFormatException(layerPath, "expected an object with weight and bias, found "
                        + describe(layer));
            }
            rejectUnknown(layer, new LinkedHashSet<>(LAYER_FIELDS), layerPath + ".");
            double[][] weight = matrix(required(layer, "weight", layerPath + ".weight"), layerPath + ".weight");
            double[] bias = vector(required(layer, "bias", layerPath + ".bias"), layerPath + ".bias");
            if (bias.length != weight.length) {
                throw new ModelFormatException(layerPath + ".bias", "expected " + weight.length
                        + " entries (the weight's rows), found " + bias.length);
            }
            layers.add(new Layer(weight, bias));
        }
        return layers;
    }

    private static List<ModelSpec.Coupling> couplings(JsonNode node) throws ModelFormatException {
        if (!node.isArray()) {
            throw new ModelFormatException("couplings", "expected an array of couplings, found " + describe(node));
        }
        if (node.isEmpty()) {
            throw new ModelFormatException("couplings", "expected at least one coupling");
        }
        List<ModelSpec.Coupling> couplings = new ArrayList<>(node.size());
        for (int k = 0; k < node.size(); k++) {
            String path = "couplings[" + k + "]";
            JsonNode c = node.get(k);
            if (!c.isObject()) {
                throw new ModelFormatException(path, "expected an object with mask and layers, found " + describe(c));
            }
            rejectUnknown(c, new LinkedHashSet<>(COUPLING_FIELDS), path + ".");
            int[] mask = mask(required(c, "mask", path + ".mask"), path + ".mask");
            List<Layer> layers = layers(required(c, "layers", path + ".layers"), path + ".layers");
            couplings.add(new ModelSpec.Coupling(mask, layers));
        }
        return couplings;
    }

    private static int[] mask(JsonNode node, String path) throws ModelFormatException {
        if (!node.isArray()) {
            throw new ModelFormatException(path, "expected an array of 0/1 entries, found " + describe(node));
        }
        int[] mask = new int[node.size()];
        for (int i = 0; i < mask.length; i++) {
            JsonNode e = node.get(i);
            if (!e.isIntegralNumber() || !e.canConvertToInt() || (e.intValue() != 0 && e.intValue() != 1)) {
                throw new ModelFormatException(path + "[" + i + "]", "expected 0 or 1, found " + describe(e));
            }
            mask[i] = e.intValue();
        }
        return mask;
    }

    private static double[][] matrix(JsonNode node, String path) throws ModelFormatException {
        if (!node.isArray()) {
            throw new ModelFormatException(path, "expected an array of rows (out × in), found " + describe(node));
        }
        if (node.isEmpty()) {
            throw new ModelFormatException(path, "expected at least one row");
        }
        double[][] m = new double[node.size()][];
        int cols = -1;
        for (int o = 0; o < m.length; o++) {
            JsonNode row = node.get(o);
            String rowPath = path + "[" + o + "]";
            if (!row.isArray()) {
                throw new ModelFormatException(rowPath, "expected an array of numbers, found " + describe(row));
            }
            if (o == 0) {
                cols = row.size();
                if (cols == 0) {
                    throw new ModelFormatException(rowPath, "expected at least one column");
                }
            } else if (row.size() != cols) {
                throw new ModelFormatException(rowPath, "ragged matrix: expected " + cols + " entries like row 0, found "
                        + row.size());
            }
            m[o] = new double[cols];
            for (int i = 0; i < cols; i++) {
                m[o][i] = number(row.get(i), rowPath + "[" + i + "]");
            }
        }
        return m;
    }

    private static double[] vector(JsonNode node, String path) throws ModelFormatException {
        if (!node.isArray()) {
            throw new ModelFormatException(path, "expected an array of numbers, found " + describe(node));
        }
        double[] v = new double[node.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = number(node.get(i), path + "[" + i + "]");
        }
        return v;
    }

    private static double number(JsonNode node, String path) throws ModelFormatException {
        if (!node.isNumber()) {
            throw new ModelFormatException(path, "expected a number, found " + describe(node));
        }
        double v = node.doubleValue();
        if (!Double.isFinite(v)) {
            throw new ModelFormatException(path, "non-finite number (" + node.asText() + " is outside the double range)");
        }
        return v;
    }

    private static JsonNode required(JsonNode obj, String field, String path) throws ModelFormatException {
        JsonNode n = obj.get(field);
        if (n == null) {
            throw new ModelFormatException(path, "missing");
        }
        return n;
    }

    private static String text(JsonNode obj, String field) throws ModelFormatException {
        JsonNode n = required(obj, field, field);
        if (!n.isTextual()) {
            throw new ModelFormatException(field, "expected a string, found " + describe(n));
        }
        return n.textValue();
    }

    /** Exact lookup of a file's activation name; the file format is case-sensitive. */
    private static Activation activation(String id) {
        for (Activation a : Activation.values()) {
            if (a.jsonName().equals(id)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown '" + id + "' (expected one of "
                + Arrays.stream(Activation.values()).map(Activation::jsonName).collect(Collectors.joining(", ")) + ")");
    }

    private static <T> T named(JsonNode obj, String field, Function<String, T> lookup) throws ModelFormatException {
        String id = text(obj, field);
        try {
            return lookup.apply(id);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(field, e.getMessage());
        }
    }

    private static void rejectUnknown(JsonNode obj, Set<String> allowed, String prefix) throws ModelFormatException {
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw new ModelFormatException(prefix + name, "unknown field (expected one of "
                        + String.join(", ", allowed) + ")");
            }
        }
    }

    private static String describe(JsonNode n) {
        if (n.isTextual()) {
            return "'" + n.textValue() + "'";
        }
        if (n.isArray()) {
            return "an array";
        }
        if (n.isObject()) {
            return "an object";
        }
        return n.toString();
    }
}
