package org.scorescope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorescope.data.PointsCsv;
import org.scorescope.model.DiffusionMlp;
import org.scorescope.model.ModelState;
import org.scorescope.model.Sde;

/** The diffusion kind through the CLI: train with --sde, sample with every sampler, eval's likelihood. */
class DiffusionCliTest extends CliTestBase {
    @TempDir
    Path tmp;

    @Test
    void trainsSamplesAndEvaluatesADiffusionModel() throws Exception {
        Path dir = tmp.resolve("run");
        assertEquals(0, run("train", "--model", "diffusion", "--sde", "ve", "--dataset", "mixture2", "--width", "16",
                "--steps", "20", "--samples", "200", "--quiet", "--out", dir.toString()), err.toString());
        ModelState state = ModelState.read(dir.resolve("model.json"));
        DiffusionMlp m = (DiffusionMlp) state.model();
        assertEquals(Sde.Type.VE, m.sde().type());
        assertTrue(m.sde().max() > 10, "σ_max from the data's largest distance: " + m.sde().max());
        assertTrue(out.toString().contains("nll="), out.toString());
        for (String sampler : new String[] {"langevin", "annealed-langevin", "reverse-sde", "pf-ode", "pc"}) {
            Path csv = tmp.resolve(sampler + ".csv");
            out.getBuffer().setLength(0);
            assertEquals(0, run("sample", "--model", dir.resolve("model.json").toString(), "--sampler", sampler,
                    "--n", "50", "--steps", "20", "--levels", "3", "--mode-weights", "mixture2", "--out",
                    csv.toString()), sampler + ": " + err);
            assertEquals(50, PointsCsv.read(csv, 2).length);
            assertTrue(out.toString().contains("sampler=" + sampler + " ") && out.toString().contains("nfe=")
                    && out.toString().contains("modeWeights=["), out.toString());
        }
        Path points = tmp.resolve("langevin.csv");
        Path json = tmp.resolve("eval.json");
        for (String divergence : new String[] {"exact", "hutchinson"}) {
            assertEquals(0, run("eval", "--model", dir.resolve("model.json").toString(), "--points", points.toString(),
                    "--divergence", divergence, "--out", json.toString()), err.toString());
            JsonNode r = new ObjectMapper().readTree(Files.readString(json));
            assertEquals("probability-flow", r.get("likelihoodMethod").asText());
            assertEquals(divergence, r.get("likelihoodDivergence").asText());
            assertTrue(r.get("likelihoodEvaluations").asLong() > 6);
            assertTrue(Double.isFinite(r.get("meanNegLogLikelihood").asDouble()));
            assertTrue(r.get("points").get(0).has("logDensity"));
        }
    }

    @Test
    void aSamplerThatDoesNotApplyIsAOneLineUsageError() {
        Path model = tmp.resolve("e");
        assertEquals(0, run("train", "--width", "8", "--steps", "2", "--samples", "100", "--quiet", "--out",
                model.toString()), err.toString());
        assertEquals(2, run("sample", "--model", model.resolve("model.json").toString(), "--sampler", "pf-ode",
                "--out", tmp.resolve("x.csv").toString()));
        assertTrue(err.toString().contains("--sampler pf-ode does not apply to energy models (this one offers "
                + "langevin)"), err.toString());
        assertEquals(2, run("sample", "--model", model.resolve("model.json").toString(), "--sampler", "ddim",
                "--out", tmp.resolve("x.csv").toString()));
        assertTrue(err.toString().contains("unknown sampler 'ddim'"), err.toString());
    }
}
