package org.scorescope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorescope.autodiff.Activation;
import org.scorescope.model.ModelFile;
import org.scorescope.model.ModelSpec;

/** One-line failures for oversized work, impossible sizes and out-of-memory; progress for long work. */
class CliHardeningTest extends CliTestBase {
    @TempDir
    Path tmp;

    private List<String> errLines() {
        return err.toString().lines().toList();
    }

    /** An energy MLP 2 → width → width → 1 with zero weights. */
    private Path energyModel(int width) throws IOException {
        List<ModelSpec.Layer> layers = new ArrayList<>();
        int in = 2;
        for (int out : new int[] {width, width, 1}) {
            layers.add(new ModelSpec.Layer(new double[out][in], new double[out]));
            in = out;
        }
        Path f = tmp.resolve("m" + width + ".json");
        ModelFile.write(f, new ModelSpec(ModelSpec.Kind.ENERGY, 2, Activation.SOFTPLUS, Activation.IDENTITY, layers));
        return f;
    }

    @Test
    void messagesAreOneLineWithoutClassNames() {
        assertTrue(ScoreScopeCli.describe(new OutOfMemoryError("Java heap space")).startsWith("out of memory (the Java "
                + "heap is limited to "));
        assertEquals("no such file: x.csv", ScoreScopeCli.describe(new UncheckedIOException(new NoSuchFileException(
                "x.csv"))));
        assertEquals("unexpected failure (NullPointerException)", ScoreScopeCli.describe(new NullPointerException()));
        assertEquals("boom", ScoreScopeCli.describe(new IllegalStateException("java.lang.IllegalStateException: boom")));
        assertEquals("stepSize must be finite and > 0, got NaN", ScoreScopeCli.describe(new IllegalArgumentException(
                "LangevinSampler: stepSize must be finite and > 0, got NaN")));
        assertEquals("count must be >= 0", ScoreScopeCli.describe(new IllegalArgumentException(
                "LangevinSampler.run: count must be >= 0")));
        assertEquals("model.json: line 1: x", ScoreScopeCli.describe(new IOException("model.json: line 1: x")));
        assertEquals("first line", ScoreScopeCli.describe(new IOException("first line\n  at [Source: x]")));
    }

    @Test
    void benchReportsAnOverflowingParameterCountAsTooLarge() {
        assertEquals(2, run("bench", "--width", "1000000"));
        assertEquals(List.of("error: --dim 2 --width 1000000 --depth 2 gives 1000005000001 parameters: too large (at "
                + "most 2147483647) (see 'scorescope bench --help')"), errLines());
        assertEquals(1000005000001L, BenchCommand.parameterCount(
                org.scorescope.bench.TrainStepBenchmark.ModelKind.ENERGY, 2, 1_000_000, 2));
        assertEquals(2 * 4 + 4 + 4 * 2 + 2, BenchCommand.parameterCount(
                org.scorescope.bench.TrainStepBenchmark.ModelKind.SCORE, 2, 4, 1));
        assertEquals(3, BenchCommand.parameterCount(org.scorescope.bench.TrainStepBenchmark.ModelKind.ENERGY, 2, 4, 0));
        long t0 = System.nanoTime();
        assertEquals(2, run("bench", "--width", "4", "--depth", "2147483647"));
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "a deep network is refused without walking its layers");
    }

    @Test
    void aDenseHessianThatCannotFitIsRefusedBeforeWork() throws IOException {
        Path model = energyModel(400);
        Path points = Files.writeString(tmp.resolve("p.csv"), "1,2\n3,4\n");
        Path o = tmp.resolve("h.json");
        long t0 = System.nanoTime();
        // P = 162,001: the dense Hessian alone is 210 GB, more than any test machine's heap.
        assertEquals(1, run("hessian", "--model", model.toString(), "--points", points.toString(), "--out", o.toString()));
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "refused up front");
        assertEquals(1, errLines().size(), err.toString());
        assertTrue(err.toString().startsWith("error: --method full on P = 162001 parameters (dense P×P Hessian) needs "
                + "about "), err.toString());
        assertTrue(err.toString().contains("use --method lanczos or slq"), err.toString());
        assertFalse(Files.exists(o));
    }

    @Test
    void sampleRefusesAStepSizeBeyondTheBox() throws IOException {
        Path model = energyModel(4);
        Path o = tmp.resolve("s.csv");
        assertEquals(2, run("sample", "--model", model.toString(), "--step-size", "1e9", "--out", o.toString()));
        assertEquals(1, errLines().size(), err.toString());
        assertTrue(err.toString().startsWith("error: --step-size 1000000000 is too large for --radius 4: "),
                err.toString());
        assertFalse(Files.exists(o));
    }

    @Test
    void devZeroAsAnInputFailsFastWithOneLine() throws IOException {
        if (!Files.exists(Path.of("/dev/zero"))) {
            return;
        }
        Path model = energyModel(4);
        Path points = Files.writeString(tmp.resolve("p.csv"), "1,2\n");
        String[][] cases = {
            {"eval", "--model", "/dev/zero", "--points", points.toString(), "--out", tmp.resolve("a.json").toString()},
            {"eval", "--model", model.toString(), "--points", "/dev/zero", "--out", tmp.resolve("b.json").toString()},
            {"sample", "--model", "/dev/zero", "--out", tmp.resolve("c.csv").toString()},
            {"hessian", "--model", model.toString(), "--points", "/dev/zero", "--out", tmp.resolve("d.json").toString()},
        };
        for (String[] c : cases) {
            err.getBuffer().setLength(0);
            long t0 = System.nanoTime();
            assertEquals(1, run(c), String.join(" ", c));
            assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "slow: " + String.join(" ", c));
            assertEquals(1, errLines().size(), err.toString());
            assertTrue(err.toString().contains("zero"), err.toString());
        }
    }

    @Test
    void outOfMemoryWhileReadingIsOneLine() throws Exception {
        // A valid JSON array of 3 million numbers: about 20 MB on disk, several times that as a parsed tree.
        Path big = tmp.resolve("big.json");
        try (BufferedWriter w = Files.newBufferedWriter(big, StandardCharsets.UTF_8)) {
            w.write('[');
            for (int i = 0; i < 3_000_000; i++) {
                w.write("0.123456,");
            }
            w.write("0]");
        }
        Path points = Files.writeString(tmp.resolve("p.csv"), "1,2\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx24m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), ScoreScopeCli.class.getName(), "eval", "--model", big.toString(),
                "--points", points.toString(), "--out", tmp.resolve("o.json").toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), stderr);
        assertEquals(1, stderr.lines().count(), stderr);
        assertTrue(stderr.startsWith("error: out of memory (the Java heap is limited to "), stderr);
        assertFalse(Files.exists(tmp.resolve("o.json")));
    }

    @Test
    void heartbeatSpeaksOnlyAfterItsPeriod() throws InterruptedException {
        StringWriter sw = new StringWriter();
        PrintWriter pw = new PrintWriter(sw);
        try (Heartbeat hb = Heartbeat.start(pw, () -> "work", 10, TimeUnit.SECONDS)) {
            Thread.sleep(20);
        }
        assertEquals("", sw.toString());
        try (Heartbeat hb = Heartbeat.start(pw, () -> "work", 30, TimeUnit.MILLISECONDS)) {
            Thread.sleep(200);
        }
        assertTrue(sw.toString().startsWith("work: still running after 0 min 00 s"), sw.toString());
    }

    @Test
    void evalTakesAnHvpVectorForANoiseConditionalModel() throws IOException {
        double[][] w1 = {{0.1, 0.2, 0.3}, {-0.2, 0.1, 0.05}, {0.3, -0.1, 0.2}};
        double[][] w2 = {{0.2, -0.3, 0.1}, {0.1, 0.2, -0.2}};
        List<ModelSpec.Layer> layers = List.of(new ModelSpec.Layer(w1, new double[3]),
                new ModelSpec.Layer(w2, new double[2]));
        Path model = tmp.resolve("nc.json");
        ModelFile.write(model, ModelSpec.noiseConditional(2, Activation.SOFTPLUS, Activation.IDENTITY, layers,
                new double[] {1.0, 0.5, 0.1}));
        Path v = Files.writeString(tmp.resolve("v.json"), "{\"layers\": [{\"weight\": [[1, 0, 0], [0, 1, 0], [0, 0, 1]], "
                + "\"bias\": [0, 0, 0]}, {\"weight\": [[1, 0, 0], [0, 1, 0]], \"bias\": [1, 1]}]}");
        Path points = Files.writeString(tmp.resolve("p.csv"), "0.5,1\n-1,0.25\n");
        Path o = tmp.resolve("e.json");
        assertEquals(0, run("eval", "--model", model.toString(), "--points", points.toString(), "--objective",
                "denoising-multi", "--hvp", v.toString(), "--out", o.toString()), err.toString());
        assertTrue(Files.readString(o).contains("\"hvp\""));

        Path wrong = Files.writeString(tmp.resolve("w.json"), "{\"layers\": [{\"weight\": [[1, 0], [0, 1]], "
                + "\"bias\": [0, 0]}]}");
        err.getBuffer().setLength(0);
        assertEquals(1, run("eval", "--model", model.toString(), "--points", points.toString(), "--hvp",
                wrong.toString(), "--out", tmp.resolve("f.json").toString()));
        assertEquals(List.of("error: w.json: layers: expected 2 layers like the model, found 1"), errLines());
    }

    @Test
    void sampleWarnsAboutOvershootingStepsAndFailsInOneLineWhenTheyDiverge() throws IOException {
        // s(x) = −100·x: the score of N(0, 0.01·I), stable only for ε < 0.02.
        Path model = tmp.resolve("steep.json");
        ModelFile.write(model, new ModelSpec(ModelSpec.Kind.SCORE, 2, Activation.SOFTPLUS, Activation.IDENTITY,
                List.of(new ModelSpec.Layer(new double[][] {{-100, 0}, {0, -100}}, new double[2]))));
        Path o = tmp.resolve("s.csv");
        assertEquals(0, run("sample", "--model", model.toString(), "--n", "10", "--steps", "12", "--step-size",
                "0.03", "--out", o.toString()), err.toString());
        List<String> warnings = errLines();
        assertEquals(2, warnings.size(), err.toString());
        assertTrue(warnings.get(0).startsWith("warning: --step-size 0.03 times the score's typical slope 100 is 3.00 > 2"),
                warnings.get(0));
        assertTrue(warnings.get(1).startsWith("warning: samples reach |x| = "), warnings.get(1));

        err.getBuffer().setLength(0);
        Path o2 = tmp.resolve("s2.csv");
        assertEquals(1, run("sample", "--model", model.toString(), "--n", "10", "--steps", "2000", "--step-size",
                "0.1", "--out", o2.toString()));
        assertEquals(1, errLines().size(), err.toString());
        assertTrue(err.toString().startsWith("error: "), err.toString());
        assertTrue(err.toString().contains("step size too large); --step-size 0.1 times the score's typical slope 100"),
                err.toString());
        assertFalse(Files.exists(o2));
    }
}
