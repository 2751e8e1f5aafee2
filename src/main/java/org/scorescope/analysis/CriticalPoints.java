package org.scorescope.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Tensor;
import org.scorescope.model.ScoreModel;

/**
 * The critical points of a learned 2-D log-density: the zeros of the score s(x) = ∇ₓ log p(x), found by damped
 * Newton steps x ← x − J⁻¹s (J = ∂s/∂x) from a grid of seeds over a box, deduplicated, and classified by the
 * eigenvalues λ₀ ≤ λ₁ of the symmetric part (J + Jᵀ)/2 (the Hessian of log p where a density exists):
 * both negative a <b>mode</b> (local maximum of p), both positive a <b>minimum</b>, opposite signs a <b>saddle</b>.
 * The curl ∂s_y/∂x − ∂s_x/∂y is reported beside: zero for an energy or a flow, the rotation a score network's
 * field has and a density cannot.
 *
 * <p>A step is clipped to a quarter of the box's larger side; a seed stops after {@link #MAX_STEPS} steps, when
 * it leaves the box enlarged by half its size, or when ‖s‖ ≤ tol·(typical ‖s‖ over the seeds) with a step below
 * 10⁻⁸ of the box. Converged points closer than 10⁻³ of the box side are one point. Immutable.
 */
public final class CriticalPoints {
    /** Newton steps per seed at most. */
    public static final int MAX_STEPS = 40;

    /** What kind of critical point. */
    public enum Type {
        /** Local maximum of log p: both eigenvalues negative. */
        MODE,
        /** Opposite signs. */
        SADDLE,
        /** Local minimum of log p: both eigenvalues positive. */
        MINIMUM,
        /** An eigenvalue is zero to rounding. */
        DEGENERATE;

        /** @return lower-case label */
        public String label() {
            return switch (this) {
                case MODE -> "mode";
                case SADDLE -> "saddle";
                case MINIMUM -> "minimum";
                case DEGENERATE -> "degenerate";
            };
        }
    }

    /**
     * One critical point.
     *
     * @param x        first coordinate
     * @param y        second coordinate
     * @param type     classification by the signs of λ₀, λ₁
     * @param lambda0  smaller eigenvalue of (J + Jᵀ)/2
     * @param lambda1  larger eigenvalue
     * @param curl     ∂s_y/∂x − ∂s_x/∂y
     * @param residual ‖s‖ at the point
     * @param seeds    how many seeds converged to it (its basin's share of the grid)
     */
    public record Point(double x, double y, Type type, double lambda0, double lambda1, double curl, double residual,
                        int seeds) {
    }

    /** A score and its Jacobian on a batch of 2-D points. */
    @FunctionalInterface
    public interface Field {
        /**
         * @param xy  interleaved points, 2n values
         * @param n   number of points
         * @param s   receives the interleaved scores, 2n values
         * @param jac receives ∂s/∂x per point, row-major 2 × 2 (4n values: ∂s_x/∂x, ∂s_x/∂y, ∂s_y/∂x, ∂s_y/∂y)
         */
        void eval(double[] xy, int n, double[] s, double[] jac);
    }

    private final List<Point> points;

    private CriticalPoints(List<Point> points) {
        this.points = List.copyOf(points);
    }

    /** @return the points, modes first, then saddles, minima, degenerate; within a type by basin size */
    public List<Point> points() {
        return points;
    }

    /**
     * @param t a type
     * @return how many points of that type
     */
    public int count(Type t) {
        int c = 0;
        for (Point p : points) {
            if (p.type() == t) {
                c++;
            }
        }
        return c;
    }

    /**
     * The field of a model: the score by one batched evaluation and ∂s/∂x by {@link Grad#batchJacobian}.
     *
     * @param model a 2-D model
     * @param theta θ (P), copied
     * @return the field
     */
    public static Field of(ScoreModel model, double[] theta) {
        if (model.inputDim() != 2) {
            throw new IllegalArgumentException("CriticalPoints: the model must be 2-D, got D = " + model.inputDim());
        }
        Tensor th = model.parameters(theta.clone(), false);
        return (xy, n, s, jac) -> {
            Tensor x = Tensor.of(new int[] {n, 2}, Arrays.copyOf(xy, 2 * n));
            double[] sv = Grad.noGrad(() -> model.score(th, x)).toArray();
            double[] jv = Grad.noGrad(() -> Grad.batchJacobian(z -> model.score(th, z), x)).toArray();
            System.arraycopy(sv, 0, s, 0, 2 * n);
            System.arraycopy(jv, 0, jac, 0, 4 * n);
        };
    }

    /**
     * Finds the critical points in a box.
     *
     * @param f       the field
     * @param x0      box left
     * @param x1      box right (&gt; x0)
     * @param y0      box bottom
     * @param y1      box top (&gt; y0)
     * @param perSide seeds per side of the grid, ≥ 2
     * @return the critical points inside the box
     */
    public static CriticalPoints find(Field f, double x0, double x1, double y0, double y1, int perSide) {
        if (!(x1 > x0) || !(y1 > y0) || perSide < 2) {
            throw new IllegalArgumentException("CriticalPoints: need a non-empty box and >= 2 seeds per side");
        }
        int n = perSide * perSide;
        double[] xy = new double[2 * n];
        for (int i = 0; i < perSide; i++) {
            for (int j = 0; j < perSide; j++) {
                int k = i * perSide + j;
                xy[2 * k] = x0 + (x1 - x0) * (j + 0.5) / perSide;
                xy[2 * k + 1] = y0 + (y1 - y0) * (i + 0.5) / perSide;
            }
        }
        double side = Math.max(x1 - x0, y1 - y0);
        double maxStep = 0.25 * side;
        double[] s = new double[2 * n];
        double[] jac = new double[4 * n];
        f.eval(xy, n, s, jac);
        // typical score magnitude over the seeds: the residual scale
        double[] norms = new double[n];
        for (int k = 0; k < n; k++) {
            norms[k] = Math.hypot(s[2 * k], s[2 * k + 1]);
        }
        double[] sorted = norms.clone();
        Arrays.sort(sorted);
        double scale = Math.max(sorted[n / 2], 1e-300);
        double tol = 1e-9 * scale;
        boolean[] active = new boolean[n];
        boolean[] done = new boolean[n];
        Arrays.fill(active, true);
        int[] idx = new int[n];
        for (int step = 0; step <= MAX_STEPS; step++) {
            int m = 0;
            for (int k = 0; k < n; k++) {
                if (active[k]) {
                    idx[m++] = k;
                }
            }
            if (m == 0) {
                break;
            }
            if (step > 0) {
                double[] px = new double[2 * m];
                for (int a = 0; a < m; a++) {
                    px[2 * a] = xy[2 * idx[a]];
                    px[2 * a + 1] = xy[2 * idx[a] + 1];
                }
                double[] ps = new double[2 * m];
                double[] pj = new double[4 * m];
                f.eval(px, m, ps, pj);
                for (int a = 0; a < m; a++) {
                    int k = idx[a];
                    s[2 * k] = ps[2 * a];
                    s[2 * k + 1] = ps[2 * a + 1];
                    System.arraycopy(pj, 4 * a, jac, 4 * k, 4);
                }
            }
            if (step == MAX_STEPS) {
                break;
            }
            for (int a = 0; a < m; a++) {
                int k = idx[a];
                double sx = s[2 * k];
                double sy = s[2 * k + 1];
                double j00 = jac[4 * k];
                double j01 = jac[4 * k + 1];
                double j10 = jac[4 * k + 2];
                double j11 = jac[4 * k + 3];
                double det = j00 * j11 - j01 * j10;
                if (!Double.isFinite(sx) || !Double.isFinite(sy) || !Double.isFinite(det) || det == 0) {
                    active[k] = false;
                    continue;
                }
                double dx = -(j11 * sx - j01 * sy) / det;
                double dy = -(-j10 * sx + j00 * sy) / det;
                double len = Math.hypot(dx, dy);
                if (len > maxStep) {
                    dx *= maxStep / len;
                    dy *= maxStep / len;
                }
                double res = Math.hypot(sx, sy);
                if (res <= tol || len <= 1e-12 * side) {
                    active[k] = false;
                    done[k] = true;
                    continue;
                }
                xy[2 * k] += dx;
                xy[2 * k + 1] += dy;
                if (xy[2 * k] < x0 - 0.5 * side || xy[2 * k] > x1 + 0.5 * side || xy[2 * k + 1] < y0 - 0.5 * side
                        || xy[2 * k + 1] > y1 + 0.5 * side) {
                    active[k] = false;
                }
            }
        }
        // Points that ended with a tiny residual count too (the last step's evaluation is fresh).
        for (int k = 0; k < n; k++) {
            if (!done[k] && Math.hypot(s[2 * k], s[2 * k + 1]) <= 1e-7 * scale) {
                done[k] = true;
            }
        }
        double merge = 1e-3 * side;
        List<double[]> found = new ArrayList<>(); // x, y, k (seed index of the representative), count
        for (int k = 0; k < n; k++) {
            if (!done[k]) {
                continue;
            }
            double px = xy[2 * k];
            double py = xy[2 * k + 1];
            if (px < x0 || px > x1 || py < y0 || py > y1) {
                continue;
            }
            boolean merged = false;
            for (double[] q : found) {
                if (Math.hypot(q[0] - px, q[1] - py) <= merge) {
                    q[3]++;
                    // keep the seed with the smaller residual as the representative
                    int r = (int) q[2];
                    if (Math.hypot(s[2 * k], s[2 * k + 1]) < Math.hypot(s[2 * r], s[2 * r + 1])) {
                        q[0] = px;
                        q[1] = py;
                        q[2] = k;
                    }
                    merged = true;
                    break;
                }
            }
            if (!merged) {
                found.add(new double[] {px, py, k, 1});
            }
        }
        List<Point> out = new ArrayList<>();
        for (double[] q : found) {
            int k = (int) q[2];
            double j00 = jac[4 * k];
            double j01 = jac[4 * k + 1];
            double j10 = jac[4 * k + 2];
            double j11 = jac[4 * k + 3];
            double off = 0.5 * (j01 + j10);
            double mean = 0.5 * (j00 + j11);
            double rad = Math.hypot(0.5 * (j00 - j11), off);
            double l0 = mean - rad;
            double l1 = mean + rad;
            double zero = 1e-9 * Math.max(Math.abs(l0), Math.abs(l1));
            Type t = Math.abs(l0) <= zero || Math.abs(l1) <= zero ? Type.DEGENERATE
                    : l1 < 0 ? Type.MODE : l0 > 0 ? Type.MINIMUM : Type.SADDLE;
            out.add(new Point(q[0], q[1], t, l0, l1, j10 - j01, Math.hypot(s[2 * k], s[2 * k + 1]), (int) q[3]));
        }
        out.sort((a, b) -> a.type() != b.type() ? a.type().compareTo(b.type()) : Integer.compare(b.seeds(), a.seeds()));
        return new CriticalPoints(out);
    }
}
