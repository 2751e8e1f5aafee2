package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Tensor;
import org.scorescope.model.CouplingFlow;
import org.scorescope.model.EnergyMlp;
import org.scorescope.model.ScoreMlp;
import org.scorescope.model.ScoreModel;
import org.scorescope.objective.ExactScoreMatching;
import org.scorescope.objective.SlicedScoreMatching;
import org.scorescope.autodiff.Probe;

class GaussNewtonTest {
    private static final ScoreModel ENERGY = new EnergyMlp(2, 8, 2, Activation.SOFTPLUS);
    private static final ScoreModel SCORE = new ScoreMlp(2, 6, 2, Activation.TANH);

    private static double[][] points(int n, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[n][2];
        for (double[] row : x) {
            row[0] = 1.5 * r.nextGaussian();
            row[1] = r.nextGaussian() - 0.5;
        }
        return x;
    }

    private static double[] flat(double[][] x) {
        double[] f = new double[x.length * 2];
        for (int i = 0; i < x.length; i++) {
            f[2 * i] = x[i][0];
            f[2 * i + 1] = x[i][1];
        }
        return f;
    }

    /**
     * J column by column with forward mode: column j = ∂s(x)/∂θ_j, the tangent of s along e_j (one JVP per
     * parameter over the whole batch), as (N·D) × P; then G = JᵀJ / N.
     */
    private static double[] referenceG(ScoreModel m, double[] theta, double[][] x) {
        int p = m.parameterCount();
        int n = x.length;
        int rows = n * 2;
        Tensor th = m.parameters(theta, false);
        Tensor xt = Tensor.of(new int[] {n, 2}, flat(x));
        double[] jac = new double[rows * p];
        for (int j = 0; j < p; j++) {
            double[] e = new double[p];
            e[j] = 1;
            double[] col = Grad.noGrad(() -> Grad.jvp(t -> m.score(t, xt), th, Tensor.of(new int[] {p}, e)))
                    .tangent().toArray();
            for (int r = 0; r < rows; r++) {
                jac[r * p + j] = col[r];
            }
        }
        double[] g = new double[p * p];
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < p; b++) {
                double s = 0;
                for (int r = 0; r < rows; r++) {
                    s += jac[r * p + a] * jac[r * p + b];
                }
                g[a * p + b] = s / n;
            }
        }
        return g;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static void checkAgainstColumns(ScoreModel m, long seed) {
        double[][] x = points(9, seed);
        double[] theta = m.initialParameters(seed);
        int p = m.parameterCount();
        double[] ref = referenceG(m, theta, x);
        GaussNewton gn = GaussNewton.compute(m, theta, flat(x), x.length);
        double[] g = gn.dense();
        double scale = maxAbs(ref);
        for (int i = 0; i < p * p; i++) {
            assertEquals(ref[i], g[i], 1e-12 * scale, m.kind() + ": entry " + i);
        }
        // PSD: every eigenvalue ≥ −P·ε·max|λ|, and the rank is at most N·D
        double[] ev = SymmetricEigen.decompose(p, g, false).values();
        double floor = ParameterHessianResult.noiseFloor(p, ev);
        assertTrue(ev[0] >= -floor, m.kind() + ": smallest eigenvalue " + ev[0] + " below −" + floor);
        int above = 0;
        for (double v : ev) {
            if (v > floor) {
                above++;
            }
        }
        assertTrue(above <= x.length * 2, m.kind() + ": rank " + above + " > N·D = " + x.length * 2);
        // The Gram route gives the same P eigenvalues as the dense decomposition
        double[] viaGram = gn.spectrum(false).eigenvalues();
        assertEquals(p, viaGram.length);
        for (int i = 0; i < p; i++) {
            assertEquals(ev[i], viaGram[i], 1e-12 * maxAbs(ev), m.kind() + ": eigenvalue " + i);
        }
        // G·v from the operator equals the dense product
        double[] v = new Random(seed + 7).doubles(p).toArray();
        double[] out = new double[p];
        gn.apply(v, out);
        for (int i = 0; i < p; i++) {
            double s = 0;
            for (int j = 0; j < p; j++) {
                s += ref[i * p + j] * v[j];
            }
            assertEquals(s, out[i], 1e-11 * scale * p);
        }
        assertEquals(new DenseSymmetric(p, ref).data().length, p * p);
    }

    /**
     * Every eigenvector on demand, positive or zero eigenvalue: unit, ‖Gv − λv‖ small against the dense G built from
     * engine columns, along EJML's eigenvector where λ is separated, and in G's null space for the exact zeros.
     */
    @Test
    void eigenvectorsOnDemandSatisfyGvEqualsLambdaV() {
        double[][] x = points(9, 12);
        double[] theta = ENERGY.initialParameters(12);
        int p = ENERGY.parameterCount();
        double[] ref = referenceG(ENERGY, theta, x);
        EigenvectorSource src = GaussNewton.compute(ENERGY, theta, flat(x), x.length).eigenvectors();
        double[] values = src.eigenvalues();
        SymmetricEigen dense = SymmetricEigen.decompose(p, ref, true);
        double norm = maxAbs(values);
        double[] w = new double[p];
        int zeros = 0;
        for (int k = 0; k < p; k++) {
            EigenvectorSource.Eigenpair e = src.eigenpair(k);
            double[] v = e.vector();
            double nn = 0;
            double rr = 0;
            for (int i = 0; i < p; i++) {
                nn += v[i] * v[i];
                double s = -e.value() * v[i];
                for (int j = 0; j < p; j++) {
                    s += ref[i * p + j] * v[j];
                }
                rr += s * s;
            }
            assertEquals(1, Math.sqrt(nn), 1e-12, "‖v_" + k + "‖");
            assertTrue(Math.sqrt(rr) <= 1e-11 * norm, "‖Gv − λv‖ = " + Math.sqrt(rr) + " for λ_" + k + " = " + e.value());
            assertEquals(Math.sqrt(rr), e.residual(), 1e-11 * norm);
            if (e.value() == 0) {
                zeros++;
                assertTrue(e.noiseDominated(), "a zero eigenvalue's direction is any of the null space");
            } else if (2 * e.noiseFloor() / e.gap() < 1e-4) {
                dense.vector(k, w);
                double c = 0;
                for (int i = 0; i < p; i++) {
                    c += w[i] * v[i];
                }
                assertEquals(1, Math.abs(c), 1e-8, "λ_" + k + " along EJML's eigenvector");
            }
        }
        assertTrue(zeros >= p - 2 * x.length, zeros + " zero eigenvalues, rank ≤ N·D = " + 2 * x.length);
    }

    @Test
    void energyGaussNewtonEqualsJtJFromEngineColumns() {
        checkAgainstColumns(ENERGY, 3);
    }

    @Test
    void scoreNetGaussNewtonEqualsJtJFromEngineColumns() {
        checkAgainstColumns(SCORE, 5);
    }

    @Test
    void flowGaussNewtonEqualsJtJFromEngineColumns() {
        checkAgainstColumns(new CouplingFlow(2, 2, 5, 1, Activation.TANH, 1.0), 8);
    }

    @Test
    void eigenvectorsFromTheGramMatrixAreUnitAndSatisfyGvEqualsLambdaV() {
        double[][] x = points(6, 2);
        double[] theta = ENERGY.initialParameters(2);
        int p = ENERGY.parameterCount();
        GaussNewton gn = GaussNewton.compute(ENERGY, theta, flat(x), x.length);
        ParameterHessianResult.Spectrum sp = gn.spectrum(true);
        double[] values = sp.eigenvalues();
        double[] vecs = sp.eigenvectors();
        double[] out = new double[p];
        for (int k = p - 12; k < p; k++) {
            double[] v = new double[p];
            System.arraycopy(vecs, k * p, v, 0, p);
            double norm = 0;
            for (double c : v) {
                norm += c * c;
            }
            assertEquals(1, norm, 1e-10);
            gn.apply(v, out);
            for (int i = 0; i < p; i++) {
                assertEquals(values[k] * v[i], out[i], 1e-9 * values[p - 1]);
            }
        }
        EigenvectorSource e = gn.eigenvectors();
        assertArrayEquals(values, e.eigenvalues(), 1e-12 * values[p - 1]);
        for (int a = 0; a < 3; a++) {
            EigenvectorSource.Eigenpair top = e.eigenpair(p - 3 + a);
            assertEquals(values[p - 3 + a], top.value(), 1e-12 * values[p - 1]);
            double dot = 0;
            for (int i = 0; i < p; i++) {
                dot += top.vector()[i] * vecs[(p - 3 + a) * p + i];
            }
            assertEquals(1, Math.abs(dot), 1e-9);
        }
    }

    @Test
    void everyMethodAnalysesTheGaussNewtonMatrixWhenAsked() {
        double[][] x = points(10, 4);
        double[] theta = ENERGY.initialParameters(4);
        int p = ENERGY.parameterCount();
        // the objective does not matter: G depends on the model and the points only
        ParameterHessian exact = new ParameterHessian(ENERGY, new ExactScoreMatching(), x, 0)
                .withCurvature(ParameterHessian.Curvature.GAUSS_NEWTON);
        ParameterHessian sliced = new ParameterHessian(ENERGY, new SlicedScoreMatching(1, Probe.RADEMACHER, false), x, 0)
                .withCurvature(ParameterHessian.Curvature.GAUSS_NEWTON);
        ParameterHessianResult full = exact.full(theta, false);
        assertArrayEquals(full.eigenvalues(), sliced.full(theta, false).eigenvalues(), 0);
        double[] ev = full.eigenvalues();
        double[] dense = SymmetricEigen.decompose(p, exact.assemble(theta).entries(), false).values();
        for (int i = 0; i < p; i++) {
            assertEquals(dense[i], ev[i], 1e-12 * ev[p - 1]);
        }
        ParameterHessianResult lz = exact.lanczos(theta, 3, 0, false, ParameterHessian.KrylovSettings.defaults(3));
        double[] top = lz.eigenvalues();
        for (int i = 0; i < 3; i++) {
            assertEquals(ev[p - 3 + i], top[i], 1e-7 * ev[p - 1]);
        }
        ParameterHessianResult slq = exact.slq(theta, 4, 30, 1);
        assertEquals(full.trace(), slq.trace(), 0.2 * Math.abs(full.trace()));
        // the Hessian is a different matrix
        double[] h = new ParameterHessian(ENERGY, new ExactScoreMatching(), x, 0).full(theta, false).eigenvalues();
        assertTrue(Math.abs(h[0] - ev[0]) > 1e-6 * Math.abs(ev[p - 1]), "Hessian and Gauss-Newton should differ");
    }

    @Test
    void parameterGroupsCoverThetaOnceByLayer() {
        ParameterGroups g = ParameterGroups.of(ENERGY);
        List<ParameterGroups.Group> gs = g.groups();
        assertEquals(6, gs.size());
        assertEquals("layers[0].weight", gs.get(0).name());
        assertEquals(8, gs.get(0).rows());
        assertEquals(2, gs.get(0).cols());
        assertEquals("layers[2].bias", gs.get(5).name());
        int total = 0;
        for (ParameterGroups.Group x : gs) {
            total += x.size();
        }
        assertEquals(ENERGY.parameterCount(), total);
        double[] v = new double[ENERGY.parameterCount()];
        v[gs.get(3).indices()[0]] = 3;
        v[gs.get(0).indices()[1]] = 4;
        double[] shares = g.shares(v);
        assertEquals(16.0 / 25, shares[0], 1e-15);
        assertEquals(9.0 / 25, shares[3], 1e-15);
        ParameterGroups flow = ParameterGroups.of(new CouplingFlow(2, 2, 5, 1, Activation.TANH, 1.0));
        assertTrue(flow.groups().get(0).name().startsWith("couplings[0]."));
    }

    @Test
    void slqDensityAgreesWithTheFullDecompositionForBothCurvatures() {
        double[][] x = points(40, 6);
        double[] theta = ENERGY.initialParameters(6);
        int p = ENERGY.parameterCount();
        for (ParameterHessian.Curvature c : ParameterHessian.Curvature.values()) {
            ParameterHessian h = new ParameterHessian(ENERGY, new ExactScoreMatching(), x, 0).withCurvature(c);
            double[] ev = h.full(theta, false).eigenvalues();
            ParameterHessianResult slq = h.slq(theta, 60, 40, 3);
            double[] nodes = slq.densityNodes();
            double[] w = slq.densityWeights();
            double sumAbs = 0;
            double trace = 0;
            for (double v : ev) {
                sumAbs += Math.abs(v);
                trace += v;
            }
            assertEquals(trace, slq.trace(), 0.1 * sumAbs, c + ": trace");
            // the cumulative distribution of the quadrature measure against the eigenvalues' at their quartiles
            for (double q : new double[] {0.25, 0.5, 0.75, 0.95}) {
                double t = ev[(int) (q * (p - 1))] + 1e-12 * Math.abs(ev[p - 1]);
                int below = 0;
                for (double v : ev) {
                    if (v <= t) {
                        below++;
                    }
                }
                double mass = 0;
                for (int i = 0; i < nodes.length; i++) {
                    if (nodes[i] <= t) {
                        mass += w[i];
                    }
                }
                assertEquals((double) below / p, mass / p, 0.12, c + ": CDF at the " + q + " quantile");
            }
        }
    }
}
