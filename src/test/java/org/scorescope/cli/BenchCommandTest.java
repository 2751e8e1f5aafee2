package org.scorescope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorescope.autodiff.ComputeThreads;
import picocli.CommandLine;

/** {@code bench}: table and last line median_ms=…, raw step times, clear usage errors. */
class BenchCommandTest {
    @TempDir
    Path tmp;

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void printsATableAndTheMedianAsTheLastLine() throws Exception {
        int threads = ComputeThreads.get();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path raw = tmp.resolve("steps.txt");
        int code = run(out, err, "--model", "score", "--objective", "sliced-vr", "--dim", "2", "--width", "8",
                "--depth", "1", "--batch", "16", "--activation", "tanh", "--steps", "5", "--warmup", "1", "--threads", "1",
                "--raw", raw.toString());
        assertEquals(0, code, err.toString());
        List<String> lines = out.toString().lines().toList();
        assertTrue(lines.get(0).startsWith("| config | threads | median ms/step"), lines.get(0));
        assertTrue(lines.get(2).contains("score sliced-vr D=2 2-8-2 tanh B=16"), lines.get(2));
        String last = lines.get(lines.size() - 1);
        assertTrue(last.matches("median_ms=[0-9]+\\.[0-9]+"), last);
        double median = Double.parseDouble(last.substring("median_ms=".length()));
        List<String> steps = Files.readAllLines(raw);
        assertEquals(5, steps.size());
        double[] sorted = steps.stream().mapToDouble(Double::parseDouble).sorted().toArray();
        assertEquals(sorted[2], median, 1e-6, "median of the raw step times");
        assertEquals(threads, ComputeThreads.get(), "the thread setting is restored");
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheOption() {
        String[][] bad = {{"--model", "flow"}, {"--objective", "ssm"}, {"--activation", "relu"},
            {"--activation", "identity"}, {"--threads", "0"}, {"--dim", "0"}, {"--steps", "0"}};
        String[] expect = {"--model", "ssm", "relu", "identity", "--threads", "dim", "steps"};
        for (int i = 0; i < bad.length; i++) {
            StringWriter err = new StringWriter();
            int code = run(new StringWriter(), err, bad[i]);
            assertEquals(2, code, String.join(" ", bad[i]));
            assertTrue(err.toString().contains(expect[i]), err.toString());
        }
    }
}
