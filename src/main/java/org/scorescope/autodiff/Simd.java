package org.scorescope.autodiff;

/**
 * Whether the explicit-SIMD kernels may run: true when the JDK's Vector API module
 * ({@code jdk.incubator.vector}) was resolved at start-up and the system property
 * {@code scorescope.simd} is not {@code false}.
 *
 * <p>Why a switch: HotSpot C2 (JDK 17) auto-vectorises only the simplest loops (one stored array,
 * bare-indexed loads, no reductions). Loops that also reduce, such as the fused symmetric
 * matrix-vector product of the Householder tridiagonalization, run as scalar code at about 1 ns per
 * entry; written with {@code jdk.incubator.vector} they run 2.5–3× faster. The module is incubating in
 * JDK 17 and is resolved only when the launcher passes {@code --add-modules jdk.incubator.vector}
 * (the README's commands, the tests, the benchmarks and the packaged app do). Without it every
 * kernel falls back to its plain-Java loop, which gives the same results to rounding: classes that
 * use the Vector API are loaded only when this returns true. The gain needs C2: until a kernel is
 * compiled, the Vector API runs an allocating fallback, so a single cold call is no faster.
 */
public final class Simd {
    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equalsIgnoreCase(System.getProperty("scorescope.simd"));

    private Simd() {
    }

    /**
     * @return true when the Vector API kernels may be used (module resolved, not disabled by
     *         {@code -Dscorescope.simd=false})
     */
    public static boolean available() {
        return AVAILABLE;
    }
}
