package org.scorescope.render;

import org.scorescope.data.GaussianMixture;
import org.scorescope.field.Colormap;
import org.scorescope.field.FieldComputer;
import org.scorescope.field.FieldFrame;
import org.scorescope.field.FieldRequest;
import org.scorescope.field.ViewBox;
import org.scorescope.model.ModelState;
import org.scorescope.train.Trainer;
import org.scorescope.train.TrainingConfig;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.SpectraResult;
import org.scorescope.worker.WorkerState;

/**
 * Fixed frames with something on every layer: the default energy model after a few steps on 8gaussians (true
 * density known), its fields, some samples and a few local-Hessian glyphs of both signs. Deterministic.
 */
final class RenderScenes {
    static final int W = 320;
    static final int H = 240;
    static final ViewBox VIEW = ViewBox.of(TrainingConfig.defaults().data().dataset().defaultBox());

    private static ModelState trained;
    private static double[] points;
    private static GaussianMixture truth;

    private RenderScenes() {
    }

    private static synchronized void train() {
        if (trained != null) {
            return;
        }
        TrainingConfig c = TrainingConfig.defaults().with(org.scorescope.train.Settings.SAMPLES, 400);
        double[][] rows = Trainer.sample(c);
        truth = Trainer.truthOf(c, rows);
        Trainer t = new Trainer(c, rows, truth, null);
        for (int i = 0; i < 40; i++) {
            t.step();
        }
        trained = t.model();
        points = new double[2 * rows.length];
        for (int i = 0; i < rows.length; i++) {
            points[2 * i] = rows[i][0];
            points[2 * i + 1] = rows[i][1];
        }
    }

    /**
     * @param streamlines trace streamlines instead of arrows
     * @param cmap        heat-map colours
     * @return a frame whose fields were computed for {@link #VIEW} at W × H
     */
    static FrameData frame(boolean streamlines, Colormap cmap) {
        train();
        double[] r = VIEW.visible(W, H);
        FieldRequest req = new FieldRequest(new FieldRequest.Area(r[0], r[1], r[2], r[3]),
                new FieldRequest.Canvas(W, H), new FieldRequest.Options(48, 8, 10, streamlines, 30, cmap));
        FieldFrame field = new FieldComputer().compute(trained, 40, truth, req);
        double[] samples = {0.5, 0.5, -1.5, 2.0, 2.2, -1.1, -0.3, -2.4};
        return new FrameData(1,
                new FrameData.Run(40, WorkerState.PAUSED, "", 0, Double.NaN, Double.NaN, 0, 0, 0, 0),
                new FrameData.Data(TrainingConfig.defaults(), trained, false, points, 1, true),
                new FrameData.Picture(samples, 10, field, null),
                new FrameData.Charts(null, null, null, null, null));
    }

    /** @return a sampler run half-way: particles on a ring, each with a straight path from the centre */
    static org.scorescope.worker.SamplerRun.Frame sampler() {
        int n = 40;
        double[] p = new double[2 * n];
        double[][] trails = new double[n][];
        for (int i = 0; i < n; i++) {
            double a = 2 * Math.PI * i / n;
            p[2 * i] = 1.5 * Math.cos(a);
            p[2 * i + 1] = 1.5 * Math.sin(a);
            trails[i] = new double[] {0, 0, 0.7 * p[2 * i], 0.7 * p[2 * i + 1], p[2 * i], p[2 * i + 1]};
        }
        return new org.scorescope.worker.SamplerRun.Frame(org.scorescope.analysis.Samplers.Kind.REVERSE_SDE, p,
                trails, 500, 1000, 500, 0.5, new double[] {0.8, 0.2}, false, "");
    }

    /** @return a 3 × 3 grid of glyphs over the view, positive and negative curvatures */
    static SpectraResult.Glyphs glyphs() {
        int n = 9;
        double[] xy = new double[2 * n];
        double[] val = new double[2 * n];
        double[] vec = new double[4 * n];
        for (int i = 0; i < n; i++) {
            xy[2 * i] = -2 + 2 * (i % 3);
            xy[2 * i + 1] = -2 + 2 * (i / 3);
            val[2 * i] = 1.5 + i;
            val[2 * i + 1] = i % 2 == 0 ? -0.8 : 0.4;
            double a = 0.3 * i;
            vec[4 * i] = Math.cos(a);
            vec[4 * i + 1] = Math.sin(a);
            vec[4 * i + 2] = -Math.sin(a);
            vec[4 * i + 3] = Math.cos(a);
        }
        return new SpectraResult.Glyphs(xy, val, vec);
    }
}
