package org.scorescope.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.scorescope.autodiff.Blas;
import org.scorescope.autodiff.ComputeThreads;

/**
 * This machine's float64 limit and how close the matrix-product kernels come to it.
 *
 * <p><b>Peak.</b> {@code chains} independent FMA chains acc_c ← acc_c·x + y on 8-double (512-bit) and
 * 4-double (256-bit) vectors, {@code iters} rounds: 2 · lanes · chains · iters FLOP. With more chains than
 * the FMA latency × FMA units, the loop is bound by FMA throughput alone, so FLOP / time is the core's
 * float64 peak as the JIT can reach it. Single thread (the peak per core).
 *
 * <p><b>Products.</b> The shapes of one energy-model training step at D = 2, width 64, batch 512 (the
 * jet forward product 1536×64·(64×64)ᵀ, the backward 2048×64·64×64 and the weight gradient
 * (2048×64)ᵀ·2048×64, and the plain 512-row ones), each on the packed-row loops and on the
 * register-blocked kernel, round-robin, at 1 and 2 threads: 2·m·k·n FLOP per call.
 *
 * <p><b>Steps.</b> The product FLOP of one training step per objective, counted exactly by
 * {@link Blas#countFlops} (2·m·k·n per product; elementwise work is not counted), and the step's
 * median time at one thread: the achieved GFLOP/s and its share of the peak above.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp 'target/classes:target/libs/*'
 * org.scorescope.bench.FlopsBenchmark [--reps 30] [--threads 1,2] [--skip peak,products,steps]
 * [--steps-of "energy:exact:2 score:denoising:2 …"]}.
 */
public final class FlopsBenchmark {
    private FlopsBenchmark() {
    }

    private static final VectorSpecies<Double> S512 = DoubleVector.SPECIES_512;
    private static final VectorSpecies<Double> S256 = DoubleVector.SPECIES_256;

    /** Sink for the peak loops' results, so the JIT cannot drop them. */
    private static volatile double sink;

    /**
     * Entry point.
     *
     * @param args {@code --reps N} timed rounds (30), {@code --warmup N} (10), {@code --threads 1,2}
     */
    public static void main(String[] args) {
        int reps = 30;
        int warmup = 10;
        int[] threads = {1, 2};
        String stepConfigs = "energy:exact:2 energy:sliced:2 energy:sliced-vr:2 energy:denoising:2 score:exact:2 "
                + "score:sliced:2 score:sliced-vr:2 score:denoising:2 energy:exact:32 energy:exact:64 score:exact:64";
        String skip = "";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--reps" -> reps = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = BenchHarness.ints(args[i + 1]);
                case "--steps-of" -> stepConfigs = args[i + 1];
                case "--skip" -> skip = args[i + 1];
                default -> throw new IllegalArgumentException("FlopsBenchmark: unknown option " + args[i]);
            }
        }
        System.out.printf(Locale.ROOT, "# %s, Java %s, load average at start: %s%n", java.time.Instant.now(),
                System.getProperty("java.version"), loadAverage());
        double peak = Double.NaN;
        if (!skip.contains("peak")) {
            peak = peak(warmup, reps);
        }
        if (!skip.contains("products")) {
            products(warmup, reps, threads);
        }
        if (!skip.contains("steps")) {
            steps(stepConfigs, peak);
        }
        System.out.printf(Locale.ROOT, "# load average at end: %s%n", loadAverage());
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /**
     * Counts the product FLOP of one training step of each config exactly (one thread, after warm-up),
     * then times 200 steps at one thread (40 above D = 16) after 1000 (30) warm-up steps, as
     * {@code bench/compare.sh} does: C2 needs about a second of steps to compile the step's kernels.
     * GFLOP/s = product FLOP / median wall time.
     */
    private static void steps(String configs, double peak) {
        int saved = ComputeThreads.get();
        System.out.println();
        System.out.println("| step (1 thread, width 64, depth 2, batch 512, softplus) | product MFLOP/step | median ms (IQR) "
                + "| thread CPU ms | GFLOP/s (wall) | % of peak |");
        System.out.println("|---|---|---|---|---|---|");
        try {
            ComputeThreads.set(1);
            for (String c : configs.trim().split("\\s+")) {
                String[] f = c.split(":");
                TrainStepBenchmark.ModelKind kind = TrainStepBenchmark.ModelKind.valueOf(f[0].toUpperCase(Locale.ROOT));
                TrainStepBenchmark.ObjectiveKind obj = TrainStepBenchmark.ObjectiveKind.parse(f[1]);
                int dim = Integer.parseInt(f[2]);
                int steps = dim > 16 ? 40 : 200;
                TrainStepBenchmark.Config cfg = new TrainStepBenchmark.Config(kind, obj, dim, 64, 2, 512,
                        org.scorescope.autodiff.Activation.SOFTPLUS, 0.1, dim > 16 ? 30 : 1000, steps, 1);
                TrainStepBenchmark b = new TrainStepBenchmark(cfg);
                for (int i = 0; i < 3; i++) {
                    b.step();
                }
                Blas.resetFlops();
                Blas.countFlops(true);
                b.step();
                Blas.countFlops(false);
                long flop = Blas.countedFlops();
                TrainStepBenchmark.Result r = b.run();
                double gflops = flop / (r.medianMs() * 1e6);
                System.out.printf(Locale.ROOT, "| %s | %.2f | %.3f (%.3f) | %.3f | %.1f | %.0f %% |%n", cfg.describe(),
                        flop / 1e6, r.medianMs(), r.iqrMs(), r.cpuMedianMs(), gflops, 100 * gflops / peak);
            }
        } finally {
            ComputeThreads.set(saved);
        }
    }

    private static double peak(int warmup, int reps) {
        int iters = 2_000_000;
        System.out.println();
        System.out.println("| FMA peak loop (1 thread) | ms (IQR) | GFLOP/s |");
        System.out.println("|---|---|---|");
        BenchHarness.Result r512 = BenchHarness.measure(warmup, reps, () -> fma512(iters));
        BenchHarness.Result r256 = BenchHarness.measure(warmup, reps, () -> fma256(iters));
        row("512-bit, 16 chains", r512, 2.0 * 8 * 16 * iters);
        row("256-bit, 16 chains", r256, 2.0 * 4 * 16 * iters);
        return Math.max(2.0 * 8 * 16 * iters / (r512.medianMs() * 1e6), 2.0 * 4 * 16 * iters / (r256.medianMs() * 1e6));
    }

    private static void row(String name, BenchHarness.Result r, double flop) {
        System.out.printf(Locale.ROOT, "| %s | %s | %.1f |%n", name, r.cell(), flop / (r.medianMs() * 1e6));
    }

    private static Double fma512(int iters) {
        return fmaLoop512(iters);
    }

    private static Double fma256(int iters) {
        return fmaLoop256(iters);
    }

    /**
     * 16 independent chains: more than latency (4) × units (2) of any current x86 core. The species is a
     * constant in each copy because C2 compiles Vector API calls to instructions only for constant species.
     */
    private static double fmaLoop512(int iters) {
        DoubleVector x = DoubleVector.broadcast(S512, 0.999_999);
        DoubleVector y = DoubleVector.broadcast(S512, 1e-7);
        DoubleVector a0 = DoubleVector.broadcast(S512, 1.0);
        DoubleVector a1 = a0.add(0.01);
        DoubleVector a2 = a0.add(0.02);
        DoubleVector a3 = a0.add(0.03);
        DoubleVector a4 = a0.add(0.04);
        DoubleVector a5 = a0.add(0.05);
        DoubleVector a6 = a0.add(0.06);
        DoubleVector a7 = a0.add(0.07);
        DoubleVector a8 = a0.add(0.08);
        DoubleVector a9 = a0.add(0.09);
        DoubleVector a10 = a0.add(0.10);
        DoubleVector a11 = a0.add(0.11);
        DoubleVector a12 = a0.add(0.12);
        DoubleVector a13 = a0.add(0.13);
        DoubleVector a14 = a0.add(0.14);
        DoubleVector a15 = a0.add(0.15);
        for (int i = 0; i < iters; i++) {
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
            a8 = a8.fma(x, y);
            a9 = a9.fma(x, y);
            a10 = a10.fma(x, y);
            a11 = a11.fma(x, y);
            a12 = a12.fma(x, y);
            a13 = a13.fma(x, y);
            a14 = a14.fma(x, y);
            a15 = a15.fma(x, y);
        }
        double r = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10)
                .add(a11).add(a12).add(a13).add(a14).add(a15).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        sink = r;
        return r;
    }

    /** As {@link #fmaLoop512} on 4-double vectors. */
    private static double fmaLoop256(int iters) {
        DoubleVector x = DoubleVector.broadcast(S256, 0.999_999);
        DoubleVector y = DoubleVector.broadcast(S256, 1e-7);
        DoubleVector a0 = DoubleVector.broadcast(S256, 1.0);
        DoubleVector a1 = a0.add(0.01);
        DoubleVector a2 = a0.add(0.02);
        DoubleVector a3 = a0.add(0.03);
        DoubleVector a4 = a0.add(0.04);
        DoubleVector a5 = a0.add(0.05);
        DoubleVector a6 = a0.add(0.06);
        DoubleVector a7 = a0.add(0.07);
        DoubleVector a8 = a0.add(0.08);
        DoubleVector a9 = a0.add(0.09);
        DoubleVector a10 = a0.add(0.10);
        DoubleVector a11 = a0.add(0.11);
        DoubleVector a12 = a0.add(0.12);
        DoubleVector a13 = a0.add(0.13);
        DoubleVector a14 = a0.add(0.14);
        DoubleVector a15 = a0.add(0.15);
        for (int i = 0; i < iters; i++) {
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
            a8 = a8.fma(x, y);
            a9 = a9.fma(x, y);
            a10 = a10.fma(x, y);
            a11 = a11.fma(x, y);
            a12 = a12.fma(x, y);
            a13 = a13.fma(x, y);
            a14 = a14.fma(x, y);
            a15 = a15.fma(x, y);
        }
        double r = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10)
                .add(a11).add(a12).add(a13).add(a14).add(a15).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        sink = r;
        return r;
    }

    /** One product shape: C[m×n] = op(A)·op(B). */
    private record Shape(String name, boolean ta, boolean tb, int m, int k, int n) {
    }

    private static void products(int warmup, int reps, int[] threads) {
        List<Shape> shapes = List.of(
                new Shape("jet forward NT 1536×64·(64×64)ᵀ", false, true, 1536, 64, 64),
                new Shape("jet backward NN 2048×64·64×64", false, false, 2048, 64, 64),
                new Shape("jet weight grad TN (2048×64)ᵀ·2048×64", true, false, 64, 2048, 64),
                new Shape("layer forward NT 512×64·(64×64)ᵀ", false, true, 512, 64, 64),
                new Shape("layer backward NN 512×64·64×64", false, false, 512, 64, 64),
                new Shape("layer weight grad TN (512×64)ᵀ·512×64", true, false, 64, 512, 64));
        boolean rb = Blas.registerBlockedAvailable();
        int saved = ComputeThreads.get();
        Random rng = new Random(5);
        System.out.println();
        System.out.println("| product | threads | packed rows ms (IQR) | GFLOP/s | register-blocked ms (IQR) | GFLOP/s | speed-up |");
        System.out.println("|---|---|---|---|---|---|---|");
        try {
            for (int t : threads) {
                ComputeThreads.set(t);
                for (Shape s : shapes) {
                    double[] a = random(rng, s.m * s.k);
                    double[] b = random(rng, s.k * s.n);
                    double[] c = new double[s.m * s.n];
                    int calls = (int) Math.max(1, 20_000_000L / (2L * s.m * s.k * s.n));
                    List<Supplier<?>> bodies = new ArrayList<>();
                    bodies.add(() -> {
                        for (int q = 0; q < calls; q++) {
                            Blas.gemm(Blas.Kernel.PACKED_ROWS, a, 0, s.ta, b, 0, s.tb, c, 0, s.m, s.k, s.n);
                        }
                        return c;
                    });
                    if (rb) {
                        bodies.add(() -> {
                            for (int q = 0; q < calls; q++) {
                                Blas.gemm(Blas.Kernel.REGISTER_BLOCKED, a, 0, s.ta, b, 0, s.tb, c, 0, s.m, s.k, s.n);
                            }
                            return c;
                        });
                    }
                    BenchHarness.Result[] r = BenchHarness.measureInterleaved(warmup, reps, bodies);
                    double flop = 2.0 * s.m * s.k * s.n * calls;
                    double g0 = flop / (r[0].medianMs() * 1e6);
                    if (rb) {
                        double g1 = flop / (r[1].medianMs() * 1e6);
                        System.out.printf(Locale.ROOT, "| %s | %d | %s | %.1f | %s | %.1f | %.2f |%n", s.name, t,
                                per(r[0], calls), g0, per(r[1], calls), g1, r[0].medianMs() / r[1].medianMs());
                    } else {
                        System.out.printf(Locale.ROOT, "| %s | %d | %s | %.1f | – | – | – |%n", s.name, t,
                                per(r[0], calls), g0);
                    }
                }
            }
        } finally {
            ComputeThreads.set(saved);
        }
    }

    /** Per-call median (IQR) of a result that timed {@code calls} calls. */
    private static String per(BenchHarness.Result r, int calls) {
        return String.format(Locale.ROOT, "%.3f (%.3f)", r.medianMs() / calls, r.iqrMs() / calls);
    }

    private static double[] random(Random rng, int len) {
        double[] v = new double[len];
        for (int i = 0; i < len; i++) {
            v[i] = rng.nextGaussian();
        }
        return v;
    }
}
