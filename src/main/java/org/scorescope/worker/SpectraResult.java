package org.scorescope.worker;

import org.scorescope.analysis.LocalHessians;

/**
 * One background spectra computation of a training snapshot, immutable once published, in four parts: the
 * parameter-Hessian ladder (eigenvalues of H = ∇²_θ L(θ) on a fixed evaluation batch), the loss along the top
 * eigenvector, the pointwise part (the histogram of log10|λ| of the local Hessians over the data points and the
 * glyphs, local eigen-pairs on a coarse grid of the view), and how the computation went. Arrays are never written
 * after construction; the accessors return them shared, read-only by convention (the FX thread only reads them).
 *
 * @param step      the optimizer step of the snapshot
 * @param ladder    the parameter-Hessian eigenvalues and what they were computed from
 * @param slice     the loss along the top eigenvector
 * @param pointwise the local Hessians over the data and the view
 * @param outcome   time, thread and error of the computation
 */
public record SpectraResult(long step, Ladder ladder, Slice slice, Pointwise pointwise, Outcome outcome) {

    /**
     * The parameter-Hessian ladder.
     *
     * @param method      "full" (all P eigenvalues) or "Lanczos" (extremes only)
     * @param parameters  P
     * @param batch       evaluation points B
     * @param eigenvalues resolved eigenvalues of H, ascending
     * @param span        log10 max|λ| − log10 min|λ| over the eigenvalues above P·ε·max|λ|, in decades
     * @param negatives   how many resolved eigenvalues are negative
     */
    public record Ladder(String method, int parameters, int batch, double[] eigenvalues, double span,
                         int negatives) {
    }

    /**
     * The loss along the top unit eigenvector u of H.
     *
     * @param lossAtTheta L(θ) on the evaluation batch
     * @param alphas      step lengths α along u
     * @param sliceLoss   L(θ + α·u) per α
     */
    public record Slice(double lossAtTheta, double[] alphas, double[] sliceLoss) {
    }

    /**
     * The local Hessians, over the evaluation points and on a grid over the view.
     *
     * @param local     histogram of log10|λ| of the local Hessians at the evaluation points, or null
     * @param localKind what the local matrices are (log-density Hessian or symmetrized score Jacobian), or null
     * @param glyphs    local eigen-pairs on a grid over the view, or null
     */
    public record Pointwise(LocalHessians.Histogram local, LocalHessians.Kind localKind, Glyphs glyphs) {
    }

    /**
     * How the computation went.
     *
     * @param millis wall time of the whole computation
     * @param thread name of the thread that computed it
     * @param error  why the computation failed, empty on success
     */
    public record Outcome(long millis, String thread, String error) {
    }

    /**
     * Local Hessian eigen-pairs at n grid nodes, for the field overlay.
     *
     * @param xy      n × 2 node coordinates (x, y)
     * @param values  n × 2 eigenvalues λ₀ ≤ λ₁ of the symmetric local matrix per node
     * @param vectors n × 2 × 2 unit eigenvectors, row k of node i the eigenvector of λ_k
     */
    public record Glyphs(double[] xy, double[] values, double[] vectors) {
        /** @return the number of nodes */
        public int count() {
            return xy.length / 2;
        }
    }

    /**
     * A failed computation.
     *
     * @param step    the snapshot's step
     * @param message why it failed
     * @param thread  the computing thread
     * @return a result with no spectra and the message
     */
    public static SpectraResult failed(long step, String message, String thread) {
        return new SpectraResult(step, new Ladder("", 0, 0, new double[0], Double.NaN, 0),
                new Slice(Double.NaN, new double[0], new double[0]), new Pointwise(null, null, null),
                new Outcome(0, thread, message == null ? "failed" : message));
    }

    /** @return true when the computation succeeded */
    public boolean ok() {
        return error().isEmpty();
    }

    // The parts' fields, read directly: the spectra view and its view model read them all over.

    /** @return see {@link Ladder#method()} */
    public String method() {
        return ladder.method();
    }

    /** @return see {@link Ladder#parameters()} */
    public int parameters() {
        return ladder.parameters();
    }

    /** @return see {@link Ladder#batch()} */
    public int batch() {
        return ladder.batch();
    }

    /** @return see {@link Ladder#eigenvalues()} */
    public double[] eigenvalues() {
        return ladder.eigenvalues();
    }

    /** @return see {@link Ladder#span()} */
    public double span() {
        return ladder.span();
    }

    /** @return see {@link Ladder#negatives()} */
    public int negatives() {
        return ladder.negatives();
    }

    /** @return see {@link Slice#lossAtTheta()} */
    public double lossAtTheta() {
        return slice.lossAtTheta();
    }

    /** @return see {@link Slice#alphas()} */
    public double[] alphas() {
        return slice.alphas();
    }

    /** @return see {@link Slice#sliceLoss()} */
    public double[] sliceLoss() {
        return slice.sliceLoss();
    }

    /** @return see {@link Pointwise#local()} */
    public LocalHessians.Histogram local() {
        return pointwise.local();
    }

    /** @return see {@link Pointwise#localKind()} */
    public LocalHessians.Kind localKind() {
        return pointwise.localKind();
    }

    /** @return see {@link Pointwise#glyphs()} */
    public Glyphs glyphs() {
        return pointwise.glyphs();
    }

    /** @return see {@link Outcome#millis()} */
    public long millis() {
        return outcome.millis();
    }

    /** @return see {@link Outcome#thread()} */
    public String thread() {
        return outcome.thread();
    }

    /** @return see {@link Outcome#error()} */
    public String error() {
        return outcome.error();
    }
}
