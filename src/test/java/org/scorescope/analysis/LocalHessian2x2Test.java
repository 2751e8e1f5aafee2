package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LocalHessian2x2Test {

    @Test
    void randomSymmetricMatricesSatisfyTheEigenEquations() {
        SplittableRandom r = new SplittableRandom(9);
        double[] out = new double[4];
        for (int t = 0; t < 2000; t++) {
            double s = Math.pow(10, r.nextInt(-6, 7));
            double a = s * r.nextGaussian();
            double b = s * r.nextGaussian() * (t % 5 == 0 ? 0 : 1);
            double c = s * r.nextGaussian();
            LocalHessian2x2.symmetricEigen(a, b, c, out);
            double l1 = out[0];
            double l2 = out[1];
            double cs = out[2];
            double sn = out[3];
            double norm = Math.abs(a) + Math.abs(b) + Math.abs(c);
            assertEquals(1.0, cs * cs + sn * sn, 1e-15);
            // A v₁ = λ₁ v₁ and A v₂ = λ₂ v₂ with v₂ = (−sin, cos), to rounding of ‖A‖
            assertEquals(l1 * cs, a * cs + b * sn, 1e-14 * norm);
            assertEquals(l1 * sn, b * cs + c * sn, 1e-14 * norm);
            assertEquals(-l2 * sn, -a * sn + b * cs, 1e-14 * norm);
            assertEquals(l2 * cs, -b * sn + c * cs, 1e-14 * norm);
            assertEquals(a + c, l1 + l2, 1e-14 * norm);
            assertTrue(l1 >= l2);
        }
    }

    @Test
    void nearlySingularMatrixKeepsItsSmallEigenvalueToFullRelativeAccuracy() {
        // [[1, 1], [1, 1+δ]]: λ_small = (2 + δ − √(4 + δ²))/2 = δ/2 − δ²/8 + O(δ⁴)
        double c = 1 + 1e-10;
        double delta = c - 1;
        double[] out = new double[4];
        LocalHessian2x2.symmetricEigen(1, 1, c, out);
        double expected = delta / 2 - delta * delta / 8;
        assertEquals(expected, out[1], 1e-15 * expected);
        assertEquals(2 + delta / 2, out[0], 1e-15);

        // [[1, ½], [½, ¼ + 1e-12]]: λ_small ≈ 8e-13 while m, r ≈ 0.625, so m − r keeps only ~4 digits.
        // Reference: λ_small = det/λ_big with det from exact decimal arithmetic on the stored doubles.
        double a = 1;
        double b = 0.5;
        double cc = 0.25 + 1e-12;
        java.math.BigDecimal det = new java.math.BigDecimal(a).multiply(new java.math.BigDecimal(cc))
                .subtract(new java.math.BigDecimal(b).multiply(new java.math.BigDecimal(b)));
        LocalHessian2x2.symmetricEigen(a, b, cc, out);
        double ref = det.doubleValue() / out[0];
        assertEquals(ref, out[1], 1e-15 * ref);
        assertEquals(det.doubleValue(), LocalHessian2x2.determinant(a, b, cc), 0);
        double naive = 0.5 * (a + cc) - Math.hypot(0.5 * (a - cc), b);
        assertTrue(Math.abs(naive - ref) > 1e-6 * ref, "naive formula unexpectedly accurate: " + naive + " vs " + ref);
    }

    @Test
    void jacobianOfRotationPlusScalingHasComplexEigenvaluesAndCurlTwoOmega() {
        double a = -0.7;
        double w = 1.3;
        // J = [[a, −w], [w, a]]: s = (a·x − w·y, w·x + a·y)
        double[] ev = new double[4];
        LocalHessian2x2.jacobianEigenvalues(a, -w, w, a, ev);
        assertEquals(a, ev[0], 1e-15);
        assertEquals(w, ev[1], 1e-15);
        assertEquals(a, ev[2], 1e-15);
        assertEquals(-w, ev[3], 1e-15);
        assertEquals(2 * w, LocalHessian2x2.curl(-w, w), 0);
        // real case: [[2, 1], [4, −1]] has eigenvalues 3 and −2
        LocalHessian2x2.jacobianEigenvalues(2, 1, 4, -1, ev);
        assertEquals(3, ev[0], 1e-15);
        assertEquals(-2, ev[2], 1e-15);
        assertEquals(0, ev[1], 0);
    }

    @Test
    void batchStiffAndSloppyDirectionsOfAnisotropicGaussians() {
        // Hessian of log N(0, diag(4, 0.01)) is diag(−1/4, −100): stiff along y, sloppy along x; then the same
        // rotated by 30°, then a Jacobian with a rotational part
        double t = Math.PI / 6;
        double cs = Math.cos(t);
        double sn = Math.sin(t);
        double l1 = -0.25;
        double l2 = -100;
        // R diag(l1, l2) Rᵀ with R = [[cs, −sn], [sn, cs]]
        double ra = l1 * cs * cs + l2 * sn * sn;
        double rb = (l1 - l2) * cs * sn;
        double rc = l1 * sn * sn + l2 * cs * cs;
        double[] jac = {
            -0.25, 0, 0, -100,
            ra, rb, rb, rc,
            1, -2, 4, 3,
        };
        double[] stiff = new double[3];
        double[] sloppy = new double[3];
        double[] dir = new double[6];
        double[] curl = new double[3];
        LocalHessian2x2.analyzeBatch(jac, 3, stiff, sloppy, dir, curl);
        assertEquals(-100, stiff[0], 1e-13);
        assertEquals(-0.25, sloppy[0], 1e-13);
        assertEquals(1.0, Math.abs(dir[1]), 1e-15);
        assertEquals(-100, stiff[1], 1e-12);
        assertEquals(-0.25, sloppy[1], 1e-12);
        // stiff direction is R·(0, 1) = (−sin t, cos t) up to sign
        assertEquals(1.0, Math.abs(-sn * dir[2] + cs * dir[3]), 1e-14);
        assertEquals(0.0, curl[0], 0);
        assertEquals(0.0, curl[1], 0);
        // third: S = [[1, 1], [1, 3]] → 2 ± √2; curl = 4 − (−2) = 6
        assertEquals(2 + Math.sqrt(2), stiff[2], 1e-14);
        assertEquals(2 - Math.sqrt(2), sloppy[2], 1e-14);
        assertEquals(6, curl[2], 0);
        double[] values = new double[6];
        double[] vecs = new double[6];
        LocalHessian2x2.symmetricEigenBatch(jac, 3, values, vecs);
        assertEquals(-0.25, values[0], 1e-13);
        assertEquals(-100, values[1], 1e-13);
        assertEquals(2 + Math.sqrt(2), values[4], 1e-14);
        assertThrows(IllegalArgumentException.class, () -> LocalHessian2x2.analyzeBatch(new double[7], 2, null, null, null, null));
    }
}
