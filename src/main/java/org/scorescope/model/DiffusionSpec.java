package org.scorescope.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * The time conditioning of a {@link ModelSpec.Kind#DIFFUSION diffusion} model, as stored in its model file: the
 * forward SDE, the smallest time ε of the interval [ε, 1] it was trained on, and the frequencies f_k of its time
 * features [sin(2π f_k t)]_k, [cos(2π f_k t)]_k (see {@link DiffusionMlp}). Immutable; arrays are copied in and out;
 * equality is bit-wise.
 *
 * @param sde         the forward SDE
 * @param epsilon     ε, in (0, 1)
 * @param frequencies f_1..f_K, positive and finite, at least one
 */
public record DiffusionSpec(Sde sde, double epsilon, double[] frequencies) {
    /** Validates and copies; messages name the model-file field. */
    public DiffusionSpec {
        Objects.requireNonNull(sde, "sde");
        Objects.requireNonNull(frequencies, "timeFrequencies");
        if (!(epsilon > 0 && epsilon < 1)) {
            throw new IllegalArgumentException("epsilon: expected a number in (0, 1), found " + epsilon);
        }
        if (frequencies.length == 0) {
            throw new IllegalArgumentException("timeFrequencies: expected at least one frequency");
        }
        frequencies = frequencies.clone();
        for (int k = 0; k < frequencies.length; k++) {
            if (!(frequencies[k] > 0) || !Double.isFinite(frequencies[k])) {
                throw new IllegalArgumentException("timeFrequencies[" + k + "]: expected a positive finite number, "
                        + "found " + frequencies[k]);
            }
        }
    }

    /** @return a copy of the frequencies */
    @Override
    public double[] frequencies() {
        return frequencies.clone();
    }

    /** @return 2K, the number of time features the network reads after x */
    public int timeFeatures() {
        return 2 * frequencies.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DiffusionSpec d && sde.equals(d.sde) && Double.compare(epsilon, d.epsilon) == 0
                && Arrays.equals(frequencies, d.frequencies);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sde, epsilon) * 31 + Arrays.hashCode(frequencies);
    }

    @Override
    public String toString() {
        return sde.describe() + ", ε " + epsilon + ", frequencies " + Arrays.toString(frequencies);
    }
}
