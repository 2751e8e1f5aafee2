package org.scorescope.analysis;

/**
 * A symmetric matrix whose eigenvalues are all known and whose eigenvectors are computed one at a time, on demand:
 * every rung of a ladder can be inspected without holding P² doubles of eigenvectors. Implementations are immutable
 * and thread-safe ({@link #eigenpair} may run on any thread).
 */
public interface EigenvectorSource {
    /** @return the dimension P */
    int dim();

    /** @return all P eigenvalues, ascending (a copy) */
    double[] eigenvalues();

    /**
     * The unit eigenvector of the k-th smallest eigenvalue.
     *
     * @param k index into {@link #eigenvalues()}, in {@code [0, P)}
     * @return the eigenpair with how far it can be trusted
     */
    Eigenpair eigenpair(int k);

    /**
     * @param ascending eigenvalues, ascending
     * @param k         an index into them
     * @return min |λ_k − λ_j| over j ≠ k, infinite for a single eigenvalue
     */
    static double gap(double[] ascending, int k) {
        double g = Double.POSITIVE_INFINITY;
        if (k > 0) {
            g = ascending[k] - ascending[k - 1];
        }
        if (k < ascending.length - 1) {
            g = Math.min(g, ascending[k + 1] - ascending[k]);
        }
        return g;
    }

    /**
     * One eigenpair {@code A v ≈ λ v} and its accuracy.
     *
     * <p>The matrix behind a ladder is only known to within its float64 noise floor {@code δ = P·ε·max|λ|} (the
     * rounding of its assembly and of a backward-stable decomposition). By Davis–Kahan, a perturbation of norm δ
     * turns an eigenvector by at most {@code sin θ ≤ δ / gap}, with gap the distance to the nearest other eigenvalue:
     * {@link #angleDegrees()}. A vector whose eigenvalue is below the floor, or whose gap is not larger than the
     * floor, is {@link #noiseDominated()}: another float64 evaluation of the same matrix could give any direction of
     * the nearly degenerate subspace.
     *
     * @param index      k, the rank from the smallest
     * @param value      λ_k
     * @param vector     unit eigenvector v (a fresh array, the caller's)
     * @param residual   ‖A v − λ v‖₂ as computed
     * @param gap        min |λ_k − λ_j| over j ≠ k (infinite for P = 1)
     * @param noiseFloor δ = P·ε·max|λ|
     */
    record Eigenpair(int index, double value, double[] vector, double residual, double gap, double noiseFloor) {
        /** @return whether |λ| ≤ δ: the eigenvalue itself is rounding noise */
        public boolean belowFloor() {
            return Math.abs(value) <= noiseFloor;
        }

        /** @return the Davis–Kahan bound on the angle between v and the exact eigenvector, asin(min(1, δ/gap)), in degrees */
        public double angleDegrees() {
            return Math.toDegrees(Math.asin(gap > 0 ? Math.min(1, noiseFloor / gap) : 1));
        }

        /** @return whether the direction is set by rounding noise rather than by the matrix (see above) */
        public boolean noiseDominated() {
            return belowFloor() || !(gap > noiseFloor);
        }
    }
}
