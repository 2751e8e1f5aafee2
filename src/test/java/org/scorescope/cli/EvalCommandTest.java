package org.scorescope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@code eval} against PyTorch: the golden files in resources/org/scorescope/cli/torch were computed
 * in float64 by bench/torch_reference.py with nested autograd (one reverse pass per dimension). Every
 * number — scores, Jacobians, Hessian eigenvalues, exact loss, its θ-gradient and the θ-HVP — must
 * agree to 1e-10 relative (plus 1e-12 absolute for values near zero).
 */
class EvalCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static Path golden(String name) throws URISyntaxException {
        return Path.of(EvalCommandTest.class.getResource("torch/" + name).toURI());
    }

    static int run(StringWriter err, String... args) {
        return ScoreScopeCli.execute(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
    }

    @ParameterizedTest
    @ValueSource(strings = {"energy-softplus", "energy-gelu", "energy-tanh", "energy-elu", "score-tanh",
        "score-silu-sigmoid", "seed-sigmoid"})
    void matchesPyTorchFloat64(String name) throws Exception {
        Path out = tmp.resolve(name + ".json");
        StringWriter err = new StringWriter();
        int code = run(err, "eval", "--model", golden(name + ".model.json").toString(),
                "--points", golden(name + ".points.csv").toString(),
                "--hvp", golden(name + ".v.json").toString(), "--out", out.toString());
        assertEquals(0, code, err.toString());
        JsonNode ours = JSON.readTree(out.toFile());
        JsonNode torch = JSON.readTree(golden(name + ".torch.json").toFile());
        int[] count = {0};
        compare("", torch, ours, count);
        assertTrue(count[0] > 20, "compared " + count[0] + " numbers");
    }

    private static void compare(String path, JsonNode expected, JsonNode actual, int[] count) {
        assertFalse(actual == null || actual.isMissingNode(), "missing " + path);
        if (expected.isNumber()) {
            double e = expected.doubleValue();
            double a = actual.doubleValue();
            assertEquals(e, a, 1e-10 * Math.abs(e) + 1e-12, path);
            count[0]++;
        } else if (expected.isArray()) {
            assertEquals(expected.size(), actual.size(), path + " length");
            for (int i = 0; i < expected.size(); i++) {
                compare(path + "[" + i + "]", expected.get(i), actual.get(i), count);
            }
        } else if (expected.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                compare(path + "." + f.getKey(), f.getValue(), actual.get(f.getKey()), count);
            }
        }
    }

    @Test
    void aMalformedModelFailsWithOneLineAndWritesNothing() throws Exception {
        Path model = tmp.resolve("bad.json");
        Files.writeString(model, "{\"format\":\"scorescope-model\",\"version\":1,\"kind\":\"energy\",\"inputDim\":2,"
                + "\"activation\":\"relu\",\"layers\":[]}");
        Path out = tmp.resolve("r.json");
        StringWriter err = new StringWriter();
        int code = run(err, "eval", "--model", model.toString(), "--points", golden("seed-sigmoid.points.csv").toString(),
                "--out", out.toString());
        assertEquals(1, code);
        assertTrue(err.toString().startsWith("error: ") && err.toString().contains("activation"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertFalse(Files.exists(out));
    }
}
