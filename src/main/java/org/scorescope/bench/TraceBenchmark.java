package org.scorescope.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.LaplacianJet;
import org.scorescope.autodiff.Ops;
import org.scorescope.autodiff.Probe;
import org.scorescope.autodiff.ScoreOps;
import org.scorescope.autodiff.Tensor;

/**
 * Cost of the exact trace term of the score-matching loss, T(θ) = mean_b tr(∇ₓs(x_b)) with
 * s = −∇ₓE for an energy MLP D-64-64-1 (softplus), batch 256, AND of its θ-gradient (one reverse
 * pass over T), versus the input dimension D, for four methods:
 * nested reverse passes (D backward passes over s), forward tangents (divergence of s by D batched
 * tangents through the gradient computation: forward-over-reverse), the forward Laplacian jet, and
 * Hutchinson with one Rademacher probe (an estimate, for scale).
 *
 * <p>Usage: {@code TraceBenchmark [--dims 2,4,8,16,32,64] [--batch 256] [--warmup 3] [--reps 10]
 * [--only METHOD]}; prints a markdown table of medians (ms) and ratios versus nested. {@code --only i}
 * (0–3) times just method i (the others run once), for profiling.
 */
public final class TraceBenchmark {
    private static final int HIDDEN = 64;

    private TraceBenchmark() {
    }

    /** θ = [W1, b1, W2, b2, W3, b3] with torch.nn.Linear's U(−1/√in, 1/√in) initialisation. */
    static List<Tensor> initParams(int d, Random r) {
        List<Tensor> p = new ArrayList<>();
        int[][] layers = {{HIDDEN, d}, {HIDDEN, HIDDEN}, {1, HIDDEN}};
        for (int[] l : layers) {
            double bound = 1 / Math.sqrt(l[1]);
            p.add(Tensor.uniform(r, -bound, bound, l[0], l[1]).requiresGrad());
            p.add(Tensor.uniform(r, -bound, bound, l[0]).requiresGrad());
        }
        return p;
    }

    static Tensor energy(Tensor x, List<Tensor> p) {
        Tensor h = Ops.linear(x, p.get(0), p.get(1)).softplus();
        h = Ops.linear(h, p.get(2), p.get(3)).softplus();
        return Ops.linear(h, p.get(4), p.get(5));
    }

    static Tensor score(Tensor x, List<Tensor> p) {
        return ScoreOps.inputGradient(z -> energy(z, p), x).neg();
    }

    /** One method: the scalar trace term T for given x and θ. */
    interface Method {
        Tensor trace(Tensor x, List<Tensor> p);
    }

    static final String[] NAMES = {"nested reverse", "forward tangents", "forward Laplacian", "Hutchinson (1 probe)"};

    static Method method(int i) {
        switch (i) {
            case 0:
                return (x, p) -> ScoreOps.naiveDivergence(z -> score(z, p), x).mean();
            case 1:
                return (x, p) -> ScoreOps.divergence(z -> score(z, p), x).mean();
            case 2:
                return (x, p) -> LaplacianJet.input(x).affine(p.get(0), p.get(1)).activate(Activation.SOFTPLUS)
                        .affine(p.get(2), p.get(3)).activate(Activation.SOFTPLUS).affine(p.get(4), p.get(5))
                        .laplacianScalar().neg().mean();
            default:
                Random probes = new Random(17);
                return (x, p) -> ScoreOps.hutchinson(z -> score(z, p), x, 1, Probe.RADEMACHER, probes).mean();
        }
    }

    /** Trace term plus its θ-gradient: what one training step needs. */
    static List<Tensor> traceAndGrad(Method m, Tensor x, List<Tensor> p) {
        Tensor t = m.trace(x, p);
        List<Tensor> g = Grad.grad(List.of(t), p, null, false);
        List<Tensor> out = new ArrayList<>(g);
        out.add(t);
        return out;
    }

    /**
     * Runs the benchmark.
     *
     * @param args see class doc
     */
    public static void main(String[] args) {
        int[] dims = {2, 4, 8, 16, 32, 64};
        int batch = 256;
        int warmup = 3;
        int reps = 10;
        int only = -1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("TraceBenchmark: option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--dims":
                    String[] s = v.split(",");
                    dims = new int[s.length];
                    for (int k = 0; k < s.length; k++) {
                        dims[k] = Integer.parseInt(s[k].trim());
                    }
                    break;
                case "--batch":
                    batch = Integer.parseInt(v);
                    break;
                case "--warmup":
                    warmup = Integer.parseInt(v);
                    break;
                case "--reps":
                    reps = Integer.parseInt(v);
                    break;
                case "--only":
                    only = Integer.parseInt(v);
                    break;
                default:
                    throw new IllegalArgumentException("TraceBenchmark: unknown option " + a
                            + " (expected --dims, --batch, --warmup, --reps, --only)");
            }
        }
        System.out.printf(Locale.ROOT, "# Exact trace term + θ-gradient, energy MLP D-%d-%d-1 softplus, batch %d, "
                + "warmup %d, reps %d, %d available processors, Java %s%n%n", HIDDEN, HIDDEN, batch, warmup, reps,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        StringBuilder table = new StringBuilder();
        StringBuilder cpuTable = new StringBuilder();
        cpuTable.append("| D | nested reverse | forward tangents | forward Laplacian | Hutchinson (1 probe) |\n");
        cpuTable.append("|---|---|---|---|---|\n");
        table.append("| D | nested reverse ms | forward tangents ms | forward Laplacian ms | Hutchinson (1 probe) ms"
                + " | tangents / nested | Laplacian / nested | Hutchinson / nested |\n");
        table.append("|---|---|---|---|---|---|---|---|\n");
        for (int d : dims) {
            Random r = new Random(1000 + d);
            List<Tensor> p = initParams(d, r);
            Tensor x = Tensor.randn(r, batch, d);
            // Sanity: the three exact methods agree on the value and the gradient.
            double[] vals = new double[3];
            for (int m = 0; m < 3; m++) {
                vals[m] = traceAndGrad(method(m), x, p).get(6).item();
            }
            double spread = Math.max(Math.abs(vals[1] - vals[0]), Math.abs(vals[2] - vals[0]))
                    / Math.max(1e-300, Math.abs(vals[0]));
            BenchHarness.Result[] res = new BenchHarness.Result[4];
            if (only >= 0) {
                for (int m = 0; m < 4; m++) {
                    Method mm = method(m);
                    boolean skip = m != only;
                    res[m] = BenchHarness.measure(skip ? 0 : warmup, skip ? 1 : reps, () -> traceAndGrad(mm, x, p));
                }
            } else {
                List<Supplier<List<Tensor>>> bodies = new ArrayList<>();
                for (int m = 0; m < 4; m++) {
                    Method mm = method(m);
                    bodies.add(() -> traceAndGrad(mm, x, p));
                }
                res = BenchHarness.measureInterleaved(warmup, reps, bodies);
            }
            double base = res[0].medianMs();
            table.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %.3f | %.3f | %.3f |%n", d,
                    res[0].cell(), res[1].cell(), res[2].cell(), res[3].cell(), res[1].medianMs() / base,
                    res[2].medianMs() / base, res[3].medianMs() / base));
            cpuTable.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s |%n", d,
                    BenchHarness.fmt(res[0].cpuMedianMs()), BenchHarness.fmt(res[1].cpuMedianMs()),
                    BenchHarness.fmt(res[2].cpuMedianMs()), BenchHarness.fmt(res[3].cpuMedianMs())));
            System.err.printf(Locale.ROOT, "D=%d done (exact methods agree to %.1e relative)%n", d, spread);
        }
        System.out.println("Wall time per step, median (IQR) in ms:");
        System.out.println();
        System.out.print(table);
        System.out.println();
        System.out.println("Median CPU time of the benchmark thread per step in ms (less sensitive to other load):");
        System.out.println();
        System.out.print(cpuTable);
    }
}
