package org.scorescope.analysis;

import java.util.SplittableRandom;
import org.scorescope.autodiff.Blas;
import org.scorescope.autodiff.Simd;

/**
 * Extreme eigenvalues (and optionally Ritz vectors) of a symmetric {@link LinearOperator} by the
 * Lanczos process with <em>full</em> reorthogonalization.
 *
 * <p>From a seeded Gaussian start vector {@code q_0}, step {@code j} computes
 * {@code w = A q_j − α_j q_j − β_{j−1} q_{j−1}}, {@code α_j = q_jᵀ A q_j}, then orthogonalizes {@code w}
 * against every previous {@code q_i} by classical Gram–Schmidt, with a second pass when the first cancelled
 * much of {@code w} (the DGKS criterion; "twice is enough"), so the basis stays orthonormal to rounding
 * and no spurious copies of converged eigenvalues appear. Every second step the Ritz values of the
 * tridiagonal {@code T_m = tridiag(β, α, β)} are computed by {@link TridiagonalEigen}, and a Ritz pair
 * {@code (θ_i, y_i)} is accepted when its residual {@code ‖A y_i − θ_i y_i‖ = β_m |s_{m,i}|} satisfies
 * <pre>  β_m |s_{m,i}| <= max(tol·|θ_i|, 1000·ε·‖T_m‖)</pre>
 * The second term is the rounding floor: eigenvalues smaller than about {@code 1e-12·‖A‖} (the bottom of
 * a 12-decade "sloppy" spectrum) are resolved only to that absolute accuracy, as with any method that
 * sees {@code A} through products in double precision.
 *
 * <p>If {@code β_j} vanishes (an invariant subspace, e.g. from repeated eigenvalues) the process restarts
 * with a fresh random vector orthogonal to the basis, so multiple eigenvalues are found with their
 * multiplicity one copy per restart. Before a breakdown, however, Lanczos sees each distinct eigenvalue
 * once: a multiple eigenvalue may be reported fewer times than its multiplicity (a block method would
 * be needed to guarantee it).
 *
 * <p>Memory {@code (maxIterations + 1)·n} doubles for the basis; time per step one product plus
 * {@code 4·j·n} flops of reorthogonalization. No restarts other than at breakdown: the Krylov dimension is
 * capped by {@code maxIterations} (and by {@code n}, where the answer is exact). Instances are immutable
 * and thread-safe; each call allocates its own basis.
 */
public final class Lanczos {
    private static final double EPS = Math.ulp(1.0);
    private final int maxIterations;
    private final double tolerance;
    private final long seed;

    /**
     * Outcome of one run. Arrays hold what was asked for; vectors are row-major ({@code k × n}, row
     * {@code i} belongs to value {@code i}) or {@code null} if not requested.
     *
     * @param top             largest Ritz values, descending
     * @param topResiduals    their residual norms {@code β_m |s_{m,i}|}
     * @param topVectors      their unit Ritz vectors, or null
     * @param bottom          smallest Ritz values, ascending
     * @param bottomResiduals their residual norms
     * @param bottomVectors   their unit Ritz vectors, or null
     * @param iterations      Krylov dimension {@code m} reached (products with A)
     * @param converged       whether every requested pair met the criterion
     * @param normEstimate    {@code ‖T_m‖} (a lower bound on {@code ‖A‖}, usually tight)
     */
    public record Result(double[] top, double[] topResiduals, double[] topVectors,
                         double[] bottom, double[] bottomResiduals, double[] bottomVectors,
                         int iterations, boolean converged, double normEstimate) {
    }

    /**
     * @param maxIterations cap on the Krylov dimension, {@code >= 1}
     * @param tolerance     relative residual tolerance, in {@code (0, 1)}
     * @param seed          seed of the start vector
     */
    public Lanczos(int maxIterations, double tolerance, long seed) {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("Lanczos: maxIterations must be >= 1, got " + maxIterations);
        }
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("Lanczos: tolerance must be in (0, 1), got " + tolerance);
        }
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
        this.seed = seed;
    }

    /**
     * The {@code k} largest eigenvalues.
     *
     * @param op      symmetric operator
     * @param k       how many, {@code 1 <= k <= dim}
     * @param vectors whether to return Ritz vectors
     * @return the result ({@code bottom} arrays empty)
     */
    public Result largest(LinearOperator op, int k, boolean vectors) {
        return extremes(op, k, 0, vectors);
    }

    /**
     * The {@code k} smallest (most negative) eigenvalues.
     *
     * @param op      symmetric operator
     * @param k       how many, {@code 1 <= k <= dim}
     * @param vectors whether to return Ritz vectors
     * @return the result ({@code top} arrays empty)
     */
    public Result smallest(LinearOperator op, int k, boolean vectors) {
        return extremes(op, 0, k, vectors);
    }

    /**
     * The {@code kTop} largest and {@code kBottom} smallest eigenvalues from one Krylov space.
     *
     * @param op      symmetric operator
     * @param kTop    how many from the top, {@code >= 0}
     * @param kBottom how many from the bottom, {@code >= 0}; {@code 1 <= kTop + kBottom <= dim}
     * @param vectors whether to return Ritz vectors
     * @return the result
     */
    public Result extremes(LinearOperator op, int kTop, int kBottom, boolean vectors) {
        if (op == null) {
            throw new IllegalArgumentException("Lanczos: operator must not be null");
        }
        int n = op.dim();
        if (n < 1) {
            throw new IllegalArgumentException("Lanczos: operator dimension must be >= 1, got " + n);
        }
        if (kTop < 0 || kBottom < 0 || kTop + kBottom < 1 || kTop + kBottom > n) {
            throw new IllegalArgumentException("Lanczos: need kTop, kBottom >= 0 and 1 <= kTop + kBottom <= dim = " + n
                    + ", got kTop=" + kTop + ", kBottom=" + kBottom);
        }
        int mMax = Math.min(maxIterations, n);
        if (mMax < kTop + kBottom) {
            throw new IllegalArgumentException("Lanczos: maxIterations " + maxIterations + " is below kTop + kBottom = "
                    + (kTop + kBottom));
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] q = new double[mMax * n];
        double[] alpha = new double[mMax];
        double[] beta = new double[mMax];
        double[] w = new double[n];
        double[] qj = new double[n];
        double[] theta = new double[mMax];
        double[] last = new double[mMax];
        int[] lastRow = new int[1];

        randomUnit(rng, q, 0, n);
        double norm = 0;
        int m = 0;
        boolean converged = false;
        for (int j = 0; j < mMax; j++) {
            System.arraycopy(q, j * n, qj, 0, n);
            op.apply(qj, w);
            double a = dot(qj, 0, w, n);
            alpha[j] = a;
            for (int i = 0; i < n; i++) {
                w[i] -= a * qj[i];
            }
            if (j > 0) {
                double b = beta[j - 1];
                int base = (j - 1) * n;
                for (int i = 0; i < n; i++) {
                    w[i] -= b * q[base + i];
                }
            }
            reorthogonalize(q, j + 1, n, w);
            double b = Math.sqrt(dot(w, 0, w, n));
            beta[j] = b;
            norm = Math.max(norm, Math.abs(a) + b + (j > 0 ? beta[j - 1] : 0));
            m = j + 1;
            if (!Double.isFinite(a) || !Double.isFinite(b)) {
                throw new IllegalStateException("Lanczos: operator produced a non-finite value at step " + j);
            }
            boolean breakdown = b <= 100 * EPS * norm;
            // The Ritz check solves T_m (O(m²), about a third of a product at m = 130): every second step
            // halves its cost at the price of at most one extra product.
            if (m >= kTop + kBottom && ((m - kTop - kBottom) % 2 == 0 || breakdown || m == mMax)) {
                lastRow[0] = m - 1;
                System.arraycopy(alpha, 0, theta, 0, m);
                TridiagonalEigen.decompose(m, theta, beta, lastRow, last);
                double floor = 1000 * EPS * norm;
                converged = true;
                for (int t = 0; t < kTop && converged; t++) {
                    int idx = m - 1 - t;
                    converged = b * Math.abs(last[idx]) <= Math.max(tolerance * Math.abs(theta[idx]), floor);
                }
                for (int t = 0; t < kBottom && converged; t++) {
                    converged = b * Math.abs(last[t]) <= Math.max(tolerance * Math.abs(theta[t]), floor);
                }
                if (converged) {
                    break;
                }
            }
            if (m == mMax) {
                break;
            }
            if (breakdown) {
                // invariant subspace: its Ritz pairs are exact; continue in the orthogonal complement
                beta[j] = 0;
                randomUnit(rng, q, (j + 1) * n, n);
                System.arraycopy(q, (j + 1) * n, w, 0, n);
                reorthogonalize(q, j + 1, n, w);
                double wn = Math.sqrt(dot(w, 0, w, n));
                if (wn < 1e-8) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    q[(j + 1) * n + i] = w[i] / wn;
                }
            } else {
                double inv = 1 / b;
                int base = (j + 1) * n;
                for (int i = 0; i < n; i++) {
                    q[base + i] = w[i] * inv;
                }
            }
        }
        return finish(q, alpha, beta, m, n, kTop, kBottom, vectors, norm);
    }

    private Result finish(double[] q, double[] alpha, double[] beta, int m, int n, int kTop, int kBottom,
                          boolean vectors, double norm) {
        double[] theta = java.util.Arrays.copyOf(alpha, m);
        double[] s = TridiagonalEigen.decomposeWithVectors(m, theta, beta);
        // a breakdown at the final step (β = 0 up to rounding) means every Ritz pair is exact
        double bm = beta[m - 1] <= 100 * EPS * norm ? 0 : beta[m - 1];
        kTop = Math.min(kTop, m);
        kBottom = Math.min(kBottom, m);
        double[] top = new double[kTop];
        double[] topRes = new double[kTop];
        double[] bottom = new double[kBottom];
        double[] bottomRes = new double[kBottom];
        double[] topVec = vectors ? new double[kTop * n] : null;
        double[] bottomVec = vectors ? new double[kBottom * n] : null;
        boolean conv = true;
        double floor = 1000 * EPS * norm;
        for (int t = 0; t < kTop; t++) {
            int idx = m - 1 - t;
            top[t] = theta[idx];
            topRes[t] = bm * Math.abs(s[(m - 1) * m + idx]);
            conv &= topRes[t] <= Math.max(tolerance * Math.abs(top[t]), floor);
            if (vectors) {
                ritzVector(q, s, m, n, idx, topVec, t * n);
            }
        }
        for (int t = 0; t < kBottom; t++) {
            bottom[t] = theta[t];
            bottomRes[t] = bm * Math.abs(s[(m - 1) * m + t]);
            conv &= bottomRes[t] <= Math.max(tolerance * Math.abs(bottom[t]), floor);
            if (vectors) {
                ritzVector(q, s, m, n, t, bottomVec, t * n);
            }
        }
        return new Result(top, topRes, topVec, bottom, bottomRes, bottomVec, m, conv, norm);
    }

    /** {@code y = Σ_j s_{j,idx} q_j}, normalized (it is unit up to rounding already). */
    private static void ritzVector(double[] q, double[] s, int m, int n, int idx, double[] out, int off) {
        for (int j = 0; j < m; j++) {
            double c = s[j * m + idx];
            int base = j * n;
            for (int i = 0; i < n; i++) {
                out[off + i] += c * q[base + i];
            }
        }
        double nn = 0;
        for (int i = 0; i < n; i++) {
            nn += out[off + i] * out[off + i];
        }
        double inv = 1 / Math.sqrt(nn);
        for (int i = 0; i < n; i++) {
            out[off + i] *= inv;
        }
    }

    /** Fixed split of the reorthogonalization (results independent of the thread count). */
    private static final int CHUNKS = 4;
    /** DGKS threshold 1/√2 for a second Gram–Schmidt pass. */
    private static final double DGKS = 0.7071067811865476;

    /**
     * Classical Gram–Schmidt of {@code w} against rows {@code 0..count−1} of {@code q}, repeated once when
     * the pass cancelled much of w (the DGKS criterion ‖w_after‖ ≤ ‖w_before‖/√2, as in ARPACK: "twice is
     * enough"). Each pass is c = Q·w (rows split over the engine's threads) then w −= Qᵀ·c (columns
     * split), reading Q in place.
     */
    static void reorthogonalize(double[] q, int count, int n, double[] w) {
        reorthogonalize(q, count, n, w, Simd.available());
    }

    /** {@link #reorthogonalize(double[], int, int, double[])} through {@link VectorKernels} or plain loops. */
    static void reorthogonalize(double[] q, int count, int n, double[] w, boolean simd) {
        double[] c = new double[count];
        int[] rb = bounds(count);
        int[] cb = bounds(n);
        double before = Math.sqrt(dot4(w, 0, w, n));
        for (int pass = 0; pass < 2; pass++) {
            Blas.parallelFor(CHUNKS, k -> {
                for (int r = rb[k]; r < rb[k + 1]; r++) {
                    c[r] = simd ? VectorKernels.dot(q, r * n, w, n) : dot4(q, r * n, w, n);
                }
            });
            Blas.parallelFor(CHUNKS, k -> {
                int i0 = cb[k];
                int i1 = cb[k + 1];
                if (simd) {
                    VectorKernels.subtractCombination(q, count, n, c, w, i0, i1);
                    return;
                }
                int r = 0;
                for (; r + 3 < count; r += 4) {
                    double c0 = c[r];
                    double c1 = c[r + 1];
                    double c2 = c[r + 2];
                    double c3 = c[r + 3];
                    int b0 = r * n;
                    int b1 = b0 + n;
                    int b2 = b1 + n;
                    int b3 = b2 + n;
                    for (int i = i0; i < i1; i++) {
                        w[i] -= c0 * q[b0 + i] + c1 * q[b1 + i] + c2 * q[b2 + i] + c3 * q[b3 + i];
                    }
                }
                for (; r < count; r++) {
                    double c0 = c[r];
                    int b0 = r * n;
                    for (int i = i0; i < i1; i++) {
                        w[i] -= c0 * q[b0 + i];
                    }
                }
            });
            double after = Math.sqrt(dot4(w, 0, w, n));
            if (after > DGKS * before) {
                break; // little cancellation: one pass left w orthogonal to working precision
            }
            before = after;
        }
    }

    private static int[] bounds(int n) {
        int[] b = new int[CHUNKS + 1];
        for (int k = 0; k <= CHUNKS; k++) {
            b[k] = (int) ((long) n * k / CHUNKS);
        }
        return b;
    }

    /**
     * Σ_i a[off + i]·b[i] over i &lt; n with four partial sums (a single chain of adds would be bound by the
     * add latency); also used by {@link FactoredEnergyHessian}.
     */
    static double dot4(double[] a, int off, double[] b, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[off + i] * b[i];
            s1 += a[off + i + 1] * b[i + 1];
            s2 += a[off + i + 2] * b[i + 2];
            s3 += a[off + i + 3] * b[i + 3];
        }
        for (; i < n; i++) {
            s0 += a[off + i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Fills {@code q[off .. off+n)} with a unit Gaussian vector. */
    private static void randomUnit(SplittableRandom rng, double[] q, int off, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double g = rng.nextGaussian();
            q[off + i] = g;
            s += g * g;
        }
        double inv = 1 / Math.sqrt(s);
        for (int i = 0; i < n; i++) {
            q[off + i] *= inv;
        }
    }

    static double dot(double[] a, int off, double[] b, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[off + i] * b[i];
        }
        return s;
    }
}
