package org.scorescope.analysis;

/**
 * A symmetric linear map {@code v ↦ A·v} on {@code ℝ^dim}, available only through products (e.g. a
 * Hessian-vector product). The spectral tools ({@link Lanczos}, {@link Hutchinson},
 * {@link StochasticLanczosQuadrature}) assume {@code A = Aᵀ}.
 */
public interface LinearOperator {
    /** @return the dimension {@code n} of the space the operator acts on. */
    int dim();

    /**
     * Computes {@code out = A·v}.
     *
     * @param v   input vector, length {@code dim()}, not modified
     * @param out receives {@code A·v}, length {@code dim()}, never the same array as {@code v}
     */
    void apply(double[] v, double[] out);
}
