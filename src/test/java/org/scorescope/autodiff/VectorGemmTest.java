package org.scorescope.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The register-blocked Vector API product ({@link VectorGemm}) against a plain triple loop and against
 * the packed-row loops ({@link Gemm#plain}), on random shapes that include edge tiles (m not a multiple
 * of 8, n not a multiple of 16), k-blocks (k &gt; 256, not a multiple of it), all four transpose
 * combinations, bias, and offsets into the operand arrays.
 *
 * <p>Tolerance: |C − C_ref| ≤ 1e-13 · (|bias_j| + Σ_p |op(A)_ip|·|op(B)_pj|) per element. Any order of
 * summation of k products, with or without FMA, is within k·ε (ε = 2⁻⁵³ ≈ 1.1e-16) of that bound's
 * scale; for k ≤ 600 that is ≤ 6.7e-14, so 1e-13 holds with margin and still catches a wrong or
 * missing term, which is of order 1 on Gaussian data.
 */
class VectorGemmTest {
    private final int threadsBefore = ComputeThreads.get();

    @AfterEach
    void restoreThreads() {
        ComputeThreads.set(threadsBefore);
    }

    private static void requireKernel() {
        assumeTrue(Gemm.REGISTER_BLOCKED, "register-blocked kernel not available (no 8-double vectors)");
    }

    private static double[] random(Random r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian();
        }
        return a;
    }

    /** Checks c against the triple loop, elementwise, with the tolerance of the class comment. */
    private static void assertMatches(String what, double[] a, int aOff, boolean ta, double[] b, int bOff,
                                      boolean tb, double[] c, int cOff, int m, int k, int n, double[] bias) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = bias == null ? 0 : bias[j];
                double scale = bias == null ? 0 : Math.abs(bias[j]);
                for (int p = 0; p < k; p++) {
                    double x = ta ? a[aOff + p * m + i] : a[aOff + i * k + p];
                    double y = tb ? b[bOff + j * k + p] : b[bOff + p * n + j];
                    s += x * y;
                    scale += Math.abs(x * y);
                }
                double got = c[cOff + i * n + j];
                double tol = 1e-13 * scale + Double.MIN_NORMAL;
                assertTrue(Math.abs(got - s) <= tol, what + ": C[" + i + "][" + j + "] = " + got + ", expected "
                        + s + " ± " + tol);
            }
        }
    }

    @Test
    void matchesTripleLoopOnRandomShapesIncludingEdgeTilesAndKBlocks() {
        requireKernel();
        Random r = new Random(17);
        int[][] fixed = {{8, 1, 16}, {8, 64, 64}, {9, 3, 17}, {15, 256, 31}, {7, 257, 16}, {64, 600, 64},
            {100, 64, 40}, {513, 2, 64}, {1, 5, 16}, {3, 1, 100}};
        for (int round = 0; round < 40 + fixed.length; round++) {
            int m;
            int k;
            int n;
            if (round < fixed.length) {
                m = fixed[round][0];
                k = fixed[round][1];
                n = fixed[round][2];
            } else {
                m = 1 + r.nextInt(90);
                k = 1 + r.nextInt(round % 5 == 0 ? 600 : 80);
                n = 1 + r.nextInt(90);
            }
            for (int variant = 0; variant < 4; variant++) {
                boolean ta = (variant & 1) != 0;
                boolean tb = (variant & 2) != 0;
                int aOff = r.nextInt(5);
                int bOff = r.nextInt(5);
                int cOff = r.nextInt(5);
                double[] a = random(r, aOff + m * k);
                double[] b = random(r, bOff + k * n);
                double[] bias = r.nextBoolean() ? random(r, n) : null;
                double[] c = random(r, cOff + m * n + 3);
                double[] guard = c.clone();
                VectorGemm.gemm(a, aOff, ta, b, bOff, tb, c, cOff, m, k, n, bias);
                String what = "m=" + m + " k=" + k + " n=" + n + " ta=" + ta + " tb=" + tb + " bias=" + (bias != null);
                assertMatches(what, a, aOff, ta, b, bOff, tb, c, cOff, m, k, n, bias);
                // Nothing outside C's m×n block is written.
                for (int q = 0; q < cOff; q++) {
                    assertTrue(c[q] == guard[q], what + ": wrote before C");
                }
                for (int q = cOff + m * n; q < c.length; q++) {
                    assertTrue(c[q] == guard[q], what + ": wrote after C");
                }
            }
        }
    }

    @Test
    void agreesWithPackedRowLoopsAndGemmDispatchesToIt() {
        requireKernel();
        Random r = new Random(23);
        int[][] shapes = {{512, 64, 64}, {64, 2048, 64}, {1536, 64, 64}, {37, 300, 50}};
        for (int[] sh : shapes) {
            int m = sh[0];
            int k = sh[1];
            int n = sh[2];
            double[] a = random(r, m * k);
            double[] b = random(r, k * n);
            double[] bias = random(r, n);
            double[] viaGemm = new double[m * n];
            double[] plain = new double[m * n];
            double[] direct = new double[m * n];
            Gemm.gemm(a, 0, false, b, 0, true, viaGemm, 0, m, k, n, bias);
            Gemm.plain(a, 0, false, b, 0, true, plain, 0, m, k, n, bias);
            VectorGemm.gemm(a, 0, false, b, 0, true, direct, 0, m, k, n, bias);
            assertArrayEquals(direct, viaGemm, 0.0, "Gemm.gemm uses the register-blocked kernel for m ≥ 8, n ≥ 16");
            assertMatches("vs triple loop " + m + "×" + k + "×" + n, a, 0, false, b, 0, true, direct, 0, m, k, n, bias);
            for (int q = 0; q < plain.length; q++) {
                assertTrue(Math.abs(plain[q] - direct[q]) <= 1e-12 * (1 + Math.abs(plain[q])),
                        "packed rows vs register-blocked at " + q + ": " + plain[q] + " vs " + direct[q]);
            }
        }
    }

    @Test
    void bitIdenticalForAnyThreadCount() {
        requireKernel();
        Random r = new Random(29);
        int[][] shapes = {{2048, 64, 64}, {64, 2048, 64}, {203, 70, 45}};
        for (int[] sh : shapes) {
            int m = sh[0];
            int k = sh[1];
            int n = sh[2];
            double[] a = random(r, m * k);
            double[] b = random(r, k * n);
            double[] bias = random(r, n);
            ComputeThreads.set(1);
            double[] one = new double[m * n];
            VectorGemm.gemm(a, 0, true, b, 0, false, one, 0, m, k, n, bias);
            for (int t : new int[] {2, 3, 8}) {
                ComputeThreads.set(t);
                double[] many = new double[m * n];
                VectorGemm.gemm(a, 0, true, b, 0, false, many, 0, m, k, n, bias);
                assertArrayEquals(one, many, 0.0, "threads=" + t + " shape " + m + "×" + k + "×" + n);
            }
        }
    }
}
