package org.scorescope.worker;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.scorescope.analysis.ParameterGroups;
import org.scorescope.analysis.ParameterHessian;
import org.scorescope.data.GaussianMixture;
import org.scorescope.field.FieldComputer;
import org.scorescope.field.FieldFrame;
import org.scorescope.field.FieldRequest;
import org.scorescope.model.ModelState;
import org.scorescope.threads.BackgroundPriority;
import org.scorescope.threads.Mailbox;
import org.scorescope.train.Trainer;

/**
 * The model moved along one parameter direction: θ(α) = θ + (α/√|λ|)·v for a unit eigenvector v of eigenvalue λ,
 * so α counts steps of 1/√|λ| (the length over which the quadratic model ½λt² changes the loss by ½): stiff and
 * sloppy directions move the loss comparably at the same α. Frames at θ(α) are computed on a copy of θ, on this
 * class's own background thread ("scorescope-inspector"), newest request first (a pending older one is dropped);
 * the loss curve L(θ(α)) against L(θ) + ½·sign(λ)·α² comes with the first frame of a direction.
 */
public final class DirectionFrames implements AutoCloseable {
    /** How the message of a moved frame starts (the legend shows it). */
    public static final String NOTE_PREFIX = "showing θ + α·v/√|λ| at α = ";
    /** α range of the loss curve, in units of 1/√|λ|. */
    public static final double ALPHA_MAX = 3;
    /** Points of the loss curve. */
    public static final int CURVE_POINTS = 31;

    /**
     * A direction to move θ along.
     *
     * @param frame  the snapshot whose θ is moved (not modified)
     * @param vector unit eigenvector v (P)
     * @param lambda its eigenvalue λ ≠ 0
     * @param label  what the direction is, for titles ("Hessian λ₁₂ = …")
     */
    public record Direction(FrameData frame, double[] vector, double lambda, String label) {
        /**
         * @param alpha α in units of 1/√|λ|
         * @return θ + (α/√|λ|)·v, a new array
         */
        public double[] theta(double alpha) {
            double[] th = frame.model().theta();
            double t = alpha / Math.sqrt(Math.abs(lambda));
            double[] out = new double[th.length];
            for (int q = 0; q < th.length; q++) {
                out[q] = th[q] + t * vector[q];
            }
            return out;
        }
    }

    /**
     * One computed frame along a direction.
     *
     * @param direction the direction
     * @param alpha     α of this frame
     * @param frame     the snapshot with the model at θ(α) and its fields (no Langevin samples)
     * @param alphas    α of the loss curve (null when not recomputed for this frame)
     * @param loss      L(θ(α)) on the spectra's evaluation batch, per α of the curve
     * @param loss0     L(θ)
     * @param groups    the parameter groups, for the bars
     * @param error     why it failed, empty on success
     */
    public record Result(Direction direction, double alpha, FrameData frame, double[] alphas, double[] loss, double loss0,
                         ParameterGroups groups, String error) {
    }

    private record Request(Direction direction, double alpha, boolean curve) {
    }

    private final ExecutorService executor = Executors.newSingleThreadExecutor(
            r -> BackgroundPriority.daemon("scorescope-inspector", r));
    private final Mailbox<Request> pending = new Mailbox<>();
    private final Mailbox<Result> latest = new Mailbox<>();

    /**
     * Asks for the frame at α (and the loss curve when {@code curve}); replaces a pending request.
     *
     * @param d     the direction
     * @param alpha α in units of 1/√|λ|
     * @param curve whether to compute the loss curve too
     */
    public void request(Direction d, double alpha, boolean curve) {
        if (pending.replace(new Request(d, alpha, curve)) == null && !executor.isShutdown()) {
            executor.execute(() -> {
                Request r = pending.take();
                if (r != null) {
                    latest.post(compute(r.direction(), r.alpha(), r.curve()));
                }
            });
        }
    }

    /** @return the newest result not yet taken, or null */
    public Result take() {
        return latest.take();
    }

    /**
     * Computes a frame at θ(α) on the calling thread: the fields of the moved model for the snapshot's own request
     * (the same view, grid and options), with the true density where the snapshot has one.
     *
     * @param d     the direction
     * @param alpha α in units of 1/√|λ|
     * @param curve whether to compute the loss curve
     * @return the result (failures in {@link Result#error()})
     */
    public static Result compute(Direction d, double alpha, boolean curve) {
        FrameData f = d.frame();
        ParameterGroups groups = ParameterGroups.of(f.model().model());
        try {
            ModelState moved = new ModelState(f.model().model(), d.theta(alpha));
            FieldFrame field = null;
            FieldRequest req = f.field() == null ? null : f.field().request();
            if (req != null) {
                GaussianMixture truth = f.hasTruth() ? Trainer.truth(f.config()) : null;
                field = new FieldComputer().compute(moved, f.step(), truth, req);
            }
            FrameData.Run run = f.run();
            String note = NOTE_PREFIX + String.format(java.util.Locale.ROOT, "%+.2f, v the %s",
                    alpha, d.label().replace(", α in units", "; α in units"));
            run = new FrameData.Run(run.step(), run.state(), note, run.divergences(), run.loss(), run.fisher(),
                    run.gradNorm(), run.learningRate(), run.stepsPerSecond(), run.msPerStep());
            FrameData frame = new FrameData(f.serial(), run,
                    new FrameData.Data(f.config(), moved, f.customData(), f.points(), f.dataVersion(), f.hasTruth()),
                    new FrameData.Picture(new double[0], 0, field, null), f.charts());
            double[] alphas = null;
            double[] loss = null;
            double l0 = Double.NaN;
            if (curve && f.pointCount() > 0) {
                ParameterHessian h = new ParameterHessian(f.model().model(), f.config().buildObjective(),
                        SpectraComputer.evaluationBatch(f.points()), SpectraComputer.SEED).withThreads(1);
                alphas = new double[CURVE_POINTS];
                double[] ts = new double[CURVE_POINTS];
                double scale = 1 / Math.sqrt(Math.abs(d.lambda()));
                for (int i = 0; i < CURVE_POINTS; i++) {
                    alphas[i] = ALPHA_MAX * (2.0 * i / (CURVE_POINTS - 1) - 1);
                    ts[i] = alphas[i] * scale;
                }
                loss = h.lossAlongDirection(f.model().theta(), d.vector(), ts);
                l0 = h.loss(f.model().theta());
            }
            return new Result(d, alpha, frame, alphas, loss, l0, groups, "");
        } catch (RuntimeException e) {
            return new Result(d, alpha, null, null, null, Double.NaN, groups,
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Stops the thread. */
    @Override
    public void close() {
        pending.clear();
        executor.shutdownNow();
    }
}
