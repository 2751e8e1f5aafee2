package org.scorescope.analysis;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.scorescope.autodiff.ComputeThreads;

/**
 * All eigenvalues of a dense symmetric matrix and any one eigenvector on demand, the way LAPACK's
 * {@code dsytrd} + {@code dstein} + {@code dormtr} do it:
 * <pre>
 *   T = Qᵀ A Q,  Q = H_0 H_1 ⋯ H_{n−3},  H_k = I − τ_k v_k v_kᵀ    (Householder tridiagonalization, kept)
 *   (T − σI) y_{i+1} = y_i,  σ = λ_k                             (inverse iteration on T, O(n) per step)
 *   v = Q y                                                       (back-transformation, O(n²))
 * </pre>
 * The reduction is {@link SymmetricTridiagonal}'s (the same cost as the eigenvalues alone); its reflectors are kept
 * packed, {@code (n − 1)(n − 2)/2} doubles (78 MB at n = 4417, half the matrix), and the matrix itself is not.
 *
 * <p>Inverse iteration factors {@code T − σI} by Gaussian elimination with partial pivoting (pivots below
 * {@code ε‖T‖} are raised to it), starts from a random vector seeded by k (so a vector is reproducible) and stops one
 * step after the residual {@code ‖(T − σI)y‖/‖y‖} fell below {@code n·ε·‖T‖}. Eigenvalues closer than that to their
 * neighbours form a cluster: its members below k (at most {@value #MAX_CLUSTER} − 1 of them) are computed first and
 * each iterate is orthogonalized against them (Gram–Schmidt, as {@code dstein}), with σ raised by {@code 10ε‖T‖} over
 * the previous member's when equal, so neighbouring indices of a cluster give orthogonal vectors. Cost at n = 4417: a
 * few O(n) solves and one pass over the reflectors, milliseconds (docs/performance.md).
 *
 * <p>Immutable; {@link #eigenpair} is thread-safe.
 */
public final class HouseholderEigenvectors implements EigenvectorSource {
    /** Largest cluster computed together for one vector. */
    static final int MAX_CLUSTER = 32;
    /** Inverse-iteration steps per vector at most (one or two suffice unless σ is far from every eigenvalue). */
    private static final int MAX_STEPS = 8;
    private static final double EPS = Math.ulp(1.0) / 2;

    private final int n;
    /** T is scaled by 2^−scale (see {@link SymmetricTridiagonal}); the eigenvalues below too. */
    private final int scale;
    private final double[] d;
    private final double[] e;
    private final double[] tau;
    /** v_k's components k+2 … n−1, row after row. */
    private final double[] reflectors;
    /** Scaled eigenvalues of T, ascending. */
    private final double[] values;
    /** ‖T‖_∞ (scaled). */
    private final double tnorm;

    private HouseholderEigenvectors(int n, int scale, double[] d, double[] e, double[] tau, double[] reflectors,
                                    double[] values) {
        this.n = n;
        this.scale = scale;
        this.d = d;
        this.e = e;
        this.tau = tau;
        this.reflectors = reflectors;
        this.values = values;
        double t = 0;
        for (int i = 0; i < n; i++) {
            t = Math.max(t, Math.abs(d[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0) + (i < n - 1 ? Math.abs(e[i]) : 0));
        }
        this.tnorm = t;
    }

    /**
     * Tridiagonalizes A, keeps the reflectors and computes all eigenvalues, on {@link ComputeThreads#get()} threads.
     *
     * @param n dimension, {@code >= 1}
     * @param a row-major {@code n × n} symmetric entries (only the upper triangle is read); consumed: overwritten and
     *          not referenced afterwards
     * @return the eigenvalues, with eigenvectors on demand
     * @throws IllegalArgumentException on bad sizes or a non-finite entry
     * @throws java.util.concurrent.CancellationException when the calling thread is interrupted
     */
    public static HouseholderEigenvectors decompose(int n, double[] a) {
        return decompose(n, a, ComputeThreads.get());
    }

    /**
     * As {@link #decompose(int, double[])} on at most {@code threads} threads (results do not depend on it).
     *
     * @param n       dimension, {@code >= 1}
     * @param a       row-major symmetric entries, consumed
     * @param threads thread budget, {@code >= 1}
     * @return the eigenvalues, with eigenvectors on demand
     */
    public static HouseholderEigenvectors decompose(int n, double[] a, int threads) {
        double[] d = new double[Math.max(n, 1)];
        double[] e = new double[Math.max(n - 1, 1)];
        double[] tau = new double[Math.max(n - 1, 1)];
        double[] scal = new double[Math.max(n - 1, 1)];
        int s = SymmetricTridiagonal.reduceScaled(n, a, d, e, tau, scal, threads);
        // Pack v_k's stored part to the front of a (each row moves left, so in place), then trim to it.
        long total = (long) (n - 1) * (n - 2) / 2;
        int off = 0;
        for (int k = 0; k + 2 < n; k++) {
            int src = k * n + k + 2;
            double c = scal[k];
            for (int j = 0, len = n - 2 - k; j < len; j++) {
                a[off + j] = a[src + j] * c;
            }
            off += n - 2 - k;
        }
        double[] packed = Arrays.copyOf(a, (int) Math.max(total, 0));
        double[] vals = d.clone();
        SymmetricTridiagonal.tridiagonalEigenvalues(n, vals, e.clone());
        return new HouseholderEigenvectors(n, s, d, e, tau, packed, Arrays.copyOf(vals, n));
    }

    @Override
    public int dim() {
        return n;
    }

    @Override
    public double[] eigenvalues() {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.scalb(values[i], scale);
        }
        return out;
    }

    /** @return doubles held: the reflectors, T and the eigenvalues */
    public long doubles() {
        return reflectors.length + 4L * n;
    }

    /** @return P·ε·max|λ| */
    public double noiseFloor() {
        return n * 2 * EPS * Math.scalb(Math.max(Math.abs(values[0]), Math.abs(values[n - 1])), scale);
    }

    @Override
    public Eigenpair eigenpair(int k) {
        if (k < 0 || k >= n) {
            throw new IndexOutOfBoundsException("HouseholderEigenvectors: eigenvalue " + k + " outside [0, " + n + ")");
        }
        double[] y = tridiagonalVector(k);
        double res = Math.scalb(residual(y, values[k]), scale);
        backTransform(y);
        normalize(y);
        return new Eigenpair(k, Math.scalb(values[k], scale), y, res,
                Math.scalb(EigenvectorSource.gap(values, k), scale), noiseFloor());
    }

    /** The unit eigenvector of T for λ_k, with the cluster members below k computed first to orthogonalize against. */
    double[] tridiagonalVector(int k) {
        if (tnorm == 0) {
            double[] y = new double[n];
            y[k] = 1; // T = 0: every vector is an eigenvector
            return y;
        }
        double cluster = n * 2 * EPS * Math.max(Math.abs(values[0]), Math.abs(values[n - 1]));
        int lo = k;
        while (lo > 0 && k - lo + 1 < MAX_CLUSTER && values[lo] - values[lo - 1] <= cluster) {
            lo--;
        }
        double[][] done = new double[k - lo][];
        double pert = 10 * EPS * tnorm;
        double sigma = Double.NEGATIVE_INFINITY;
        double[] y = null;
        for (int j = lo; j <= k; j++) {
            double s = values[j];
            if (j > lo && s - sigma < pert) {
                s = sigma + pert;
            }
            sigma = s;
            y = inverseIteration(s, j, done, j - lo);
            if (j < k) {
                done[j - lo] = y;
            }
        }
        return y;
    }

    /** Inverse iteration for σ from a start vector seeded by {@code seed}, orthogonal to {@code prev[0…m)}. */
    private double[] inverseIteration(double sigma, int seed, double[][] prev, int m) {
        Lu lu = new Lu(sigma);
        SplittableRandom r = new SplittableRandom(0x5EEDL * 31 + seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 2 * r.nextDouble() - 1;
        }
        orthogonalize(x, prev, m);
        normalize(x);
        double tol = Math.max(n, 16) * EPS * tnorm;
        boolean converged = false;
        for (int step = 0; step < MAX_STEPS; step++) {
            lu.solve(x);
            orthogonalize(x, prev, m);
            // ‖previous x‖ = 1, so 1/‖x‖ is the residual of the normalized iterate
            double nx = normalize(x);
            if (!(nx > 0)) {
                // the start had no component left: start again from a basis vector
                Arrays.fill(x, 0);
                x[(seed + step) % n] = 1;
                orthogonalize(x, prev, m);
                normalize(x);
                continue;
            }
            if (converged) {
                break;
            }
            converged = 1 / nx <= tol;
        }
        int big = 0;
        for (int i = 1; i < n; i++) {
            if (Math.abs(x[i]) > Math.abs(x[big])) {
                big = i;
            }
        }
        if (x[big] < 0) {
            for (int i = 0; i < n; i++) {
                x[i] = -x[i];
            }
        }
        return x;
    }

    /** Modified Gram–Schmidt of x against the unit vectors prev[0…m). */
    private static void orthogonalize(double[] x, double[][] prev, int m) {
        for (int q = 0; q < m; q++) {
            double[] z = prev[q];
            double c = 0;
            for (int i = 0; i < z.length; i++) {
                c += z[i] * x[i];
            }
            for (int i = 0; i < z.length; i++) {
                x[i] -= c * z[i];
            }
        }
    }

    /** Scales x to unit length (by a power of two first when its norm would overflow); returns the norm it had. */
    static double normalize(double[] x) {
        double max = 0;
        for (double c : x) {
            max = Math.max(max, Math.abs(c));
        }
        if (!(max > 0) || !Double.isFinite(max)) {
            return max == 0 ? 0 : Double.NaN;
        }
        int ex = Math.getExponent(max);
        double ss = 0;
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.scalb(x[i], -ex);
            ss += x[i] * x[i];
        }
        double nrm = Math.sqrt(ss);
        for (int i = 0; i < x.length; i++) {
            x[i] /= nrm;
        }
        return Math.scalb(nrm, ex);
    }

    /** ‖T y − λ y‖₂ (scaled). */
    private double residual(double[] y, double lambda) {
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double t = (d[i] - lambda) * y[i];
            if (i > 0) {
                t += e[i - 1] * y[i - 1];
            }
            if (i < n - 1) {
                t += e[i] * y[i + 1];
            }
            ss += t * t;
        }
        return Math.sqrt(ss);
    }

    /** y ← Q y = H_0 (H_1 (⋯ (H_{n−3} y))), one pass over the packed reflectors from the last. */
    void backTransform(double[] y) {
        int end = reflectors.length;
        for (int k = n - 3; k >= 0; k--) {
            int len = n - 2 - k;
            int off = end - len;
            end = off;
            double t = tau[k];
            if (t == 0) {
                continue;
            }
            int base = k + 2;
            double s = y[k + 1];
            for (int j = 0; j < len; j++) {
                s += reflectors[off + j] * y[base + j];
            }
            s *= t;
            y[k + 1] -= s;
            for (int j = 0; j < len; j++) {
                y[base + j] -= s * reflectors[off + j];
            }
        }
    }

    /**
     * {@code T − σI = P L U} by Gaussian elimination with partial pivoting (LAPACK {@code dgttrf}): U has the diagonal
     * {@code dd}, the first and second super-diagonals {@code du}, {@code du2}; {@code dl} holds the multipliers;
     * {@code swap[i]} says whether rows i and i+1 were exchanged.
     */
    private final class Lu {
        final double[] dl = new double[n];
        final double[] dd = new double[n];
        final double[] du = new double[n];
        final double[] du2 = new double[n];
        final boolean[] swap = new boolean[n];

        Lu(double sigma) {
            for (int i = 0; i < n; i++) {
                dd[i] = d[i] - sigma;
                if (i < n - 1) {
                    dl[i] = e[i];
                    du[i] = e[i];
                }
            }
            for (int i = 0; i < n - 1; i++) {
                if (Math.abs(dd[i]) >= Math.abs(dl[i])) {
                    double f = dd[i] == 0 ? 0 : dl[i] / dd[i];
                    dl[i] = f;
                    dd[i + 1] -= f * du[i];
                } else {
                    double f = dd[i] / dl[i];
                    dd[i] = dl[i];
                    dl[i] = f;
                    double t = du[i];
                    du[i] = dd[i + 1];
                    dd[i + 1] = t - f * dd[i + 1];
                    if (i < n - 2) {
                        du2[i] = du[i + 1];
                        du[i + 1] = -f * du[i + 1];
                    }
                    swap[i] = true;
                }
            }
            // σ is an eigenvalue to working accuracy, so U is singular to it: a pivot of ε‖T‖ keeps the solve finite
            double tiny = EPS * tnorm;
            for (int i = 0; i < n; i++) {
                if (Math.abs(dd[i]) < tiny) {
                    dd[i] = dd[i] < 0 ? -tiny : tiny;
                }
            }
        }

        /** x ← (T − σI)⁻¹ x with the perturbed pivots. */
        void solve(double[] x) {
            for (int i = 0; i < n - 1; i++) {
                if (swap[i]) {
                    double t = x[i];
                    x[i] = x[i + 1];
                    x[i + 1] = t - dl[i] * x[i + 1];
                } else {
                    x[i + 1] -= dl[i] * x[i];
                }
            }
            x[n - 1] /= dd[n - 1];
            if (n > 1) {
                x[n - 2] = (x[n - 2] - du[n - 2] * x[n - 1]) / dd[n - 2];
            }
            for (int i = n - 3; i >= 0; i--) {
                x[i] = (x[i] - du[i] * x[i + 1] - du2[i] * x[i + 2]) / dd[i];
            }
        }
    }
}
