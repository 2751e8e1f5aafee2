package org.scorescope.worker;

import org.scorescope.field.FieldFrame;
import org.scorescope.field.HoverInfo;
import org.scorescope.model.ModelState;
import org.scorescope.train.Series;
import org.scorescope.train.TrainingConfig;

/**
 * One immutable picture of the run, published by the {@link TrainingWorker} about every 16 ms of
 * work and taken by the FX thread at most once per animation frame, in four parts: the run's
 * state and numbers, the data and model, what the view draws, and the chart histories. Arrays are
 * never written after publication.
 *
 * @param serial  increases with every publication
 * @param run     step, state and the last step's numbers
 * @param data    settings, model and data points
 * @param picture samples, fields and the inspector
 * @param charts  the metric histories
 */
public record FrameData(long serial, Run run, Data data, Picture picture, Charts charts) {

    /**
     * The run's state and the last step's numbers.
     *
     * @param step           optimizer steps taken
     * @param state          what the worker is doing
     * @param message        diagnosis or notice (divergence, errors, the plan's end), empty if none
     * @param divergences    how many times the run diverged since start (a change means: notify)
     * @param loss           loss of the last step, NaN before the first
     * @param fisher         last Fisher divergence ½E‖s_θ − s_true‖², NaN when unknown
     * @param gradNorm       gradient norm of the last step
     * @param learningRate   learning rate of the last step
     * @param stepsPerSecond measured training speed
     * @param msPerStep      smoothed wall time per step
     */
    public record Run(long step, WorkerState state, String message, int divergences, double loss, double fisher,
                      double gradNorm, double learningRate, double stepsPerSecond, double msPerStep) {
    }

    /**
     * The settings, the model and the data.
     *
     * @param config      the settings the trainer is using now
     * @param model       the current model (last finite parameters), or null before the first model exists
     * @param customData  true when the points were drawn or imported rather than generated
     * @param points      training data, interleaved (x, y)
     * @param dataVersion changes whenever the data change
     * @param hasTruth    whether a closed-form true density is known for these data
     */
    public record Data(TrainingConfig config, ModelState model, boolean customData, double[] points, long dataVersion,
                       boolean hasTruth) {
    }

    /**
     * What the view draws besides the data.
     *
     * @param samples      Langevin samples, interleaved; empty when the sampler is off
     * @param samplerSteps Langevin steps taken since the particles were spawned
     * @param field        latest computed fields, or null before the first
     * @param hover        inspector result for the last hover request, or null
     */
    public record Picture(double[] samples, long samplerSteps, FieldFrame field, HoverInfo hover) {
    }

    /**
     * The metric histories.
     *
     * @param lossLine   decimated loss history for the chart
     * @param fisherLine decimated Fisher history for the chart (positive values only)
     * @param steps      full step history
     * @param losses     full loss history
     * @param fishers    full Fisher history (NaN between evaluations)
     * @param nllLine    decimated held-out NLL history for the chart
     * @param quality    the held-out NLL now, the best model and any warning
     * @param nlls       full held-out NLL history (NaN between evaluations)
     */
    public record Charts(Decimator.Line lossLine, Decimator.Line fisherLine, Series.View steps, Series.View losses,
                         Series.View fishers, Decimator.Line nllLine, Quality quality, Series.View nlls) {
        /** Charts without held-out quality. */
        public Charts(Decimator.Line lossLine, Decimator.Line fisherLine, Series.View steps, Series.View losses,
                Series.View fishers) {
            this(lossLine, fisherLine, steps, losses, fishers, new Decimator.Line(new double[0], new double[0]),
                    Quality.NONE, fishers == null ? null : new Series().view());
        }
    }

    /**
     * Held-out quality of the run (see {@link org.scorescope.train.Trainer#best()}).
     *
     * @param nll        the held-out NLL of the last evaluation, nats; NaN when none
     * @param bestStep   the step of the best model, −1 when there is none
     * @param bestLabel  what "best" is measured by ("held-out NLL", "Fisher divergence"), empty when none
     * @param bestValue  its value at the best step
     * @param warning    a degraded-quality or degenerate-fit warning, empty when none
     */
    public record Quality(double nll, long bestStep, String bestLabel, double bestValue, String warning) {
        /** Nothing known. */
        public static final Quality NONE = new Quality(Double.NaN, -1, "", Double.NaN, "");

        /** @return whether there is a best model to go back to */
        public boolean hasBest() {
            return bestStep >= 0;
        }
    }

    /** @return number of data points */
    public int pointCount() {
        return data.points().length / 2;
    }

    // The parts' fields, read directly: frames are read all over the view.

    /** @return see {@link Run#step()} */
    public long step() {
        return run.step();
    }

    /** @return see {@link Run#state()} */
    public WorkerState state() {
        return run.state();
    }

    /** @return see {@link Run#message()} */
    public String message() {
        return run.message();
    }

    /** @return see {@link Run#divergences()} */
    public int divergences() {
        return run.divergences();
    }

    /** @return see {@link Run#loss()} */
    public double loss() {
        return run.loss();
    }

    /** @return see {@link Run#fisher()} */
    public double fisher() {
        return run.fisher();
    }

    /** @return see {@link Run#gradNorm()} */
    public double gradNorm() {
        return run.gradNorm();
    }

    /** @return see {@link Run#learningRate()} */
    public double learningRate() {
        return run.learningRate();
    }

    /** @return see {@link Run#stepsPerSecond()} */
    public double stepsPerSecond() {
        return run.stepsPerSecond();
    }

    /** @return see {@link Run#msPerStep()} */
    public double msPerStep() {
        return run.msPerStep();
    }

    /** @return see {@link Data#config()} */
    public TrainingConfig config() {
        return data.config();
    }

    /** @return see {@link Data#model()} */
    public ModelState model() {
        return data.model();
    }

    /** @return see {@link Data#customData()} */
    public boolean customData() {
        return data.customData();
    }

    /** @return see {@link Data#points()} */
    public double[] points() {
        return data.points();
    }

    /** @return see {@link Data#dataVersion()} */
    public long dataVersion() {
        return data.dataVersion();
    }

    /** @return see {@link Data#hasTruth()} */
    public boolean hasTruth() {
        return data.hasTruth();
    }

    /** @return see {@link Picture#samples()} */
    public double[] samples() {
        return picture.samples();
    }

    /** @return see {@link Picture#samplerSteps()} */
    public long samplerSteps() {
        return picture.samplerSteps();
    }

    /** @return see {@link Picture#field()} */
    public FieldFrame field() {
        return picture.field();
    }

    /** @return see {@link Picture#hover()} */
    public HoverInfo hover() {
        return picture.hover();
    }

    /** @return see {@link Charts#lossLine()} */
    public Decimator.Line lossLine() {
        return charts.lossLine();
    }

    /** @return see {@link Charts#fisherLine()} */
    public Decimator.Line fisherLine() {
        return charts.fisherLine();
    }

    /** @return see {@link Charts#steps()} */
    public Series.View steps() {
        return charts.steps();
    }

    /** @return see {@link Charts#losses()} */
    public Series.View losses() {
        return charts.losses();
    }

    /** @return see {@link Charts#fishers()} */
    public Series.View fishers() {
        return charts.fishers();
    }

    /** @return the decimated held-out NLL line */
    public Decimator.Line nllLine() {
        return charts.nllLine();
    }

    /** @return the held-out NLL history, NaN between evaluations (may be empty when no frame carries it) */
    public Series.View nlls() {
        return charts.nlls();
    }

    /** @return the held-out quality */
    public Quality quality() {
        return charts.quality();
    }
}
