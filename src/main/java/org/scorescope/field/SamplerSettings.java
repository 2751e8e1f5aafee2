package org.scorescope.field;

/**
 * Settings of the live Langevin sampler: ULA, x ← x + ε·s(x) + √(2ε)·z, on {@code particles} points.
 *
 * @param enabled       whether to move the samples at all (off when the layer is hidden)
 * @param stepSize      ε, in (0, 1]
 * @param particles     number of samples, 1..20000
 * @param stepsPerFrame sampler steps per published frame, 1..100
 */
public record SamplerSettings(boolean enabled, double stepSize, int particles, int stepsPerFrame) {
    /** Validates the ranges, naming the bad field. */
    public SamplerSettings {
        if (!(stepSize > 0 && stepSize <= 1)) {
            throw new IllegalArgumentException("Langevin step size must be in (0, 1], got " + stepSize);
        }
        if (particles < 1 || particles > 20_000) {
            throw new IllegalArgumentException("Langevin particles must be in [1, 20000], got " + particles);
        }
        if (stepsPerFrame < 1 || stepsPerFrame > 100) {
            throw new IllegalArgumentException("Langevin steps per frame must be in [1, 100], got " + stepsPerFrame);
        }
    }
}
