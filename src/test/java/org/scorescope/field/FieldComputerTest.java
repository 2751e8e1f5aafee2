package org.scorescope.field;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scorescope.analysis.Grid2D;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Tensor;
import org.scorescope.data.GaussianMixture;
import org.scorescope.data.ToyDataset;
import org.scorescope.model.EnergyMlp;
import org.scorescope.model.ModelState;
import org.scorescope.model.ScoreMlp;
import org.scorescope.model.ScoreModel;

/** The worker-side field computation against direct model evaluations, quadrature and finite differences. */
class FieldComputerTest {
    private static final FieldRequest REQ = new FieldRequest(new FieldRequest.Area(-3, 3, -2, 2),
            new FieldRequest.Canvas(300, 200), new FieldRequest.Options(40, 8, 10, false, 30, Colormap.VIRIDIS));

    private static ModelState energy() {
        EnergyMlp m = new EnergyMlp(2, 12, 2, Activation.SOFTPLUS);
        return new ModelState(m, m.initialParameters(7));
    }

    private static ModelState scoreNet() {
        ScoreMlp m = new ScoreMlp(2, 12, 2, Activation.TANH);
        return new ModelState(m, m.initialParameters(8));
    }

    @Test
    void energyDensityIsMinusEnergyNormalizedOverTheView() {
        ModelState s = energy();
        FieldFrame f = new FieldComputer().compute(s, 3, null, REQ);
        Grid2D g = f.grid();
        assertEquals(40, g.nx());
        assertEquals(27, g.ny(), "aspect 3:2 of the 40-node long side");
        double mass = 0;
        for (int iy = 0; iy < g.ny(); iy++) {
            for (int ix = 0; ix < g.nx(); ix++) {
                mass += g.quadratureWeight(ix, iy) * Math.exp(f.logp()[g.index(ix, iy)]);
            }
        }
        assertEquals(1, mass, 1e-12, "trapezoidal mass over the view");
        // log p_k + E(x_k) is the same constant −log Z at every node.
        EnergyMlp m = (EnergyMlp) s.model();
        double[] e = Grad.noGrad(() -> m.energy(s.thetaTensor(), Tensor.of(new int[] {g.size(), 2}, g.points()))).toArray();
        for (int k = 0; k < g.size(); k += 37) {
            assertEquals(-f.logZ(), f.logp()[k] + e[k], 1e-10, "node " + k);
        }
        assertEquals(3, f.modelStep());
        assertTrue(Double.isNaN(f.nonConservative()));
        assertTrue(f.top() > f.bottom() && f.top() - f.bottom() <= 10 + 1e-12);
    }

    @Test
    void arrowsCarryTheModelScoreAtTheirAnchors() {
        ModelState s = energy();
        FieldFrame f = new FieldComputer().compute(s, 0, null, REQ);
        assertEquals(10 * 7, f.arrowCount(), "300/30 by 200/30 (rounded)");
        double[] xy = f.arrowXY();
        double[] direct = Grad.noGrad(() -> s.model().score(s.thetaTensor(),
                Tensor.of(new int[] {f.arrowCount(), 2}, xy))).toArray();
        for (int i = 0; i < direct.length; i++) {
            assertEquals(direct[i], f.arrowScore()[i], 1e-12);
        }
        double max = 0;
        for (int i = 0; i < f.arrowCount(); i++) {
            max = Math.max(max, Math.hypot(direct[2 * i], direct[2 * i + 1]));
        }
        assertEquals(max, f.arrowMax(), 1e-12);
        assertTrue(f.arrowRef() <= f.arrowMax());
        assertEquals(-3 + 0.3, xy[0], 1e-12, "first anchor at the centre of the first cell");
    }

    @Test
    void inspectorMatchesFiniteDifferencesOfTheScore() {
        for (ModelState s : new ModelState[] {energy(), scoreNet()}) {
            FieldFrame f = new FieldComputer().compute(s, 0, null, REQ);
            double x = 0.37;
            double y = -0.52;
            HoverInfo h = FieldComputer.inspect(s, f, null, x, y);
            double eps = 1e-5;
            double[] sxp = score(s, x + eps, y);
            double[] sxm = score(s, x - eps, y);
            double[] syp = score(s, x, y + eps);
            double[] sym = score(s, x, y - eps);
            double j11 = (sxp[0] - sxm[0]) / (2 * eps);
            double j21 = (sxp[1] - sxm[1]) / (2 * eps);
            double j12 = (syp[0] - sym[0]) / (2 * eps);
            double j22 = (syp[1] - sym[1]) / (2 * eps);
            double tr = j11 + j22;
            double det = j11 * j22 - j12 * j21;
            // Eigenvalues enter through their invariants: λ₁ + λ₂ = tr J, λ₁λ₂ − (im)² sign = det J.
            double sum = h.re1() + h.re2();
            double prod = h.re1() * h.re2() + Math.abs(h.im1() * h.im2());
            double scale = Math.abs(j11) + Math.abs(j12) + Math.abs(j21) + Math.abs(j22);
            assertEquals(tr, sum, 1e-6 * scale, s.model().kind() + " trace");
            assertEquals(det, prod, 1e-6 * scale * scale, s.model().kind() + " determinant");
            assertEquals(j21 - j12, h.curl(), 1e-6 * scale, s.model().kind() + " curl");
            double[] s0 = score(s, x, y);
            assertEquals(s0[0], h.sx(), 1e-12);
            assertEquals(s0[1], h.sy(), 1e-12);
            if (s.model() instanceof EnergyMlp) {
                assertEquals(0, h.im1(), 0, "a Hessian has real eigenvalues");
                assertEquals(0, h.curl(), 1e-9 * scale);
                assertTrue(h.logpExact());
                assertEquals(f.grid().interpolate(f.logp(), x, y), h.logp(), 0.05,
                        "exact log p near the bilinear grid value");
            } else {
                assertFalse(h.logpExact());
                assertEquals(f.grid().interpolate(f.logp(), x, y), h.logp(), 1e-12);
            }
            assertFalse(h.hasTruth());
        }
    }

    @Test
    void scoreNetworkDensityIsIntegratedAndReportsItsNonGradientPart() {
        FieldFrame f = new FieldComputer().compute(scoreNet(), 0, null, REQ);
        assertTrue(f.nonConservative() >= 0 && f.nonConservative() <= 1, "fraction " + f.nonConservative());
        assertTrue(f.densitySource().contains("integrated"));
        Grid2D g = f.grid();
        double mass = 0;
        for (int iy = 0; iy < g.ny(); iy++) {
            for (int ix = 0; ix < g.nx(); ix++) {
                mass += g.quadratureWeight(ix, iy) * Math.exp(f.logp()[g.index(ix, iy)]);
            }
        }
        assertEquals(1, mass, 1e-9);
    }

    @Test
    void truthOverlayAndStreamlines() {
        GaussianMixture truth = ToyDataset.EIGHT_GAUSSIANS.mixture().orElseThrow();
        FieldRequest req = new FieldRequest(new FieldRequest.Area(-4, 4, -4, 4),
                new FieldRequest.Canvas(240, 240), new FieldRequest.Options(48, 8, 10, true, 30, Colormap.MAGMA));
        FieldFrame f = new FieldComputer().compute(energy(), 0, truth, req);
        assertFalse(f.trueContours().isEmpty(), "true contours at the model's levels");
        assertFalse(f.streamlines().isEmpty(), "streamlines were requested");
        double[] ts = new double[2];
        truth.score(new double[] {f.arrowXY()[0], f.arrowXY()[1]}, ts);
        assertEquals(ts[0], f.trueArrowScore()[0], 1e-12);
        assertEquals(ts[1], f.trueArrowScore()[1], 1e-12);
        HoverInfo h = FieldComputer.inspect(energy(), f, truth, 2.0, 0.1);
        assertTrue(h.hasTruth());
        assertEquals(truth.logDensity(new double[] {2.0, 0.1}) - f.trueLogZ(), h.trueLogp(), 1e-12);
        assertTrue(h.trueL1() >= h.trueL2());
    }

    private static double[] score(ModelState s, double x, double y) {
        ScoreModel m = s.model();
        return Grad.noGrad(() -> m.score(s.thetaTensor(), Tensor.of(new int[] {1, 2}, new double[] {x, y}))).toArray();
    }
}
