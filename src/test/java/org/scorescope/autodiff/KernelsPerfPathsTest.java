package org.scorescope.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fast kernels behind the engine: packed-row GEMM (every code path: wide, narrow, transposed,
 * swapped narrow, k-blocked, bias), the vectorised exp/log1p, the fused activation derivatives, and
 * the thread pool — against plain reference loops, {@link StrictMath} and closed forms, and for
 * bit-identical results at 1 and several threads.
 */
class KernelsPerfPathsTest {
    private final int threadsBefore = ComputeThreads.get();

    @AfterEach
    void restoreThreads() {
        ComputeThreads.set(threadsBefore);
    }

    private static double[] random(Random r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian();
        }
        return a;
    }

    /** C = op(A)·op(B) + bias by the textbook triple loop. */
    private static double[] reference(double[] a, boolean ta, double[] b, boolean tb, int m, int k, int n, double[] bias) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = bias == null ? 0 : bias[j];
                for (int p = 0; p < k; p++) {
                    double x = ta ? a[p * m + i] : a[i * k + p];
                    double y = tb ? b[j * k + p] : b[p * n + j];
                    s += x * y;
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    @Test
    void gemmMatchesTripleLoopOnEveryPath() {
        Random r = new Random(3);
        // (m, k, n): wide, narrow (n < 8), k = 0/1/2, long k (blocked), large m (parallel chunks)
        int[][] shapes = {{5, 7, 9}, {1, 1, 1}, {13, 3, 1}, {64, 512, 2}, {512, 2, 64}, {3, 0, 4}, {37, 1200, 11},
            {700, 64, 64}, {64, 700, 64}, {9, 5, 7}, {17, 40000, 3}};
        for (int[] sh : shapes) {
            int m = sh[0];
            int k = sh[1];
            int n = sh[2];
            for (int flags = 0; flags < 8; flags++) {
                boolean ta = (flags & 1) != 0;
                boolean tb = (flags & 2) != 0;
                double[] bias = (flags & 4) != 0 ? random(r, n) : null;
                double[] a = random(r, m * k + 3);
                double[] b = random(r, k * n + 5);
                // Offsets into larger arrays, as batched products use them.
                double[] aOff = new double[a.length + 3];
                System.arraycopy(a, 0, aOff, 3, a.length);
                double[] bOff = new double[b.length + 5];
                System.arraycopy(b, 0, bOff, 5, b.length);
                double[] ref = reference(a, ta, b, tb, m, k, n, bias);
                double[] c = new double[m * n + 2];
                java.util.Arrays.fill(c, Double.NaN);
                Gemm.gemm(aOff, 3, ta, bOff, 5, tb, c, 2, m, k, n, bias);
                double scale = Math.sqrt(k + 1.0);
                for (int i = 0; i < m * n; i++) {
                    assertEquals(ref[i], c[2 + i], 1e-12 * scale, "m=" + m + " k=" + k + " n=" + n + " flags=" + flags);
                }
                assertTrue(Double.isNaN(c[0]) && Double.isNaN(c[1]), "wrote before its offset");
            }
        }
    }

    @Test
    void resultsAreBitIdenticalForAnyThreadCount() {
        Random r = new Random(5);
        int m = 900;
        int k = 70;
        int n = 66;
        double[] a = random(r, m * k);
        double[] b = random(r, k * n);
        double[] bias = random(r, n);
        ComputeThreads.set(1);
        double[] c1 = new double[m * n];
        Gemm.gemm(a, 0, false, b, 0, true, c1, 0, m, k, n, bias);
        double[] t1 = new double[k * n];
        Gemm.gemm(a, 0, true, random(new Random(6), m * n), 0, false, t1, 0, k, m, n, null);
        double[] z = random(r, 50_000);
        double[] s1 = new double[z.length];
        double[] d1 = new double[z.length];
        ActivationKernels.eval(Activation.SOFTPLUS, z, z.length, s1, d1, null, null);
        for (int threads : new int[] {2, 3, 8}) {
            ComputeThreads.set(threads);
            double[] c = new double[m * n];
            Gemm.gemm(a, 0, false, b, 0, true, c, 0, m, k, n, bias);
            assertArrayEquals(c1, c, "NT product, " + threads + " threads");
            double[] t = new double[k * n];
            Gemm.gemm(a, 0, true, random(new Random(6), m * n), 0, false, t, 0, k, m, n, null);
            assertArrayEquals(t1, t, "TN product, " + threads + " threads");
            double[] s = new double[z.length];
            double[] d = new double[z.length];
            ActivationKernels.eval(Activation.SOFTPLUS, z, z.length, s, d, null, null);
            assertArrayEquals(s1, s, "softplus, " + threads + " threads");
            assertArrayEquals(d1, d, "sigmoid, " + threads + " threads");
        }
    }

    @Test
    void parallelRunsEveryChunkOnceAndRethrows() {
        ComputeThreads.set(4);
        int chunks = 1000;
        AtomicInteger[] hits = new AtomicInteger[chunks];
        for (int i = 0; i < chunks; i++) {
            hits[i] = new AtomicInteger();
        }
        Parallel.forChunks(chunks, q -> hits[q].incrementAndGet());
        for (int i = 0; i < chunks; i++) {
            assertEquals(1, hits[i].get(), "chunk " + i);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forChunks(64, q -> {
            if (q == 17) {
                throw new IllegalStateException("chunk 17 failed");
            }
        }));
        assertEquals("chunk 17 failed", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ComputeThreads.set(0));
    }

    @Test
    void vectorisedExpAndLog1pAreWithinOneUlpOfStrictMath() {
        Random r = new Random(11);
        int n = 200_000;
        double[] x = new double[n];
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 3 == 0 ? -r.nextDouble() * 745 : -r.nextDouble() * 3;
            u[i] = i % 3 == 0 ? Math.pow(10, -r.nextDouble() * 300) : r.nextDouble();
        }
        x[0] = 0;
        x[1] = -1e-300;
        u[0] = 0;
        u[1] = 1;
        double[] e = x.clone();
        ActivationKernels.expNonPositive(e, new double[n], 0, n);
        double[] l = new double[n];
        ActivationKernels.log1pUnit(u, l, 0, n);
        for (int i = 0; i < n; i++) {
            double re = StrictMath.exp(x[i]);
            assertTrue(Math.abs(e[i] - re) <= Math.ulp(re), "exp(" + x[i] + ") = " + e[i] + " vs " + re);
            double rl = StrictMath.log1p(u[i]);
            assertTrue(Math.abs(l[i] - rl) <= Math.ulp(rl), "log1p(" + u[i] + ") = " + l[i] + " vs " + rl);
        }
        double[] special = {Double.NaN, Double.NEGATIVE_INFINITY, -800};
        ActivationKernels.expNonPositive(special, new double[3], 0, 3);
        assertTrue(Double.isNaN(special[0]));
        assertEquals(0.0, special[1]);
        assertEquals(0.0, special[2]);
    }

    @Test
    void fusedActivationDerivativesMatchClosedFormsAndFiniteDifferences() {
        double[] z = {-745, -40, -20, -3.5, -1, -1e-9, -0.0, 0.0, 1e-9, 0.3, 1, 2.5, 20, 40, 700};
        int n = z.length;
        for (Activation a : Activation.values()) {
            double[][] o = new double[4][n];
            ActivationKernels.eval(a, z, n, o[0], o[1], o[2], o[3]);
            for (int i = 0; i < n; i++) {
                double zi = z[i];
                assertEquals(phi(a, zi), o[0][i], 4e-16 * Math.max(1, Math.abs(phi(a, zi))), a + " φ(" + zi + ")");
                // Each derivative against a central difference of the previous one (away from ELU's kink).
                boolean smooth = Math.abs(zi) <= 40 && !(a == Activation.ELU && Math.abs(zi) < 1e-3);
                for (int order = 1; order <= 3 && smooth; order++) {
                    double h = 1e-5;
                    double[][] ol = new double[4][1];
                    double[][] oh = new double[4][1];
                    ActivationKernels.eval(a, new double[] {zi - h}, 1, ol[0], ol[1], ol[2], ol[3]);
                    ActivationKernels.eval(a, new double[] {zi + h}, 1, oh[0], oh[1], oh[2], oh[3]);
                    double fd = (oh[order - 1][0] - ol[order - 1][0]) / (2 * h);
                    assertEquals(fd, o[order][i], 1e-7 * Math.max(1, Math.abs(fd)), a + " order " + order + " at " + zi);
                }
            }
        }
        // Tails keep relative accuracy: σ'(z) = e^{−|z|}/(1+e^{−|z|})² even where 1 − σ underflows.
        double[] d = new double[1];
        ActivationKernels.eval(Activation.SIGMOID, new double[] {40}, 1, null, d, null, null);
        assertEquals(Math.exp(-40) / Math.pow(1 + Math.exp(-40), 2), d[0], 1e-15 * d[0]);
    }

    /** Reference values of φ from java.lang.Math and the existing erfc. */
    private static double phi(Activation a, double z) {
        switch (a) {
            case SOFTPLUS: return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
            case TANH: return Math.tanh(z);
            case SIGMOID: return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
            case SILU: return z * (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
            case ELU: return z > 0 ? z : Math.expm1(z);
            case GELU: return z * 0.5 * Erf.erfc(-z / Math.sqrt(2));
            default: return z;
        }
    }
}
