package org.scorescope.field;

/**
 * What the inspector shows for one point x: the model's score s(x), log p(x), and the eigenvalues of
 * the local Jacobian J = ∂s/∂x (for an energy model J = ∇² log p, the Hessian of the log density, so
 * the eigenvalues are real; for a score network J need not be symmetric and its eigenvalues may be a
 * complex pair re ± i·im). The true values are NaN where the dataset has no closed-form density.
 *
 * @param x        point, x
 * @param y        point, y
 * @param model    the model's score, log density and curl at the point
 * @param jacobian the eigenvalues of the model's local Jacobian J
 * @param truth    the true values at the point (NaN if unknown)
 */
public record HoverInfo(double x, double y, Model model, Jacobian jacobian, Truth truth) {

    /**
     * The model's values at the point.
     *
     * @param sx        s(x), first component
     * @param sy        s(x), second component
     * @param logp      log p(x) (normalized over the view), NaN if unknown
     * @param logpExact true when log p comes from the model directly (energy, flow), false when integrated
     * @param curl      ∂s_y/∂x − ∂s_x/∂y (0 for a gradient field)
     */
    public record Model(double sx, double sy, double logp, boolean logpExact, double curl) {
    }

    /**
     * The two eigenvalues of the local Jacobian J, possibly a complex pair.
     *
     * @param re1 eigenvalue 1 of J, real part (the larger one for a real pair)
     * @param im1 eigenvalue 1, imaginary part
     * @param re2 eigenvalue 2, real part
     * @param im2 eigenvalue 2, imaginary part
     */
    public record Jacobian(double re1, double im1, double re2, double im2) {
    }

    /**
     * The closed-form true values at the point, all NaN when the dataset has no true density.
     *
     * @param trueSx   true score, first component (NaN if unknown)
     * @param trueSy   true score, second component
     * @param trueLogp true log p(x) (normalized over the view)
     * @param trueL1   larger eigenvalue of the true ∇² log p
     * @param trueL2   smaller eigenvalue of the true ∇² log p
     */
    public record Truth(double trueSx, double trueSy, double trueLogp, double trueL1, double trueL2) {
    }

    /** @return whether a true density was available */
    public boolean hasTruth() {
        return !Double.isNaN(trueSx());
    }

    /** @return the score magnitude ‖s(x)‖ */
    public double scoreNorm() {
        return Math.hypot(sx(), sy());
    }

    // The parts' fields, read directly: the inspector text reads them all.

    /** @return see {@link Model#sx()} */
    public double sx() {
        return model.sx();
    }

    /** @return see {@link Model#sy()} */
    public double sy() {
        return model.sy();
    }

    /** @return see {@link Model#logp()} */
    public double logp() {
        return model.logp();
    }

    /** @return see {@link Model#logpExact()} */
    public boolean logpExact() {
        return model.logpExact();
    }

    /** @return see {@link Model#curl()} */
    public double curl() {
        return model.curl();
    }

    /** @return see {@link Jacobian#re1()} */
    public double re1() {
        return jacobian.re1();
    }

    /** @return see {@link Jacobian#im1()} */
    public double im1() {
        return jacobian.im1();
    }

    /** @return see {@link Jacobian#re2()} */
    public double re2() {
        return jacobian.re2();
    }

    /** @return see {@link Jacobian#im2()} */
    public double im2() {
        return jacobian.im2();
    }

    /** @return see {@link Truth#trueSx()} */
    public double trueSx() {
        return truth.trueSx();
    }

    /** @return see {@link Truth#trueSy()} */
    public double trueSy() {
        return truth.trueSy();
    }

    /** @return see {@link Truth#trueLogp()} */
    public double trueLogp() {
        return truth.trueLogp();
    }

    /** @return see {@link Truth#trueL1()} */
    public double trueL1() {
        return truth.trueL1();
    }

    /** @return see {@link Truth#trueL2()} */
    public double trueL2() {
        return truth.trueL2();
    }
}
