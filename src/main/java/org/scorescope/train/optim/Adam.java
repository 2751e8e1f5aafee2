package org.scorescope.train.optim;

import java.util.List;

/**
 * Adam with bias correction and decoupled weight decay (AdamW; Kingma &amp; Ba 2015, Loshchilov &amp; Hutter 2019),
 * step for step the same arithmetic as {@code torch.optim.AdamW} (and {@code torch.optim.Adam} when the weight
 * decay is 0). At step t = 1, 2, ...:
 *
 * <pre>
 *   θ ← θ · (1 − η λ)                                   (decoupled weight decay, skipped when λ = 0)
 *   m ← β₁ m + (1 − β₁) g
 *   v ← β₂ v + (1 − β₂) g²
 *   θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 * </pre>
 *
 * Note that ε is added after the bias correction of √v, as in PyTorch.
 */
public final class Adam implements Optimizer {
    /** Name recorded in {@link Optimizer.State}. */
    public static final String ALGORITHM = "adam";

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private double[] m;
    private double[] v;
    private long t;

    /** Adam with PyTorch's defaults: β₁ = 0.9, β₂ = 0.999, ε = 1e-8, no weight decay. */
    public Adam() {
        this(0.9, 0.999, 1e-8, 0.0);
    }

    /**
     * @param beta1       decay of the first moment, in [0, 1)
     * @param beta2       decay of the second moment, in [0, 1)
     * @param eps         denominator offset ε ≥ 0
     * @param weightDecay decoupled weight decay λ ≥ 0 (AdamW); 0 gives plain Adam
     */
    public Adam(double beta1, double beta2, double eps, double weightDecay) {
        this.beta1 = OptimizerChecks.unitInterval("beta1", beta1);
        this.beta2 = OptimizerChecks.unitInterval("beta2", beta2);
        this.eps = OptimizerChecks.nonNegative("eps", eps);
        this.weightDecay = OptimizerChecks.nonNegative("weightDecay", weightDecay);
    }

    /** {@inheritDoc} One AdamW step as in the class description. */
    @Override
    public void step(double[] params, double[] grad, double lr) {
        OptimizerChecks.stepArgs(params, grad, lr, m);
        if (m == null) {
            m = new double[params.length];
            v = new double[params.length];
        }
        t++;
        double bc1 = 1.0 - Math.pow(beta1, t);
        double bc2Sqrt = Math.sqrt(1.0 - Math.pow(beta2, t));
        double stepSize = lr / bc1;
        double decay = 1.0 - lr * weightDecay;
        double a1 = 1.0 - beta1;
        double a2 = 1.0 - beta2;
        for (int i = 0; i < params.length; i++) {
            double g = grad[i];
            double p = weightDecay != 0.0 ? params[i] * decay : params[i];
            double mi = beta1 * m[i] + a1 * g;
            double vi = beta2 * v[i] + a2 * g * g;
            m[i] = mi;
            v[i] = vi;
            params[i] = p - stepSize * (mi / (Math.sqrt(vi) / bc2Sqrt + eps));
        }
    }

    /** {@inheritDoc} Drops m and v. */
    @Override
    public void reset() {
        m = null;
        v = null;
        t = 0;
    }

    /** {@inheritDoc} */
    @Override
    public long steps() {
        return t;
    }

    /** {@inheritDoc} Buffers are [m, v], or none before the first step. */
    @Override
    public State state() {
        return new State(ALGORITHM, t, m == null ? List.of() : List.of(m, v));
    }

    /** {@inheritDoc} The buffers are copied; a state with no buffers and 0 steps is a fresh optimizer. */
    @Override
    public void restore(State state) {
        if (!ALGORITHM.equals(state.algorithm())) {
            throw new IllegalArgumentException("state: from '" + state.algorithm() + "', expected '" + ALGORITHM + "'");
        }
        List<double[]> b = state.buffers();
        if (b.isEmpty()) {
            if (state.steps() != 0) {
                throw new IllegalArgumentException("state: " + state.steps() + " steps but no moment buffers");
            }
            reset();
            return;
        }
        if (b.size() != 2 || b.get(0).length != b.get(1).length) {
            throw new IllegalArgumentException("state: expected two buffers (m, v) of equal length");
        }
        m = b.get(0);
        v = b.get(1);
        t = state.steps();
    }

    /** @return e.g. {@code Adam[β1=0.9, β2=0.999, ε=1.0E-8, λ=0.0]}. */
    @Override
    public String toString() {
        return "Adam[β1=" + beta1 + ", β2=" + beta2 + ", ε=" + eps + ", λ=" + weightDecay + "]";
    }
}
