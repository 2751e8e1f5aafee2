package org.scorescope.train.optim;

/**
 * A learning rate as a function of the 0-based step index t: {@link #at(long) at(t)} is the rate used for the
 * (t+1)-th update. Implementations are immutable records.
 */
public sealed interface LearningRateSchedule
        permits LearningRateSchedule.Constant, LearningRateSchedule.Cosine, LearningRateSchedule.Warmup {

    /**
     * @param step 0-based step index t ≥ 0
     * @return the learning rate η(t)
     */
    double at(long step);

    /**
     * η(t) = lr.
     *
     * @param lr the rate, finite and ≥ 0
     * @return the schedule
     */
    static LearningRateSchedule constant(double lr) {
        return new Constant(lr);
    }

    /**
     * Cosine annealing from {@code base} to {@code min} over {@code totalSteps}:
     * η(t) = min + ½(base − min)(1 + cos(π t / T)) for t ≤ T, and min afterwards (PyTorch's CosineAnnealingLR).
     *
     * @param base       η(0)
     * @param totalSteps T ≥ 1
     * @param min        η(T), 0 ≤ min ≤ base
     * @return the schedule
     */
    static LearningRateSchedule cosine(double base, long totalSteps, double min) {
        return new Cosine(base, totalSteps, min);
    }

    /**
     * Linear warm-up over {@code warmupSteps} followed by cosine annealing over the remaining
     * {@code totalSteps − warmupSteps} steps, so that η(totalSteps) = min:
     * η(t) = base · (t + 1) / W for t &lt; W, then min + ½(base − min)(1 + cos(π (t − W) / (T − W))).
     *
     * @param base        peak rate, reached at t = W − 1 and t = W
     * @param totalSteps  T &gt; W
     * @param min         final rate, 0 ≤ min ≤ base
     * @param warmupSteps W ≥ 0 (0: no warm-up)
     * @return the schedule
     */
    static LearningRateSchedule cosine(double base, long totalSteps, double min, long warmupSteps) {
        if (warmupSteps < 0 || warmupSteps >= totalSteps) {
            throw new IllegalArgumentException("warmupSteps: must be in [0, totalSteps = " + totalSteps + "), found "
                    + warmupSteps);
        }
        Cosine c = new Cosine(base, totalSteps - warmupSteps, min);
        return warmupSteps == 0 ? c : new Warmup(c, warmupSteps);
    }

    /**
     * Linear warm-up in front of any schedule: η(t) = after(0) · (t + 1) / W for t &lt; W, then after(t − W).
     *
     * @param after       the schedule that follows
     * @param warmupSteps W ≥ 1
     * @return the schedule
     */
    static LearningRateSchedule withWarmup(LearningRateSchedule after, long warmupSteps) {
        return new Warmup(after, warmupSteps);
    }

    private static double checkRate(String name, double v) {
        if (!(v >= 0.0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + ": must be finite and non-negative, found " + v);
        }
        return v;
    }

    private static void checkStep(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step: must be non-negative, found " + step);
        }
    }

    /**
     * η(t) = lr.
     *
     * @param lr the rate
     */
    record Constant(double lr) implements LearningRateSchedule {
        /** Validates lr. */
        public Constant {
            checkRate("lr", lr);
        }

        /** @return lr */
        @Override
        public double at(long step) {
            checkStep(step);
            return lr;
        }
    }

    /**
     * η(t) = min + ½(base − min)(1 + cos(π min(t, T) / T)).
     *
     * @param base       η(0)
     * @param totalSteps T ≥ 1
     * @param min        η(t ≥ T)
     */
    record Cosine(double base, long totalSteps, double min) implements LearningRateSchedule {
        /** Validates the parameters. */
        public Cosine {
            checkRate("base", base);
            checkRate("min", min);
            if (min > base) {
                throw new IllegalArgumentException("min: must not exceed base = " + base + ", found " + min);
            }
            if (totalSteps < 1) {
                throw new IllegalArgumentException("totalSteps: must be at least 1, found " + totalSteps);
            }
        }

        /** @return min + ½(base − min)(1 + cos(π min(t, T) / T)) */
        @Override
        public double at(long step) {
            checkStep(step);
            if (step >= totalSteps) {
                return min;
            }
            return min + 0.5 * (base - min) * (1.0 + Math.cos(Math.PI * step / totalSteps));
        }
    }

    /**
     * Linear warm-up: η(t) = after(0) · (t + 1) / W for t &lt; W, then after(t − W).
     *
     * @param after       the schedule after the warm-up
     * @param warmupSteps W ≥ 1
     */
    record Warmup(LearningRateSchedule after, long warmupSteps) implements LearningRateSchedule {
        /** Validates the parameters. */
        public Warmup {
            if (after == null) {
                throw new IllegalArgumentException("after: must not be null");
            }
            if (warmupSteps < 1) {
                throw new IllegalArgumentException("warmupSteps: must be at least 1, found " + warmupSteps);
            }
        }

        /** @return after(0)·(t + 1)/W during the warm-up, after(t − W) afterwards */
        @Override
        public double at(long step) {
            checkStep(step);
            if (step < warmupSteps) {
                return after.at(0) * (step + 1) / warmupSteps;
            }
            return after.at(step - warmupSteps);
        }
    }
}
