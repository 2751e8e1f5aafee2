package org.scorescope.autodiff;

/** The elementwise functions with a dedicated kernel (see {@link Kernels#unary}). */
enum Pointwise {
    EXP, LOG, SQRT, SQUARE, TANH, SIGMOID, SOFTPLUS, SILU, ELU, GELU, ERF,
    /** Φ(x), the standard normal CDF, used by the GELU derivative. */
    NORMAL_CDF,
    /** 1 for x &gt; 0 else 0: a constant mask, never differentiated. */
    STEP
}
