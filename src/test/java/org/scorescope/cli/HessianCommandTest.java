package org.scorescope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorescope.analysis.ParameterHessian;
import org.scorescope.autodiff.Activation;
import org.scorescope.data.PointsCsv;
import org.scorescope.model.EnergyMlp;
import org.scorescope.model.ModelState;
import org.scorescope.objective.ExactScoreMatching;
import picocli.CommandLine;

class HessianCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Path model;
    private Path points;
    private EnergyMlp arch;
    private double[] theta;
    private double[][] xs;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void files() throws IOException {
        arch = new EnergyMlp(2, 6, 2, Activation.SOFTPLUS); // P = 18 + 42 + 7 = 67
        theta = arch.initialParameters(3);
        model = dir.resolve("m.json");
        new ModelState(arch, theta).write(model);
        Random r = new Random(5);
        xs = new double[20][2];
        for (double[] x : xs) {
            x[0] = r.nextGaussian();
            x[1] = r.nextGaussian();
        }
        points = dir.resolve("p.csv");
        PointsCsv.write(points, xs, "x", "y");
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cl = new CommandLine(new HessianCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    private String[] args(Path target, String... extra) {
        return Stream.concat(Stream.of("--model", model.toString(), "--points", points.toString(), "--out",
                target.toString()), Stream.of(extra)).toArray(String[]::new);
    }

    private static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).doubleValue();
        }
        return v;
    }

    @Test
    void fullMethodWritesTheSpectrumBitExactly() throws IOException {
        Path h = dir.resolve("h.json");
        assertEquals(0, run(args(h, "--threads", "2")), err.toString());
        assertTrue(out.toString().startsWith("hessian: full, P = 67"), out.toString());
        JsonNode j = JSON.readTree(h.toFile());
        assertEquals(HessianCommand.FORMAT, j.get("format").asText());
        assertEquals("full", j.get("method").asText());
        assertEquals(67, j.get("parameters").asInt());
        assertEquals(20, j.get("points").asInt());
        assertTrue(j.get("millis").has("build") && j.get("millis").has("decompose"));
        assertFalse(j.has("eigenvectors"));
        double[] want = new ParameterHessian(arch, new ExactScoreMatching(), xs, 0).full(theta, false).eigenvalues();
        double[] got = doubles(j.get("eigenvalues"));
        assertEquals(67, got.length);
        for (int i = 0; i < got.length; i++) {
            // shortest round-trip decimal: the file holds the float64 values exactly
            assertEquals(want[i], got[i], 0.0, "eigenvalue " + i);
        }
        double sum = 0;
        for (double v : got) {
            sum += v;
        }
        assertEquals(sum, j.get("trace").asDouble(), 1e-9 * Math.abs(got[66]) * 67);
        assertTrue(j.get("asymmetry").asDouble() <= 1e-10);
    }

    @Test
    void vectorsAreWrittenOnePerEigenvalue() throws IOException {
        Path h = dir.resolve("h.json");
        assertEquals(0, run(args(h, "--vectors")), err.toString());
        JsonNode j = JSON.readTree(h.toFile());
        JsonNode v = j.get("eigenvectors");
        assertEquals(67, v.size());
        double[] u = doubles(v.get(66));
        double n = 0;
        for (double x : u) {
            n += x * x;
        }
        assertEquals(1.0, n, 1e-12);
    }

    /** --vectors K,… computes only the listed eigenvectors on demand: the same directions as all of them, with accuracy. */
    @Test
    void listedVectorsAreTheSameDirectionsAsAllOfThem() throws IOException {
        for (String curvature : new String[] {"hessian", "gauss-newton"}) {
            Path all = dir.resolve("all-" + curvature + ".json");
            Path some = dir.resolve("some-" + curvature + ".json");
            assertEquals(0, run(args(all, "--vectors", "--curvature", curvature)), err.toString());
            assertEquals(0, run(args(some, "--vectors", "0,33,-1", "--curvature", curvature)), err.toString());
            JsonNode a = JSON.readTree(all.toFile());
            JsonNode j = JSON.readTree(some.toFile());
            double norm = Math.abs(a.get("eigenvalues").get(66).asDouble()) + Math.abs(a.get("eigenvalues").get(0).asDouble());
            // all vectors come from EJML's decomposition, the listed ones from the reduction the eigenvalues use
            double[] ea = doubles(a.get("eigenvalues"));
            double[] ej = doubles(j.get("eigenvalues"));
            for (int i = 0; i < ea.length; i++) {
                assertEquals(ea[i], ej[i], 1e-12 * norm, curvature + ": eigenvalue " + i);
            }
            int[] want = {0, 33, 66};
            assertEquals(3, j.get("eigenvectors").size());
            assertEquals(3, j.get("eigenvectorsByLayer").size());
            for (int i = 0; i < 3; i++) {
                assertEquals(want[i], j.get("eigenvectorIndices").get(i).asInt());
                JsonNode acc = j.get("eigenvectorAccuracy").get(i);
                assertTrue(acc.get("residual").asDouble() <= 1e-12 * norm, curvature + ": " + acc);
                double[] v = doubles(j.get("eigenvectors").get(i));
                double[] u = doubles(a.get("eigenvectors").get(want[i]));
                double dot = 0;
                for (int q = 0; q < v.length; q++) {
                    dot += u[q] * v[q];
                }
                if (!acc.get("noiseDominated").asBoolean() && acc.get("angleBoundDegrees").asDouble() < 1e-3) {
                    assertEquals(1, Math.abs(dot), 1e-8, curvature + ": eigenvector " + want[i]);
                }
            }
        }
        Path h = dir.resolve("h.json");
        assertOneLineError(2, h, "outside the P = 67", "--vectors", "0,67");
        assertOneLineError(2, h, "not 'all' or an index", "--vectors", "0,top");
        assertOneLineError(2, h, "needs --method full", "--method", "lanczos", "--k", "2", "--vectors", "1");
        assertFalse(Files.exists(h));
    }

    @Test
    void lanczosMatchesTheFullSpectrumAtBothEnds() throws IOException {
        Path f = dir.resolve("full.json");
        Path l = dir.resolve("lanczos.json");
        assertEquals(0, run(args(f)), err.toString());
        assertEquals(0, run(args(l, "--method", "lanczos", "--k", "3", "--tolerance", "1e-10", "--trace-probes", "4")),
                err.toString());
        double[] full = doubles(JSON.readTree(f.toFile()).get("eigenvalues"));
        JsonNode j = JSON.readTree(l.toFile());
        assertTrue(j.get("converged").asBoolean());
        assertTrue(j.has("traceStandardError"));
        double[] got = doubles(j.get("eigenvalues"));
        assertEquals(6, got.length);
        double norm = Math.max(Math.abs(full[0]), Math.abs(full[66]));
        for (int t = 0; t < 3; t++) {
            assertEquals(full[66 - t], got[5 - t], 1e-8 * Math.abs(full[66 - t]), "top " + t);
            assertEquals(full[t], got[t], 1e-8 * norm, "bottom " + t);
        }
    }

    @Test
    void slqWritesADensityWhoseWeightsSumToP() throws IOException {
        Path h = dir.resolve("slq.json");
        assertEquals(0, run(args(h, "--method", "slq", "--runs", "2", "--steps", "15")), err.toString());
        JsonNode j = JSON.readTree(h.toFile());
        assertEquals(0, j.get("eigenvalues").size());
        double[] w = doubles(j.get("density").get("weights"));
        assertEquals(w.length, j.get("density").get("nodes").size());
        double s = 0;
        for (double x : w) {
            s += x;
        }
        assertEquals(67, s, 1e-9);
        assertTrue(j.has("trace"));
    }

    @Test
    void stochasticObjectivesAreReproducibleForASeedAndDifferAcrossSeeds() throws IOException {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        Path c = dir.resolve("c.json");
        assertEquals(0, run(args(a, "--objective", "denoising", "--sigma", "0.2", "--seed", "4")), err.toString());
        assertEquals(0, run(args(b, "--objective", "denoising", "--sigma", "0.2", "--seed", "4")), err.toString());
        assertEquals(0, run(args(c, "--objective", "denoising", "--sigma", "0.2", "--seed", "5")), err.toString());
        JsonNode ja = JSON.readTree(a.toFile());
        assertEquals(ja.get("eigenvalues"), JSON.readTree(b.toFile()).get("eigenvalues"));
        assertFalse(ja.get("eigenvalues").equals(JSON.readTree(c.toFile()).get("eigenvalues")));
        assertTrue(ja.get("objective").asText().startsWith("denoising"));
        Path s = dir.resolve("s.json");
        assertEquals(0, run(args(s, "--objective", "sliced-vr", "--projections", "2", "--probe", "gaussian")),
                err.toString());
    }

    private void assertOneLineError(int expectedCode, Path target, String fragment, String... extra) {
        assertEquals(expectedCode, run(args(target, extra)), "exit code; stderr: " + err);
        String e = err.toString().trim();
        assertTrue(e.contains(fragment), e);
        assertEquals(1, e.lines().count(), "one line: " + e);
    }

    @Test
    void badValuesAreUsageErrorsWithOneLineAndNoOutput() throws IOException {
        Path h = dir.resolve("h.json");
        assertOneLineError(2, h, "--objective must be", "--objective", "adversarial");
        assertOneLineError(2, h, "--method", "--method", "dense");
        assertOneLineError(2, h, "--k must be", "--method", "lanczos", "--k", "0");
        assertOneLineError(2, h, "only P = 67", "--method", "lanczos", "--k", "40");
        assertOneLineError(2, h, "--sigma", "--objective", "denoising", "--sigma", "-1");
        assertOneLineError(2, h, "--vectors", "--method", "slq", "--vectors");
        assertOneLineError(2, h, "--threads", "--threads", "0");
        assertOneLineError(2, h, "--max-iterations", "--method", "lanczos", "--k", "5", "--max-iterations", "6");
        assertFalse(Files.exists(h));
        // picocli's own parse errors are usage errors too
        assertEquals(2, run(args(h, "--frobnicate")));
        assertEquals(2, run(args(h, "--k", "many")));
        assertFalse(Files.exists(h));
    }

    @Test
    void badFilesFailWithOneLineAndLeaveTheOldOutputAlone() throws IOException {
        Path h = dir.resolve("h.json");
        Files.writeString(h, "old");
        Path missing = dir.resolve("nope.json");
        assertEquals(1, new CommandLine(new HessianCommand()).setErr(new PrintWriter(err = new StringWriter()))
                .execute("--model", missing.toString(), "--points", points.toString(), "--out", h.toString()));
        assertTrue(err.toString().contains("nope.json"), err.toString());
        assertEquals(1, err.toString().trim().lines().count(), err.toString());
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "1,2\n3\n", StandardCharsets.UTF_8);
        assertEquals(1, new CommandLine(new HessianCommand()).setErr(new PrintWriter(err = new StringWriter()))
                .execute("--model", model.toString(), "--points", bad.toString(), "--out", h.toString()));
        assertTrue(err.toString().contains("bad.csv"), err.toString());
        assertEquals(1, err.toString().trim().lines().count(), err.toString());
        assertEquals("old", Files.readString(h));
        assertOneLineError(1, dir.resolve("no-such-dir").resolve("h.json"), "does not exist");
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void gaussNewtonCurvatureForEveryMethodIsRecordedAndPsd() throws IOException {
        double[] expected = new ParameterHessian(arch, new ExactScoreMatching(), xs, 0)
                .withCurvature(ParameterHessian.Curvature.GAUSS_NEWTON).full(theta, false).eigenvalues();
        for (String method : new String[] {"full", "lanczos", "slq"}) {
            Path target = dir.resolve("gn-" + method + ".json");
            assertEquals(0, run(args(target, "--curvature", "gauss-newton", "--method", method, "--k", "3")), err.toString());
            JsonNode j = JSON.readTree(target.toFile());
            assertEquals("gauss-newton", j.get("curvature").asText(), method);
            assertEquals(method, j.get("method").asText());
            if (!method.equals("slq")) {
                double[] ev = doubles(j.get("eigenvalues"));
                double top = expected[expected.length - 1];
                assertEquals(top, ev[ev.length - 1], 1e-8 * top, method + ": the largest Gauss–Newton eigenvalue");
                assertTrue(ev[0] >= -1e-12 * top, method + ": PSD");
            }
        }
        Path h = dir.resolve("h.json");
        assertEquals(0, run(args(h, "--method", "full")));
        JsonNode j = JSON.readTree(h.toFile());
        assertEquals("hessian", j.get("curvature").asText(), "the default");
        assertTrue(j.get("noiseFloor").doubleValue() > 0);
        assertTrue(j.get("spanDecades").doubleValue() <= j.get("spanDecadesAll").doubleValue());
        assertEquals(2, run(args(h, "--curvature", "fisher")));
        assertTrue(err.toString().startsWith("error: --curvature"), err.toString());
    }

    @Test
    void vectorsAreGroupedByLayer() throws IOException {
        Path target = dir.resolve("v.json");
        assertEquals(0, run(args(target, "--method", "lanczos", "--k", "2", "--vectors")), err.toString());
        JsonNode j = JSON.readTree(target.toFile());
        JsonNode groups = j.get("parameterGroups");
        assertEquals(6, groups.size());
        assertEquals("layers[0].weight", groups.get(0).get("name").asText());
        assertEquals(6, groups.get(0).get("shape").get(0).asInt());
        assertEquals(2, groups.get(0).get("shape").get(1).asInt());
        JsonNode byLayer = j.get("eigenvectorsByLayer");
        assertEquals(4, byLayer.size());
        double[] flat = doubles(j.get("eigenvectors").get(3));
        double share = 0;
        int count = 0;
        for (JsonNode g : byLayer.get(3)) {
            share += g.get("share").doubleValue();
            count += g.get("components").size();
        }
        assertEquals(1, share, 1e-12);
        assertEquals(flat.length, count);
        // layers[0].weight row-major is θ's first 12 entries for this model file layout
        assertEquals(flat[0], byLayer.get(3).get(0).get("components").get(0).doubleValue(), 0);
    }

    @Test
    void compareWritesLaddersNormalizedByTheirLargestAsJsonCsvAndPng() throws IOException {
        Path target = dir.resolve("c.json");
        Path csv = dir.resolve("c.csv");
        Path png = dir.resolve("c.png");
        assertEquals(0, run(args(target, "--compare", "exact,sliced,denoising,gauss-newton", "--csv", csv.toString(),
                "--png", png.toString())), err.toString());
        JsonNode j = JSON.readTree(target.toFile());
        JsonNode ladders = j.get("ladders");
        assertEquals(4, ladders.size());
        double[] exact = new ParameterHessian(arch, new ExactScoreMatching(), xs, 0).full(theta, false).eigenvalues();
        assertEquals(exact.length, ladders.get(0).get("eigenvalues").size());
        for (JsonNode l : ladders) {
            double[] nv = doubles(l.get("normalized"));
            double max = 0;
            for (double v : nv) {
                max = Math.max(max, Math.abs(v));
            }
            assertEquals(1, max, 1e-15, l.get("label").asText() + " normalized by its λmax");
        }
        assertEquals("Gauss–Newton", ladders.get(3).get("label").asText());
        java.util.List<String> rows = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertEquals("ladder,method,index,eigenvalue,normalized", rows.get(0));
        assertEquals(1 + 4 * exact.length, rows.size());
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(300 + 4 * 260, img.getWidth());
        assertEquals(2, run(args(target, "--compare", "fisher")));
        assertEquals(2, run(args(target, "--png", png.toString())));
    }
}
