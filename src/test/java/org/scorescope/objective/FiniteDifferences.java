package org.scorescope.objective;

import java.util.function.ToDoubleFunction;

/** Central finite differences of a scalar function of θ, with one Richardson step. */
final class FiniteDifferences {
    private FiniteDifferences() {
    }

    /**
     * ∂f/∂θ_i ≈ (4·D(h/2) − D(h))/3 with D(h) = (f(θ + h e_i) − f(θ − h e_i))/2h: truncation O(h⁴), so h = 1e-3 keeps
     * both truncation (~1e-12) and rounding (~1e-13·|f|/h) far below the 1e-6 test tolerance.
     */
    static double[] gradient(ToDoubleFunction<double[]> f, double[] theta, double h) {
        double[] g = new double[theta.length];
        double[] p = theta.clone();
        for (int i = 0; i < theta.length; i++) {
            double d1 = diff(f, p, i, h);
            double d2 = diff(f, p, i, h / 2);
            g[i] = (4 * d2 - d1) / 3;
        }
        return g;
    }

    private static double diff(ToDoubleFunction<double[]> f, double[] p, int i, double h) {
        double v = p[i];
        p[i] = v + h;
        double plus = f.applyAsDouble(p);
        p[i] = v - h;
        double minus = f.applyAsDouble(p);
        p[i] = v;
        return (plus - minus) / (2 * h);
    }

    /** ‖a − b‖₂ / ‖b‖₂. */
    static double relativeError(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.sqrt(num / den);
    }
}
