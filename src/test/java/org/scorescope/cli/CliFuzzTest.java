package org.scorescope.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorescope.autodiff.Activation;
import org.scorescope.model.ModelFile;
import org.scorescope.model.ModelSpec;

/**
 * Seeded fuzzing of the headless commands, in process: mutated point CSVs, model files and parameter vectors,
 * random flag values and hostile output paths for {@code eval}, {@code sample}, {@code hessian} and {@code bench}.
 * For every case: the exit code is 0 with the output written and nothing but warnings on stderr, or non-zero with
 * exactly one line on stderr that is neither a stack trace nor starts with a class name; a failure leaves no output
 * and no temporary file behind; and the input files are byte-for-byte unchanged.
 */
class CliFuzzTest {
    /** Fixed so CI is reproducible; FUZZ_SEED (environment) explores other cases locally. */
    private static final long SEED = System.getenv("FUZZ_SEED") != null ? Long.parseLong(System.getenv("FUZZ_SEED"))
            : 0x5C0E5C09EL;
    private static final int CASES = 1000;
    /** Stack trace lines, qualified class names, or a message starting with a CamelCase class name. */
    private static final Pattern LEAK = Pattern.compile(
            "\\tat |^error: (?:[a-z][a-z0-9_]*\\.){2,}[A-Z]|^error: [A-Z][a-z]+[A-Z][A-Za-z]*:"
                    + "|(?:java|javax|com\\.fasterxml|picocli|org\\.scorescope)\\.[a-z]+\\.|[A-Z][a-z]+Feature\\.|\\[Source:",
            Pattern.MULTILINE);

    @TempDir
    Path tmp;

    private byte[] energyModel;
    private byte[] scoreModel;
    private byte[] ncModel;
    private byte[] energyPoints;
    private byte[] energyVector;
    private byte[] scoreVector;

    private static byte[] golden(String name) throws IOException, URISyntaxException {
        return Files.readAllBytes(Path.of(CliFuzzTest.class.getResource("torch/" + name).toURI()));
    }

    @Test
    void everyCaseFailsCleanlyOrSucceeds() throws Exception {
        energyModel = golden("energy-softplus.model.json");
        scoreModel = golden("score-tanh.model.json");
        energyPoints = golden("energy-softplus.points.csv");
        energyVector = golden("energy-softplus.v.json");
        scoreVector = golden("score-tanh.v.json");
        ncModel = noiseConditionalModel().getBytes(StandardCharsets.UTF_8);

        Random rnd = new Random(SEED);
        List<String> problems = new ArrayList<>();
        int[] outcomes = new int[3];
        long t0 = System.nanoTime();
        for (int c = 0; c < CASES; c++) {
            Path dir = Files.createDirectory(tmp.resolve("case" + c));
            Case k = generate(rnd, dir, c);
            String problem = run(k, dir, outcomes);
            if (problem != null && problems.size() < 25) {
                problems.add("case " + c + " " + String.join(" ", k.args) + "\n    " + problem);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("CliFuzzTest: seed %d, %d cases in %.1f s: %d accepted, %d failed (exit 1), %d usage errors (exit 2)%n",
                SEED, CASES, seconds, outcomes[0], outcomes[1], outcomes[2]);
        TIMES.forEach((cmd, ns) -> System.out.printf("CliFuzzTest: %s %.1f s%n", cmd, ns / 1e9));
        assertTrue(problems.isEmpty(), problems.size() + " bad cases:\n" + String.join("\n", problems));
        assertTrue(outcomes[0] > CASES / 20, "too few cases were accepted to exercise the success path");
        assertTrue(outcomes[1] + outcomes[2] > CASES / 2, "too few cases failed to exercise the error paths");
    }

    /** FUZZ_LOG=FILE (environment) appends every case's exit code, arguments and stderr, for reading the messages. */
    private static final String LOG = System.getenv("FUZZ_LOG");
    private static final Map<String, Long> TIMES = new java.util.TreeMap<>();

    /** One generated case: the arguments, the inputs to check for changes and the output to check for leftovers. */
    private record Case(List<String> args, List<Path> inputs, Path out, byte[] outBefore) {
    }

    private String run(Case k, Path dir, int[] outcomes) throws IOException {
        Map<Path, String> before = new LinkedHashMap<>();
        for (Path p : k.inputs) {
            before.put(p, hash(p));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long t0 = System.nanoTime();
        int code = ScoreScopeCli.execute(k.args.toArray(new String[0]), new PrintWriter(out), new PrintWriter(err));
        TIMES.merge(k.args.get(0).startsWith("--") ? k.args.get(2) : k.args.get(0), System.nanoTime() - t0, Long::sum);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (ms > 1000) {
            System.out.println("CliFuzzTest: slow case (" + ms + " ms): " + String.join(" ", k.args));
        }
        String e = err.toString();
        if (LOG != null) {
            Files.writeString(Path.of(LOG), code + "\t" + String.join(" ", k.args) + "\n" + e,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
        List<String> lines = e.lines().toList();
        for (Map.Entry<Path, String> b : before.entrySet()) {
            if (!b.getValue().equals(hash(b.getKey()))) {
                return "input changed: " + b.getKey();
            }
        }
        if (LEAK.matcher(e).find()) {
            return "internal detail on stderr: " + e;
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<String> temps = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
            if (!temps.isEmpty()) {
                return "temporary files left: " + temps + " (exit " + code + ", " + e.strip() + ")";
            }
        }
        if (code == 0) {
            outcomes[0]++;
            if (lines.stream().anyMatch(l -> !l.startsWith("warning: "))) {
                return "accepted, but stderr has more than warnings: " + e;
            }
            if (k.out != null && !Files.isRegularFile(k.out)) {
                return "accepted without writing " + k.out;
            }
            return null;
        }
        outcomes[code == 2 ? 2 : 1]++;
        if (lines.size() != 1 || !lines.get(0).startsWith("error: ") || lines.get(0).length() < 12) {
            return "exit " + code + " with stderr of " + lines.size() + " lines: " + e;
        }
        if (k.out != null && Files.isRegularFile(k.out) && k.outBefore == null) {
            return "failed (" + e.strip() + ") but left " + k.out;
        }
        if (k.out != null && k.outBefore != null && Files.isRegularFile(k.out)
                && !java.util.Arrays.equals(k.outBefore, Files.readAllBytes(k.out))) {
            return "failed (" + e.strip() + ") but changed the existing " + k.out;
        }
        return null;
    }

    // ---------------------------------------------------------------- generation

    private Case generate(Random rnd, Path dir, int c) throws IOException {
        String command = switch (c % 4) {
            case 0 -> "eval";
            case 1 -> "hessian";
            case 2 -> "sample";
            default -> "bench";
        };
        // What is fuzzed in this case: a file, the flags, or the paths.
        int focus = rnd.nextInt(10);
        boolean score = rnd.nextBoolean();
        byte[] model = command.equals("sample") && rnd.nextInt(3) == 0 ? ncModel : score ? scoreModel : energyModel;
        if (command.equals("eval")) {
            model = score ? scoreModel : energyModel;
        } else if (command.equals("hessian")) {
            // The score model's P is a quarter of the energy model's; the dense Hessian costs P HVPs and P³.
            score = rnd.nextInt(4) > 0;
            model = score ? scoreModel : energyModel;
        }
        byte[] points = energyPoints;
        byte[] vector = score ? scoreVector : energyVector;
        if (focus < 3) {
            model = mutateJson(rnd, model);
        } else if (focus < 5) {
            points = mutateCsv(rnd, points);
        } else if (focus < 6 && command.equals("eval")) {
            vector = mutateJson(rnd, vector);
        }
        Path modelFile = Files.write(dir.resolve("model.json"), model);
        Path pointsFile = Files.write(dir.resolve("points.csv"), points);
        Path vectorFile = Files.write(dir.resolve("v.json"), vector);
        Path out = dir.resolve(command.equals("sample") ? "out.csv" : "out.json");

        List<String> args = new ArrayList<>();
        args.add(command);
        boolean fuzzFlags = focus >= 6 && focus < 9;
        boolean fuzzPaths = focus == 9;
        Path outArg = out;
        Path modelArg = modelFile;
        Path pointsArg = pointsFile;
        byte[] outBefore = null;
        if (fuzzPaths) {
            switch (rnd.nextInt(10)) {
                case 0 -> outArg = modelFile;
                case 1 -> outArg = pointsFile;
                case 2 -> outArg = command.equals("eval") ? vectorFile : dir;
                case 3 -> outArg = Path.of("");
                case 4 -> outArg = dir.resolve("missing/out.json");
                case 5 -> outArg = Files.createSymbolicLink(dir.resolve("link.json"), command.equals("sample")
                        ? modelFile : pointsFile);
                case 6 -> modelArg = rnd.nextBoolean() ? Path.of("/dev/zero") : dir;
                case 7 -> pointsArg = rnd.nextBoolean() ? Path.of("/dev/zero") : dir.resolve("missing.csv");
                case 8 -> {
                    outBefore = "previous content\n".getBytes(StandardCharsets.UTF_8);
                    Files.write(out, outBefore);
                }
                default -> outArg = Path.of("/dev/null");
            }
        }
        switch (command) {
            case "eval" -> {
                add(args, "--model", modelArg, "--points", pointsArg, "--out", outArg);
                if (rnd.nextInt(3) > 0 || focus == 5) {
                    add(args, "--hvp", vectorFile);
                }
                if (fuzzFlags) {
                    flag(rnd, args, "--objective", "exact", "sliced", "sliced-vr", "denoising", "denoising-multi",
                            "max-likelihood", "bogus", "");
                    flag(rnd, args, "--projections", "1", "2", "0", "-1", "x", "99999999999", "1.5");
                    flag(rnd, args, "--sigma", "0.1", "1", "0", "-1", "NaN", "Infinity", "1e-300", "abc");
                    flag(rnd, args, "--seed", "1", "-5", "9223372036854775807", "9223372036854775808", "x");
                    extra(rnd, args);
                }
            }
            case "hessian" -> {
                add(args, "--model", modelArg, "--points", pointsArg, "--out", outArg);
                if (fuzzFlags) {
                    flag(rnd, args, "--method", "full", "lanczos", "slq", "bogus", "");
                    flag(rnd, args, "--k", "1", "2", "5", "0", "-1", "100000", "x");
                    flag(rnd, args, "--runs", "1", "2", "0", "-3", "x");
                    flag(rnd, args, "--steps", "1", "5", "20", "0", "-1");
                    flag(rnd, args, "--max-iterations", "1", "10", "50", "0", "x");
                    flag(rnd, args, "--tolerance", "1e-8", "0.5", "0", "1", "2", "NaN", "x");
                    flag(rnd, args, "--trace-probes", "0", "1", "2", "4", "-1");
                    flag(rnd, args, "--threads", "1", "2", "0", "-1", "x");
                    flag(rnd, args, "--objective", "exact", "sliced", "sliced-vr", "denoising", "bogus");
                    flag(rnd, args, "--sigma", "0.1", "0", "-1", "NaN", "Infinity");
                    flag(rnd, args, "--projections", "1", "3", "0", "-2");
                    flag(rnd, args, "--probe", "rademacher", "gaussian", "bogus");
                    if (rnd.nextInt(4) == 0) {
                        args.add("--vectors");
                    }
                    extra(rnd, args);
                } else {
                    add(args, "--trace-probes", "2");
                }
            }
            case "sample" -> {
                add(args, "--model", modelArg, "--out", outArg, "--n", "20", "--steps", "10");
                if (fuzzFlags) {
                    flag(rnd, args, "--n", "1", "10", "50", "0", "-5", "abc", "10000001", "1e3");
                    flag(rnd, args, "--steps", "0", "1", "5", "20", "-1", "x");
                    flag(rnd, args, "--step-size", "0.01", "0.1", "1", "8", "9", "1e9", "0", "-1", "NaN", "Infinity",
                            "1e-300", "abc");
                    flag(rnd, args, "--radius", "4", "1", "0", "-1", "NaN", "1e300", "1e-300", "x");
                    flag(rnd, args, "--seed", "1", "-1", "x");
                    extra(rnd, args);
                }
            }
            default -> {
                add(args, "--steps", "1", "--warmup", "0", "--width", "4", "--depth", "1", "--batch", "8");
                outArg = null;
                if (fuzzFlags || focus < 6) {
                    flag(rnd, args, "--model", "energy", "score", "flow", "");
                    flag(rnd, args, "--objective", "exact", "sliced", "sliced-vr", "denoising", "bogus");
                    flag(rnd, args, "--dim", "1", "2", "3", "0", "-1", "x");
                    flag(rnd, args, "--width", "1", "4", "8", "0", "-1", "1000000", "2147483647", "x");
                    flag(rnd, args, "--depth", "0", "1", "2", "3", "-1", "2147483647", "x");
                    flag(rnd, args, "--batch", "1", "8", "16", "0", "-1", "100000000", "x");
                    flag(rnd, args, "--steps", "1", "2", "0", "-1");
                    flag(rnd, args, "--warmup", "0", "1", "-1");
                    flag(rnd, args, "--threads", "1", "2", "0", "-1");
                    flag(rnd, args, "--activation", "softplus", "tanh", "identity", "gelu", "bogus");
                    flag(rnd, args, "--sigma", "0.1", "0", "-1", "NaN");
                    extra(rnd, args);
                }
                if (rnd.nextInt(8) == 0) {
                    Path raw = fuzzPaths ? dir : dir.resolve("raw.txt");
                    add(args, "--raw", raw);
                    outArg = fuzzPaths ? null : raw;
                }
            }
        }
        if (fuzzPaths && rnd.nextInt(5) == 0) {
            // A tiny input limit: every file is over it.
            args.add(1, "--max-input-mb");
            args.add(2, rnd.nextBoolean() ? "0" : "1");
        }
        // The inputs are the files the command was given; the others may be overwritten as outputs.
        List<Path> inputs = new ArrayList<>();
        for (int i = 0; i + 1 < args.size(); i++) {
            if (List.of("--model", "--points", "--hvp").contains(args.get(i))) {
                Path p = Path.of(args.get(i + 1));
                if (Files.isRegularFile(p) && p.startsWith(dir)) {
                    inputs.add(p);
                }
            }
        }
        Path checkedOut = outArg == null || outArg.toString().isEmpty() || Files.isDirectory(outArg)
                || outArg.startsWith("/dev") || inputs.contains(outArg) || Files.isSymbolicLink(outArg) ? null : outArg;
        if (outBefore != null) {
            checkedOut = out;
        } else if (checkedOut != null && Files.isRegularFile(checkedOut)) {
            // An existing file that is not an input (a fixture the command was not given): it must survive a failure.
            outBefore = Files.readAllBytes(checkedOut);
        }
        return new Case(args, inputs, checkedOut, outBefore);
    }

    private static void add(List<String> args, Object... pairs) {
        for (Object o : pairs) {
            args.add(o.toString());
        }
    }

    /** Sets the flag to a random value, one time in two, replacing a value set earlier (a repeat is a usage error). */
    private static void flag(Random rnd, List<String> args, String name, String... values) {
        if (rnd.nextBoolean()) {
            String v = values[rnd.nextInt(values.length)];
            int at = args.indexOf(name);
            if (at >= 0 && at + 1 < args.size()) {
                args.set(at + 1, v);
            } else {
                args.add(name);
                args.add(v);
            }
        }
    }

    /** Sometimes an unknown option, a stray positional or a flag without its value. */
    private static void extra(Random rnd, List<String> args) {
        switch (rnd.nextInt(12)) {
            case 0 -> args.add("--bogus");
            case 1 -> args.add("stray");
            case 2 -> args.add("--seed");
            default -> {
            }
        }
    }

    // ---------------------------------------------------------------- mutations

    private static final String[] CSV_TOKENS = {",", "\n", "NaN", "1e999", "x", "\0", "\u00e9", "\r", " ", "-", ".",
        "1e-400", "0x10", "\"", ",,", "\uFEFF", "+", "1.5e3", "Infinity"};

    private static byte[] mutateCsv(Random rnd, byte[] csv) {
        String s = new String(csv, StandardCharsets.UTF_8);
        switch (rnd.nextInt(12)) {
            case 0 -> {
                return new byte[0];
            }
            case 1 -> {
                return "x,y\n".getBytes(StandardCharsets.UTF_8);
            }
            case 2 -> {
                return s.getBytes(StandardCharsets.UTF_16);
            }
            case 3 -> {
                byte[] b = csv.clone();
                b[rnd.nextInt(b.length)] = (byte) (0x80 + rnd.nextInt(128));
                return b;
            }
            case 4 -> {
                return java.util.Arrays.copyOf(csv, rnd.nextInt(csv.length));
            }
            case 5 -> {
                return (s + "1,2,3\n").getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                StringBuilder sb = new StringBuilder(s);
                int edits = 1 + rnd.nextInt(3);
                for (int i = 0; i < edits; i++) {
                    int at = rnd.nextInt(sb.length() + 1);
                    if (rnd.nextBoolean() && at < sb.length()) {
                        sb.deleteCharAt(at);
                    } else {
                        sb.insert(at, CSV_TOKENS[rnd.nextInt(CSV_TOKENS.length)]);
                    }
                }
                return sb.toString().getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    private static final String[] JSON_TOKENS = {"{", "}", "[", "]", ",", ":", "\"", "null", "true", "1e400", "-",
        "NaN", "\0", "\u00e9", "0", "\"format\": \"x\", ", "]]", "[[", " ", "\n", "1.5", "\"weight\": [], "};
    private static final String[] FIELD_VALUES = {"null", "\"x\"", "1.5", "-1", "0", "2", "1e400", "[]", "{}", "true",
        "\"1\"", "3", "99999999999", "[[1]]", "[1, 2]"};

    private static byte[] mutateJson(Random rnd, byte[] json) {
        String s = new String(json, StandardCharsets.UTF_8);
        switch (rnd.nextInt(14)) {
            case 0 -> {
                return new byte[0];
            }
            case 1 -> {
                return s.getBytes(StandardCharsets.UTF_16LE);
            }
            case 2 -> {
                return java.util.Arrays.copyOf(json, rnd.nextInt(json.length));
            }
            case 3 -> {
                return (s + (rnd.nextBoolean() ? " {}" : "garbage")).getBytes(StandardCharsets.UTF_8);
            }
            case 4 -> {
                // A duplicate key at the top.
                int brace = s.indexOf('{');
                return (s.substring(0, brace + 1) + "\"format\": \"scorescope-model\", " + s.substring(brace + 1))
                        .getBytes(StandardCharsets.UTF_8);
            }
            case 5, 6, 7 -> {
                // Replace the value of a random field with a value of another type or range.
                List<int[]> fields = new ArrayList<>();
                var m = Pattern.compile("\"[A-Za-z]+\"\\s*:\\s*").matcher(s);
                while (m.find()) {
                    fields.add(new int[] {m.end()});
                }
                if (fields.isEmpty()) {
                    return json;
                }
                int at = fields.get(rnd.nextInt(fields.size()))[0];
                int end = valueEnd(s, at);
                return (s.substring(0, at) + FIELD_VALUES[rnd.nextInt(FIELD_VALUES.length)] + s.substring(end))
                        .getBytes(StandardCharsets.UTF_8);
            }
            case 8 -> {
                // Drop one number from a matrix row: a ragged or mis-shaped matrix.
                var m = Pattern.compile(", -?[0-9][0-9.eE+-]*").matcher(s);
                List<int[]> nums = new ArrayList<>();
                while (m.find()) {
                    nums.add(new int[] {m.start(), m.end()});
                }
                if (nums.isEmpty()) {
                    return json;
                }
                int[] n = nums.get(rnd.nextInt(nums.size()));
                return (s.substring(0, n[0]) + s.substring(n[1])).getBytes(StandardCharsets.UTF_8);
            }
            case 9 -> {
                byte[] b = json.clone();
                b[rnd.nextInt(b.length)] = (byte) (0x80 + rnd.nextInt(128));
                return b;
            }
            default -> {
                StringBuilder sb = new StringBuilder(s);
                int edits = 1 + rnd.nextInt(3);
                for (int i = 0; i < edits; i++) {
                    int at = rnd.nextInt(sb.length() + 1);
                    if (rnd.nextBoolean() && at < sb.length()) {
                        sb.deleteCharAt(at);
                    } else {
                        sb.insert(at, JSON_TOKENS[rnd.nextInt(JSON_TOKENS.length)]);
                    }
                }
                return sb.toString().getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    /** The end of the JSON value starting at {@code at}: balanced brackets, a string, or a scalar. */
    private static int valueEnd(String s, int at) {
        if (at >= s.length()) {
            return at;
        }
        char c = s.charAt(at);
        if (c == '"') {
            int e = s.indexOf('"', at + 1);
            return e < 0 ? s.length() : e + 1;
        }
        if (c == '[' || c == '{') {
            int depth = 0;
            for (int i = at; i < s.length(); i++) {
                char d = s.charAt(i);
                if (d == '[' || d == '{') {
                    depth++;
                } else if (d == ']' || d == '}') {
                    depth--;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
            }
            return s.length();
        }
        int i = at;
        while (i < s.length() && ",}]\n".indexOf(s.charAt(i)) < 0) {
            i++;
        }
        return i;
    }

    // ---------------------------------------------------------------- fixtures

    /** A small noise-conditional 2-D model (input x and log σ, 6 hidden units), deterministic. */
    private static String noiseConditionalModel() {
        Random r = new Random(3);
        double[][] w1 = new double[6][3];
        double[] b1 = new double[6];
        double[][] w2 = new double[2][6];
        double[] b2 = new double[2];
        for (double[] row : w1) {
            for (int i = 0; i < row.length; i++) {
                row[i] = 0.5 * r.nextGaussian();
            }
        }
        for (double[] row : w2) {
            for (int i = 0; i < row.length; i++) {
                row[i] = 0.5 * r.nextGaussian();
            }
        }
        return ModelFile.toJson(ModelSpec.noiseConditional(2, Activation.SOFTPLUS, Activation.IDENTITY,
                List.of(new ModelSpec.Layer(w1, b1), new ModelSpec.Layer(w2, b2)), new double[] {1.0, 0.3, 0.1}));
    }

    private static String hash(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
