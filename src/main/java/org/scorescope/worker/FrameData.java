package org.scorescope.worker;

import org.scorescope.field.FieldFrame;
import org.scorescope.field.HoverInfo;
import org.scorescope.model.ModelState;
import org.scorescope.train.Series;
import org.scorescope.train.TrainingConfig;

/**
 * One immutable picture of the run, published by the {@link TrainingWorker} about every 16 ms of
 * work and taken by the FX thread at most once per animation frame. Arrays are never written after
 * publication.
 *
 * @param serial          increases with every publication
 * @param step            optimizer steps taken since the last reset
 * @param state           what the worker is doing
 * @param message         diagnosis or notice (divergence, errors), empty if none
 * @param divergences     how many times the run diverged since start (a change means: notify)
 * @param loss            loss of the last step, NaN before the first
 * @param fisher          last Fisher divergence ½E‖s_θ − s_true‖², NaN when unknown
 * @param gradNorm        gradient norm of the last step
 * @param learningRate    learning rate of the last step
 * @param stepsPerSecond  measured training speed
 * @param msPerStep       smoothed wall time per step
 * @param config          the settings the trainer is using now
 * @param model           the current model (last finite parameters), or null before the first model exists
 * @param customData      true when the points were drawn or imported rather than generated
 * @param points          training data, interleaved (x, y)
 * @param dataVersion     changes whenever the data change
 * @param hasTruth        whether a closed-form true density is known for these data
 * @param samples         Langevin samples, interleaved; empty when the sampler is off
 * @param samplerSteps    Langevin steps taken since the particles were spawned
 * @param field           latest computed fields, or null before the first
 * @param lossLine        decimated loss history for the chart
 * @param fisherLine      decimated Fisher history for the chart (positive values only)
 * @param steps           full step history
 * @param losses          full loss history
 * @param fishers         full Fisher history (NaN between evaluations)
 * @param hover           inspector result for the last hover request, or null
 */
public record FrameData(long serial, long step, WorkerState state, String message, int divergences,
                        double loss, double fisher, double gradNorm, double learningRate, double stepsPerSecond,
                        double msPerStep, TrainingConfig config, ModelState model, boolean customData,
                        double[] points, long dataVersion, boolean hasTruth, double[] samples, long samplerSteps,
                        FieldFrame field, Decimator.Line lossLine, Decimator.Line fisherLine,
                        Series.View steps, Series.View losses, Series.View fishers, HoverInfo hover) {

    /** @return number of data points */
    public int pointCount() {
        return points.length / 2;
    }
}
