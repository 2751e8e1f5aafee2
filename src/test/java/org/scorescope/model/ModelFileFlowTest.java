package org.scorescope.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorescope.autodiff.Activation;
import org.scorescope.model.ModelSpec.Coupling;
import org.scorescope.model.ModelSpec.Kind;
import org.scorescope.model.ModelSpec.Layer;

/** The noise-conditional and flow kinds of the model file: round trips, the written layout, validation messages. */
class ModelFileFlowTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static double randomFinite(SplittableRandom rnd) {
        double v;
        do {
            v = Double.longBitsToDouble(rnd.nextLong());
        } while (!Double.isFinite(v));
        return v;
    }

    /** Layers of the given widths with random bit patterns (every exponent, subnormals, −0.0) as numbers. */
    private static List<Layer> randomLayers(SplittableRandom rnd, int... widths) {
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l + 1 < widths.length; l++) {
            double[][] w = new double[widths[l + 1]][widths[l]];
            double[] b = new double[widths[l + 1]];
            for (int o = 0; o < w.length; o++) {
                for (int i = 0; i < w[o].length; i++) {
                    w[o][i] = randomFinite(rnd);
                }
                b[o] = randomFinite(rnd);
            }
            layers.add(new Layer(w, b));
        }
        double[][] w0 = layers.get(0).weight();
        w0[0][0] = -0.0;
        w0[w0.length - 1][0] = Double.MIN_VALUE;
        layers.set(0, new Layer(w0, layers.get(0).bias()));
        return layers;
    }

    private static ModelSpec randomFlow(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[][] masks = {{1, 0, 1}, {0, 1, 0}, {1, 1, 0}};
        List<Coupling> cs = new ArrayList<>();
        for (int[] m : masks) {
            int kept = Arrays.stream(m).sum();
            cs.add(new Coupling(m, randomLayers(rnd, kept, 4, 3, 2 * (3 - kept))));
        }
        return ModelSpec.flow(3, Activation.SILU, Math.abs(randomFinite(rnd)) + Double.MIN_VALUE, cs);
    }

    private static ModelSpec randomNoiseConditional(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] sigmas = new double[6];
        for (int i = 0; i < sigmas.length; i++) {
            double v;
            do {
                v = Math.abs(randomFinite(rnd));
            } while (v == 0);
            sigmas[i] = v;
        }
        Arrays.sort(sigmas);
        for (int i = 0; i < sigmas.length / 2; i++) {
            double t = sigmas[i];
            sigmas[i] = sigmas[sigmas.length - 1 - i];
            sigmas[sigmas.length - 1 - i] = t;
        }
        sigmas[sigmas.length - 1] = Double.MIN_VALUE;
        return ModelSpec.noiseConditional(2, Activation.ELU, Activation.TANH, randomLayers(rnd, 3, 5, 2), sigmas);
    }

    /** ModelSpec equality is bit-wise on every number (−0.0 ≠ 0.0), so equals proves a bit-exact round trip. */
    @Test
    void roundTripsAreBitExact() throws IOException {
        for (long seed = 1; seed <= 4; seed++) {
            for (ModelSpec spec : List.of(randomFlow(seed), randomNoiseConditional(seed))) {
                ModelSpec back = ModelFile.parse(ModelFile.toJson(spec));
                assertEquals(spec, back);
                assertEquals(spec.hashCode(), back.hashCode());
                assertEquals(ModelFile.toJson(spec), ModelFile.toJson(back));
                Path f = dir.resolve("m-" + spec.kind().id() + seed + ".json");
                ModelFile.write(f, spec);
                assertEquals(spec, ModelFile.read(f));
                // Through the models: spec → (architecture, θ) → spec.
                ModelState state = ModelState.fromSpec(spec);
                assertEquals(spec.kind(), state.model().kind());
                assertEquals(spec.parameterCount(), state.model().parameterCount());
                assertEquals(spec, state.toSpec());
                state.write(f);
                assertArrayEquals(state.theta(), ModelState.read(f).theta());
            }
        }
        ModelSpec a = randomFlow(1);
        double[][] w = a.flow().couplings().get(0).layers().get(0).weight();
        assertEquals(-0.0, w[0][0]);
        assertNotEquals(a, randomFlow(2));
    }

    @Test
    void flowModelRoundTripsThroughTheModelWithItsOwnTheta() {
        CouplingFlow flow = new CouplingFlow(2, 4, 8, 2, Activation.TANH, 1.5);
        double[] theta = CouplingFlowTest.randomTheta(flow, 3);
        ModelState state = ModelState.fromSpec(flow.toSpec(theta));
        assertTrue(state.model() instanceof CouplingFlow);
        CouplingFlow back = (CouplingFlow) state.model();
        assertEquals(1.5, back.scaleBound());
        assertEquals(4, back.couplingCount());
        double[] again = state.theta();
        for (int i = 0; i < theta.length; i++) {
            assertEquals(Double.doubleToRawLongBits(theta[i]), Double.doubleToRawLongBits(again[i]), "θ[" + i + "]");
        }
    }

    /** The written layout, byte for byte (it is what docs/model-format.md describes). */
    @Test
    void writesTheDocumentedLayout() throws IOException {
        ModelSpec flow = ModelSpec.flow(2, Activation.TANH, 1.0, List.of(
                new Coupling(new int[] {1, 0}, List.of(new Layer(new double[][] {{0.5}, {-1.0}}, new double[] {0.0, 2.0}))),
                new Coupling(new int[] {0, 1}, List.of(new Layer(new double[][] {{0.25}, {0.0}}, new double[] {1.0, 0.0})))));
        String expected = """
                {
                  "format": "scorescope-model",
                  "version": 1,
                  "kind": "flow",
                  "inputDim": 2,
                  "activation": "tanh",
                  "scaleBound": 1.0,
                  "couplings": [
                    {
                      "mask": [1, 0],
                      "layers": [
                        {
                          "weight": [
                            [0.5],
                            [-1.0]
                          ],
                          "bias": [0.0, 2.0]
                        }
                      ]
                    },
                    {
                      "mask": [0, 1],
                      "layers": [
                        {
                          "weight": [
                            [0.25],
                            [0.0]
                          ],
                          "bias": [1.0, 0.0]
                        }
                      ]
                    }
                  ]
                }
                """;
        assertEquals(expected, ModelFile.toJson(flow));
        assertEquals(flow, ModelFile.parse(expected));

        ModelSpec nc = ModelSpec.noiseConditional(1, Activation.SOFTPLUS, Activation.IDENTITY,
                List.of(new Layer(new double[][] {{1.0, 2.0}}, new double[] {3.0})), new double[] {1.0, 0.1});
        assertEquals("""
                {
                  "format": "scorescope-model",
                  "version": 1,
                  "kind": "noise-conditional",
                  "inputDim": 1,
                  "activation": "softplus",
                  "outputActivation": "identity",
                  "sigmas": [1.0, 0.1],
                  "layers": [
                    {
                      "weight": [
                        [1.0, 2.0]
                      ],
                      "bias": [3.0]
                    }
                  ]
                }
                """, ModelFile.toJson(nc));
    }

    @Test
    void scaleBoundIsOptionalAndDefaultsToAPlainTanh() throws IOException {
        ModelSpec spec = ModelFile.parse("{\"format\":\"scorescope-model\",\"version\":1,\"kind\":\"flow\","
                + "\"inputDim\":2,\"activation\":\"tanh\",\"couplings\":[{\"mask\":[0,1],\"layers\":"
                + "[{\"weight\":[[1],[2]],\"bias\":[0,0]}]}]}");
        assertEquals(1.0, spec.flow().scaleBound());
        assertEquals(Activation.IDENTITY, spec.outputActivation());
        assertTrue(spec.layers().isEmpty());
        assertNull(spec.sigmas());
        assertEquals(4, spec.parameterCount());
        assertEquals("a flow has one conditioner per coupling: use flow().couplings()",
                assertThrows(IllegalStateException.class, spec::widths).getMessage());
    }

    private static String flowError(Consumer<ObjectNode> mutation) throws IOException {
        ModelSpec spec = ModelSpec.flow(2, Activation.TANH, 1.0, List.of(
                new Coupling(new int[] {1, 0}, List.of(
                        new Layer(new double[][] {{1}, {2}, {3}}, new double[] {0, 0, 0}),
                        new Layer(new double[][] {{1, 2, 3}, {4, 5, 6}}, new double[] {1, 1}))),
                new Coupling(new int[] {0, 1}, List.of(new Layer(new double[][] {{1}, {2}}, new double[] {0, 0})))));
        return errorAfter(spec, mutation);
    }

    private static String ncError(Consumer<ObjectNode> mutation) throws IOException {
        ModelSpec spec = ModelSpec.noiseConditional(2, Activation.TANH, Activation.IDENTITY, List.of(
                new Layer(new double[][] {{1, 2, 3}, {4, 5, 6}}, new double[] {0, 0})), new double[] {1.0, 0.5, 0.25});
        return errorAfter(spec, mutation);
    }

    private static String errorAfter(ModelSpec spec, Consumer<ObjectNode> mutation) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(ModelFile.toJson(spec));
        mutation.accept(root);
        String text = JSON.writeValueAsString(root);
        return assertThrows(ModelFormatException.class, () -> ModelFile.parse(text)).getMessage();
    }

    private static ObjectNode coupling(ObjectNode root, int k) {
        return (ObjectNode) root.get("couplings").get(k);
    }

    @Test
    void flowValidationMessagesNameTheField() throws IOException {
        assertEquals("outputActivation: unknown field (expected one of format, version, kind, inputDim, activation, "
                + "transform, scaleBound, bins, tailBound, couplings)", flowError(r -> r.put("outputActivation", "identity")));
        assertEquals("layers: unknown field (expected one of format, version, kind, inputDim, activation, "
                + "transform, scaleBound, bins, tailBound, couplings)", flowError(r -> r.putArray("layers")));
        assertEquals("couplings: missing", flowError(r -> r.remove("couplings")));
        assertEquals("couplings: expected at least one coupling", flowError(r -> r.putArray("couplings")));
        assertEquals("couplings: expected an array of couplings, found an object", flowError(r -> r.putObject("couplings")));
        assertEquals("couplings[1]: expected an object with mask and layers, found 3",
                flowError(r -> ((ArrayNode) r.get("couplings")).set(1, 3)));
        assertEquals("couplings[0].scale: unknown field (expected one of mask, layers)",
                flowError(r -> coupling(r, 0).put("scale", 1)));
        assertEquals("couplings[1].mask: missing", flowError(r -> coupling(r, 1).remove("mask")));
        assertEquals("couplings[1].mask[0]: expected 0 or 1, found 2",
                flowError(r -> ((ArrayNode) coupling(r, 1).get("mask")).set(0, 2)));
        assertEquals("couplings[1].mask[1]: expected 0 or 1, found 1.0",
                flowError(r -> ((ArrayNode) coupling(r, 1).get("mask")).set(1, 1.0)));
        assertEquals("couplings[1].mask: expected 2 entries (inputDim), found 3",
                flowError(r -> ((ArrayNode) coupling(r, 1).get("mask")).add(0)));
        assertEquals("couplings[0].mask: expected at least one 1 (kept) and one 0 (transformed), found only ones",
                flowError(r -> ((ArrayNode) coupling(r, 0).get("mask")).set(1, 1)));
        assertEquals("couplings[0].layers[1].weight: expected 3 columns (the previous layer's outputs), found 2",
                flowError(r -> coupling(r, 0).get("layers").get(1).get("weight")
                        .forEach(row -> ((ArrayNode) row).remove(2))));
        assertEquals("couplings[1].layers[0].weight: expected 1 columns (the mask's ones), found 2",
                flowError(r -> coupling(r, 1).get("layers").get(0).get("weight")
                        .forEach(row -> ((ArrayNode) row).add(0))));
        assertEquals("couplings[1].layers[0].weight: the last layer of a conditioner must have 2 outputs (a log-scale "
                + "and a shift per mask zero), found 3 rows", flowError(r -> {
                    ((ArrayNode) coupling(r, 1).get("layers").get(0).get("weight")).addArray().add(1);
                    ((ArrayNode) coupling(r, 1).get("layers").get(0).get("bias")).add(0);
                }));
        assertEquals("couplings[0].layers[0].bias[1]: expected a number, found 'b'",
                flowError(r -> ((ArrayNode) coupling(r, 0).get("layers").get(0).get("bias")).set(1, "b")));
        assertEquals("couplings[1].layers: expected at least one layer", flowError(r -> coupling(r, 1).putArray("layers")));
        assertEquals("scaleBound: expected a positive finite number, found -1.0", flowError(r -> r.put("scaleBound", -1.0)));
        assertEquals("scaleBound: expected a number, found '1'", flowError(r -> r.put("scaleBound", "1")));
        assertEquals("inputDim: a flow needs at least 2 dimensions (one kept, one transformed per coupling), found 1",
                flowError(r -> r.put("inputDim", 1)));
    }

    @Test
    void noiseConditionalValidationMessagesNameTheField() throws IOException {
        assertEquals("sigmas: missing", ncError(r -> r.remove("sigmas")));
        assertEquals("sigmas: expected an array of numbers, found 0.5", ncError(r -> r.put("sigmas", 0.5)));
        assertEquals("sigmas: expected at least one noise level", ncError(r -> r.putArray("sigmas")));
        assertEquals("sigmas[2]: expected strictly descending levels, found 0.5 after 0.5",
                ncError(r -> ((ArrayNode) r.get("sigmas")).set(2, 0.5)));
        assertEquals("sigmas[1]: expected a positive finite number, found 0.0",
                ncError(r -> ((ArrayNode) r.get("sigmas")).set(1, 0)));
        assertEquals("sigmas[0]: expected a number, found null", ncError(r -> ((ArrayNode) r.get("sigmas")).setNull(0)));
        assertEquals("layers[0].weight: expected 3 columns (inputDim + 1: x and log σ), found 2",
                ncError(r -> r.get("layers").get(0).get("weight").forEach(row -> ((ArrayNode) row).remove(2))));
        assertEquals("layers[0].weight: the last layer of a noise-conditional model must have 2 outputs (inputDim), "
                + "found 3 rows", ncError(r -> {
                    ((ArrayNode) r.get("layers").get(0).get("weight")).addArray().add(1).add(2).add(3);
                    ((ArrayNode) r.get("layers").get(0).get("bias")).add(0);
                }));
        assertEquals("couplings: unknown field (expected one of format, version, kind, inputDim, activation, "
                + "outputActivation, sigmas, layers)", ncError(r -> r.putArray("couplings")));
        // The same document as a score model: sigmas is not a score model's field.
        assertEquals("sigmas: unknown field (expected one of format, version, kind, inputDim, activation, "
                + "outputActivation, layers)", ncError(r -> r.put("kind", "score")));
    }

    @Test
    void specConstructorsRejectMismatchedKindFields() {
        List<Layer> score = List.of(new Layer(new double[][] {{1, 2}, {3, 4}}, new double[] {0, 0}));
        assertEquals("sigmas: missing (a noise-conditional model needs its noise levels)",
                assertThrows(IllegalArgumentException.class, () -> new ModelSpec(Kind.NOISE_CONDITIONAL, 1,
                        Activation.TANH, Activation.IDENTITY, List.of(new Layer(new double[][] {{1, 2}}, new double[] {0}))))
                        .getMessage());
        assertEquals("couplings: missing (a flow model needs its couplings)", assertThrows(IllegalArgumentException.class,
                () -> new ModelSpec(Kind.FLOW, 2, Activation.TANH, Activation.IDENTITY, List.of())).getMessage());
        assertEquals("sigmas: only a noise-conditional model has noise levels, this is a score model",
                assertThrows(IllegalArgumentException.class, () -> new ModelSpec(Kind.SCORE, 2, Activation.TANH,
                        Activation.IDENTITY, score, new double[] {1}, null)).getMessage());
        assertEquals("mask[1]: expected 0 or 1, found -1", assertThrows(IllegalArgumentException.class,
                () -> new Coupling(new int[] {1, -1}, List.of())).getMessage());
    }

    /** A spline flow (3 couplings, 4 bins, width 5) with random θ, as a file. */
    private static ModelSpec splineSpec(long seed) {
        SplineFlow flow = new SplineFlow(3, 4, 2.5, 5, 1, Activation.TANH);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] theta = new double[flow.parameterCount()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = rnd.nextDouble(-1, 1);
        }
        return flow.toSpec(theta);
    }

    @Test
    void splineFlowsRoundTripBitExactlyAndKeepTheirDensity() throws IOException {
        ModelSpec spec = splineSpec(5);
        String json = ModelFile.toJson(spec);
        assertTrue(json.contains("\"transform\": \"spline\",\n  \"bins\": 4,\n  \"tailBound\": 2.5,"), json);
        ModelSpec back = ModelFile.parse(json);
        assertEquals(spec, back);
        assertEquals(json, ModelFile.toJson(back));
        ModelState state = ModelState.fromSpec(back);
        SplineFlow flow = (SplineFlow) state.model();
        assertEquals(3, flow.couplingCount());
        assertEquals(4, flow.bins());
        assertEquals(2.5, flow.tailBound());
        SplineFlow original = (SplineFlow) ModelState.fromSpec(spec).model();
        org.scorescope.autodiff.Tensor x = org.scorescope.autodiff.Tensor.of(new double[][] {{0.3, -1.2}, {3.0, 0.1}});
        assertArrayEquals(original.logProb(org.scorescope.autodiff.Tensor.vector(ModelState.fromSpec(spec).theta()), x)
                .toArray(), flow.logProb(org.scorescope.autodiff.Tensor.vector(state.theta()), x).toArray(), 0.0);
        Path f = dir.resolve("spline.json");
        state.write(f);
        assertEquals(spec, ModelFile.read(f));
    }

    @Test
    void splineValidationMessagesNameTheField() throws IOException {
        ModelSpec spec = splineSpec(1);
        assertEquals("bins: missing", errorAfter(spec, r -> r.remove("bins")));
        assertEquals("bins: expected an integer in [2, 1024], found 1", errorAfter(spec, r -> r.put("bins", 1)));
        assertEquals("tailBound: expected a positive finite number, found 0.0",
                errorAfter(spec, r -> r.put("tailBound", 0.0)));
        assertEquals("scaleBound: only affine couplings have it", errorAfter(spec, r -> r.put("scaleBound", 1.0)));
        assertEquals("transform: unknown 'cubic' (expected affine or spline)",
                errorAfter(spec, r -> r.put("transform", "cubic")));
        assertEquals("couplings[0].layers[1].weight: the last layer of a conditioner must have 5 outputs (3 × bins − 1 "
                + "spline parameters per mask zero), found 11 rows", errorAfter(spec, r -> r.put("bins", 2)));
        assertEquals("couplings[1].mask: spline couplings alternate from [1, 0], expected [0, 1], found [1, 0]",
                errorAfter(spec, r -> {
                    ArrayNode m = (ArrayNode) coupling(r, 1).get("mask");
                    m.set(0, 1);
                    m.set(1, 0);
                }));
        // An affine file with spline fields
        assertEquals("bins: only spline couplings have it", flowError(r -> r.put("bins", 8)));
        assertEquals("bins: only spline couplings have it", errorAfter(spec, r -> r.put("transform", "affine")));
    }
}
