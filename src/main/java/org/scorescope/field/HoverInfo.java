package org.scorescope.field;

/**
 * What the inspector shows for one point x: the model's score s(x), log p(x), and the eigenvalues of
 * the local Jacobian J = ∂s/∂x (for an energy model J = ∇² log p, the Hessian of the log density, so
 * the eigenvalues are real; for a score network J need not be symmetric and its eigenvalues may be a
 * complex pair re ± i·im). The true values are NaN where the dataset has no closed-form density.
 *
 * @param x            point, x
 * @param y            point, y
 * @param sx           s(x), first component
 * @param sy           s(x), second component
 * @param logp         log p(x) (normalized over the view), NaN if unknown
 * @param logpExact    true when log p comes from the model directly (energy, flow), false when integrated
 * @param re1          eigenvalue 1 of J, real part (the larger one for a real pair)
 * @param im1          eigenvalue 1, imaginary part
 * @param re2          eigenvalue 2, real part
 * @param im2          eigenvalue 2, imaginary part
 * @param curl         ∂s_y/∂x − ∂s_x/∂y (0 for a gradient field)
 * @param trueSx       true score, first component (NaN if unknown)
 * @param trueSy       true score, second component
 * @param trueLogp     true log p(x) (normalized over the view)
 * @param trueL1       larger eigenvalue of the true ∇² log p
 * @param trueL2       smaller eigenvalue of the true ∇² log p
 */
public record HoverInfo(double x, double y, double sx, double sy, double logp, boolean logpExact,
                        double re1, double im1, double re2, double im2, double curl,
                        double trueSx, double trueSy, double trueLogp, double trueL1, double trueL2) {

    /** @return whether a true density was available */
    public boolean hasTruth() {
        return !Double.isNaN(trueSx);
    }

    /** @return the score magnitude ‖s(x)‖ */
    public double scoreNorm() {
        return Math.hypot(sx, sy);
    }
}
