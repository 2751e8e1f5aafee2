package org.scorescope.worker;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.scorescope.analysis.LangevinSampler;
import org.scorescope.data.GaussianMixture;
import org.scorescope.field.FieldComputer;
import org.scorescope.field.FieldFrame;
import org.scorescope.field.FieldRequest;
import org.scorescope.model.ModelState;
import org.scorescope.model.ScoreModel;
import org.scorescope.train.Series;
import org.scorescope.train.Trainer;
import org.scorescope.train.TrainingConfig;

/**
 * A {@link FrameData} for one model at rest, made on the calling thread without a {@link TrainingWorker}: what
 * the worker would publish after opening a session and letting the samples settle. The data are generated data
 * (with their true density) when they equal what the settings generate, user data otherwise, as when the worker
 * loads a session; the fields are computed once for the given view; the Langevin samples start uniformly over
 * the data's box and take a fixed number of steps. Used by the headless {@code render} command.
 */
public final class StillFrame {
    private static final Decimator.Line NO_LINE = new Decimator.Line(new double[0], new double[0]);
    static final Series.View NO_HISTORY = new Series().view();

    private StillFrame() {
    }

    /**
     * @param config      the settings
     * @param points      the data, n × 2 (may be empty)
     * @param model       the model, or null for a fresh one from the settings' seed
     * @param step        the step count the model was trained for
     * @param view        the view to compute the fields for
     * @param particles   number of Langevin samples, 0 for none
     * @param stepSize    Langevin step size ε
     * @param sampleSteps Langevin steps to take from the uniform start
     * @return the frame (its message says why there are no samples if they diverged)
     */
    public static FrameData of(TrainingConfig config, double[][] points, ModelState model, long step,
                               FieldRequest view, int particles, double stepSize, int sampleSteps) {
        if (model == null) {
            ScoreModel arch = config.buildModel(points);
            model = new ModelState(arch, arch.initialParameters(config.run().seed(), points));
            step = 0;
        }
        boolean generated = Arrays.deepEquals(Trainer.sample(config), points);
        GaussianMixture truth = generated ? Trainer.truth(config) : null;
        double[] flat = new double[2 * points.length];
        for (int i = 0; i < points.length; i++) {
            flat[2 * i] = points[i][0];
            flat[2 * i + 1] = points[i][1];
        }
        FieldFrame field = new FieldComputer().compute(model, step, truth, view);
        String message = "";
        double[] samples = new double[0];
        if (particles > 0) {
            try {
                samples = settle(model, LangevinParticles.box(flat, config.data().dataset().defaultBox()), particles, stepSize,
                        sampleSteps, config.run().seed());
            } catch (IllegalStateException e) {
                message = "No Langevin samples: " + e.getMessage();
            }
        }
        return new FrameData(1,
                new FrameData.Run(step, step == 0 ? WorkerState.IDLE : WorkerState.PAUSED, message, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN),
                new FrameData.Data(config, model, !generated, flat, 1, truth != null),
                new FrameData.Picture(samples, particles > 0 ? sampleSteps : 0, field, null),
                new FrameData.Charts(NO_LINE, NO_LINE, NO_HISTORY, NO_HISTORY, NO_HISTORY));
    }

    private static double[] settle(ModelState model, double[] box, int n, double stepSize, int steps, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] xs = new double[2 * n];
        for (int i = 0; i < n; i++) {
            xs[2 * i] = box[0] + rng.nextDouble() * (box[1] - box[0]);
            xs[2 * i + 1] = box[2] + rng.nextDouble() * (box[3] - box[2]);
        }
        LangevinSampler ula = new LangevinSampler(LangevinParticles.scoreOf(() -> model), xs, n, stepSize,
                rng.nextLong());
        ula.run(steps);
        return ula.positions();
    }
}
