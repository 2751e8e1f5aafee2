package org.scorescope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScoreIntegratorTest {

    /** ψ = −r²/2 + 0.5 sin(1.3x) cos(0.7y). */
    private static double psi(double x, double y) {
        return -(x * x + y * y) / 2 + 0.5 * Math.sin(1.3 * x) * Math.cos(0.7 * y);
    }

    private static double[] gradPsi(Grid2D g) {
        double[] s = new double[2 * g.size()];
        for (int iy = 0; iy < g.ny(); iy++) {
            for (int ix = 0; ix < g.nx(); ix++) {
                double x = g.x(ix);
                double y = g.y(iy);
                int k = g.index(ix, iy);
                s[2 * k] = -x + 0.65 * Math.cos(1.3 * x) * Math.cos(0.7 * y);
                s[2 * k + 1] = -y - 0.35 * Math.sin(1.3 * x) * Math.sin(0.7 * y);
            }
        }
        return s;
    }

    private static double maxErrorAgainstPsi(int n) {
        Grid2D g = Grid2D.square(3, n);
        double[] phi = new double[g.size()];
        ScoreIntegrator.Result res = new ScoreIntegrator(g).potential(gradPsi(g), phi, false);
        assertTrue(res.converged(), "CG did not converge: " + res);
        double mean = 0;
        for (int iy = 0; iy < n; iy++) {
            for (int ix = 0; ix < n; ix++) {
                mean += psi(g.x(ix), g.y(iy));
            }
        }
        mean /= g.size();
        double err = 0;
        for (int iy = 0; iy < n; iy++) {
            for (int ix = 0; ix < n; ix++) {
                err = Math.max(err, Math.abs(phi[g.index(ix, iy)] - (psi(g.x(ix), g.y(iy)) - mean)));
            }
        }
        assertTrue(res.nonConservativeFraction() < 1e-2, "gradient field misfit " + res.nonConservativeFraction());
        return err;
    }

    @Test
    void gradientOfKnownPotentialIsRecoveredToSecondOrder() {
        double e41 = maxErrorAgainstPsi(41);
        double e81 = maxErrorAgainstPsi(81);
        // ψ spans ~9 units over the box; h = 0.15 gives an O(h²) error of a few 1e-3
        assertTrue(e41 < 2e-2, "error at n=41: " + e41);
        double ratio = e41 / e81;
        // halving h must cut the error by ~4 (second order), not ~2
        assertTrue(ratio > 3.3 && ratio < 4.7, "convergence ratio " + ratio + " (e41=" + e41 + ", e81=" + e81 + ")");
    }

    @Test
    void cosineTransformPreconditionerIsAnExactInverse() {
        // A = M_y⊗L_x/dx² + L_y⊗M_x/dy² is diagonalized by DCT-I; with that exact inverse as the
        // preconditioner CG must finish in one step (two allowing for rounding), and agree with plain CG
        Grid2D g = new Grid2D(-3, 2, -1, 3, 37, 23);
        double[] s = gradPsi(g);
        for (int k = 0; k < g.size(); k++) {
            // add a rotational part so the problem is not trivially consistent
            s[2 * k] += 0.3 * g.y(k / g.nx());
        }
        double[] fast = new double[g.size()];
        double[] plain = new double[g.size()];
        ScoreIntegrator.Result rf = new ScoreIntegrator(g, 1e-12, 1000, true).potential(s, fast, false);
        ScoreIntegrator.Result rp = new ScoreIntegrator(g, 1e-12, 1000, false).potential(s, plain, false);
        assertTrue(rf.converged() && rp.converged(), rf + " / " + rp);
        assertTrue(rf.iterations() <= 2, "preconditioned iterations " + rf.iterations());
        assertTrue(rp.iterations() > 20, "plain iterations " + rp.iterations());
        for (int k = 0; k < g.size(); k++) {
            assertEquals(plain[k], fast[k], 1e-9);
        }
        assertEquals(rp.nonConservativeFraction(), rf.nonConservativeFraction(), 1e-9);
    }

    @Test
    void rigidRotationHasCurlTwoAndNoGradientPart() {
        Grid2D g = Grid2D.square(2, 41);
        double[] s = new double[2 * g.size()];
        for (int iy = 0; iy < g.ny(); iy++) {
            for (int ix = 0; ix < g.nx(); ix++) {
                int k = g.index(ix, iy);
                s[2 * k] = -g.y(iy);
                s[2 * k + 1] = g.x(ix);
            }
        }
        double[] curl = new double[g.size()];
        ScoreIntegrator.curl(g, s, curl);
        for (double c : curl) {
            assertEquals(2.0, c, 1e-12);
        }
        double[] phi = new double[g.size()];
        ScoreIntegrator.Result res = new ScoreIntegrator(g).potential(s, phi, false);
        assertTrue(res.converged(), res.toString());
        double maxPhi = 0;
        for (double v : phi) {
            maxPhi = Math.max(maxPhi, Math.abs(v));
        }
        // (−y, x) is not tangential on a square's edge, so φ is a small harmonic correction, not 0:
        // it must be small compared with the rotation's potential scale |s|·L = 2·2 = 4 ...
        assertTrue(maxPhi < 0.6, "rotation potential too large: " + maxPhi);
        // ... odd under x → −x and invariant under a 90° rotation (x, y) → (−y, x), as the field is
        for (int iy = 0; iy < g.ny(); iy++) {
            for (int ix = 0; ix < g.nx(); ix++) {
                double v = phi[g.index(ix, iy)];
                assertEquals(-v, phi[g.index(g.nx() - 1 - ix, iy)], 1e-8);
                assertEquals(v, phi[g.index(g.nx() - 1 - iy, ix)], 1e-8);
            }
        }
        // ... and it explains little of the field: almost all of it is rotational
        assertTrue(res.nonConservativeFraction() > 0.9, "fraction " + res.nonConservativeFraction());
    }

    /**
     * max |φ| / max |s| for s = ∇⊥ψ = (∂ψ/∂y, −∂ψ/∂x), ψ = x(1−x)y(1−y)(1+x) on [0,1]², n nodes per axis.
     * ψ vanishes on the boundary, so s is tangential there.
     */
    private static double vortexPotential(int n, double[] centreCurl) {
        Grid2D g = new Grid2D(0, 1, 0, 1, n, n);
        double[] s = new double[2 * g.size()];
        double smax = 0;
        for (int iy = 0; iy < g.ny(); iy++) {
            for (int ix = 0; ix < g.nx(); ix++) {
                int k = g.index(ix, iy);
                double x = g.x(ix);
                double y = g.y(iy);
                double fx = x * (1 - x) * (1 + x);
                double fy = y * (1 - y);
                double dfx = 1 - 2 * x - 3 * x * x + 2 * x;
                double dfy = 1 - 2 * y;
                s[2 * k] = fx * dfy;
                s[2 * k + 1] = -dfx * fy;
                smax = Math.max(smax, Math.hypot(s[2 * k], s[2 * k + 1]));
            }
        }
        double[] curl = new double[g.size()];
        ScoreIntegrator.curl(g, s, curl);
        centreCurl[0] = curl[g.index(n / 2, n / 2)];
        double[] phi = new double[g.size()];
        ScoreIntegrator.Result res = new ScoreIntegrator(g).potential(s, phi, false);
        assertTrue(res.converged(), res.toString());
        assertTrue(res.nonConservativeFraction() > 0.999, "fraction " + res.nonConservativeFraction());
        double maxPhi = 0;
        for (double v : phi) {
            maxPhi = Math.max(maxPhi, Math.abs(v));
        }
        return maxPhi / smax;
    }

    @Test
    void boundaryTangentialVortexGivesAFlatPotential() {
        // s = ∇⊥ψ is divergence-free and tangential at the box edge: the exact least-squares potential
        // is constant, so the discrete one must vanish at second order in h
        double[] c33 = new double[1];
        double[] c65 = new double[1];
        double r33 = vortexPotential(33, c33);
        double r65 = vortexPotential(65, c65);
        // curl = −Δψ = −(fx''·fy + fx·fy'') with fx'' = −6x, fy'' = −2; at (1/2, 1/2): 0.75 + 0.75 = 1.5.
        // ψ is cubic in x and quadratic in y, so central differences are exact up to rounding
        assertEquals(1.5, c65[0], 1e-10);
        assertTrue(r65 < 5e-3, "potential not flat: max|φ|/max|s| = " + r65);
        double ratio = r33 / r65;
        assertTrue(ratio > 3.3 && ratio < 4.7, "flatness must improve as h²: ratio " + ratio);
    }

    @Test
    void logDensityOfGaussianScoreIsNormalizedGaussianAndWarmStartHelps() {
        Grid2D g = Grid2D.square(7, 71);
        double[] s = new double[2 * g.size()];
        g.fillPoints(s);
        for (int k = 0; k < s.length; k++) {
            s[k] = -s[k];
        }
        ScoreIntegrator integ = new ScoreIntegrator(g);
        double[] logp = new double[g.size()];
        ScoreIntegrator.Result first = integ.logDensity(s, logp);
        assertTrue(first.converged(), first.toString());
        // a quadratic potential is exact in this scheme, so the misfit is CG tolerance only
        assertTrue(first.nonConservativeFraction() < 1e-9, "misfit " + first);
        for (int iy = 0; iy < g.ny(); iy += 5) {
            for (int ix = 0; ix < g.nx(); ix += 5) {
                double x = g.x(ix);
                double y = g.y(iy);
                // edge-midpoint averaging is exact for a linear score, so only the box cut-off and the
                // trapezoid rule (both ~1e-11 here) separate this from the closed form
                assertEquals(-(x * x + y * y) / 2 - Math.log(2 * Math.PI), logp[g.index(ix, iy)], 1e-8);
            }
        }
        // plain CG: the second call warm-starts from the first potential and has nothing left to do
        ScoreIntegrator plain = new ScoreIntegrator(g, 1e-10, 5000, false);
        ScoreIntegrator.Result cold = plain.logDensity(s, logp);
        ScoreIntegrator.Result warm = plain.logDensity(s, logp);
        assertTrue(cold.iterations() > 20 && warm.iterations() <= 1, "cold " + cold.iterations() + ", warm " + warm.iterations());
        plain.resetWarmStart();
        assertEquals(cold.iterations(), plain.logDensity(s, logp).iterations());
    }

    @Test
    void nonFiniteScoreIsRejectedWithItsNode() {
        Grid2D g = Grid2D.square(1, 5);
        double[] s = new double[2 * g.size()];
        s[2 * 7 + 1] = Double.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ScoreIntegrator(g).potential(s, new double[g.size()], false));
        assertTrue(e.getMessage().contains("component y at node 7"), e.getMessage());
    }
}
