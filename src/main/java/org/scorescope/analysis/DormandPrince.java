package org.scorescope.analysis;

/**
 * The adaptive Dormand–Prince 5(4) Runge–Kutta method (Dormand &amp; Prince 1980; the tableau and error control of
 * scipy's RK45 and MATLAB's ode45) for dy/dt = F(t, y) on a flat state y, integrating from t0 towards t1 in either
 * direction. A step of size h is accepted when the scaled RMS error
 * <pre>  ‖e‖ = √(mean_i (e_i / (atol + rtol·max(|y_i|, |y_new,i|)))²) ≤ 1,</pre>
 * and the next step is h·min(5, max(0.2, 0.9‖e‖^(−1/5))) (shrinking after a rejection). The last stage is the next
 * step's first (FSAL), so an accepted step costs six evaluations of F. The initial step follows Hairer, Nørsett &amp;
 * Wanner's heuristic (II.4). Not thread-safe; {@link #step()} advances one accepted step so a UI can animate.
 */
public final class DormandPrince {
    /** The right-hand side F(t, y), written into dydt. */
    @FunctionalInterface
    public interface Rhs {
        /**
         * @param t    time
         * @param y    state (read only)
         * @param dydt receives F(t, y)
         */
        void eval(double t, double[] y, double[] dydt);
    }

    private static final double C2 = 1.0 / 5;
    private static final double C3 = 3.0 / 10;
    private static final double C4 = 4.0 / 5;
    private static final double C5 = 8.0 / 9;
    private static final double A21 = 1.0 / 5;
    private static final double A31 = 3.0 / 40;
    private static final double A32 = 9.0 / 40;
    private static final double A41 = 44.0 / 45;
    private static final double A42 = -56.0 / 15;
    private static final double A43 = 32.0 / 9;
    private static final double A51 = 19372.0 / 6561;
    private static final double A52 = -25360.0 / 2187;
    private static final double A53 = 64448.0 / 6561;
    private static final double A54 = -212.0 / 729;
    private static final double A61 = 9017.0 / 3168;
    private static final double A62 = -355.0 / 33;
    private static final double A63 = 46732.0 / 5247;
    private static final double A64 = 49.0 / 176;
    private static final double A65 = -5103.0 / 18656;
    private static final double B1 = 35.0 / 384;
    private static final double B3 = 500.0 / 1113;
    private static final double B4 = 125.0 / 192;
    private static final double B5 = -2187.0 / 6784;
    private static final double B6 = 11.0 / 84;
    /** Fifth-order weights minus the embedded fourth-order ones (the seventh stage is FSAL). */
    private static final double E1 = 71.0 / 57600;
    private static final double E3 = -71.0 / 16695;
    private static final double E4 = 71.0 / 1920;
    private static final double E5 = -17253.0 / 339200;
    private static final double E6 = 22.0 / 525;
    private static final double E7 = -1.0 / 40;

    private final Rhs f;
    private final double t1;
    private final double dir;
    private final double rtol;
    private final double atol;
    private final int size;
    private final double[] y;
    private final double[] k1;
    private final double[] k2;
    private final double[] k3;
    private final double[] k4;
    private final double[] k5;
    private final double[] k6;
    private final double[] k7;
    private final double[] tmp;
    private final double[] yNew;
    private double t;
    private double h;
    private long evaluations;
    private long accepted;
    private long rejected;

    /**
     * @param f    the right-hand side
     * @param y0   the initial state (copied)
     * @param t0   start time
     * @param t1   end time (≠ t0)
     * @param rtol relative tolerance, &gt; 0
     * @param atol absolute tolerance, &gt; 0
     */
    public DormandPrince(Rhs f, double[] y0, double t0, double t1, double rtol, double atol) {
        if (!(rtol > 0) || !(atol > 0) || !Double.isFinite(rtol) || !Double.isFinite(atol)) {
            throw new IllegalArgumentException("DormandPrince: tolerances must be positive and finite, got rtol "
                    + rtol + ", atol " + atol);
        }
        if (!(t0 != t1) || !Double.isFinite(t0) || !Double.isFinite(t1)) {
            throw new IllegalArgumentException("DormandPrince: expected finite t0 ≠ t1, got " + t0 + ", " + t1);
        }
        this.f = f;
        this.t = t0;
        this.t1 = t1;
        this.dir = Math.signum(t1 - t0);
        this.rtol = rtol;
        this.atol = atol;
        this.size = y0.length;
        this.y = y0.clone();
        k1 = new double[size];
        k2 = new double[size];
        k3 = new double[size];
        k4 = new double[size];
        k5 = new double[size];
        k6 = new double[size];
        k7 = new double[size];
        tmp = new double[size];
        yNew = new double[size];
        eval(t, y, k1);
        h = initialStep();
    }

    private void eval(double time, double[] state, double[] out) {
        f.eval(time, state, out);
        evaluations++;
    }

    private double rms(double[] v, double[] scaleA, double[] scaleB) {
        double s = 0;
        for (int i = 0; i < size; i++) {
            double sc = atol + rtol * Math.max(Math.abs(scaleA[i]), Math.abs(scaleB[i]));
            double q = v[i] / sc;
            s += q * q;
        }
        return Math.sqrt(s / Math.max(1, size));
    }

    private double initialStep() {
        double span = Math.abs(t1 - t);
        double d0 = rms(y, y, y);
        double d1 = rms(k1, y, y);
        double h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1;
        h0 = Math.min(h0, span);
        for (int i = 0; i < size; i++) {
            tmp[i] = y[i] + dir * h0 * k1[i];
        }
        eval(t + dir * h0, tmp, k2);
        for (int i = 0; i < size; i++) {
            k2[i] -= k1[i];
        }
        double d2 = rms(k2, y, y) / h0;
        double h1 = Math.max(d1, d2) <= 1e-15 ? Math.max(1e-6, h0 * 1e-3)
                : Math.pow(0.01 / Math.max(d1, d2), 1.0 / 5);
        return Math.min(Math.min(100 * h0, h1), span);
    }

    /** @return true once t has reached t1 */
    public boolean done() {
        return t == t1;
    }

    /**
     * Advances one accepted step (retrying with smaller steps after rejections).
     *
     * @return false if already at t1
     * @throws IllegalStateException if the step size underflows or the state becomes non-finite
     */
    public boolean step() {
        if (done()) {
            return false;
        }
        while (true) {
            double remaining = Math.abs(t1 - t);
            boolean last = h >= remaining;
            double hh = last ? remaining : h;
            if (!(hh > 1e-14 * Math.max(1, Math.abs(t)))) {
                throw new IllegalStateException("DormandPrince: step size underflow at t = " + t);
            }
            double s = dir * hh;
            for (int i = 0; i < size; i++) {
                tmp[i] = y[i] + s * A21 * k1[i];
            }
            eval(t + C2 * s, tmp, k2);
            for (int i = 0; i < size; i++) {
                tmp[i] = y[i] + s * (A31 * k1[i] + A32 * k2[i]);
            }
            eval(t + C3 * s, tmp, k3);
            for (int i = 0; i < size; i++) {
                tmp[i] = y[i] + s * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
            }
            eval(t + C4 * s, tmp, k4);
            for (int i = 0; i < size; i++) {
                tmp[i] = y[i] + s * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
            }
            eval(t + C5 * s, tmp, k5);
            for (int i = 0; i < size; i++) {
                tmp[i] = y[i] + s * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
            }
            double tNew = last ? t1 : t + s;
            eval(tNew, tmp, k6);
            for (int i = 0; i < size; i++) {
                yNew[i] = y[i] + s * (B1 * k1[i] + B3 * k3[i] + B4 * k4[i] + B5 * k5[i] + B6 * k6[i]);
            }
            eval(tNew, yNew, k7);
            for (int i = 0; i < size; i++) {
                tmp[i] = s * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
            }
            double err = rms(tmp, y, yNew);
            if (!Double.isFinite(err)) {
                throw new IllegalStateException("DormandPrince: non-finite state at t = " + t
                        + " (the field is not finite there)");
            }
            if (err <= 1) {
                t = tNew;
                System.arraycopy(yNew, 0, y, 0, size);
                System.arraycopy(k7, 0, k1, 0, size);
                accepted++;
                double factor = err == 0 ? 5 : Math.min(5, Math.max(0.2, 0.9 * Math.pow(err, -0.2)));
                h = hh * factor;
                return true;
            }
            rejected++;
            h = hh * Math.max(0.2, 0.9 * Math.pow(err, -0.2));
        }
    }

    /** Integrates to t1. */
    public void run() {
        while (step()) {
            // one accepted step at a time
        }
    }

    /** @return the current time */
    public double time() {
        return t;
    }

    /** @return the current state (live array; do not modify) */
    public double[] state() {
        return y;
    }

    /** @return evaluations of F so far */
    public long evaluations() {
        return evaluations;
    }

    /** @return accepted steps */
    public long acceptedSteps() {
        return accepted;
    }

    /** @return rejected steps */
    public long rejectedSteps() {
        return rejected;
    }
}
