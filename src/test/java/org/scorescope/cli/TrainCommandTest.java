package org.scorescope.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorescope.data.PointsCsv;
import org.scorescope.model.ModelState;
import org.scorescope.train.SessionFile;
import org.scorescope.train.TrainingConfig;

class TrainCommandTest extends CliTestBase {
    @TempDir
    Path tmp;

    @Test
    void trainsAndWritesModelMetricsAndSessionThatAgree() throws Exception {
        Path dir = tmp.resolve("run");
        assertEquals(0, run("train", "--dataset", "mixture2", "--width", "16", "--steps", "30", "--batch", "64",
                "--samples", "300", "--quiet", "--out", dir.toString()), err.toString());
        List<String> metrics = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals("step,loss,fisher,grad_norm,ms_per_step,nll", metrics.get(0));
        assertEquals(32, metrics.size());
        assertTrue(metrics.get(1).startsWith("0,,"), "Fisher divergence at initialization: " + metrics.get(1));
        assertTrue(metrics.get(11).split(",")[2].length() > 0, "Fisher divergence every 10 steps: " + metrics.get(11));
        ModelState model = ModelState.read(dir.resolve("model.json"));
        SessionFile.Session session = SessionFile.read(dir.resolve("session.scorescope"));
        assertArrayEquals(model.theta(), session.model().theta());
        assertEquals(30, session.step());
        assertEquals(300, session.points().length);
        assertTrue(out.toString().startsWith("steps=30 loss="), out.toString());
        // the held-out NLL, evaluated once at the end: on the last line after fisher=, and on the last row only
        assertTrue(out.toString().matches("(?s)steps=30 loss=\\S+ fisher_initial=\\S+ fisher=\\S+ nll=\\S+ "
                + "ms_per_step=.*"), out.toString());
        double nll = Double.parseDouble(out.toString().replaceAll("(?s).* nll=(\\S+) .*", "$1"));
        assertTrue(Double.isFinite(nll), out.toString());
        assertEquals(nll, Double.parseDouble(metrics.get(31).split(",", -1)[5]), 1e-5 * Math.abs(nll));
        for (int i = 1; i < 31; i++) {
            assertEquals("", metrics.get(i).split(",", -1)[5], "row " + i);
        }
        // ms_per_step on the last line is the mean over the steps' rows, their evaluations included
        double mean = metrics.subList(2, 32).stream().mapToDouble(r -> Double.parseDouble(r.split(",", -1)[4]))
                .average().orElseThrow();
        double reported = Double.parseDouble(out.toString().replaceAll("(?s).* ms_per_step=(\\S+) .*", "$1"));
        assertEquals(mean, reported, 6e-4 + 1e-4 * mean, out.toString());
        // the app opens the session; the model file alone opens as a session too
        assertArrayEquals(model.theta(), SessionFile.read(dir.resolve("model.json")).model().theta());
    }

    @Test
    void fewPointsAreTrainedByDenoisingUnlessALossIsNamed() throws Exception {
        assertEquals(0, run("train", "--dataset", "moons", "--samples", "70", "--width", "8", "--steps", "5", "--quiet",
                "--out", tmp.resolve("few").toString()), err.toString());
        assertTrue(err.toString().contains("note: 70 points: training by denoising at σ = "), err.toString());
        TrainingConfig c = SessionFile.read(tmp.resolve("few/session.scorescope")).config();
        assertEquals(TrainingConfig.ObjectiveKind.DENOISING, c.objective().kind());
        assertEquals(70, Math.min(70, c.optimizer().batchSize()), "the whole small set per step");
        err.getBuffer().setLength(0);
        assertEquals(0, run("train", "--dataset", "moons", "--samples", "70", "--width", "8", "--steps", "5", "--quiet",
                "--objective", "exact", "--out", tmp.resolve("exact").toString()), err.toString());
        assertFalse(err.toString().contains("note: 70 points"), err.toString());
        assertEquals(TrainingConfig.ObjectiveKind.EXACT,
                SessionFile.read(tmp.resolve("exact/session.scorescope")).config().objective().kind());
    }

    @Test
    void aFlowOnFewPointsIsSmoothedUnlessTheSmoothingIsNamed() throws Exception {
        assertEquals(0, run("train", "--model", "flow", "--dataset", "moons", "--samples", "70", "--width", "8",
                "--steps", "3", "--quiet", "--out", tmp.resolve("flow").toString()), err.toString());
        assertTrue(err.toString().contains("note: 70 points: maximum likelihood of the data blurred by σ = "),
                err.toString());
        TrainingConfig c = SessionFile.read(tmp.resolve("flow/session.scorescope")).config();
        assertEquals(TrainingConfig.ObjectiveKind.MAX_LIKELIHOOD, c.objective().kind());
        assertTrue(c.objective().smoothing() > 0, "smoothing " + c.objective().smoothing());
        err.getBuffer().setLength(0);
        assertEquals(0, run("train", "--model", "flow", "--dataset", "moons", "--samples", "70", "--width", "8",
                "--steps", "3", "--quiet", "--smoothing", "0", "--out", tmp.resolve("raw").toString()), err.toString());
        assertFalse(err.toString().contains("note: 70 points"), err.toString());
        assertEquals(0.0, SessionFile.read(tmp.resolve("raw/session.scorescope")).config().objective().smoothing());
    }

    @Test
    void sameSeedSameModel() throws Exception {
        for (String d : new String[] {"a", "b"}) {
            assertEquals(0, run("train", "--objective", "sliced-vr", "--width", "8", "--steps", "5", "--quiet",
                    "--out", tmp.resolve(d).toString()));
        }
        assertArrayEquals(ModelState.read(tmp.resolve("a/model.json")).theta(),
                ModelState.read(tmp.resolve("b/model.json")).theta());
    }

    @Test
    void badValuesExitNonZeroWithOneLineAndNoOutput() {
        Path dir = tmp.resolve("never");
        assertEquals(2, run("train", "--lr", "-1", "--out", dir.toString()));
        assertEquals(2, run("train", "--dataset", "nope", "--out", dir.toString()));
        assertEquals(2, run("train", "--batch", "NaN", "--out", dir.toString()));
        String[] lines = err.toString().strip().split("\n");
        assertEquals(3, lines.length, err.toString());
        assertTrue(lines[0].startsWith("error: --lr: -1 is outside [1e-8, 10]"), lines[0]);
        assertTrue(lines[1].contains("'nope' is not one of"), lines[1]);
        assertFalse(Files.exists(dir));
    }

    @Test
    void trainsOnACsvAndRejectsABadOneByLine() throws Exception {
        Path csv = tmp.resolve("p.csv");
        PointsCsv.write(csv, new double[][] {{0, 1}, {1, 0}, {-1, 0}, {0, -1}}, "x", "y");
        assertEquals(0, run("train", "--points", csv.toString(), "--width", "4", "--steps", "3", "--quiet",
                "--out", tmp.resolve("ok").toString()), err.toString());
        assertTrue(out.toString().contains(" nll=n/a "), "fewer than 10 points hold nothing out: " + out);
        Files.writeString(csv, "x,y\n1,2\n3,oops\n");
        assertEquals(1, run("train", "--points", csv.toString(), "--out", tmp.resolve("bad").toString()));
        assertTrue(err.toString().contains("line 3"), err.toString());
        assertFalse(Files.exists(tmp.resolve("bad")));
    }

    @Test
    void aDivergingRunKeepsTheLastFiniteModelAndSaysWhy() throws Exception {
        Path dir = tmp.resolve("div");
        int code = run("train", "--optimizer", "sgd", "--lr", "10", "--momentum", "0.99", "--steps", "200",
                "--width", "8", "--quiet", "--out", dir.toString());
        assertEquals(1, code);
        assertTrue(err.toString().contains("Diverged"), err.toString());
        double[] theta = ModelState.read(dir.resolve("model.json")).theta();
        for (double v : theta) {
            assertTrue(Double.isFinite(v));
        }
    }

    @Test
    void aNoiseConditionalModelIsSampledByAnnealedLangevinAndLandsNearTheData() throws Exception {
        Path dir = tmp.resolve("nc");
        assertEquals(0, run("train", "--dataset", "mixture2", "--model", "noise-conditional", "--objective",
                "denoising-multi", "--sigma", "0.5", "--sigma-max", "8", "--sigma-levels", "6", "--width", "32",
                "--lr", "0.01", "--steps", "400", "--batch", "128", "--quiet", "--out", dir.toString()), err.toString());
        Path s = tmp.resolve("nc.csv");
        assertEquals(0, run("sample", "--model", dir.resolve("model.json").toString(), "--n", "400", "--steps", "40",
                "--step-size", "0.05", "--radius", "8", "--out", s.toString()), err.toString());
        // mixture2: weights 0.8 / 0.2 at ±(5, 5); annealed samples find both modes in about that ratio
        int plus = 0;
        int minus = 0;
        for (double[] p : PointsCsv.read(s, 2)) {
            if (Math.hypot(p[0] - 5, p[1] - 5) < 2.5) {
                plus++;
            } else if (Math.hypot(p[0] + 5, p[1] + 5) < 2.5) {
                minus++;
            }
        }
        assertTrue(plus + minus > 300, "near a mode: " + (plus + minus));
        assertTrue(plus > 2 * minus && minus > 20, "mode split " + plus + " / " + minus);
    }

    @Test
    void sampleDrawsFiniteLangevinSamples() throws Exception {
        Path dir = tmp.resolve("m");
        assertEquals(0, run("train", "--width", "8", "--steps", "3", "--quiet", "--out", dir.toString()));
        Path s = tmp.resolve("s.csv");
        assertEquals(0, run("sample", "--model", dir.resolve("model.json").toString(), "--n", "50", "--steps", "20",
                "--out", s.toString()), err.toString());
        assertEquals(50, PointsCsv.read(s, 2).length);
    }

    @Test
    void resumingASavedRunIsBitIdenticalToNeverStopping() throws Exception {
        String[] common = {"--dataset", "8gaussians", "--objective", "sliced", "--width", "16", "--batch", "64",
            "--samples", "400", "--schedule", "constant", "--quiet"};
        Path whole = tmp.resolve("whole");
        Path first = tmp.resolve("first");
        Path second = tmp.resolve("second");
        assertEquals(0, run(concat(common, "--steps", "300", "--out", whole.toString())), err.toString());
        assertEquals(0, run(concat(common, "--steps", "150", "--out", first.toString())), err.toString());
        assertEquals(0, run("train", "--resume", first.resolve("session.scorescope").toString(), "--steps", "150",
                "--quiet", "--out", second.toString()), err.toString());
        assertArrayEquals(Files.readAllBytes(whole.resolve("model.json")), Files.readAllBytes(second.resolve("model.json")),
                "model.json bit for bit");
        List<String> a = Files.readAllLines(whole.resolve("metrics.csv"));
        List<String> b = Files.readAllLines(second.resolve("metrics.csv"));
        assertEquals(a.size(), b.size(), "metrics.csv runs on to step 300");
        for (int i = 0; i < a.size(); i++) {
            // every column but the timing (ms_per_step, the fifth); the nll on the last row too
            assertEquals(a.get(i).replaceAll("^((?:[^,]*,){4})[^,]*", "$1"), b.get(i).replaceAll("^((?:[^,]*,){4})[^,]*",
                    "$1"), "row " + i);
        }
        assertTrue(a.get(a.size() - 1).matches(".*,[-0-9.E]+$"), "the final nll: " + a.get(a.size() - 1));
        assertTrue(out.toString().contains("steps=300 "), out.toString());
        String[] lines = out.toString().strip().split("\n");
        assertEquals(lines[0].replaceAll(".* nll=(\\S+) .*", "$1"), lines[2].replaceAll(".* nll=(\\S+) .*", "$1"),
                "the resumed run's nll: the same held-out sample, drawn again\n" + out);
        assertEquals(2, run("train", "--resume", first.resolve("session.scorescope").toString(), "--width", "32",
                "--out", tmp.resolve("no").toString()));
        assertTrue(err.toString().contains("--width changes the model"), err.toString());
    }

    @Test
    void presetsStartFromALessonsSettings() throws Exception {
        Path dir = tmp.resolve("lesson");
        assertEquals(0, run("train", "--preset", "denoising-large-sigma", "--steps", "3", "--width", "8", "--quiet",
                "--out", dir.toString()), err.toString());
        SessionFile.Session s = SessionFile.read(dir.resolve("session.scorescope"));
        assertEquals(1.0, s.config().objective().sigma());
        assertEquals(8, s.config().model().width(), "options given override the preset");
        assertEquals(2, run("train", "--preset", "nope", "--out", tmp.resolve("x").toString()));
        assertTrue(err.toString().contains("'nope' is not one of"), err.toString());
    }

    @Test
    void eachModelKindGetsItsOwnDefaults() throws Exception {
        Path dir = tmp.resolve("flow");
        assertEquals(0, run("train", "--model", "flow", "--steps", "2", "--quiet", "--out", dir.toString()),
                err.toString());
        assertEquals(TrainingConfig.ObjectiveKind.MAX_LIKELIHOOD,
                SessionFile.read(dir.resolve("session.scorescope")).config().objective().kind());
    }

    @Test
    void aCsvRunHoldsOutASeededTenthThatItNeitherTrainsOnNorSaves() throws Exception {
        double[][] pts = new double[100][];
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < pts.length; i++) {
            pts[i] = new double[] {r.nextGaussian(), 0.5 * r.nextGaussian() + i * 1e-3};
        }
        Path csv = tmp.resolve("pts.csv");
        PointsCsv.write(csv, pts, "x", "y");
        String[] common = {"train", "--points", csv.toString(), "--width", "8", "--steps", "40", "--quiet", "--out"};
        assertEquals(0, run(concatAll(common, tmp.resolve("a").toString())), err.toString());
        assertEquals(0, run(concatAll(common, tmp.resolve("b").toString())), err.toString());
        assertEquals(0, run(concatAll(common, tmp.resolve("c").toString(), "--seed", "9")), err.toString());
        double[][] a = SessionFile.read(tmp.resolve("a/session.scorescope")).points();
        double[][] b = SessionFile.read(tmp.resolve("b/session.scorescope")).points();
        double[][] c = SessionFile.read(tmp.resolve("c/session.scorescope")).points();
        assertEquals(90, a.length, "the session keeps the 90 trained points");
        assertTrue(java.util.Arrays.deepEquals(a, b), "the split is seeded");
        assertFalse(java.util.Arrays.deepEquals(a, c), "another seed, another split");
        // the trained points are the file's rows in order, minus ten
        int j = 0;
        for (double[] p : pts) {
            if (j < a.length && java.util.Arrays.equals(p, a[j])) {
                j++;
            }
        }
        assertEquals(90, j);
        String[] lines = out.toString().strip().split("\n");
        assertEquals(3, lines.length, out.toString());
        for (String line : lines) {
            assertTrue(line.matches(".* fisher=n/a nll=[-0-9.e+]+ ms_per_step=.*"), line);
        }
        assertEquals(lines[0].replaceAll(".* nll=(\\S+) .*", "$1"), lines[1].replaceAll(".* nll=(\\S+) .*", "$1"));
        // resuming keeps training on the 90 points; their held-out tenth is not in the session
        assertEquals(0, run("train", "--resume", tmp.resolve("a/session.scorescope").toString(), "--steps", "5",
                "--quiet", "--out", tmp.resolve("d").toString()), err.toString());
        assertEquals(90, SessionFile.read(tmp.resolve("d/session.scorescope")).points().length);
        assertTrue(out.toString().strip().endsWith("out=" + tmp.resolve("d")) && out.toString().contains("nll=n/a"),
                out.toString());
        assertTrue(err.toString().contains("warning: no held-out likelihood"), err.toString());
    }

    @Test
    void aFlowsHeldOutNllIsExact() throws Exception {
        Path dir = tmp.resolve("flow-nll");
        assertEquals(0, run("train", "--model", "flow", "--width", "8", "--couplings", "2", "--steps", "20",
                "--quiet", "--out", dir.toString()), err.toString());
        double nll = Double.parseDouble(out.toString().replaceAll("(?s).* nll=(\\S+) .*", "$1"));
        SessionFile.Session s = SessionFile.read(dir.resolve("session.scorescope"));
        double direct = org.scorescope.analysis.Likelihood.meanNegLogLikelihood(s.model(),
                org.scorescope.train.Trainer.heldOut(s.config()), s.points());
        assertEquals(direct, nll, 1e-5 * Math.abs(direct));
        assertTrue(nll > 2.5 && nll < 6, "a barely trained flow on 8gaussians: " + nll);
    }

    private static String[] concatAll(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length + 1];
        r[0] = "train";
        System.arraycopy(a, 0, r, 1, a.length);
        System.arraycopy(b, 0, r, 1 + a.length, b.length);
        return r;
    }

    @Test
    void aRunThatEndsFarFromItsBestSaysSo() {
        double[] steps = {10, 20, 30};
        assertTrue(TrainCommand.degradation(new org.scorescope.train.Trainer.History(7.8, steps, new double[3],
                new double[] {1.0, 5.0, 11.3}, new double[3])).contains("more than twice the 1 of step 10"));
        assertEquals(null, TrainCommand.degradation(new org.scorescope.train.Trainer.History(7.8, steps, new double[3],
                new double[] {1.0, 0.9, 0.95}, new double[3])));
    }
}
