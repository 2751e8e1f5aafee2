package org.scorescope.worker;

import org.scorescope.analysis.LocalHessians;

/**
 * One background spectra computation of a training snapshot, immutable once published: the parameter-Hessian
 * ladder (eigenvalues of H = ∇²_θ L(θ) on a fixed evaluation batch), the loss along the top eigenvector, the
 * histogram of log10|λ| of the local Hessians over the data points, and the glyphs (local eigen-pairs on a
 * coarse grid of the view). Arrays are never written after construction; the accessors return them shared,
 * read-only by convention (the FX thread only reads them).
 *
 * @param step        the optimizer step of the snapshot
 * @param method      "full" (all P eigenvalues) or "Lanczos" (extremes only)
 * @param parameters  P
 * @param batch       evaluation points B
 * @param eigenvalues resolved eigenvalues of H, ascending
 * @param span        log10 max|λ| − log10 min|λ| over the eigenvalues above P·ε·max|λ|, in decades
 * @param negatives   how many resolved eigenvalues are negative
 * @param millis      wall time of the whole computation
 * @param thread      name of the thread that computed it
 * @param lossAtTheta L(θ) on the evaluation batch
 * @param alphas      step lengths α along the top unit eigenvector u
 * @param sliceLoss   L(θ + α·u) per α
 * @param local       histogram of log10|λ| of the local Hessians at the evaluation points, or null
 * @param localKind   what the local matrices are (log-density Hessian or symmetrized score Jacobian), or null
 * @param glyphs      local eigen-pairs on a grid over the view, or null
 * @param error       why the computation failed, empty on success
 */
public record SpectraResult(long step, String method, int parameters, int batch, double[] eigenvalues, double span,
                            int negatives, long millis, String thread, double lossAtTheta, double[] alphas,
                            double[] sliceLoss, LocalHessians.Histogram local, LocalHessians.Kind localKind,
                            Glyphs glyphs, String error) {

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
        return new SpectraResult(step, "", 0, 0, new double[0], Double.NaN, 0, 0, thread, Double.NaN, new double[0],
                new double[0], null, null, null, message == null ? "failed" : message);
    }

    /** @return true when the computation succeeded */
    public boolean ok() {
        return error.isEmpty();
    }
}
