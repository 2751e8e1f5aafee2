package org.scorescope.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.GradCheck;
import org.scorescope.autodiff.Ops;
import org.scorescope.autodiff.Tensor;

class CouplingFlowTest {

    /** θ with every layer (including each conditioner's last) drawn like PyTorch's nn.Linear default, so s, t ≠ 0. */
    static double[] randomTheta(CouplingFlow flow, long seed) {
        double[] theta = new double[flow.parameterCount()];
        int off = 0;
        for (int k = 0; k < flow.couplingCount(); k++) {
            double[] part = flow.conditioner(k).initialParameters(seed * 31 + k);
            System.arraycopy(part, 0, theta, off, part.length);
            off += part.length;
        }
        return theta;
    }

    private static Tensor points(long seed, int n, int d, double scale) {
        return Ops.mulScalar(Tensor.randn(new Random(seed), n, d), scale);
    }

    /** The 2-D grid of cell centres covering [−half, half]², spacing h. */
    private static Tensor grid(double half, double h) {
        int n = (int) Math.round(2 * half / h);
        double[] d = new double[n * n * 2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                d[(i * n + j) * 2] = -half + (i + 0.5) * h;
                d[(i * n + j) * 2 + 1] = -half + (j + 0.5) * h;
            }
        }
        return Tensor.of(new int[] {n * n, 2}, d);
    }

    /** Quadrature spacing: the midpoint rule converges spectrally for smooth integrands, so 0.1 is ample. */
    private static final double STEP = 0.1;

    private static final CouplingFlow TANH_FLOW = new CouplingFlow(2, 4, 16, 2, Activation.TANH, 1.0);
    private static final CouplingFlow SOFTPLUS_FLOW = new CouplingFlow(2, 3, 12, 1, Activation.SOFTPLUS, 2.0);

    /**
     * ∫ q = 1 by midpoint quadrature on [−14, 14]² (spacing 0.1, 78 400 cells), for random θ of two architectures;
     * the quadrature error of a smooth, Gaussian-tailed integrand on this grid is far below the 1e-3 tolerance
     * (measured: |∫q − 1| ≤ 1e-5, the same as with spacing 0.04).
     * The flows are checked to be far from the identity, so the test cannot pass with q = N(0, I).
     */
    @Test
    void densityIntegratesToOne() {
        Tensor g = grid(14, STEP);
        double cell = STEP * STEP;
        for (CouplingFlow flow : List.of(TANH_FLOW, SOFTPLUS_FLOW)) {
            for (long seed = 1; seed <= 2; seed++) {
                double[] theta = randomTheta(flow, seed);
                double[] logQ = flow.logProb(flow.parameters(theta, false), g).toArray();
                double[] xy = g.toArray();
                double integral = 0;
                double maxDeviation = 0;
                for (int i = 0; i < logQ.length; i++) {
                    integral += Math.exp(logQ[i]) * cell;
                    double r2 = xy[2 * i] * xy[2 * i] + xy[2 * i + 1] * xy[2 * i + 1];
                    if (r2 < 4) {
                        maxDeviation = Math.max(maxDeviation, Math.abs(logQ[i] - (-0.5 * r2 - Math.log(2 * Math.PI))));
                    }
                }
                assertEquals(1.0, integral, 1e-3, "seed " + seed);
                assertTrue(maxDeviation > 0.1, "the random flow should differ from N(0, I), max |Δlog q| = "
                        + maxDeviation);
            }
        }
    }

    /** f⁻¹(f(x)) = x and f(f⁻¹(z)) = z to 1e-12, in 2-D and for 3-D masks with non-contiguous coordinates. */
    @Test
    void inverseUndoesForward() {
        CouplingFlow flow3 = new CouplingFlow(new int[][] {{1, 0, 1}, {0, 1, 0}, {1, 1, 0}, {0, 0, 1}},
                List.of(new Mlp(new int[] {2, 8, 2}, Activation.SILU, Activation.IDENTITY),
                        new Mlp(new int[] {1, 8, 8, 4}, Activation.SILU, Activation.IDENTITY),
                        new Mlp(new int[] {2, 8, 2}, Activation.SILU, Activation.IDENTITY),
                        new Mlp(new int[] {1, 4}, Activation.SILU, Activation.IDENTITY)), 1.5);
        for (CouplingFlow flow : List.of(TANH_FLOW, SOFTPLUS_FLOW, flow3)) {
            Tensor theta = flow.parameters(randomTheta(flow, 7), false);
            Tensor x = points(3, 64, flow.inputDim(), 2.0);
            Tensor z = flow.toLatent(theta, x).z();
            assertClose(x.toArray(), flow.sample(theta, z).toArray(), 1e-12, "f⁻¹(f(x))");
            assertClose(x.toArray(), flow.toLatent(theta, flow.sample(theta, x)).z().toArray(), 1e-12, "f(f⁻¹(z))");
            double change = 0;
            for (int i = 0; i < z.size(); i++) {
                change = Math.max(change, Math.abs(z.toArray()[i] - x.toArray()[i]));
            }
            assertTrue(change > 0.1, "f must not be the identity for random θ: " + change);
        }
    }

    /** log|det ∂f/∂x| equals the log-determinant of the autodiff Jacobian of f (2-D and 3-D), to 1e-12. */
    @Test
    void logDeterminantMatchesTheJacobian() {
        CouplingFlow flow3 = new CouplingFlow(3, 3, 8, 1, Activation.TANH, 1.0);
        for (CouplingFlow flow : List.of(TANH_FLOW, SOFTPLUS_FLOW, flow3)) {
            Tensor theta = flow.parameters(randomTheta(flow, 11), false);
            Tensor x = points(5, 16, flow.inputDim(), 1.5);
            double[] logDet = flow.toLatent(theta, x).logDet().toArray();
            Tensor jac = Grad.batchJacobian(z -> flow.toLatent(theta, z).z(), x);
            int d = flow.inputDim();
            for (int b = 0; b < 16; b++) {
                double[][] m = new double[d][d];
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        m[i][j] = jac.get(b, i, j);
                    }
                }
                assertEquals(Math.log(Math.abs(det(m))), logDet[b], 1e-12, "sample " + b);
            }
        }
    }

    private static double det(double[][] m) {
        if (m.length == 2) {
            return m[0][0] * m[1][1] - m[0][1] * m[1][0];
        }
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    }

    /** log q agrees with the loop-based reference evaluated from the model file spec, to 1e-12. */
    @Test
    void logProbMatchesThePlainReference() {
        for (CouplingFlow flow : List.of(TANH_FLOW, SOFTPLUS_FLOW)) {
            double[] theta = randomTheta(flow, 4);
            ModelSpec spec = flow.toSpec(theta);
            Tensor x = points(8, 32, 2, 2.0);
            double[] logQ = flow.logProb(flow.parameters(theta, false), x).toArray();
            double[][] rows = x.toArray2D();
            for (int b = 0; b < rows.length; b++) {
                assertEquals(PlainReference.flowLogProb(spec, rows[b]), logQ[b], 1e-12, "sample " + b);
            }
        }
    }

    /** The score equals central differences of log q (step 1e-5, error ~1e-10): tolerance 1e-7·max(1, |s|). */
    @Test
    void scoreMatchesFiniteDifferencesOfLogQ() {
        for (CouplingFlow flow : List.of(TANH_FLOW, SOFTPLUS_FLOW)) {
            Tensor theta = flow.parameters(randomTheta(flow, 5), false);
            Tensor x = points(9, 24, 2, 1.5);
            double[][] s = flow.score(theta, x).toArray2D();
            double[][] fd = centralDifferences(xs -> flow.logProb(theta, xs).toArray(), x, 1e-5);
            for (int b = 0; b < s.length; b++) {
                for (int i = 0; i < 2; i++) {
                    assertEquals(fd[b][i], s[b][i], 1e-7 * Math.max(1, Math.abs(s[b][i])), "sample " + b + ", ∂" + i);
                }
            }
        }
    }

    /**
     * The exact Hessian of log q (forward-over-reverse, Grad.batchHessian) equals central differences of the score
     * (step 1e-5): tolerance 1e-6·max(1, |H|); it is also symmetric to 1e-12.
     */
    @Test
    void hessianOfLogQMatchesFiniteDifferencesOfTheScore() {
        for (CouplingFlow flow : List.of(TANH_FLOW, SOFTPLUS_FLOW)) {
            Tensor theta = flow.parameters(randomTheta(flow, 6), false);
            Tensor x = points(10, 12, 2, 1.5);
            Tensor h = Grad.batchHessian(xs -> flow.logProb(theta, xs), x);
            for (int i = 0; i < 2; i++) {
                int col = i;
                double[][] fd = centralDifferences(xs -> column(flow.score(theta, xs), col), x, 1e-5);
                for (int b = 0; b < 12; b++) {
                    for (int j = 0; j < 2; j++) {
                        double exact = h.get(b, i, j);
                        assertEquals(fd[b][j], exact, 1e-6 * Math.max(1, Math.abs(exact)), "H[" + b + "][" + i + "][" + j
                                + "]");
                        assertEquals(h.get(b, j, i), exact, 1e-12, "symmetry");
                    }
                }
            }
        }
    }

    /** The default exact divergence (D forward tangents through the reverse-mode score) equals tr of the Hessian. */
    @Test
    void divergenceIsTheTraceOfTheHessian() {
        Tensor theta = TANH_FLOW.parameters(randomTheta(TANH_FLOW, 8), false);
        Tensor x = points(12, 10, 2, 1.0);
        ScoreModel.ScoreAndDivergence sd = TANH_FLOW.scoreAndDivergence(theta, x);
        Tensor h = Grad.batchHessian(xs -> TANH_FLOW.logProb(theta, xs), x);
        assertClose(TANH_FLOW.score(theta, x).toArray(), sd.score().toArray(), 0, "score");
        for (int b = 0; b < 10; b++) {
            assertEquals(h.get(b, 0, 0) + h.get(b, 1, 1), sd.divergence().get(b), 1e-12);
        }
    }

    /** The score is differentiable in θ and x: directional derivatives agree with Richardson FD (GradCheck). */
    @Test
    void scoreIsDifferentiableInThetaAndX() {
        CouplingFlow flow = new CouplingFlow(2, 2, 6, 1, Activation.TANH, 1.0);
        Tensor theta = Tensor.vector(randomTheta(flow, 9));
        Tensor x = points(13, 5, 2, 1.0);
        for (GradCheck.Mode mode : List.of(GradCheck.Mode.REVERSE, GradCheck.Mode.FORWARD)) {
            double err = GradCheck.check(in -> flow.score(in.get(0), in.get(1)), List.of(theta, x), 1, mode, 3, 21);
            assertTrue(err < 1e-7, mode + ": relative error " + err);
        }
    }

    /**
     * Exact score matching trains a flow: the θ-gradient of mean[tr(∂s/∂x) + ½‖s‖²] (a third-order mixed derivative
     * of log q) equals Richardson central differences of the loss (step 1e-3): ‖g − g_FD‖ ≤ 1e-6·‖g‖.
     */
    @Test
    void exactScoreMatchingGradientThroughTheFlow() {
        CouplingFlow flow = new CouplingFlow(2, 2, 5, 1, Activation.SOFTPLUS, 1.0);
        double[] theta = randomTheta(flow, 12);
        Tensor x = points(15, 8, 2, 1.2);
        org.scorescope.objective.ExactScoreMatching esm = new org.scorescope.objective.ExactScoreMatching();
        double[] g = esm.lossAndGradient(flow, theta, x, new Random(0)).gradient();
        java.util.function.ToDoubleFunction<double[]> loss =
                t -> esm.loss(flow, flow.parameters(t, false), x, new Random(0)).item();
        double num = 0;
        double den = 0;
        double h = 1e-3;
        for (int i = 0; i < theta.length; i++) {
            double d1 = shifted(loss, theta, i, h);
            double d2 = shifted(loss, theta, i, h / 2);
            double fd = (4 * d2 - d1) / 3;
            num += (fd - g[i]) * (fd - g[i]);
            den += g[i] * g[i];
        }
        assertTrue(Math.sqrt(num / den) < 1e-6, "relative gradient error " + Math.sqrt(num / den));
    }

    private static double shifted(java.util.function.ToDoubleFunction<double[]> f, double[] theta, int i, double h) {
        double[] p = theta.clone();
        p[i] = theta[i] + h;
        double plus = f.applyAsDouble(p);
        p[i] = theta[i] - h;
        return (plus - f.applyAsDouble(p)) / (2 * h);
    }

    /**
     * Samples of q have the moments of q: the mean and the second moments E[x_i x_j] of 20 000 samples agree with
     * quadrature over log q to within 4.5 standard errors (standard errors from the sample variances).
     */
    @Test
    void samplesHaveTheMomentsOfTheDensity() {
        CouplingFlow flow = TANH_FLOW;
        double[] theta = randomTheta(flow, 2);
        Tensor g = grid(14, STEP);
        double[] logQ = flow.logProb(flow.parameters(theta, false), g).toArray();
        double[] xy = g.toArray();
        double[] quad = new double[5];
        for (int i = 0; i < logQ.length; i++) {
            double w = Math.exp(logQ[i]) * STEP * STEP;
            double u = xy[2 * i];
            double v = xy[2 * i + 1];
            double[] f = {u, v, u * u, u * v, v * v};
            for (int k = 0; k < 5; k++) {
                quad[k] += w * f[k];
            }
        }
        int n = 20_000;
        double[][] samples = flow.sample(theta, n, 42);
        assertEquals(n, samples.length);
        double[] mean = new double[5];
        double[] sq = new double[5];
        for (double[] p : samples) {
            double[] f = {p[0], p[1], p[0] * p[0], p[0] * p[1], p[1] * p[1]};
            for (int k = 0; k < 5; k++) {
                mean[k] += f[k] / n;
                sq[k] += f[k] * f[k] / n;
            }
        }
        for (int k = 0; k < 5; k++) {
            double se = Math.sqrt((sq[k] - mean[k] * mean[k]) / n);
            assertEquals(quad[k], mean[k], 4.5 * se, "moment " + k);
        }
        double spread = Math.abs(quad[2] - 1) + Math.abs(quad[4] - 1) + Math.abs(quad[0]) + Math.abs(quad[1]);
        assertTrue(spread > 0.2, "the flow's moments should differ from N(0, I)'s: " + spread);
        // Same seed, same samples.
        assertArrayEquals(samples[17], flow.sample(theta, n, 42)[17]);
    }

    /** The documented initialization: zero last layers make f the identity and q = N(0, I) exactly. */
    @Test
    void initialParametersGiveTheIdentityFlow() {
        double[] theta = TANH_FLOW.initialParameters(3);
        Tensor th = TANH_FLOW.parameters(theta, false);
        Tensor x = points(14, 8, 2, 2.0);
        assertClose(x.toArray(), TANH_FLOW.toLatent(th, x).z().toArray(), 0, "z");
        double[][] rows = x.toArray2D();
        double[] logQ = TANH_FLOW.logProb(th, x).toArray();
        for (int b = 0; b < rows.length; b++) {
            double r2 = rows[b][0] * rows[b][0] + rows[b][1] * rows[b][1];
            assertEquals(-0.5 * r2 - Math.log(2 * Math.PI), logQ[b], 1e-15);
        }
        assertClose(Ops.neg(x).toArray(), TANH_FLOW.score(th, x).toArray(), 1e-15, "score of N(0, I)");
        assertTrue(TANH_FLOW.hasNormalizedDensity());
        assertTrue(TANH_FLOW.logDensity(th, x).isPresent());
        // The hidden layers are random (not all zero) and deterministic in the seed.
        assertTrue(java.util.Arrays.stream(theta).anyMatch(v -> v != 0));
        assertArrayEquals(theta, TANH_FLOW.initialParameters(3));
    }

    /** θ layout: conditioners in coupling order, each in Mlp layout; P adds up. */
    @Test
    void parameterLayoutAndCounts() {
        CouplingFlow flow = new CouplingFlow(2, 4, 16, 2, Activation.TANH, 1.0);
        // Each conditioner 1 → 16 → 16 → 2: (16 + 16) + (256 + 16) + (32 + 2) = 338.
        assertEquals(4 * 338, flow.parameterCount());
        assertArrayEquals(new int[] {1, 0}, flow.mask(0));
        assertArrayEquals(new int[] {0, 1}, flow.mask(1));
        assertArrayEquals(new int[] {1, 0, 1}, CouplingFlow.alternatingMasks(3, 2)[0]);
        assertArrayEquals(new int[] {0, 1, 0}, CouplingFlow.alternatingMasks(3, 2)[1]);
        double[] theta = randomTheta(flow, 1);
        ModelSpec spec = flow.toSpec(theta);
        assertEquals(theta[338], spec.flow().couplings().get(1).layers().get(0).weight(0, 0));
        assertEquals(theta[4 * 338 - 1], spec.flow().couplings().get(3).layers().get(2).bias(1));
    }

    @Test
    void badArgumentsAreRejectedClearly() {
        Mlp one = new Mlp(new int[] {1, 4, 2}, Activation.TANH, Activation.IDENTITY);
        assertEquals("masks[0] needs at least one 1 (kept) and one 0 (transformed): [1, 1]",
                assertThrows(IllegalArgumentException.class,
                        () -> new CouplingFlow(new int[][] {{1, 1}}, List.of(one), 1.0)).getMessage());
        assertEquals("masks[0][1]: expected 0 or 1, found 2", assertThrows(IllegalArgumentException.class,
                () -> new CouplingFlow(new int[][] {{1, 2}}, List.of(one), 1.0)).getMessage());
        assertEquals("conditioner 0 must map 1 kept coordinates to 4 outputs (log-scale and shift per transformed "
                + "coordinate), got 1 → 2", assertThrows(IllegalArgumentException.class,
                        () -> new CouplingFlow(new int[][] {{1, 0, 0}}, List.of(one), 1.0)).getMessage());
        assertEquals("all conditioners must share one hidden activation: conditioner 1 uses softplus, conditioner 0 "
                + "tanh", assertThrows(IllegalArgumentException.class, () -> new CouplingFlow(new int[][] {{1, 0}, {0, 1}},
                        List.of(one, new Mlp(new int[] {1, 4, 2}, Activation.SOFTPLUS, Activation.IDENTITY)), 1.0))
                .getMessage());
        assertEquals("scaleBound must be a positive finite number, got 0.0", assertThrows(IllegalArgumentException.class,
                () -> new CouplingFlow(new int[][] {{1, 0}}, List.of(one), 0.0)).getMessage());
        assertEquals("a flow needs at least 2 dimensions, got 1",
                assertThrows(IllegalArgumentException.class, () -> new CouplingFlow(1, 2, 4, 1, Activation.TANH, 1))
                        .getMessage());
        Tensor theta = TANH_FLOW.parameters(TANH_FLOW.initialParameters(1), false);
        assertEquals("x must have shape (B, 2), got [4, 3]", assertThrows(IllegalArgumentException.class,
                () -> TANH_FLOW.logProb(theta, Tensor.zeros(4, 3))).getMessage());
    }

    private static double[] column(Tensor m, int col) {
        double[][] rows = m.toArray2D();
        double[] c = new double[rows.length];
        for (int b = 0; b < rows.length; b++) {
            c[b] = rows[b][col];
        }
        return c;
    }

    /** fd[b][i] = (f(x + h e_i)[b] − f(x − h e_i)[b]) / 2h for a row-wise f. */
    private static double[][] centralDifferences(java.util.function.Function<Tensor, double[]> f, Tensor x, double h) {
        int n = x.dim(0);
        int d = x.dim(1);
        double[] base = x.toArray();
        double[][] fd = new double[n][d];
        for (int i = 0; i < d; i++) {
            double[] plus = base.clone();
            double[] minus = base.clone();
            for (int b = 0; b < n; b++) {
                plus[b * d + i] += h;
                minus[b * d + i] -= h;
            }
            double[] fp = f.apply(Tensor.of(new int[] {n, d}, plus));
            double[] fm = f.apply(Tensor.of(new int[] {n, d}, minus));
            for (int b = 0; b < n; b++) {
                fd[b][i] = (fp[b] - fm[b]) / (2 * h);
            }
        }
        return fd;
    }

    private static void assertClose(double[] expected, double[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, what + " [" + i + "]");
        }
    }
}
