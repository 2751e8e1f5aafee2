package org.scorescope.train;

import java.util.Random;

/**
 * A {@link Random} whose whole state can be saved and restored, so a saved session continues with
 * exactly the numbers an uninterrupted run would have drawn. It produces the same sequence as
 * {@code new java.util.Random(seed)}: the same 48-bit linear congruential generator
 * (seed ← (seed · 0x5DEECE66D + 0xB) mod 2⁴⁸) and the same polar method for Gaussians, whose
 * second value is cached — the cache is part of the state.
 *
 * <p>Not thread-safe (one trainer thread draws from it).
 */
public final class ResumableRandom extends Random {
    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long ADDEND = 0xBL;
    private static final long MASK = (1L << 48) - 1;
    private static final long serialVersionUID = 1L;

    /** Not initialized in a field initializer: {@link Random}'s constructor calls {@link #setSeed} first. */
    private long state;
    private boolean haveNextGaussian;
    private double nextGaussian;

    /**
     * The generator's state.
     *
     * @param lcg the 48-bit generator state
     * @param nextGaussian the cached second Gaussian of the polar method, NaN when none is cached
     */
    public record State(long lcg, double nextGaussian) {
        /** Checks the generator state fits in 48 bits. */
        public State {
            if ((lcg & ~MASK) != 0) {
                throw new IllegalArgumentException("random state " + lcg + " is not a 48-bit value");
            }
        }
    }

    /** A generator with the sequence of {@code new java.util.Random(seed)}. */
    public ResumableRandom(long seed) {
        super(seed);
    }

    @Override
    public void setSeed(long seed) {
        state = (seed ^ MULTIPLIER) & MASK;
        haveNextGaussian = false;
    }

    @Override
    protected int next(int bits) {
        state = (state * MULTIPLIER + ADDEND) & MASK;
        return (int) (state >>> (48 - bits));
    }

    @Override
    public double nextGaussian() {
        if (haveNextGaussian) {
            haveNextGaussian = false;
            return nextGaussian;
        }
        double v1;
        double v2;
        double s;
        do {
            v1 = 2 * nextDouble() - 1;
            v2 = 2 * nextDouble() - 1;
            s = v1 * v1 + v2 * v2;
        } while (s >= 1 || s == 0);
        double multiplier = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
        nextGaussian = v2 * multiplier;
        haveNextGaussian = true;
        return v1 * multiplier;
    }

    /** @return the current state */
    public State state() {
        return new State(state, haveNextGaussian ? nextGaussian : Double.NaN);
    }

    /** Continues from a saved state. */
    public void restore(State s) {
        state = s.lcg();
        haveNextGaussian = !Double.isNaN(s.nextGaussian());
        nextGaussian = haveNextGaussian ? s.nextGaussian() : 0;
    }
}
