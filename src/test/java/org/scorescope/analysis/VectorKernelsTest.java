package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.scorescope.autodiff.Simd;

/**
 * The Vector API kernels against plain loops, at lengths and offsets that exercise full vectors, the
 * scalar tails and the empty case (any vector width: 2, 4 or 8 lanes). Tolerance 1e-14 relative to the
 * sum of |terms|: only the order of the additions and the fused roundings differ.
 */
class VectorKernelsTest {
    private static double[] gaussians(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    @Test
    void theTestJvmHasTheVectorApi() {
        assertTrue(Simd.available(), "tests must run with --add-modules jdk.incubator.vector (pom argLine)");
    }

    @Test
    void dotMatchesThePlainSum() {
        double[] a = gaussians(100, 1);
        double[] b = gaussians(60, 2);
        for (int n = 0; n <= 37; n++) {
            for (int off : new int[] {0, 3, 40}) {
                double ref = 0;
                double mag = 0;
                for (int i = 0; i < n; i++) {
                    ref += a[off + i] * b[i];
                    mag += Math.abs(a[off + i] * b[i]);
                }
                assertEquals(ref, VectorKernels.dot(a, off, b, n), 1e-14 * mag, "n = " + n + ", off = " + off);
            }
        }
    }

    @Test
    void subtractCombinationMatchesThePlainLoop() {
        int n = 23;
        for (int count = 0; count <= 9; count++) {
            double[] q = gaussians(count * n, 10 + count);
            double[] c = gaussians(Math.max(count, 1), 20 + count);
            for (int[] range : new int[][] {{0, n}, {3, 17}, {5, 5}, {22, 23}}) {
                double[] w = gaussians(n, 30);
                double[] ref = w.clone();
                double[] mag = new double[n];
                for (int r = 0; r < count; r++) {
                    for (int i = range[0]; i < range[1]; i++) {
                        ref[i] -= c[r] * q[r * n + i];
                        mag[i] += Math.abs(c[r] * q[r * n + i]);
                    }
                }
                VectorKernels.subtractCombination(q, count, n, c, w, range[0], range[1]);
                for (int i = 0; i < n; i++) {
                    assertEquals(ref[i], w[i], 1e-14 * (mag[i] + Math.abs(ref[i])), "count " + count + ", entry " + i);
                }
            }
        }
    }

    @Test
    void axpyDotRowsMatchesThePlainLoops() {
        for (int len : new int[] {0, 1, 7, 8, 15, 33}) {
            double[][] rows = new double[6][];
            for (int q = 0; q < 6; q++) {
                rows[q] = gaussians(len + 2, 40 + q); // longer than len: entries past len must be ignored
            }
            double[] coef = gaussians(4, 50);
            double[] x = gaussians(len, 51);
            double[] acc = gaussians(len, 52);
            double[] refAcc = acc.clone();
            double[] refDots = new double[4];
            for (int q = 1; q < 5; q++) {
                for (int j = 0; j < len; j++) {
                    refDots[q - 1] += rows[q][j] * x[j];
                    refAcc[j] += coef[q - 1] * rows[q][j];
                }
            }
            double[] dots = new double[4];
            VectorKernels.axpyDotRows(rows, 1, 5, coef, x, acc, dots, len);
            for (int q = 0; q < 4; q++) {
                assertEquals(refDots[q], dots[q], 1e-14 * (len + 1) * 4, "dot " + q + ", len " + len);
            }
            for (int j = 0; j < len; j++) {
                assertEquals(refAcc[j], acc[j], 1e-14 * 16, "acc " + j + ", len " + len);
            }
        }
    }

    @Test
    void symvUpperRowsMatchesTheFullSymmetricProduct() {
        for (int n : new int[] {1, 2, 5, 9, 20}) {
            double[] a = gaussians(n * n, 60 + n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    a[i * n + j] = a[j * n + i]; // symmetric, so the reference may read either triangle
                }
            }
            double[] v = gaussians(n, 70);
            for (int r0 = 0; r0 < n; r0 += 3) {
                // rows r0..n−1 of the upper triangle = the trailing block A[r0:, r0:]·v[r0:]
                double[] y = new double[n];
                VectorKernels.symvUpperRows(a, n, r0, n, v, y);
                for (int i = r0; i < n; i++) {
                    double ref = 0;
                    double mag = 0;
                    for (int j = r0; j < n; j++) {
                        ref += a[i * n + j] * v[j];
                        mag += Math.abs(a[i * n + j] * v[j]);
                    }
                    assertEquals(ref, y[i], 1e-14 * mag, "n " + n + ", r0 " + r0 + ", row " + i);
                }
            }
        }
    }
}
