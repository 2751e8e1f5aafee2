package org.scorescope.analysis;

import java.util.SplittableRandom;

/**
 * Hutchinson's stochastic trace estimator: {@code tr(A) ≈ (1/N) Σ_{k=1..N} z_kᵀ A z_k} with i.i.d. probes
 * {@code z_k} of identity covariance, and its standard error {@code s/√N} from the sample standard
 * deviation {@code s} of the {@code N} quadratic forms.
 *
 * <p>Per-probe variance: {@code 2(‖A‖_F² − Σ a_ii²)} for Rademacher probes (exact for diagonal A) and
 * {@code 2‖A‖_F²} for Gaussian ones. Stateless and thread-safe.
 */
public final class Hutchinson {
    /** Probe distribution. */
    public enum Probe {
        /** Independent ±1 entries. */
        RADEMACHER,
        /** Independent standard normal entries. */
        GAUSSIAN
    }

    /**
     * A trace estimate.
     *
     * @param trace         the sample mean of {@code zᵀAz}
     * @param standardError {@code s/√N}
     * @param probes        {@code N}
     */
    public record Estimate(double trace, double standardError, int probes) {
    }

    private Hutchinson() {
    }

    /**
     * Estimates {@code tr(A)}.
     *
     * @param op     symmetric operator
     * @param probes number of probes {@code N >= 2} (two are needed for a standard error)
     * @param probe  probe distribution
     * @param seed   random seed
     * @return the estimate
     */
    public static Estimate estimate(LinearOperator op, int probes, Probe probe, long seed) {
        if (op == null || probe == null) {
            throw new IllegalArgumentException("Hutchinson: operator and probe type must not be null");
        }
        if (probes < 2) {
            throw new IllegalArgumentException("Hutchinson: probes must be >= 2 to give a standard error, got " + probes);
        }
        int n = op.dim();
        double[] z = new double[n];
        double[] az = new double[n];
        SplittableRandom rng = new SplittableRandom(seed);
        // Welford's update: the quadratic forms can be large with a small spread
        double mean = 0;
        double m2 = 0;
        for (int k = 0; k < probes; k++) {
            for (int i = 0; i < n; i++) {
                z[i] = probe == Probe.RADEMACHER ? (rng.nextBoolean() ? 1.0 : -1.0) : rng.nextGaussian();
            }
            op.apply(z, az);
            double q = 0;
            for (int i = 0; i < n; i++) {
                q += z[i] * az[i];
            }
            if (!Double.isFinite(q)) {
                throw new IllegalStateException("Hutchinson: probe " + k + " gave a non-finite quadratic form " + q);
            }
            double d = q - mean;
            mean += d / (k + 1);
            m2 += d * (q - mean);
        }
        double var = m2 / (probes - 1);
        return new Estimate(mean, Math.sqrt(var / probes), probes);
    }
}
