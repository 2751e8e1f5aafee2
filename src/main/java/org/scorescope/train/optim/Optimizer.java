package org.scorescope.train.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A first-order optimizer over one flat parameter vector: {@link #step} updates {@code params} in place from
 * {@code grad} (the gradient of the loss being minimised). The first step fixes the vector length; {@link #reset()}
 * forgets all state (moments, step count) so the optimizer can start over, possibly on a different length.
 *
 * <p>{@link #state()} / {@link #restore(State)} copy the complete internal state, so a checkpointed run resumes
 * bit-identically. Implementations are not thread-safe.
 */
public interface Optimizer {

    /**
     * Applies one update to {@code params} in place.
     *
     * @param params the parameter vector θ, updated in place
     * @param grad   ∇θ L, same length; not modified
     * @param lr     learning rate η for this step, finite and ≥ 0
     * @throws IllegalArgumentException if the lengths disagree with each other or with earlier steps, or lr is bad
     */
    void step(double[] params, double[] grad, double lr);

    /** Forgets all state: moments are dropped and the step count returns to 0. */
    void reset();

    /** @return the number of steps taken since construction or the last {@link #reset()}. */
    long steps();

    /** @return a deep copy of the internal state, for checkpoints. */
    State state();

    /**
     * Replaces the internal state with a copy of {@code state}.
     *
     * @param state a state from {@link #state()} of an optimizer of the same algorithm
     * @throws IllegalArgumentException if the state belongs to a different algorithm or is malformed
     */
    void restore(State state);

    /**
     * A snapshot of an optimizer's state.
     *
     * @param algorithm name of the algorithm that produced it (e.g. {@code adam}), checked on restore
     * @param steps     number of steps taken
     * @param buffers   per-parameter buffers (e.g. Adam's m and v), deep-copied; empty before the first step
     */
    record State(String algorithm, long steps, List<double[]> buffers) {
        /** Validates and deep-copies. */
        public State {
            Objects.requireNonNull(algorithm, "algorithm");
            Objects.requireNonNull(buffers, "buffers");
            if (steps < 0) {
                throw new IllegalArgumentException("steps: must be non-negative, found " + steps);
            }
            List<double[]> copy = new ArrayList<>(buffers.size());
            for (double[] b : buffers) {
                copy.add(Objects.requireNonNull(b, "buffers[]").clone());
            }
            buffers = List.copyOf(copy);
        }

        /** @return deep copies of the buffers. */
        @Override
        public List<double[]> buffers() {
            List<double[]> copy = new ArrayList<>(buffers.size());
            for (double[] b : buffers) {
                copy.add(b.clone());
            }
            return List.copyOf(copy);
        }
    }
}
