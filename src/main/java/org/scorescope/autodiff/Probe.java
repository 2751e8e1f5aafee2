package org.scorescope.autodiff;

/** Distribution of Hutchinson probe vectors v, both with E[vvᵀ] = I. */
public enum Probe {
    /** Entries ±1 with probability ½ (lowest variance for a fixed Jacobian). */
    RADEMACHER,
    /** Entries i.i.d. N(0, 1). */
    GAUSSIAN
}
