package org.scorescope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.scorescope.data.PointsCsv;

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

    // ---- flows and likelihoods ----

    /** A 2-D affine coupling flow: per coupling its mask and a tanh conditioner 1 → H → 2, weights random. */
    private record TestFlow(int[][] masks, double[][][] w1, double[][] b1, double[][][] w2, double[][] b2, double c) {
        static TestFlow random(int couplings, int hidden, double c, long seed) {
            Random r = new Random(seed);
            int[][] masks = new int[couplings][];
            double[][][] w1 = new double[couplings][hidden][1];
            double[][] b1 = new double[couplings][hidden];
            double[][][] w2 = new double[couplings][2][hidden];
            double[][] b2 = new double[couplings][2];
            for (int k = 0; k < couplings; k++) {
                masks[k] = k % 2 == 0 ? new int[] {1, 0} : new int[] {0, 1};
                for (int h = 0; h < hidden; h++) {
                    w1[k][h][0] = r.nextGaussian();
                    b1[k][h] = 0.5 * r.nextGaussian();
                    w2[k][0][h] = 0.6 * r.nextGaussian();
                    w2[k][1][h] = 0.8 * r.nextGaussian();
                }
                b2[k][0] = 0.3 * r.nextGaussian();
                b2[k][1] = 0.5 * r.nextGaussian();
            }
            return new TestFlow(masks, w1, b1, w2, b2, c);
        }

        /** f(x) = z, and in out[2] Σ log|det| as the formula gives it. */
        double[] forward(double[] x) {
            double[] z = x.clone();
            double logDet = 0;
            for (int k = 0; k < masks.length; k++) {
                int a = masks[k][0] == 1 ? 0 : 1;
                int b = 1 - a;
                double s = b2[k][0];
                double t = b2[k][1];
                for (int h = 0; h < b1[k].length; h++) {
                    double act = Math.tanh(w1[k][h][0] * z[a] + b1[k][h]);
                    s += w2[k][0][h] * act;
                    t += w2[k][1][h] * act;
                }
                s = c * Math.tanh(s / c);
                z[b] = (z[b] - t) * Math.exp(-s);
                logDet -= s;
            }
            return new double[] {z[0], z[1], logDet};
        }

        /** log q by the change of variables, the determinant by central differences of f (not the formula). */
        double logDensity(double[] x) {
            double[] z = forward(x);
            double h = 1e-5;
            double[][] jac = new double[2][2];
            for (int j = 0; j < 2; j++) {
                double[] p = x.clone();
                double[] m = x.clone();
                p[j] += h;
                m[j] -= h;
                double[] fp = forward(p);
                double[] fm = forward(m);
                for (int i = 0; i < 2; i++) {
                    jac[i][j] = (fp[i] - fm[i]) / (2 * h);
                }
            }
            double det = jac[0][0] * jac[1][1] - jac[0][1] * jac[1][0];
            return -0.5 * (z[0] * z[0] + z[1] * z[1]) - Math.log(2 * Math.PI) + Math.log(Math.abs(det));
        }

        /** log q with the determinant from the formula (exact in double). */
        double logDensityFormula(double[] x) {
            double[] z = forward(x);
            return -0.5 * (z[0] * z[0] + z[1] * z[1]) - Math.log(2 * Math.PI) + z[2];
        }

        void write(Path file) throws Exception {
            ObjectNode root = JSON.createObjectNode();
            root.put("format", "scorescope-model");
            root.put("version", 1);
            root.put("kind", "flow");
            root.put("inputDim", 2);
            root.put("activation", "tanh");
            root.put("scaleBound", c);
            ArrayNode cs = root.putArray("couplings");
            for (int k = 0; k < masks.length; k++) {
                ObjectNode cp = cs.addObject();
                ArrayNode m = cp.putArray("mask");
                m.add(masks[k][0]).add(masks[k][1]);
                ArrayNode layers = cp.putArray("layers");
                layers.add(layer(w1[k], b1[k]));
                layers.add(layer(w2[k], b2[k]));
            }
            Files.writeString(file, JSON.writeValueAsString(root));
        }

        private static ObjectNode layer(double[][] w, double[] b) {
            ObjectNode l = JSON.createObjectNode();
            ArrayNode rows = l.putArray("weight");
            for (double[] row : w) {
                ArrayNode r = rows.addArray();
                for (double v : row) {
                    r.add(v);
                }
            }
            ArrayNode bias = l.putArray("bias");
            for (double v : b) {
                bias.add(v);
            }
            return l;
        }
    }

    private static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).doubleValue();
        }
        return v;
    }

    @Test
    void aFlowsLogDensityScoreAndHessianMatchTheChangeOfVariables() throws Exception {
        TestFlow f = TestFlow.random(4, 5, 1.5, 7);
        Path model = tmp.resolve("flow.json");
        f.write(model);
        Random r = new Random(3);
        double[][] pts = new double[25][];
        for (int i = 0; i < pts.length; i++) {
            pts[i] = new double[] {1.5 * r.nextGaussian(), 1.5 * r.nextGaussian()};
        }
        Path csv = tmp.resolve("flow-points.csv");
        PointsCsv.write(csv, pts, "x", "y");
        Path out = tmp.resolve("flow-eval.json");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "eval", "--model", model.toString(), "--points", csv.toString(), "--out",
                out.toString()), err.toString());
        JsonNode doc = JSON.readTree(out.toFile());
        assertEquals("exact", doc.get("likelihoodMethod").asText());
        double sum = 0;
        double h = 1e-4;
        for (int i = 0; i < pts.length; i++) {
            JsonNode p = doc.get("points").get(i);
            double[] x = pts[i];
            double lq = p.get("logDensity").doubleValue();
            // the formula's log-determinant to rounding; the finite-difference determinant to ~1e-8
            assertEquals(f.logDensityFormula(x), lq, 1e-12 * (1 + Math.abs(lq)), "log q, point " + i);
            assertEquals(f.logDensity(x), lq, 1e-7, "log q by a finite-difference Jacobian determinant, point " + i);
            sum += lq;
            // score = ∇ log q and jacobian = ∇² log q, by central differences of the independent log q
            double[] score = doubles(p.get("score"));
            for (int j = 0; j < 2; j++) {
                double[] a = x.clone();
                double[] b = x.clone();
                a[j] += h;
                b[j] -= h;
                double fd = (f.logDensityFormula(a) - f.logDensityFormula(b)) / (2 * h);
                assertEquals(fd, score[j], 1e-6 * (1 + Math.abs(fd)), "score " + j + ", point " + i);
            }
            double[][] hess = new double[2][2];
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 2; k++) {
                    double[] pp = x.clone();
                    double[] pm = x.clone();
                    double[] mp = x.clone();
                    double[] mm = x.clone();
                    pp[j] += h;
                    pp[k] += h;
                    pm[j] += h;
                    pm[k] -= h;
                    mp[j] -= h;
                    mp[k] += h;
                    mm[j] -= h;
                    mm[k] -= h;
                    hess[j][k] = (f.logDensityFormula(pp) - f.logDensityFormula(pm) - f.logDensityFormula(mp)
                            + f.logDensityFormula(mm)) / (4 * h * h);
                    double got = p.get("jacobian").get(j).get(k).doubleValue();
                    assertEquals(hess[j][k], got, 1e-4 * (1 + Math.abs(got)), "Hessian " + j + k + ", point " + i);
                }
            }
            double[] eig = doubles(p.get("hessianEigenvalues"));
            assertEquals(hess[0][0] + hess[1][1], eig[0] + eig[1], 1e-4 * (1 + Math.abs(eig[0]) + Math.abs(eig[1])));
        }
        assertEquals(-sum / pts.length, doc.get("meanNegLogLikelihood").doubleValue(), 1e-12);
        // a flow's default objective is max-likelihood: the loss is the same mean NLL, its gradient per coupling
        assertEquals(doc.get("meanNegLogLikelihood").doubleValue(), doc.get("loss").doubleValue(), 1e-12);
        JsonNode grad = doc.get("lossGradient").get("couplings");
        assertEquals(4, grad.size());
        assertEquals(5, grad.get(0).get("layers").get(0).get("weight").size());
        assertEquals(2, grad.get(3).get("layers").get(1).get("bias").size());
    }

    @Test
    void aFlowsDensityIntegratesToOneAndRefusesAnHvp() throws Exception {
        TestFlow f = TestFlow.random(2, 3, 0.5, 11);
        Path model = tmp.resolve("flow2.json");
        f.write(model);
        int n = 161;
        double lo = -8;
        double step = 16.0 / (n - 1);
        double[][] grid = new double[n * n][];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                grid[i * n + j] = new double[] {lo + j * step, lo + i * step};
            }
        }
        Path csv = tmp.resolve("grid.csv");
        PointsCsv.write(csv, grid, "x", "y");
        Path out = tmp.resolve("grid-eval.json");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "eval", "--model", model.toString(), "--points", csv.toString(), "--objective",
                "exact", "--out", out.toString()), err.toString());
        JsonNode pts = JSON.readTree(out.toFile()).get("points");
        double mass = 0;
        for (int k = 0; k < grid.length; k++) {
            int i = k / n;
            int j = k % n;
            double wgt = (i == 0 || i == n - 1 ? 0.5 : 1) * (j == 0 || j == n - 1 ? 0.5 : 1);
            mass += wgt * Math.exp(pts.get(k).get("logDensity").doubleValue());
        }
        mass *= step * step;
        // trapezoid rule, h = 0.1 on [−8, 8]²; scales within e^±0.5 leave (far) under 1e-3 of the mass outside
        assertEquals(1.0, mass, 2e-3, "∫ q over [−8, 8]²");
        assertEquals(2, run(err, "eval", "--model", model.toString(), "--points", csv.toString(), "--hvp",
                golden("seed-sigmoid.v.json").toString(), "--out", tmp.resolve("no.json").toString()));
        assertTrue(err.toString().contains("not supported for flows"), err.toString());
    }

    @Test
    void anEnergysLikelihoodIsFiniteAndItsDensityIntegratesToAboutOne() throws Exception {
        Path dir = tmp.resolve("energy");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "train", "--dataset", "8gaussians", "--width", "16", "--steps", "300", "--batch", "128",
                "--quiet", "--out", dir.toString()), err.toString());
        Path model = dir.resolve("model.json");
        // held-out points: the generator at another seed
        Path held = tmp.resolve("held.csv");
        PointsCsv.write(held, org.scorescope.data.ToyDataset.fromId("8gaussians").sample(300, 99), "x", "y");
        Path out = tmp.resolve("energy-eval.json");
        assertEquals(0, run(err, "eval", "--model", model.toString(), "--points", held.toString(), "--out",
                out.toString()), err.toString());
        JsonNode doc = JSON.readTree(out.toFile());
        assertEquals("energy-quadrature", doc.get("likelihoodMethod").asText());
        double nll = doc.get("meanNegLogLikelihood").doubleValue();
        assertTrue(Double.isFinite(nll) && nll > 2.0 && nll < 6.0, "held-out NLL " + nll);
        assertTrue(doc.get("quadratureError").doubleValue() < 0.002, doc.toString().substring(0, 100));
        assertEquals(300, doc.get("points").size());
        assertTrue(doc.get("points").get(0).get("logDensity").isNumber());

        // ∫ q over [−L, L]² by the trapezoid rule on the points' own log q
        int n = 121;
        double lo = -9;
        double step = 18.0 / (n - 1);
        double[][] grid = new double[n * n][];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                grid[i * n + j] = new double[] {lo + j * step, lo + i * step};
            }
        }
        Path csv = tmp.resolve("energy-grid.csv");
        PointsCsv.write(csv, grid, "x", "y");
        Path gridOut = tmp.resolve("energy-grid.json");
        assertEquals(0, run(err, "eval", "--model", model.toString(), "--points", csv.toString(), "--out",
                gridOut.toString()), err.toString());
        JsonNode pts = JSON.readTree(gridOut.toFile()).get("points");
        double mass = 0;
        for (int k = 0; k < grid.length; k++) {
            int i = k / n;
            int j = k % n;
            double wgt = (i == 0 || i == n - 1 ? 0.5 : 1) * (j == 0 || j == n - 1 ? 0.5 : 1);
            mass += wgt * Math.exp(pts.get(k).get("logDensity").doubleValue());
        }
        mass *= step * step;
        // q is normalized over the grid's own box padded by 3 std (wider than [−9, 9]²); a trained energy keeps
        // nearly all its mass near the data (|x| ≲ 4), and h = 0.15 costs ~1e-3 in the trapezoid sum
        assertEquals(1.0, mass, 0.005, "∫ q over [−9, 9]² (measured 0.9995)");
    }
}
