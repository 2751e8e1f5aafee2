package org.scorescope.train.optim;

/** Argument checks shared by the optimizers, with messages that name the argument. */
final class OptimizerChecks {
    private OptimizerChecks() {
    }

    static void stepArgs(double[] params, double[] grad, double lr, double[] existing) {
        if (grad.length != params.length) {
            throw new IllegalArgumentException("grad: length " + grad.length + " differs from params length "
                    + params.length);
        }
        if (existing != null && existing.length != params.length) {
            throw new IllegalArgumentException("params: length " + params.length + " differs from the "
                    + existing.length + " this optimizer was started with; call reset() first");
        }
        if (!(lr >= 0.0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("lr: must be finite and non-negative, found " + lr);
        }
    }

    static double unitInterval(String name, double v) {
        if (!(v >= 0.0 && v < 1.0)) {
            throw new IllegalArgumentException(name + ": must be in [0, 1), found " + v);
        }
        return v;
    }

    static double nonNegative(String name, double v) {
        if (!(v >= 0.0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + ": must be finite and non-negative, found " + v);
        }
        return v;
    }
}
