package org.scorescope.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.eig.SymmetricQRAlgorithmDecomposition_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.scorescope.analysis.SymmetricTridiagonal;

/**
 * Wall time of the eigenvalues (no vectors) of a dense symmetric n × n matrix: {@link SymmetricTridiagonal}
 * at each requested thread count side by side with EJML's {@code SymmetricQRAlgorithmDecomposition_DDRM}
 * (what {@code SymmetricEigen} used before). The matrix is symmetric with N(0, 1) entries; every run
 * decomposes a fresh copy (the copy is not timed). Variants run round-robin so drifts in machine load hit
 * all alike; after warm-up rounds the median and IQR (Q3 − Q1) of the timed rounds are printed as a
 * markdown table, with the largest |λ − λ_EJML| / max|λ| seen.
 *
 * <p>Usage: {@code EigenBenchmark [--sizes 500,1185,2000,4417] [--threads 1,2] [--warmup 2] [--reps 5]
 * [--large-warmup 1] [--large-reps 5] [--large-n 2000] [--ejml-max-n 4417]}. Sizes above
 * {@code --large-n} use the {@code --large-*} counts; EJML is skipped above {@code --ejml-max-n}.
 */
public final class EigenBenchmark {
    private EigenBenchmark() {
    }

    private static double[] ejmlValues(int n, double[] a) {
        SymmetricQRAlgorithmDecomposition_DDRM eig =
                new SymmetricQRAlgorithmDecomposition_DDRM(DecompositionFactory_DDRM.tridiagonal(n), false);
        eig.setMaxIterations(Math.max(1000, 30 * n));
        if (!eig.decompose(DMatrixRMaj.wrap(n, n, a))) {
            throw new IllegalStateException("EJML failed for n = " + n);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = eig.getEigenvalue(i).real;
        }
        Arrays.sort(v);
        return v;
    }

    /** One timed variant: threads ≥ 1 for SymmetricTridiagonal, 0 for EJML. */
    private record Variant(String name, int threads) {
    }

    /**
     * Runs the benchmark and prints a markdown table.
     *
     * @param args see class comment
     */
    public static void main(String[] args) {
        int[] sizes = {500, 1185, 2000, 4417};
        int[] threads = {1, 2};
        int warmup = 2;
        int reps = 5;
        int largeWarmup = 1;
        int largeReps = 5;
        int largeN = 2000;
        int ejmlMaxN = 4417;
        for (int i = 0; i < args.length; i++) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("EigenBenchmark: option " + args[i] + " needs a value");
            }
            String v = args[++i];
            switch (args[i - 1]) {
                case "--sizes" -> sizes = BenchHarness.ints(v);
                case "--threads" -> threads = BenchHarness.ints(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--reps" -> reps = Integer.parseInt(v);
                case "--large-warmup" -> largeWarmup = Integer.parseInt(v);
                case "--large-reps" -> largeReps = Integer.parseInt(v);
                case "--large-n" -> largeN = Integer.parseInt(v);
                case "--ejml-max-n" -> ejmlMaxN = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("EigenBenchmark: unknown option " + args[i - 1]
                        + " (expected --sizes, --threads, --warmup, --reps, --large-warmup, --large-reps, --large-n, --ejml-max-n)");
            }
        }
        if (reps < 1 || largeReps < 1 || warmup < 0 || largeWarmup < 0) {
            throw new IllegalArgumentException("EigenBenchmark: need reps >= 1 and warmup >= 0");
        }
        System.out.printf(Locale.ROOT, "# Symmetric eigenvalues (no vectors), %d processors, %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
        System.out.println("| n | variant | median ms (IQR) | vs EJML | max rel. diff to EJML |");
        System.out.println("|---|---|---|---|---|");
        for (int n : sizes) {
            boolean large = n > largeN;
            int w = large ? largeWarmup : warmup;
            int r = large ? largeReps : reps;
            SplittableRandom rnd = new SplittableRandom(n);
            double[] a = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    double x = rnd.nextGaussian();
                    a[i * n + j] = x;
                    a[j * n + i] = x;
                }
            }
            List<Variant> variants = new ArrayList<>();
            for (int t : threads) {
                variants.add(new Variant("SymmetricTridiagonal, " + t + " thread" + (t == 1 ? "" : "s"), t));
            }
            boolean withEjml = n <= ejmlMaxN;
            if (withEjml) {
                variants.add(new Variant("EJML SymmetricQRAlgorithm", 0));
            }
            double[] work = new double[n * n];
            double[][] ms = new double[variants.size()][r];
            double[][] last = new double[variants.size()][];
            for (int round = 0; round < w + r; round++) {
                for (int k = 0; k < variants.size(); k++) {
                    System.arraycopy(a, 0, work, 0, a.length);
                    Variant v = variants.get(k);
                    long t0 = System.nanoTime();
                    last[k] = v.threads() == 0 ? ejmlValues(n, work) : SymmetricTridiagonal.eigenvalues(n, work, v.threads());
                    double dt = (System.nanoTime() - t0) / 1e6;
                    if (round >= w) {
                        ms[k][round - w] = dt;
                    }
                }
            }
            double ejmlMedian = Double.NaN;
            double[] ref = withEjml ? last[variants.size() - 1] : null;
            if (withEjml) {
                double[] t = ms[variants.size() - 1].clone();
                Arrays.sort(t);
                ejmlMedian = BenchHarness.quantile(t, 0.5);
            }
            for (int k = 0; k < variants.size(); k++) {
                double[] t = ms[k].clone();
                Arrays.sort(t);
                double med = BenchHarness.quantile(t, 0.5);
                double iqr = BenchHarness.quantile(t, 0.75) - BenchHarness.quantile(t, 0.25);
                String diff = "–";
                if (ref != null && variants.get(k).threads() != 0) {
                    double max = 0;
                    double err = 0;
                    for (int i = 0; i < n; i++) {
                        max = Math.max(max, Math.abs(ref[i]));
                        err = Math.max(err, Math.abs(ref[i] - last[k][i]));
                    }
                    diff = String.format(Locale.ROOT, "%.1e", err / max);
                }
                String speed = withEjml ? String.format(Locale.ROOT, "%.2f×", ejmlMedian / med) : "–";
                System.out.printf(Locale.ROOT, "| %d | %s | %s (IQR %s) | %s | %s |%n", n, variants.get(k).name(),
                        BenchHarness.fmt(med), BenchHarness.fmt(iqr), speed, diff);
            }
            System.out.flush();
        }
    }
}
