package org.scorescope.worker;

import org.scorescope.analysis.CriticalPoints;
import org.scorescope.analysis.EigenvectorSource;
import org.scorescope.analysis.LocalHessians;

/**
 * One background spectra computation of a training snapshot, immutable once published, in four parts: the
 * parameter-curvature ladders (eigenvalues of the Hessian H = ∇²_θ L(θ) and of the Gauss–Newton matrix
 * G = mean J_θ(s)ᵀJ_θ(s) on a fixed evaluation batch, one of them selected for the slice and the history), the loss
 * along the selected matrix's top eigenvector, the pointwise part (the histogram of log10|λ| of the local Hessians
 * over the data points, the glyphs, the critical points of the learned density), and how the computation went.
 * Arrays are never written after construction; the accessors return them shared, read-only by convention (the FX
 * thread only reads them).
 *
 * @param step        the optimizer step of the snapshot
 * @param ladder      the selected curvature's eigenvalues and what they were computed from
 * @param companion   the other curvature's ladder (Gauss–Newton beside the Hessian or the reverse), or null
 * @param slice       the loss along the selected ladder's top eigenvector
 * @param pointwise   the local Hessians over the data and the view
 * @param outcome     time, thread and error of the computation
 */
public record SpectraResult(long step, Ladder ladder, Ladder companion, Slice slice, Pointwise pointwise,
                            Outcome outcome) {

    /** The curvature matrix of a ladder. */
    public enum Curvature {
        /** H = ∇²_θ L. */
        HESSIAN,
        /** G = (1/N) Σ J_θ(s(x_i))ᵀ J_θ(s(x_i)). */
        GAUSS_NEWTON;

        /** @return "Hessian" or "Gauss–Newton" */
        public String label() {
            return this == HESSIAN ? "Hessian" : "Gauss–Newton";
        }
    }

    /**
     * A parameter-curvature ladder.
     *
     * @param method      "full" (all P eigenvalues), "Lanczos" (extremes only) or "Lanczos + SLQ"
     * @param parameters  P
     * @param batch       evaluation points B
     * @param eigenvalues resolved eigenvalues, ascending
     * @param span        log10 max|λ| − log10 min|λ| over the eigenvalues above the noise floor, in decades
     * @param negatives   how many resolved eigenvalues are negative
     * @param curvature   which matrix
     * @param noiseFloor  P·ε·max|λ|: magnitudes below it are float64 rounding noise
     * @param pending     whether all P eigenvalues are being computed in the background (these are the ends)
     * @param density     the SLQ spectral density (nodes, weights summing to P), or null
     * @param vectors     unit eigenvectors of some resolved eigenvalues (the Lanczos ends, the slice's top), or null
     * @param source      the eigenvector of any of {@code eigenvalues} on demand (when all P are resolved), or null;
     *                    it can hold half a P × P matrix, so histories keep the ladder {@link #withoutSource()}
     */
    public record Ladder(String method, int parameters, int batch, double[] eigenvalues, double span, int negatives,
                         Curvature curvature, double noiseFloor, boolean pending, Density density, Vectors vectors,
                         EigenvectorSource source) {
        /** @return an empty ladder */
        static Ladder empty() {
            return new Ladder("", 0, 0, new double[0], Double.NaN, 0, Curvature.HESSIAN, 0, false, null, null, null);
        }

        /** @return this ladder without its on-demand eigenvectors (the same one when it has none) */
        public Ladder withoutSource() {
            return source == null ? this : new Ladder(method, parameters, batch, eigenvalues, span, negatives, curvature,
                    noiseFloor, pending, density, vectors, null);
        }

        /** @return max|λ| over the resolved eigenvalues, 0 when none */
        public double maxAbs() {
            double m = 0;
            for (double v : eigenvalues) {
                m = Math.max(m, Math.abs(v));
            }
            return m;
        }

        /**
         * @param all     every eigenvalue (ascending), replacing the ends
         * @param span    their span above the floor
         * @param floor   their noise floor
         * @param vectors their eigenvectors on demand, or null
         * @return this ladder with the full spectrum, no longer pending
         */
        public Ladder completed(double[] all, double span, double floor, EigenvectorSource vectors) {
            int neg = 0;
            for (double v : all) {
                if (v < 0) {
                    neg++;
                }
            }
            return new Ladder("full", parameters, batch, all, span, neg, curvature, floor, false, density, this.vectors,
                    vectors);
        }
    }

    /**
     * A spectral density by stochastic Lanczos quadrature.
     *
     * @param nodes   quadrature nodes θ_j
     * @param weights their weights, summing to P
     */
    public record Density(double[] nodes, double[] weights) {
    }

    /**
     * Unit eigenvectors of some resolved eigenvalues.
     *
     * @param values their eigenvalues, ascending
     * @param rows   row-major values.length × P
     */
    public record Vectors(double[] values, double[] rows) {
        /** @return how many vectors */
        public int count() {
            return values.length;
        }

        /**
         * @param k index in {@link #values()}
         * @return a copy of the unit vector
         */
        public double[] vector(int k) {
            int p = rows.length / values.length;
            double[] v = new double[p];
            System.arraycopy(rows, k * p, v, 0, p);
            return v;
        }

        /**
         * @param lambda an eigenvalue
         * @return the index of the vector whose eigenvalue is nearest on the log10|λ| scale (same sign first), −1
         *         when there are none
         */
        public int nearest(double lambda) {
            return nearestOnLogScale(values, lambda);
        }
    }

    /**
     * @param values eigenvalues
     * @param lambda an eigenvalue
     * @return the index of the value nearest to λ on the log10|λ| scale (same sign first), −1 when there are none
     */
    public static int nearestOnLogScale(double[] values, double lambda) {
        double target = Math.log10(Math.abs(lambda) + 1e-300);
        int best = -1;
        double bestD = Double.POSITIVE_INFINITY;
        for (int k = 0; k < values.length; k++) {
            double d = Math.abs(Math.log10(Math.abs(values[k]) + 1e-300) - target)
                    + (Math.signum(values[k]) == Math.signum(lambda) ? 0 : 100);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best;
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
     * @param critical  the critical points s = 0 of the learned field over the view, or null
     */
    public record Pointwise(LocalHessians.Histogram local, LocalHessians.Kind localKind, Glyphs glyphs,
                            CriticalPoints critical) {
    }

    /**
     * How the computation went.
     *
     * @param millis wall time of the whole computation
     * @param thread name of the thread that computed it
     * @param error  why the computation failed, empty on success
     * @param detail where the time went, e.g. "Hessian ends 0.5 s · Gauss–Newton 0.3 s · …" (may be empty)
     */
    public record Outcome(long millis, String thread, String error, String detail) {
        /** An outcome without detail. */
        public Outcome(long millis, String thread, String error) {
            this(millis, thread, error, "");
        }
    }

    /**
     * Local Hessian eigen-pairs at n grid nodes, for the field overlay, and the critical points of the field.
     *
     * @param xy       n × 2 node coordinates (x, y)
     * @param values   n × 2 eigenvalues λ₀ ≤ λ₁ of the symmetric local matrix per node
     * @param vectors  n × 2 × 2 unit eigenvectors, row k of node i the eigenvector of λ_k
     * @param critical the zeros of the score over the view, classified, or null
     * @param matrix   what the local matrix is: "∇²ₓ log p" or "sym ∂s/∂x"
     */
    public record Glyphs(double[] xy, double[] values, double[] vectors, CriticalPoints critical, String matrix) {
        /** Glyphs of a log-density Hessian without critical points. */
        public Glyphs(double[] xy, double[] values, double[] vectors) {
            this(xy, values, vectors, null, "∇²ₓ log p");
        }

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
        return new SpectraResult(step, Ladder.empty(), null,
                new Slice(Double.NaN, new double[0], new double[0]), new Pointwise(null, null, null, null),
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

    /** @return see {@link Pointwise#critical()} */
    public CriticalPoints critical() {
        return pointwise.critical();
    }

    /** @return see {@link Ladder#curvature()} */
    public Curvature curvature() {
        return ladder.curvature();
    }

    /** @return see {@link Ladder#noiseFloor()} */
    public double noiseFloor() {
        return ladder.noiseFloor();
    }

    /** @return see {@link Ladder#pending()} */
    public boolean pending() {
        return ladder.pending();
    }

    /**
     * @param l the ladders, replacing this result's (e.g. the full spectrum that completes pending ends)
     * @param c the companion ladder
     * @param millis total time so far
     * @return a copy with those ladders
     */
    public SpectraResult withLadders(Ladder l, Ladder c, long millis) {
        return new SpectraResult(step, l, c, slice, pointwise, new Outcome(millis, outcome.thread(), outcome.error(),
                outcome.detail()));
    }

    /** @return this result with its ladders {@link Ladder#withoutSource() without their on-demand eigenvectors} */
    public SpectraResult withoutSources() {
        Ladder l = ladder.withoutSource();
        Ladder c = companion == null ? null : companion.withoutSource();
        return l == ladder && c == companion ? this : new SpectraResult(step, l, c, slice, pointwise, outcome);
    }

    /**
     * @param millis total time
     * @param detail where the time went
     * @return a copy with that outcome
     */
    public SpectraResult withTime(long millis, String detail) {
        return new SpectraResult(step, ladder, companion, slice, pointwise, new Outcome(millis, outcome.thread(),
                outcome.error(), detail));
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
