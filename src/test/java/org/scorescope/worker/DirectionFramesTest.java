package org.scorescope.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scorescope.analysis.ParameterHessian;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Tensor;
import org.scorescope.data.ToyDataset;
import org.scorescope.field.Colormap;
import org.scorescope.field.FieldComputer;
import org.scorescope.field.FieldFrame;
import org.scorescope.field.FieldRequest;
import org.scorescope.field.ViewBox;
import org.scorescope.model.ModelState;
import org.scorescope.model.ScoreModel;
import org.scorescope.render.ViewImage;
import org.scorescope.render.ViewLayers;
import org.scorescope.train.Settings;
import org.scorescope.train.TrainingConfig;

/** Frames along a parameter direction against the model evaluated at the moved θ directly. */
class DirectionFramesTest {
    private static final FieldRequest REQ = new FieldRequest(new FieldRequest.Area(-3, 3, -3, 3),
            new FieldRequest.Canvas(240, 240), new FieldRequest.Options(32, 6, 8, false, 30, Colormap.VIRIDIS));

    private static FrameData frame() {
        TrainingConfig c = TrainingConfig.defaults().withAll(java.util.Map.of(Settings.SAMPLES, 200, Settings.WIDTH, 8,
                Settings.SEED, 7L));
        ScoreModel arch = c.buildModel(new double[0][]);
        ModelState model = new ModelState(arch, arch.initialParameters(3));
        double[] pts = ToyDataset.EIGHT_GAUSSIANS.sampleFlat(200, 0.1, 5);
        FieldFrame field = new FieldComputer().compute(model, 10, null, REQ);
        return new FrameData(1,
                new FrameData.Run(10, WorkerState.PAUSED, "", 0, 1.0, Double.NaN, 0, 1e-3, 0, 0),
                new FrameData.Data(c, model, true, pts, 1, false),
                new FrameData.Picture(new double[0], 0, field, null),
                new FrameData.Charts(null, null, null, null, null));
    }

    private static double[] unit(int p, long seed) {
        double[] v = new Random(seed).doubles(p, -1, 1).toArray();
        double n = 0;
        for (double x : v) {
            n += x * x;
        }
        for (int i = 0; i < p; i++) {
            v[i] /= Math.sqrt(n);
        }
        return v;
    }

    @Test
    void theFrameAtThetaPlusAlphaVIsTheModelEvaluatedThereDirectly() {
        FrameData f = frame();
        int p = f.model().model().parameterCount();
        double[] v = unit(p, 1);
        double lambda = 4.0;
        DirectionFrames.Direction d = new DirectionFrames.Direction(f, v, lambda, "test");
        double alpha = 1.5;
        double[] theta0 = f.model().theta();
        DirectionFrames.Result r = DirectionFrames.compute(d, alpha, true);
        assertTrue(r.error().isEmpty(), r.error());
        // θ(α) = θ + (α/√|λ|)·v, on a copy: the snapshot's θ is untouched
        double[] moved = r.frame().model().theta();
        for (int q = 0; q < p; q++) {
            assertEquals(theta0[q] + alpha / 2.0 * v[q], moved[q], 1e-15);
        }
        assertArrayEquals(theta0, f.model().theta(), 0);
        // the arrows' scores are the engine's score at θ(α), evaluated here directly
        ScoreModel m = f.model().model();
        FieldFrame field = r.frame().field();
        double[] xy = field.arrows().arrowXY();
        int n = xy.length / 2;
        double[] direct = Grad.noGrad(() -> m.score(m.parameters(moved, false), Tensor.of(new int[] {n, 2}, xy.clone())))
                .toArray();
        assertArrayEquals(direct, field.arrows().arrowScore(), 1e-12);
        // log p on the grid: −E(x; θ(α)) up to the view's normalizing constant
        double[] grid = field.density().grid().points();
        int g = grid.length / 2;
        double[] logq = Grad.noGrad(() -> m.logDensity(m.parameters(moved, false), Tensor.of(new int[] {g, 2},
                grid.clone())).orElseThrow()).toArray();
        double shift = field.density().logp()[0] - logq[0];
        for (int i = 0; i < g; i++) {
            assertEquals(logq[i] + shift, field.density().logp()[i], 1e-9);
        }
        // and the picture drawn from it is the picture of a frame made from θ(α) directly
        FieldFrame directField = new FieldComputer().compute(new ModelState(m, moved), f.step(), null, REQ);
        // (with the same run line, whose message the legend shows: "showing θ + α·v/√|λ| …")
        assertTrue(r.frame().message().startsWith(DirectionFrames.NOTE_PREFIX), r.frame().message());
        FrameData directFrame = new FrameData(1, r.frame().run(),
                new FrameData.Data(f.config(), new ModelState(m, moved), true, f.points(), 1, false),
                new FrameData.Picture(new double[0], 0, directField, null), f.charts());
        ViewBox view = new ViewBox(0, 0, 3);
        BufferedImage a = ViewImage.render(r.frame(), view, 240, 240, ViewLayers.standard(), null, null, 240, 240);
        BufferedImage b = ViewImage.render(directFrame, view, 240, 240, ViewLayers.standard(), null, null, 240, 240);
        assertArrayEquals(a.getRGB(0, 0, 240, 240, null, 0, 240), b.getRGB(0, 0, 240, 240, null, 0, 240));
        // the loss curve: L(θ + (α/√|λ|)v) on the spectra's batch, α in [−3, 3]
        assertNotNull(r.alphas());
        ParameterHessian h = new ParameterHessian(m, f.config().buildObjective(),
                SpectraComputer.evaluationBatch(f.points()), SpectraComputer.SEED);
        int mid = DirectionFrames.CURVE_POINTS / 2;
        assertEquals(0, r.alphas()[mid], 1e-15);
        assertEquals(h.loss(theta0), r.loss()[mid], 1e-12 * Math.abs(r.loss0()) + 1e-14);
        assertEquals(h.loss(d.theta(r.alphas()[0])), r.loss()[0], 1e-10 * Math.max(1, Math.abs(r.loss()[0])));
        assertEquals(6, r.groups().groups().size());
    }
}
