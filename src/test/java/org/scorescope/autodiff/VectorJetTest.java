package org.scorescope.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorJet}'s passes against the per-element formulas of {@link JetOps.Hidden}, evaluated here
 * as plain loops in the same order: bit-identical on the units it covers (assertEquals on doubles
 * compares bits), and it stops at the last whole vector.
 */
class VectorJetTest {
    @Test
    void forwardAndBackwardAreBitIdenticalToThePerElementFormulas() {
        assumeTrue(Simd.available(), "Vector API not resolved or disabled");
        Random r = new Random(9);
        for (boolean lap : new boolean[] {true, false}) {
            for (int[] tc : new int[][] {{1, 1}, {2, 2}, {5, 5}, {3, 1}, {5, 2}}) {
                int tangents = tc[0];
                // the Laplacian slice over the first `curved` tangents only (first-order-only ones after them)
                int curved = lap ? tc[1] : tangents;
                int n0 = 8 * 13 + 5;
                int p = tangents + (lap ? 2 : 1);
                double[] sz = gauss(r, p * n0);
                double[] g = gauss(r, p * n0);
                double[] p1 = gauss(r, n0);
                double[] p2 = gauss(r, n0);
                double[] t3 = gauss(r, n0);
                double[] out = new double[p * n0];
                double[] gsz = new double[p * n0];
                int end = curved == tangents ? VectorJet.forward(sz, out, p1, p2, n0, tangents, lap)
                        : VectorJet.forward(sz, out, p1, p2, n0, tangents, lap, curved);
                assertEquals(curved == tangents ? VectorJet.backward(g, sz, gsz, p1, p2, t3, n0, tangents, lap)
                        : VectorJet.backward(g, sz, gsz, p1, p2, t3, n0, tangents, lap, curved), end);
                assertEquals(n0 - n0 % DoubleVector.SPECIES_PREFERRED.length(), end);
                int lb = (tangents + 1) * n0;
                for (int i = 0; i < end; i++) {
                    double q = 0;
                    double acc = 0;
                    for (int c = 1; c <= tangents; c++) {
                        double jz = sz[c * n0 + i];
                        double gj = g[c * n0 + i];
                        if (c <= curved) {
                            q += jz * jz;
                        }
                        acc += gj * jz;
                        assertEquals(p1[i] * jz, out[c * n0 + i]);
                        double gjz = lap && c <= curved ? gj * p1[i] + 2.0 * g[lb + i] * p2[i] * jz : gj * p1[i];
                        assertEquals(gjz, gsz[c * n0 + i]);
                    }
                    double gz = g[i] * p1[i] + p2[i] * acc;
                    if (lap) {
                        assertEquals(p1[i] * sz[lb + i] + p2[i] * q, out[lb + i]);
                        assertEquals(g[lb + i] * p1[i], gsz[lb + i]);
                        gz = g[i] * p1[i] + p2[i] * acc + g[lb + i] * (sz[lb + i] * p2[i] + q * t3[i]);
                    }
                    assertEquals(gz, gsz[i]);
                }
            }
        }
    }

    private static double[] gauss(Random r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian();
        }
        return a;
    }
}
