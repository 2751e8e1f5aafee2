package org.scorescope.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorescope.autodiff.Activation;
import org.scorescope.model.ModelSpec.Kind;
import org.scorescope.model.ModelSpec.Layer;

class ModelFileTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A 2-hidden-layer model with random bit patterns (every exponent, subnormals, −0.0) as weights. */
    private static ModelSpec randomModel(Kind kind, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] widths = {2, 5, 4, kind.outputDim(2)};
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l + 1 < widths.length; l++) {
            double[][] w = new double[widths[l + 1]][widths[l]];
            double[] b = new double[widths[l + 1]];
            for (int o = 0; o < w.length; o++) {
                for (int i = 0; i < w[o].length; i++) {
                    w[o][i] = randomFinite(rnd);
                }
                b[o] = rnd.nextDouble() - 0.5;
            }
            layers.add(new Layer(w, b));
        }
        List<Layer> fixed = new ArrayList<>(layers);
        double[][] w0 = fixed.get(0).weight();
        w0[0][0] = -0.0;
        w0[0][1] = Double.MIN_VALUE;
        w0[1][0] = 0.1;
        w0[1][1] = -Double.MAX_VALUE;
        fixed.set(0, new Layer(w0, fixed.get(0).bias()));
        return new ModelSpec(kind, 2, Activation.SOFTPLUS, Activation.TANH, fixed);
    }

    private static double randomFinite(SplittableRandom rnd) {
        double v;
        do {
            v = Double.longBitsToDouble(rnd.nextLong());
        } while (!Double.isFinite(v));
        return v;
    }

    private static void assertBitIdentical(ModelSpec a, ModelSpec b) {
        assertEquals(a.kind(), b.kind());
        assertEquals(a.inputDim(), b.inputDim());
        assertEquals(a.activation(), b.activation());
        assertEquals(a.outputActivation(), b.outputActivation());
        assertEquals(a.layers().size(), b.layers().size());
        for (int l = 0; l < a.layers().size(); l++) {
            Layer x = a.layers().get(l);
            Layer y = b.layers().get(l);
            for (int o = 0; o < x.outputs(); o++) {
                assertEquals(Double.doubleToRawLongBits(x.bias(o)), Double.doubleToRawLongBits(y.bias(o)));
                for (int i = 0; i < x.inputs(); i++) {
                    assertEquals(Double.doubleToRawLongBits(x.weight(o, i)), Double.doubleToRawLongBits(y.weight(o, i)),
                            "layers[" + l + "].weight[" + o + "][" + i + "]");
                }
            }
        }
        assertEquals(a, b);
    }

    @Test
    void roundTripIsBitExact() throws IOException {
        // The MLP-only kinds; noise-conditional and flow round trips are in ModelFileFlowTest.
        for (Kind kind : List.of(Kind.ENERGY, Kind.SCORE)) {
            for (long seed = 1; seed <= 5; seed++) {
                ModelSpec spec = randomModel(kind, seed);
                assertBitIdentical(spec, ModelFile.parse(ModelFile.toJson(spec)));
                Path f = dir.resolve("m-" + kind.id() + seed + ".json");
                ModelFile.write(f, spec);
                assertBitIdentical(spec, ModelFile.read(f));
            }
        }
    }

    @Test
    void seedExampleReadsAndWritesBackIdentically() throws IOException {
        Path f = Path.of("resources", "examples", "seed-sigmoid.json");
        ModelSpec spec = ModelFile.read(f);
        assertEquals(Kind.SCORE, spec.kind());
        assertEquals(2, spec.inputDim());
        assertEquals(Activation.IDENTITY, spec.activation());
        assertEquals(Activation.SIGMOID, spec.outputActivation());
        assertEquals(1, spec.layers().size());
        assertArrayEquals(new double[][] {{1, 3}, {2, 4}}, spec.layers().get(0).weight());
        assertArrayEquals(new double[] {0, 0}, spec.layers().get(0).bias());
        assertEquals(Files.readString(f), ModelFile.toJson(spec));
    }

    @Test
    void outputActivationDefaultsToIdentityAndIntegersAreNumbers() throws IOException {
        ModelSpec spec = ModelFile.parse("{\"format\":\"scorescope-model\",\"version\":1,\"kind\":\"energy\","
                + "\"inputDim\":1,\"activation\":\"tanh\",\"layers\":[{\"weight\":[[2],[-1e0]],\"bias\":[0,1]},"
                + "{\"weight\":[[3,4]],\"bias\":[5]}]}");
        assertEquals(Activation.IDENTITY, spec.outputActivation());
        assertArrayEquals(new int[] {1, 2, 1}, spec.widths());
        assertEquals(2 + 2 + 2 + 1, spec.parameterCount());
        assertEquals(-1.0, spec.layers().get(0).weight(1, 0));
    }

    /** Parses a mutated copy of a valid 2-3-2 score model and returns the error message. */
    private static String errorAfter(Consumer<ObjectNode> mutation) throws IOException {
        List<Layer> layers = List.of(
                new Layer(new double[][] {{1, 2}, {3, 4}, {5, 6}}, new double[] {0, 0, 0}),
                new Layer(new double[][] {{1, 2, 3}, {4, 5, 6}}, new double[] {1, 1}));
        ModelSpec spec = new ModelSpec(Kind.SCORE, 2, Activation.SOFTPLUS, Activation.IDENTITY, layers);
        ObjectNode root = (ObjectNode) JSON.readTree(ModelFile.toJson(spec));
        mutation.accept(root);
        String text = JSON.writeValueAsString(root);
        return assertThrows(ModelFormatException.class, () -> ModelFile.parse(text)).getMessage();
    }

    private static ArrayNode weight(ObjectNode root, int layer) {
        return (ArrayNode) root.get("layers").get(layer).get("weight");
    }

    @Test
    void validationMessagesNameTheField() throws IOException {
        assertEquals("format: expected 'scorescope-model', found 'onnx'", errorAfter(r -> r.put("format", "onnx")));
        assertEquals("format: missing", errorAfter(r -> r.remove("format")));
        assertEquals("version: unsupported 2 (this reader supports 1)", errorAfter(r -> r.put("version", 2)));
        assertEquals("version: expected an integer, found 1.5", errorAfter(r -> r.put("version", 1.5)));
        assertEquals("kind: unknown 'onnx' (expected one of energy, score, noise-conditional, flow, diffusion)",
                errorAfter(r -> r.put("kind", "onnx")));
        assertEquals("activation: unknown 'relu' (expected one of softplus, tanh, sigmoid, silu, elu, gelu, identity)",
                errorAfter(r -> r.put("activation", "relu")));
        assertEquals("outputActivation: expected a string, found null", errorAfter(r -> r.putNull("outputActivation")));
        assertEquals("inputDim: expected a positive integer, found 0", errorAfter(r -> r.put("inputDim", 0)));
        assertEquals("inputDim: expected a positive integer, found '2'", errorAfter(r -> r.put("inputDim", "2")));
        assertEquals("learningRate: unknown field (expected one of format, version, kind, inputDim, activation, "
                + "outputActivation, layers)", errorAfter(r -> r.put("learningRate", 0.1)));
        assertEquals("layers[1].name: unknown field (expected one of weight, bias)",
                errorAfter(r -> ((ObjectNode) r.get("layers").get(1)).put("name", "out")));
        assertEquals("layers[1].bias: missing", errorAfter(r -> ((ObjectNode) r.get("layers").get(1)).remove("bias")));
        assertEquals("layers: expected at least one layer", errorAfter(r -> r.putArray("layers")));
        assertEquals("layers[0].weight[2]: ragged matrix: expected 2 entries like row 0, found 3",
                errorAfter(r -> ((ArrayNode) weight(r, 0).get(2)).add(7)));
        assertEquals("layers[1].weight: expected 3 columns (the previous layer's outputs), found 2",
                errorAfter(r -> weight(r, 1).forEach(row -> ((ArrayNode) row).remove(2))));
        assertEquals("layers[1].weight: the last layer of a score model must have 2 outputs (inputDim), found 3 rows",
                errorAfter(r -> {
                    weight(r, 1).addArray().add(1).add(2).add(3);
                    ((ArrayNode) r.get("layers").get(1).get("bias")).add(0);
                }));
        assertEquals("layers[1].weight: the last layer of an energy model must have 1 output, found 2 rows",
                errorAfter(r -> r.put("kind", "energy")));
        assertEquals("layers[0].bias: expected 3 entries (the weight's rows), found 2",
                errorAfter(r -> ((ArrayNode) r.get("layers").get(0).get("bias")).remove(0)));
        assertEquals("layers[0].weight[1][0]: expected a number, found 'x'",
                errorAfter(r -> ((ArrayNode) weight(r, 0).get(1)).set(0, "x")));
        assertEquals("layers[0].weight[0]: expected an array of numbers, found 3.0",
                errorAfter(r -> weight(r, 0).set(0, 3.0)));
        assertEquals("(root): expected a JSON object, found an array",
                assertThrows(ModelFormatException.class, () -> ModelFile.parse("[1, 2]")).getMessage());
        assertEquals("(root): empty document",
                assertThrows(ModelFormatException.class, () -> ModelFile.parse("  ")).getMessage());
    }

    @Test
    void errorMessagesForTheInputDimChainAreExact() throws IOException {
        assertEquals("layers[0].weight: expected 3 columns (inputDim), found 2", errorAfter(r -> r.put("inputDim", 3)));
    }

    @Test
    void nonFiniteAndMalformedNumbersAreRejected() {
        String base = "{\"format\":\"scorescope-model\",\"version\":1,\"kind\":\"energy\",\"inputDim\":1,"
                + "\"activation\":\"tanh\",\"layers\":[{\"weight\":[[%s]],\"bias\":[0]}]}";
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelFile.parse(String.format(base, "1e999")));
        assertEquals("layers[0].weight[0][0]", e.path());
        assertTrue(e.getMessage().startsWith("layers[0].weight[0][0]: non-finite number"), e.getMessage());
        e = assertThrows(ModelFormatException.class, () -> ModelFile.parse(String.format(base, "NaN")));
        assertTrue(e.getMessage().startsWith("line 1, column "), e.getMessage());
        assertTrue(e.getMessage().contains("invalid JSON") && e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(ModelFormatException.class, () -> ModelFile.parse(String.format(base, "1") + " {}"));
        assertTrue(e.getMessage().contains("invalid JSON"), e.getMessage());
        e = assertThrows(ModelFormatException.class,
                () -> ModelFile.parse(String.format(base, "1").replace("\"kind\":\"energy\"",
                        "\"kind\":\"energy\",\"kind\":\"score\"")));
        assertTrue(e.getMessage().contains("Duplicate field 'kind'"), e.getMessage());
    }

    @Test
    void fileErrorsNameTheFileAndKeepThePath() throws IOException {
        Path f = dir.resolve("broken.json");
        Files.writeString(f, "{\"format\":\"scorescope-model\",\"version\":3}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.read(f));
        assertEquals("broken.json: version: unsupported 3 (this reader supports 1)", e.getMessage());
        assertEquals("version", e.path());
    }

    /**
     * A model exported from PyTorch 1.13 by the Python snippet in docs/model-format.md (float32 weights widened to
     * float64, serialised by Python's shortest-repr json). The hex values were printed by torch from the tensors.
     */
    @Test
    void readsAPyTorchExport() throws IOException {
        JsonNode doc = JSON.readTree(TorchFixture.JSON);
        ModelSpec spec = ModelFile.parse(TorchFixture.JSON);
        assertEquals(Kind.ENERGY, spec.kind());
        assertEquals(Activation.SOFTPLUS, spec.activation());
        assertEquals(Activation.IDENTITY, spec.outputActivation());
        assertArrayEquals(new int[] {2, 8, 8, 1}, spec.widths());
        for (int k = 0; k < TorchFixture.HEX.length; k++) {
            String[] entry = TorchFixture.HEX[k];
            int layer = Integer.parseInt(entry[0]);
            int o = Integer.parseInt(entry[1]);
            int i = Integer.parseInt(entry[2]);
            double expected = Double.parseDouble(entry[3]);
            assertEquals(Double.doubleToRawLongBits(expected),
                    Double.doubleToRawLongBits(spec.layers().get(layer).weight(o, i)), String.join(",", entry));
        }
        // Writing it back and re-reading preserves every number.
        assertBitIdentical(spec, ModelFile.parse(ModelFile.toJson(spec)));
        assertTrue(doc.get("layers").get(0).get("weight").get(0).get(0).isDouble());
    }
}
