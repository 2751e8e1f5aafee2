package org.scorescope.bench;

import java.util.Locale;
import org.scorescope.analysis.FactoredEnergyHessian;
import org.scorescope.analysis.HouseholderEigenvectors;
import org.scorescope.analysis.ParameterHessian;
import org.scorescope.analysis.ParameterHessianResult;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.ComputeThreads;
import org.scorescope.data.ToyDataset;
import org.scorescope.model.EnergyMlp;
import org.scorescope.objective.ExactScoreMatching;

/**
 * Cost of the parameter-Hessian analysis H = ∇²_θ L(θ) for softplus energy MLPs 2-W-W-1 under the exact
 * (Hyvärinen) objective on B points of the 8gaussians toy set: the dense Hessian from P batched
 * {@link FactoredEnergyHessian} factors (or, with {@code --engine true}, from P forward-over-reverse
 * Hessian-vector-product columns: the reference) ({@link ParameterHessian#assemble}), its eigen-decomposition
 * (eigenvalues only, {@link ParameterHessian#decompose}) and Lanczos top-k, each timed separately with
 * {@link BenchHarness} (median, IQR of wall time) together with the mean process CPU time per run (all threads),
 * which is what the work costs when the machine is shared.
 *
 * <p>Usage: {@code HessianBenchmark [--widths 32,64] [--batch 256] [--threads N] [--columns K]
 * [--warmup N] [--reps N] [--large-reps N] [--k 20] [--skip full|eig|lanczos|gn,...] [--scan-columns 8,16,32,64]
 * [--engine false] [--vectors true] [--dense-lu true]}. {@code --vectors} adds a table of eigenvectors on demand
 * ({@link HouseholderEigenvectors}) and {@code --dense-lu} the alternative's cost, one dense LU of H − λI. Engine-built models with P > 2000 use {@code --large-reps} timed repetitions and no warm-up (one build takes tens of
 * seconds). {@code --scan-columns} instead prints the per-column cost of one engine pass for each K, and of a
 * single unbatched product, for the first width.
 */
public final class HessianBenchmark {
    private HessianBenchmark() {
    }

    /** Process CPU time (all threads) in ms, or NaN where the JVM does not expose it. */
    private static double cpuMs() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1e6;
        }
        return Double.NaN;
    }

    /** Times a body with {@link BenchHarness} and also reports the mean process CPU time per run. */
    private static String[] timed(int warmup, int reps, java.util.function.Supplier<?> body) {
        double c0 = cpuMs();
        BenchHarness.Result r = BenchHarness.measure(warmup, reps, body);
        double cpu = (cpuMs() - c0) / (warmup + reps);
        return new String[] {r.cell(), BenchHarness.fmt(cpu), String.valueOf(r.medianMs())};
    }

    /**
     * Runs the benchmark and prints a markdown table.
     *
     * @param args see class comment
     */
    public static void main(String[] args) {
        int[] widths = {32, 64};
        int batch = 256;
        int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        int columns = 0;
        int warmup = 1;
        int reps = 5;
        boolean vectors = false;
        boolean denseLu = false;
        int largeReps = 3;
        int k = 20;
        String skip = "";
        int[] scan = null;
        boolean engine = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("HessianBenchmark: option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--widths" -> widths = BenchHarness.ints(v);
                case "--batch" -> batch = Integer.parseInt(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--columns" -> columns = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--reps" -> reps = Integer.parseInt(v);
                case "--large-reps" -> largeReps = Integer.parseInt(v);
                case "--k" -> k = Integer.parseInt(v);
                case "--skip" -> skip = v;
                case "--scan-columns" -> scan = BenchHarness.ints(v);
                case "--engine" -> engine = Boolean.parseBoolean(v);
                case "--vectors" -> vectors = Boolean.parseBoolean(v);
                case "--dense-lu" -> denseLu = Boolean.parseBoolean(v);
                default -> throw new IllegalArgumentException("HessianBenchmark: unknown option " + a + " (expected --widths,"
                        + " --batch, --threads, --columns, --warmup, --reps, --large-reps, --k, --skip, --scan-columns, --engine,"
                        + " --vectors, --dense-lu)");
            }
        }
        ComputeThreads.set(threads);
        double[][] points = ToyDataset.EIGHT_GAUSSIANS.sample(batch, 7);
        System.out.printf(Locale.ROOT, "# Parameter Hessian, softplus energy MLP 2-W-W-1, exact objective, %d points"
                + " (8gaussians), %d worker threads, %d available processors, Java %s%n%n", batch, threads,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        if (scan != null) {
            scanColumns(widths[0], points, scan);
            return;
        }
        StringBuilder table = new StringBuilder();
        StringBuilder vectorRows = new StringBuilder();
        table.append("| model | P | method | threads | Hessian build ms | build CPU ms | asymmetry | eig (values) ms"
                + " | eig CPU ms | Lanczos top-").append(k).append(" ms | Lanczos CPU ms | Lanczos products | span (decades)"
                + " | span above P·ε floor | negative | Gauss–Newton all P ms | GN span above floor |\n");
        table.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int w : widths) {
            EnergyMlp model = new EnergyMlp(2, w, 2, Activation.SOFTPLUS);
            int p = model.parameterCount();
            double[] theta = model.initialParameters(11);
            ParameterHessian ph = new ParameterHessian(model, new ExactScoreMatching(), points, 0).withThreads(threads)
                    .withStructure(!engine);
            if (columns > 0) {
                ph = ph.withColumnsPerPass(columns);
            }
            ParameterHessian hess = ph;
            boolean large = p > 2000 && !hess.structured();
            int wu = large ? 0 : warmup;
            int rp = large ? largeReps : reps;
            String build = "–";
            String buildCpu = "–";
            String asym = "–";
            String eigCell = "–";
            String eigCpu = "–";
            String span = "–";
            String spanFloor = "–";
            String neg = "–";
            if (!skip.contains("full")) {
                ParameterHessian.Dense[] last = new ParameterHessian.Dense[1];
                String[] b = timed(wu, rp, () -> last[0] = hess.assemble(theta));
                build = b[0];
                buildCpu = b[1];
                asym = String.format(Locale.ROOT, "%.1e", last[0].asymmetry());
                System.err.printf(Locale.ROOT, "P=%d build %s ms, CPU %s ms%n", p, b[0], b[1]);
                if (!skip.contains("eig")) {
                    ParameterHessian.Dense d = last[0];
                    ParameterHessianResult[] eig = new ParameterHessianResult[1];
                    // the decomposition consumes its input: each run decomposes a fresh copy (copy time included)
                    String[] e = timed(wu, rp, () -> eig[0] = ParameterHessian.decompose(new ParameterHessian.Dense(p,
                            d.entries().clone(), d.asymmetry(), d.millis(), d.threads()), false));
                    eigCell = e[0];
                    eigCpu = e[1];
                    ParameterHessianResult r = eig[0];
                    span = String.format(Locale.ROOT, "%.1f", r.spanDecades());
                    spanFloor = String.format(Locale.ROOT, "%.1f", r.spanAboveNoise());
                    neg = String.valueOf(r.negativeCount());
                    System.err.printf(Locale.ROOT, "P=%d eig %s ms, CPU %s ms%n", p, e[0], e[1]);
                    if (vectors) {
                        vectorRows.append(onDemandRow(w, p, d, wu, rp, denseLu, e[0] + ", CPU " + e[1]));
                    }
                }
                last[0] = null;
            }
            String lanczosCell = "–";
            String lanczosCpu = "–";
            String products = "–";
            if (!skip.contains("lanczos")) {
                int kk = k;
                ParameterHessianResult[] lr = new ParameterHessianResult[1];
                String[] l = timed(wu, rp, () -> lr[0] = hess.lanczos(theta, kk, 0, false,
                        ParameterHessian.KrylovSettings.defaults(kk)));
                lanczosCell = l[0] + (lr[0].converged() ? "" : " (not converged)");
                lanczosCpu = l[1];
                products = String.valueOf(lr[0].hessianVectorProducts());
                System.err.printf(Locale.ROOT, "P=%d Lanczos %s ms, CPU %s ms, %d products%n", p, l[0], l[1],
                        lr[0].hessianVectorProducts());
            }
            String gnCell = "–";
            String gnSpan = "–";
            if (!skip.contains("gn")) {
                ParameterHessian gn = hess.withCurvature(ParameterHessian.Curvature.GAUSS_NEWTON);
                ParameterHessianResult[] gr = new ParameterHessianResult[1];
                String[] g = timed(wu, rp, () -> gr[0] = gn.full(theta, false));
                gnCell = g[0];
                gnSpan = String.format(Locale.ROOT, "%.1f", gr[0].spanAboveNoise());
                System.err.printf(Locale.ROOT, "P=%d Gauss-Newton all P %s ms (build %d, Gram eig %d)%n", p, g[0],
                        gr[0].buildMillis(), gr[0].decomposeMillis());
            }
            table.append(String.format(Locale.ROOT,
                    "| 2-%d-%d-1 | %d | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    w, w, p, hess.structured() ? "factored" : "engine, K = " + hess.columnsPerPass(), threads, build, buildCpu, asym, eigCell, eigCpu, lanczosCell,
                    lanczosCpu, products, span, spanFloor, neg, gnCell, gnSpan));
        }
        System.out.print(table);
        if (vectors) {
            System.out.print("\n| model | P | eigenvalues only ms | eigenvalues + reflectors ms | mid-ladder eigenvector (above the floor) ms"
                    + " | top eigenvector ms | index P/2 eigenvector ms | max ‖Hv − λv‖/‖H‖ | dense LU of H − λI ms (EJML) |\n"
                    + "|---|---|---|---|---|---|---|---|---|\n" + vectorRows);
        }
    }

    /**
     * Eigenvectors on demand ({@link HouseholderEigenvectors}): the decomposition that keeps the reflectors, then
     * single eigenvectors at the middle of the rungs above the float64 floor, at the top and at index P/2, each checked
     * against the dense H; optionally the alternative, one dense LU factorization of H − λI (EJML), timed once.
     */
    private static String onDemandRow(int w, int p, ParameterHessian.Dense d, int wu, int rp, boolean denseLu,
                                      String valuesOnly) {
        HouseholderEigenvectors[] src = new HouseholderEigenvectors[1];
        String[] dec = timed(wu, rp, () -> src[0] = HouseholderEigenvectors.decompose(p, d.entries().clone()));
        double[] values = src[0].eigenvalues();
        double floor = src[0].noiseFloor();
        // the middle rung of those drawn above the floor, the top one, and the middle index P/2 (in the noise for an
        // initialized model, where clusters of equal eigenvalues are computed together)
        int above = 0;
        for (double v : values) {
            above += Math.abs(v) > floor ? 1 : 0;
        }
        int mid = 0;
        for (int i = 0, seen = 0; i < p; i++) {
            if (Math.abs(values[i]) > floor && seen++ == above / 2) {
                mid = i;
            }
        }
        int[] ks = {mid, p - 1, p / 2};
        String[] cells = new String[3];
        double worst = 0;
        double norm = Math.max(Math.abs(values[0]), Math.abs(values[p - 1]));
        org.scorescope.analysis.DenseSymmetric h = new org.scorescope.analysis.DenseSymmetric(p, d.entries());
        for (int q = 0; q < 3; q++) {
            int k = ks[q];
            cells[q] = timed(3, Math.max(rp, 9), () -> src[0].eigenpair(k))[0];
            org.scorescope.analysis.EigenvectorSource.Eigenpair e = src[0].eigenpair(k);
            worst = Math.max(worst, residual(h, e) / norm);
            System.err.printf(Locale.ROOT, "P=%d eigenvector %d (λ = %.3e, floor %.1e, gap %.1e) %s ms%n", p, k,
                    e.value(), floor, e.gap(), cells[q]);
        }
        String lu = "–";
        if (denseLu) {
            org.ejml.data.DMatrixRMaj m = new org.ejml.data.DMatrixRMaj(p, p);
            System.arraycopy(d.entries(), 0, m.data, 0, p * p);
            double lam = values[p / 2];
            for (int i = 0; i < p; i++) {
                m.data[i * p + i] -= lam;
            }
            lu = timed(0, 1, () -> org.ejml.dense.row.factory.DecompositionFactory_DDRM.lu(p, p).decompose(m.copy()))[0];
            System.err.printf(Locale.ROOT, "P=%d dense LU of H − λI %s ms%n", p, lu);
        }
        return String.format(Locale.ROOT, "| 2-%d-%d-1 | %d | %s | %s | %s | %s | %s | %.1e | %s |%n", w, w, p, valuesOnly,
                dec[0] + ", CPU " + dec[1], cells[0], cells[1], cells[2], worst, lu);
    }

    /** ‖A v − λ v‖₂. */
    private static double residual(org.scorescope.analysis.LinearOperator a, org.scorescope.analysis.EigenvectorSource.Eigenpair e) {
        double[] v = e.vector();
        double[] av = new double[v.length];
        a.apply(v, av);
        double ss = 0;
        for (int i = 0; i < v.length; i++) {
            double t = av[i] - e.value() * v[i];
            ss += t * t;
        }
        return Math.sqrt(ss);
    }

    /** Per-column cost of one engine pass of K batched tangents (single thread), and of one unbatched product. */
    private static void scanColumns(int width, double[][] points, int[] ks) {
        EnergyMlp model = new EnergyMlp(2, width, 2, Activation.SOFTPLUS);
        int p = model.parameterCount();
        double[] theta = model.initialParameters(11);
        ParameterHessian ph = new ParameterHessian(model, new ExactScoreMatching(), points, 0).withThreads(1);
        StringBuilder t = new StringBuilder();
        t.append("| 2-").append(width).append('-').append(width).append("-1, P = ").append(p)
                .append(" | pass ms | per column ms |\n|---|---|---|\n");
        double[] v = new double[p];
        double[] out = new double[p];
        for (int i = 0; i < p; i++) {
            v[i] = Math.sin(i + 1.0);
        }
        BenchHarness.Result single = BenchHarness.measure(3, 10, () -> {
            ph.hvp(theta, v, out);
            return out;
        });
        t.append(String.format(Locale.ROOT, "| single product (P) | %s | %s |%n", single.cell(),
                BenchHarness.fmt(single.medianMs())));
        for (int k : ks) {
            double[] vs = new double[k * p];
            for (int j = 0; j < k; j++) {
                vs[j * p + j] = 1;
            }
            double[] res = new double[k * p];
            BenchHarness.Result r = BenchHarness.measure(2, 5, () -> {
                ph.hvpBatch(theta, vs, k, res);
                return res;
            });
            t.append(String.format(Locale.ROOT, "| K = %d | %s | %s |%n", k, r.cell(), BenchHarness.fmt(r.medianMs() / k)));
            System.err.printf(Locale.ROOT, "K=%d done%n", k);
        }
        System.out.print(t);
    }
}
