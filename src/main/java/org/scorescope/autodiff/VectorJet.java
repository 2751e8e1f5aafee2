package org.scorescope.autodiff;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The elementwise passes of {@link JetOps.Hidden} on the JDK's Vector API: for each vector of units
 * i, all slices of the packed jet in one pass, with the running sums over the slices (Σ_d J_d², Σ_d
 * G_J_d·J_d) in registers instead of scratch arrays. With φ', φ'', φ''' at the value slice's
 * pre-activation z and S the layer's pre-activation jet [z; J_1..J_T; L]:
 * <pre>
 *   forward:  J'_d = φ'·J_d,  L' = φ'·L + φ''·Σ_d J_d²
 *   backward: G_J_d ← G_J_d·φ' + 2·G_L·φ''·J_d,  G_L ← G_L·φ',
 *             G_z = G_h·φ' + φ''·Σ_d G_J_d·J_d + G_L·(L·φ'' + φ'''·Σ_d J_d²)
 * </pre>
 * (without the Laplacian slice: J'_d = φ'·J_d, G_J_d ← G_J_d·φ', G_z = G_h·φ' + φ''·Σ_d G_J_d·J_d).
 *
 * <p>Every lane runs the plain loops' operations in the same order (sums over d from d = 1, no fused
 * multiply-add), so results are bit-identical to them. Each method covers the whole vectors of [0, n0)
 * and returns where it stopped; the caller's plain loops do the rest. Must be loaded only when
 * {@link Simd#available()}.
 */
final class VectorJet {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Most tangent slices for {@link #forward} and {@link #backward}: each vector of units reads every
     * slice, so with many slices (D = 32, 64) the access pattern becomes that many concurrent streams,
     * and the callers' slice-by-slice loops stream better.
     */
    static final int MAX_TANGENTS = 8;

    private VectorJet() {
    }

    /**
     * Forward tangent (and Laplacian) slices into out; {@code tangents} slices follow the value slice,
     * then the Laplacian slice when {@code laplacian}. Returns the first unit not done.
     */
    static int forward(double[] sz, double[] out, double[] p1, double[] p2, int n0, int tangents, boolean laplacian) {
        return forward(sz, out, p1, p2, n0, tangents, laplacian, tangents);
    }

    /** As {@link #forward(double[], double[], double[], double[], int, int, boolean)} with Σ_d J_d² over d ≤ curved. */
    static int forward(double[] sz, double[] out, double[] p1, double[] p2, int n0, int tangents, boolean laplacian,
                       int curved) {
        int end = n0 - n0 % L;
        int lb = (tangents + 1) * n0;
        for (int i = 0; i < end; i += L) {
            DoubleVector d1 = DoubleVector.fromArray(S, p1, i);
            DoubleVector q = DoubleVector.zero(S);
            // two branch-free loops (tangents in Σ_d J_d², then the first-order-only ones): a test inside one
            // loop costs C2's inlining of the vector calls
            for (int c = 1; c <= curved; c++) {
                DoubleVector jz = DoubleVector.fromArray(S, sz, c * n0 + i);
                q = q.add(jz.mul(jz));
                d1.mul(jz).intoArray(out, c * n0 + i);
            }
            for (int c = curved + 1; c <= tangents; c++) {
                d1.mul(DoubleVector.fromArray(S, sz, c * n0 + i)).intoArray(out, c * n0 + i);
            }
            if (laplacian) {
                d1.mul(DoubleVector.fromArray(S, sz, lb + i)).add(DoubleVector.fromArray(S, p2, i).mul(q)).intoArray(out, lb + i);
            }
        }
        return end;
    }

    /**
     * The cotangent of the pre-activation jet into gsz from the output cotangent g (slices as in
     * {@link #forward}; t3 = φ''' is read only when {@code laplacian}). Returns the first unit not done.
     */
    static int backward(double[] g, double[] sz, double[] gsz, double[] p1, double[] p2, double[] t3, int n0,
                        int tangents, boolean laplacian) {
        return backward(g, sz, gsz, p1, p2, t3, n0, tangents, laplacian, tangents);
    }

    /**
     * As {@link #backward(double[], double[], double[], double[], double[], double[], int, int, boolean)} for a
     * Laplacian slice over J_1..J_curved only (the later tangents first-order only).
     */
    static int backward(double[] g, double[] sz, double[] gsz, double[] p1, double[] p2, double[] t3, int n0,
                        int tangents, boolean laplacian, int curved) {
        int end = n0 - n0 % L;
        int lb = (tangents + 1) * n0;
        int sq = laplacian ? curved : 0;
        for (int i = 0; i < end; i += L) {
            DoubleVector d1 = DoubleVector.fromArray(S, p1, i);
            DoubleVector d2 = DoubleVector.fromArray(S, p2, i);
            DoubleVector acc = DoubleVector.zero(S);
            DoubleVector sumSq = DoubleVector.zero(S);
            DoubleVector gl2 = laplacian ? DoubleVector.fromArray(S, g, lb + i).mul(2.0).mul(d2) : null;
            for (int c = 1; c <= sq; c++) {
                DoubleVector jz = DoubleVector.fromArray(S, sz, c * n0 + i);
                DoubleVector gj = DoubleVector.fromArray(S, g, c * n0 + i);
                acc = acc.add(gj.mul(jz));
                sumSq = sumSq.add(jz.mul(jz));
                gj.mul(d1).add(gl2.mul(jz)).intoArray(gsz, c * n0 + i);
            }
            for (int c = sq + 1; c <= tangents; c++) {
                DoubleVector jz = DoubleVector.fromArray(S, sz, c * n0 + i);
                DoubleVector gj = DoubleVector.fromArray(S, g, c * n0 + i);
                acc = acc.add(gj.mul(jz));
                gj.mul(d1).intoArray(gsz, c * n0 + i);
            }
            DoubleVector gz = DoubleVector.fromArray(S, g, i).mul(d1).add(d2.mul(acc));
            if (laplacian) {
                DoubleVector gl = DoubleVector.fromArray(S, g, lb + i);
                DoubleVector lz = DoubleVector.fromArray(S, sz, lb + i);
                gz = gz.add(gl.mul(lz.mul(d2).add(sumSq.mul(DoubleVector.fromArray(S, t3, i)))));
                gl.mul(d1).intoArray(gsz, lb + i);
            }
            gz.intoArray(gsz, i);
        }
        return end;
    }

    /**
     * The first layer's tangent and Laplacian slices, J_c = φ'·W[:, c] and L = φ''·Σ_c W[:, c]², for
     * the units j of each batch row in whole vectors; {@code wT} holds W's columns as rows (d × n).
     * Returns the first unit j not done.
     */
    static int firstForward(double[] p1, double[] p2, double[] wT, double[] qq, double[] s, int bsz, int n, int d) {
        int nEnd = n - n % L;
        int n0 = bsz * n;
        int lb = (d + 1) * n0;
        for (int r = 0; r < bsz; r++) {
            int row = r * n;
            for (int j = 0; j < nEnd; j += L) {
                DoubleVector d1 = DoubleVector.fromArray(S, p1, row + j);
                for (int c = 0; c < d; c++) {
                    d1.mul(DoubleVector.fromArray(S, wT, c * n + j)).intoArray(s, (1 + c) * n0 + row + j);
                }
                DoubleVector.fromArray(S, p2, row + j).mul(DoubleVector.fromArray(S, qq, j)).intoArray(s, lb + row + j);
            }
        }
        return nEnd;
    }

    /**
     * The first layer's reverse pass per batch row r and unit j, in whole vectors of units: with
     * s_j = Σ_c G_J_c·W[j, c],
     * G_z = G_h·φ' + φ''·s_j + G_L·q_j·φ''' (q_j = Σ_c W[j, c]²), gq_j += G_L·φ'', and, when
     * {@code needGw}, gwT[c][j] += G_J_c·φ' — every sum over r and c in increasing order. {@code cols}
     * holds W's columns (d × n), then gwT (d × n), then one row of scratch. Returns the first unit not done.
     */
    static int firstBackward(double[] g, double[] p1, double[] p2, double[] t3, double[] q, double[] cols, double[] gz,
                             double[] gq, int bsz, int n, int d, boolean needGw) {
        int nEnd = n - n % L;
        int n0 = bsz * n;
        int lb = (d + 1) * n0;
        int gwT = d * n;
        for (int r = 0; r < bsz; r++) {
            int row = r * n;
            for (int j = 0; j < nEnd; j += L) {
                int i = row + j;
                DoubleVector d1 = DoubleVector.fromArray(S, p1, i);
                DoubleVector sj = DoubleVector.zero(S);
                for (int c = 0; c < d; c++) {
                    DoubleVector gjc = DoubleVector.fromArray(S, g, (1 + c) * n0 + i);
                    sj = sj.add(gjc.mul(DoubleVector.fromArray(S, cols, c * n + j)));
                    if (needGw) {
                        int a = gwT + c * n + j;
                        DoubleVector.fromArray(S, cols, a).add(gjc.mul(d1)).intoArray(cols, a);
                    }
                }
                DoubleVector d2 = DoubleVector.fromArray(S, p2, i);
                DoubleVector gl = DoubleVector.fromArray(S, g, lb + i);
                DoubleVector.fromArray(S, g, i).mul(d1).add(d2.mul(sj))
                        .add(gl.mul(DoubleVector.fromArray(S, q, j)).mul(DoubleVector.fromArray(S, t3, i))).intoArray(gz, i);
                DoubleVector.fromArray(S, gq, j).add(gl.mul(d2)).intoArray(gq, j);
            }
        }
        return nEnd;
    }
}
