package org.scorescope.field;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scorescope.analysis.Grid2D;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Tensor;
import org.scorescope.data.GaussianMixture;
import org.scorescope.model.DiffusionMlp;
import org.scorescope.model.ModelState;
import org.scorescope.model.Sde;

/**
 * A diffusion model's fields at a noise level t: the arrows are s_θ(·, t) and the reference arrows ∇log p_t of the
 * exact marginal (to 1e-12, the same arithmetic), the error heat map is log₁₀‖s_θ − ∇log p_t‖² at every node, a
 * probability-flow density covering the view replaces the score's integral (equal to it up to the view's
 * normalization, 1e-9), and the hover inspector reads the model at t.
 */
class FieldComputerNoiseTest {
    private static final GaussianMixture TRUTH = GaussianMixture.isotropic(new double[] {0.8, 0.2},
            new double[][] {{2, 2}, {-2, -2}}, new double[] {0.5, 0.5});
    private static final FieldRequest.Area AREA = new FieldRequest.Area(-4, 4, -4, 4);

    private static FieldRequest request(double t, boolean error) {
        return new FieldRequest(AREA, new FieldRequest.Canvas(120, 120),
                new FieldRequest.Options(16, 4, 10, false, 30, Colormap.VIRIDIS), new FieldRequest.NoiseLevel(t, error));
    }

    @Test
    void fieldsAtANoiseLevel() {
        DiffusionMlp model = new DiffusionMlp(2, 8, 1, Activation.TANH, Sde.vp());
        ModelState state = new ModelState(model, model.initialParameters(2));
        double t = 0.3;
        FieldFrame f = new FieldComputer().compute(state, 7, TRUTH, null, request(t, true), null);
        assertNotNull(f.noise());
        assertEquals(t, f.noise().time());
        assertEquals(Sde.vp().std(t), f.noise().sigma(), 1e-15);
        assertEquals("exact", f.noise().reference());
        assertTrue(f.noise().flowPending(), "no flow density yet: the score's integral stands in");

        GaussianMixture pt = DiffusionMlp.marginal(Sde.vp(), TRUTH, t);
        double[] anchors = f.arrowXY();
        int n = anchors.length / 2;
        double[] expected = new double[2 * n];
        pt.scoreBatch(anchors, expected);
        assertArrayEquals(expected, f.trueArrowScore(), 1e-12, "∇log p_t at the anchors");
        double[] learned = Grad.noGrad(() -> model.score(state.thetaTensor(), Tensor.of(new int[] {n, 2}, anchors),
                t)).toArray();
        assertArrayEquals(learned, f.arrowScore(), 1e-12, "s_θ(·, t) at the anchors");

        Grid2D grid = f.grid();
        double[] pts = grid.points();
        double[] s = Grad.noGrad(() -> model.score(state.thetaTensor(), Tensor.of(new int[] {grid.size(), 2}, pts), t))
                .toArray();
        double[] ts = new double[pts.length];
        pt.scoreBatch(pts, ts);
        for (int k = 0; k < grid.size(); k += 17) {
            double e = Math.pow(s[2 * k] - ts[2 * k], 2) + Math.pow(s[2 * k + 1] - ts[2 * k + 1], 2);
            assertEquals(Math.log10(e + 1e-12), f.noise().error()[k], 1e-9, "error at node " + k);
        }
        assertTrue(f.noise().errorTop() > f.noise().errorBottom());

        FieldFrame plain = new FieldComputer().compute(state, 7, TRUTH, null, request(t, false), null);
        assertNull(plain.noise().error(), "no error map unless asked");

        GaussianMixture kde = org.scorescope.analysis.PerturbedDensity.kde(new double[] {1, 2, -1, 0, 0.5, -2}, 3, 10, 1);
        FieldFrame noTruth = new FieldComputer().compute(state, 7, null, kde, request(t, true), null);
        assertEquals("KDE of the data", noTruth.noise().reference());
        double[] kdeScore = new double[2 * n];
        DiffusionMlp.marginal(Sde.vp(), kde, t).scoreBatch(anchors, kdeScore);
        assertArrayEquals(kdeScore, noTruth.trueArrowScore(), 1e-12, "∇log p_t of the KDE pushed to t");
        assertNull(noTruth.modes(), "no mass by mode against a KDE");

        HoverInfo h = FieldComputer.inspect(state, f, TRUTH, 0.5, -1);
        double[] at = Grad.noGrad(() -> model.score(state.thetaTensor(), Tensor.of(new int[] {1, 2},
                new double[] {0.5, -1}), t)).toArray();
        assertEquals(at[0], h.model().sx(), 1e-12, "the inspector reads s_θ(x, t)");
        assertEquals(pt.score(new double[] {0.5, -1})[1], h.truth().trueSy(), 1e-12, "against ∇log p_t");
    }

    @Test
    void aFlowDensityCoveringTheViewIsTheModelsDensity() {
        DiffusionMlp model = new DiffusionMlp(2, 8, 1, Activation.TANH, Sde.vp());
        ModelState state = new ModelState(model, model.initialParameters(2));
        FieldRequest req = request(0.2, false);
        Grid2D grid = new Grid2D(AREA.xmin(), AREA.xmax(), AREA.ymin(), AREA.ymax(), req.nx(), req.ny());
        double[] logp = new double[grid.size()];
        double[] pts = grid.points();
        for (int k = 0; k < logp.length; k++) {
            logp[k] = -0.5 * (pts[2 * k] * pts[2 * k] + pts[2 * k + 1] * pts[2 * k + 1]) - 3;
        }
        FlowDensity flow = new FlowDensity(1, 7, 0.2, grid, logp, true, 100, 1);
        FieldFrame f = new FieldComputer().compute(state, 7, TRUTH, null, req, flow);
        assertFalse(f.noise().flowPending());
        assertTrue(f.densitySource().startsWith("probability-flow ODE"), f.densitySource());
        double shift = f.logp()[0] - logp[0];
        for (int k = 0; k < logp.length; k++) {
            assertEquals(logp[k] + shift, f.logp()[k], 1e-9, "the flow density up to the view's normalizer");
        }
        FieldFrame other = new FieldComputer().compute(state, 7, TRUTH, null, request(0.5, false), flow);
        assertTrue(other.noise().flowPending(), "a flow density of another t is not used");
    }
}
