package org.scorescope.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Paired A/B of two builds of the engine on the same training step, in one JVM: build A (this
 * checkout's classes) and build B (another checkout's compiled classes) are loaded by two isolated
 * class loaders, each runs its own {@link TrainStepBenchmark}, and blocks of steps alternate A, B, B, A,
 * … on the calling thread. Per block the thread CPU time per step is recorded (or with {@code --wall} the
 * wall time, which counts the helper threads' work as the caller waits for it: the figure for more than one
 * compute thread); the result is each side's median and the median of the per-block ratios A/B with its
 * quartiles.
 *
 * <p>Why: on a shared machine the load changes within seconds, so two separate runs (even
 * alternating, as {@code bench/ab.sh} does) differ by more than the change being measured; blocks of a
 * few dozen steps side by side see the same load, and the paired ratio cancels most of it.
 *
 * <p>Run (build B's classes first, e.g. {@code git worktree add /tmp/base COMMIT && (cd /tmp/base && mvn
 * -B -q compile)}): {@code java --add-modules jdk.incubator.vector -cp 'target/classes:target/libs/*'
 * org.scorescope.bench.PairedStepAb --base /tmp/base/target/classes [--threads 1] [--blocks 40]
 * [--per 25] [--wall] energy:exact:2 energy:denoising:2 …}
 */
public final class PairedStepAb {
    private PairedStepAb() {
    }

    /**
     * Entry point.
     *
     * @param args {@code --base DIR} (required), {@code --threads N} (1), {@code --blocks N} (40),
     *             {@code --per N} steps per block (25), {@code --wall} (time per step by the wall clock
     *             instead of the calling thread's CPU), then configs model:objective:D
     * @throws Exception when a build cannot be loaded or a step fails
     */
    public static void main(String[] args) throws Exception {
        String base = null;
        int threads = 1;
        int blocks = 40;
        int per = 25;
        boolean wall = false;
        List<String> configs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--base" -> base = args[++i];
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--blocks" -> blocks = Integer.parseInt(args[++i]);
                case "--per" -> per = Integer.parseInt(args[++i]);
                case "--wall" -> wall = true;
                default -> configs.add(args[i]);
            }
        }
        if (base == null || configs.isEmpty()) {
            throw new IllegalArgumentException("PairedStepAb: --base DIR and at least one model:objective:D are required");
        }
        Path self = Paths.get(PairedStepAb.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path libs = self.resolveSibling("libs");
        System.out.printf(Locale.ROOT, "# %s, A = %s, B = %s, %d thread(s), %d blocks of %d steps, load average %s%n",
                java.time.Instant.now(), self, base, threads, blocks, per, FlopsBenchmark.loadAverage());
        String clock = wall ? "wall" : "CPU";
        System.out.println("| config | A " + clock + " ms/step (median) | B " + clock
                + " ms/step (median) | A/B paired median [q1, q3] |");
        System.out.println("|---|---|---|---|");
        for (String c : configs) {
            run(c, self, Paths.get(base), libs, threads, blocks, per, wall);
        }
        System.out.printf(Locale.ROOT, "# load average at end: %s%n", FlopsBenchmark.loadAverage());
    }

    private static void run(String config, Path a, Path b, Path libs, int threads, int blocks, int per,
            boolean wall) throws Exception {
        String[] f = config.split(":");
        int dim = Integer.parseInt(f[2]);
        Object[] bench = {make(loader(a, libs), f[0], f[1], dim, threads), make(loader(b, libs), f[0], f[1], dim, threads)};
        Method[] step = {bench[0].getClass().getMethod("step"), bench[1].getClass().getMethod("step")};
        int warm = dim > 16 ? 30 : 1000;
        for (int i = 0; i < warm; i++) {
            step[0].invoke(bench[0]);
            step[1].invoke(bench[1]);
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[][] cpu = new double[2][blocks];
        for (int k = 0; k < blocks; k++) {
            for (int j = 0; j < 2; j++) {
                int s = k % 2 == 0 ? j : 1 - j;
                long c0 = wall ? System.nanoTime() : mx.getCurrentThreadCpuTime();
                for (int i = 0; i < per; i++) {
                    step[s].invoke(bench[s]);
                }
                long c1 = wall ? System.nanoTime() : mx.getCurrentThreadCpuTime();
                cpu[s][k] = (c1 - c0) / 1e6 / per;
            }
        }
        double[] ratio = new double[blocks];
        for (int k = 0; k < blocks; k++) {
            ratio[k] = cpu[0][k] / cpu[1][k];
        }
        Arrays.sort(cpu[0]);
        Arrays.sort(cpu[1]);
        Arrays.sort(ratio);
        System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.3f [%.3f, %.3f] |%n", config, BenchHarness.quantile(cpu[0], 0.5),
                BenchHarness.quantile(cpu[1], 0.5), BenchHarness.quantile(ratio, 0.5), BenchHarness.quantile(ratio, 0.25),
                BenchHarness.quantile(ratio, 0.75));
    }

    /** A TrainStepBenchmark of the given build (softplus, width 64, depth 2, batch 512). */
    private static Object make(ClassLoader cl, String model, String objective, int dim, int threads) throws Exception {
        Class<?> tb = cl.loadClass(TrainStepBenchmark.class.getName());
        Class<?> mk = cl.loadClass(TrainStepBenchmark.ModelKind.class.getName());
        Class<?> ok = cl.loadClass(TrainStepBenchmark.ObjectiveKind.class.getName());
        Class<?> act = cl.loadClass("org.scorescope.autodiff.Activation");
        Class<?> cfg = cl.loadClass(TrainStepBenchmark.Config.class.getName());
        Object m = mk.getMethod("valueOf", String.class).invoke(null, model.toUpperCase(Locale.ROOT));
        Object o = ok.getMethod("parse", String.class).invoke(null, objective);
        Object a = act.getMethod("valueOf", String.class).invoke(null, "SOFTPLUS");
        Constructor<?> cc = cfg.getConstructors()[0];
        Object c = cc.newInstance(m, o, dim, 64, 2, 512, a, 0.1, 0, 1, 1L);
        cl.loadClass("org.scorescope.autodiff.ComputeThreads").getMethod("set", int.class).invoke(null, threads);
        return tb.getConstructor(cfg).newInstance(c);
    }

    /** Classes of one build plus the shared dependency jars, isolated from the application class path. */
    private static URLClassLoader loader(Path classes, Path libs) throws Exception {
        List<URL> urls = new ArrayList<>();
        urls.add(classes.toUri().toURL());
        if (Files.isDirectory(libs)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(libs, "*.jar")) {
                for (Path p : ds) {
                    urls.add(p.toUri().toURL());
                }
            }
        }
        return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    }
}
