package org.scorescope.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Vector API activation kernels against the plain loops they replace: bit-identical results
 * (assertEquals on doubles compares bits, NaN as NaN, −0 apart from +0) over the whole double range —
 * ±large, ±0, subnormals, NaN, ±∞, the underflow edge of exp — for every subset of requested outputs and
 * lengths that leave a scalar remainder; exp and log1p also within 1 ulp of {@link StrictMath}.
 */
class VectorActivationKernelsTest {
    private static final double[] SPECIAL = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
        Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, -Double.MIN_NORMAL, 1e-310, -1e-310, Double.MAX_VALUE,
        -Double.MAX_VALUE, 745.2, -745.2, 746, -746, 708.4, -708.4, 709.8, -709.8, 40, -40, 36.7, -36.7, 1, -1, 0.5,
        -0.5, Math.log(Math.sqrt(2) - 1), -Math.log(Math.sqrt(2) - 1), 1e-300, -1e-300};

    @BeforeEach
    void needsVectorApi() {
        assumeTrue(Simd.available(), "Vector API not resolved or disabled");
    }

    /** Random doubles of every magnitude and sign, then the special values, n in total. */
    private static double[] wide(Random r, int n) {
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            double mag = switch (i % 4) {
                case 0 -> r.nextDouble() * 3;
                case 1 -> r.nextDouble() * 50;
                case 2 -> Math.pow(10, r.nextDouble() * 616 - 308);
                default -> Math.pow(2, -1074 + r.nextDouble() * 60);
            };
            z[i] = r.nextBoolean() ? mag : -mag;
        }
        System.arraycopy(SPECIAL, 0, z, 0, Math.min(n, SPECIAL.length));
        return z;
    }

    @Test
    void expIsBitIdenticalToThePlainLoopAndWithinOneUlpOfStrictMath() {
        Random r = new Random(5);
        for (int n : new int[] {0, 1, 7, 8, 9, 63, 100_003}) {
            double[] x = wide(r, n);
            for (int i = 0; i < n; i++) {
                x[i] = -Math.abs(x[i]);
            }
            double[] v = x.clone();
            int done = VectorActivationKernels.exp(v, 0, n);
            ActivationKernels.expScalar(v, new double[n], done, n);
            double[] s = x.clone();
            ActivationKernels.expScalar(s, new double[n], 0, n);
            for (int i = 0; i < n; i++) {
                plainAndStrict("exp", x[i], s[i], v[i], StrictMath.exp(x[i]));
            }
        }
    }

    @Test
    void log1pIsBitIdenticalToThePlainLoopAndWithinOneUlpOfStrictMath() {
        Random r = new Random(6);
        int n = 100_005;
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = i % 2 == 0 ? r.nextDouble() : Math.pow(2, -r.nextDouble() * 1074);
        }
        double[] edge = {0.0, -0.0, 1.0, Double.MIN_VALUE, Double.MIN_NORMAL, Math.sqrt(2) - 1, Math.nextUp(Math.sqrt(2) - 1),
            Math.nextDown(Math.sqrt(2) - 1), Double.NaN};
        System.arraycopy(edge, 0, u, 0, edge.length);
        double[] v = new double[n];
        int done = VectorActivationKernels.log1pUnit(u, v, 0, n);
        ActivationKernels.log1pUnitScalar(u, v, done, n);
        double[] s = new double[n];
        ActivationKernels.log1pUnitScalar(u, s, 0, n);
        for (int i = 0; i < n; i++) {
            plainAndStrict("log1p", u[i], s[i], v[i], StrictMath.log1p(u[i]));
        }
    }

    @Test
    void logisticFamilyIsBitIdenticalToThePlainLoopsForEveryOutputSubset() {
        Random r = new Random(7);
        int lanes = DoubleVector.SPECIES_PREFERRED.length();
        for (Activation a : new Activation[] {Activation.SOFTPLUS, Activation.SIGMOID}) {
            for (int n : new int[] {3, 8, 61, 4099}) {
                double[] z = wide(r, n);
                for (int mask = 1; mask < 16; mask++) {
                    double[][] v = outputs(mask, n);
                    double[][] s = outputs(mask, n);
                    int done = VectorActivationKernels.logistic(a, z, 0, n, v[0], v[1], v[2], v[3], new double[n]);
                    assertEquals(n - n % lanes, done);
                    ActivationKernels.scalarRange(a, z, done, n, v[0], v[1], v[2], v[3], new double[n], new double[n]);
                    ActivationKernels.scalarRange(a, z, 0, n, s[0], s[1], s[2], s[3], new double[n], new double[n]);
                    for (int o = 0; o < 4; o++) {
                        for (int i = 0; s[o] != null && i < n; i++) {
                            assertEquals(s[o][i], v[o][i], a + " order " + o + " at " + z[i]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void otherActivationsAreLeftToThePlainLoops() {
        double[] z = new double[16];
        double[] o = new double[16];
        for (Activation a : new Activation[] {Activation.SILU, Activation.TANH, Activation.ELU, Activation.GELU, Activation.IDENTITY}) {
            assertEquals(3, VectorActivationKernels.logistic(a, z, 3, 16, o, o, o, o, o));
        }
    }

    /** The vector result v equals the plain loop's s bit for bit and is within 1 ulp of StrictMath's ref. */
    private static void plainAndStrict(String f, double x, double s, double v, double ref) {
        assertEquals(s, v, f + "(" + x + ")");
        assertTrue(Double.isNaN(ref) ? Double.isNaN(v) : Math.abs(v - ref) <= Math.ulp(ref), f + "(" + x + ") = " + v + " vs " + ref);
    }

    private static double[][] outputs(int mask, int n) {
        double[][] o = new double[4][];
        for (int b = 0; b < 4; b++) {
            o[b] = (mask & (1 << b)) != 0 ? new double[n] : null;
        }
        return o;
    }
}
