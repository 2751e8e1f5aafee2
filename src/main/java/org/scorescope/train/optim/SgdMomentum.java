package org.scorescope.train.optim;

import java.util.List;

/**
 * Stochastic gradient descent with heavy-ball or Nesterov momentum and L2 weight decay, the same arithmetic as
 * {@code torch.optim.SGD} with dampening 0:
 *
 * <pre>
 *   g ← g + λ θ                          (coupled L2 weight decay)
 *   b ← g on the first step, else μ b + g
 *   d ← g + μ b if Nesterov, else b
 *   θ ← θ − η d
 * </pre>
 *
 * With μ = 0 this is plain gradient descent θ ← θ − η (g + λ θ).
 */
public final class SgdMomentum implements Optimizer {
    /** Name recorded in {@link Optimizer.State}. */
    public static final String ALGORITHM = "sgd";

    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;
    private double[] buf;
    private long t;

    /**
     * @param momentum    μ in [0, 1)
     * @param nesterov    use Nesterov momentum (needs μ &gt; 0)
     * @param weightDecay L2 coefficient λ ≥ 0, added to the gradient
     */
    public SgdMomentum(double momentum, boolean nesterov, double weightDecay) {
        this.momentum = OptimizerChecks.unitInterval("momentum", momentum);
        if (nesterov && momentum == 0.0) {
            throw new IllegalArgumentException("nesterov: needs a positive momentum");
        }
        this.nesterov = nesterov;
        this.weightDecay = OptimizerChecks.nonNegative("weightDecay", weightDecay);
    }

    /** {@inheritDoc} One step as in the class description. */
    @Override
    public void step(double[] params, double[] grad, double lr) {
        OptimizerChecks.stepArgs(params, grad, lr, buf);
        boolean first = buf == null;
        if (first) {
            buf = new double[params.length];
        }
        t++;
        for (int i = 0; i < params.length; i++) {
            double g = weightDecay != 0.0 ? grad[i] + weightDecay * params[i] : grad[i];
            double d = g;
            if (momentum != 0.0) {
                double b = first ? g : momentum * buf[i] + g;
                buf[i] = b;
                d = nesterov ? g + momentum * b : b;
            }
            params[i] -= lr * d;
        }
    }

    /** {@inheritDoc} Drops the momentum buffer. */
    @Override
    public void reset() {
        buf = null;
        t = 0;
    }

    /** {@inheritDoc} */
    @Override
    public long steps() {
        return t;
    }

    /** {@inheritDoc} Buffers are [momentum buffer], or none before the first step. */
    @Override
    public State state() {
        return new State(ALGORITHM, t, buf == null ? List.of() : List.of(buf));
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
                throw new IllegalArgumentException("state: " + state.steps() + " steps but no momentum buffer");
            }
            reset();
            return;
        }
        if (b.size() != 1) {
            throw new IllegalArgumentException("state: expected one momentum buffer, found " + b.size());
        }
        buf = b.get(0);
        t = state.steps();
    }

    /** @return e.g. {@code SgdMomentum[μ=0.9, nesterov, λ=0.0]}. */
    @Override
    public String toString() {
        return "SgdMomentum[μ=" + momentum + (nesterov ? ", nesterov" : "") + ", λ=" + weightDecay + "]";
    }
}
