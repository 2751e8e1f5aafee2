package org.scorescope.autodiff;

import java.util.Locale;

/**
 * Elementwise activations φ with closed-form first and second derivatives, all as differentiable
 * tensor functions (so they can be differentiated again, e.g. for θ-gradients of a Laplacian).
 * Used by MLPs and by {@link LaplacianJet#activate}. φ, φ', φ'' and φ''' run as fused kernels that
 * share their transcendental work; fourth and higher derivatives come from the composite forms.
 */
public enum Activation {
    /** φ = log(1+eᶻ), φ' = σ(z), φ'' = σ(1−σ). */
    SOFTPLUS("softplus"),
    /** φ = tanh z, φ' = 1−t², φ'' = −2t(1−t²). */
    TANH("tanh"),
    /** φ = σ(z), φ' = σ(1−σ), φ'' = σ(1−σ)(1−2σ). */
    SIGMOID("sigmoid"),
    /** φ = z·σ(z), φ' = σ + zσ(1−σ), φ'' = σ(1−σ)(2 + z(1−2σ)). */
    SILU("silu"),
    /** φ = z (z &gt; 0) else eᶻ−1, φ' = 1 (z &gt; 0) else eᶻ, φ'' = 0 (z &gt; 0) else eᶻ. */
    ELU("elu"),
    /** φ = zΦ(z) (exact), φ' = Φ(z) + zϕ(z), φ'' = ϕ(z)(2 − z²) with ϕ the N(0,1) density. */
    GELU("gelu"),
    /** φ = z, φ' = 1, φ'' = 0. */
    IDENTITY("identity");

    private final String jsonName;

    Activation(String jsonName) {
        this.jsonName = jsonName;
    }

    /**
     * Returns the name used in JSON model files, e.g. "softplus".
     *
     * @return the name used in JSON model files, e.g. "softplus"
     */
    public String jsonName() {
        return jsonName;
    }

    /**
     * Parses a JSON name.
     *
     * @param name one of softplus, tanh, sigmoid, silu, elu, gelu, identity (case-insensitive)
     * @return the activation
     * @throws IllegalArgumentException naming the accepted values when unknown
     */
    public static Activation fromJson(String name) {
        if (name != null) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            for (Activation a : values()) {
                if (a.jsonName.equals(n)) {
                    return a;
                }
            }
        }
        throw new IllegalArgumentException("unknown activation \"" + name
                + "\"; expected one of softplus, tanh, sigmoid, silu, elu, gelu, identity");
    }

    /**
     * Returns φ(z).
     *
     * @param z pre-activation
     * @return φ(z)
     */
    public Tensor apply(Tensor z) {
        return this == IDENTITY ? z : Fused.derivative(this, z, 0);
    }

    /**
     * Returns φ'(z).
     *
     * @param z pre-activation
     * @return φ'(z)
     */
    public Tensor d1(Tensor z) {
        return this == IDENTITY ? Tensor.ones(z.shape) : Fused.derivative(this, z, 1);
    }

    /**
     * Returns φ''(z).
     *
     * @param z pre-activation
     * @return φ''(z)
     */
    public Tensor d2(Tensor z) {
        return this == IDENTITY ? Tensor.zeros(z.shape) : Fused.derivative(this, z, 2);
    }

    /**
     * Returns φ⁽ᵐ⁾(z), the m-th derivative elementwise (closed forms up to m = 3, forward mode beyond),
     * differentiable like every other op.
     *
     * @param z pre-activation
     * @param m derivative order, ≥ 0
     * @return φ⁽ᵐ⁾(z)
     */
    public Tensor derivative(Tensor z, int m) {
        if (m < 0) {
            throw new IllegalArgumentException("derivative order must be >= 0, got " + m);
        }
        if (this == IDENTITY) {
            return m == 0 ? z : m == 1 ? Tensor.ones(z.shape) : Tensor.zeros(z.shape);
        }
        return Fused.derivative(this, z, m);
    }

    /**
     * φ(z), φ'(z) and φ''(z) together, sharing subexpressions (e.g. σ(z) once).
     *
     * @param z pre-activation
     * @return {φ(z), φ'(z), φ''(z)}
     */
    public Tensor[] applyWithDerivatives(Tensor z) {
        return new Tensor[] {apply(z), d1(z), d2(z)};
    }

    /**
     * {φ, φ', φ''} composed from the elementwise primitives (softplus, sigmoid, …), each
     * differentiable to any order; the reference that higher derivatives fall back to.
     */
    Tensor[] compositeDerivatives(Tensor z) {
        return derivatives(z, true);
    }

    private Tensor[] derivatives(Tensor z, boolean second) {
        Tensor v;
        Tensor d1;
        Tensor d2 = null;
        switch (this) {
            case SOFTPLUS: {
                v = Ops.softplus(z);
                Tensor s = Ops.sigmoid(z);
                d1 = s;
                if (second) {
                    d2 = Ops.sub(s, Ops.square(s));
                }
                break;
            }
            case TANH: {
                v = Ops.tanh(z);
                d1 = Ops.addScalar(Ops.neg(Ops.square(v)), 1.0);
                if (second) {
                    d2 = Ops.mulScalar(Ops.mul(v, d1), -2.0);
                }
                break;
            }
            case SIGMOID: {
                v = Ops.sigmoid(z);
                d1 = Ops.sub(v, Ops.square(v));
                if (second) {
                    d2 = Ops.mul(d1, Ops.addScalar(Ops.mulScalar(v, -2.0), 1.0));
                }
                break;
            }
            case SILU: {
                Tensor s = Ops.sigmoid(z);
                v = Ops.mul(z, s);
                Tensor ds = Ops.sub(s, Ops.square(s));
                d1 = Ops.add(s, Ops.mul(z, ds));
                if (second) {
                    d2 = Ops.mul(ds, Ops.addScalar(Ops.mul(z, Ops.addScalar(Ops.mulScalar(s, -2.0), 1.0)), 2.0));
                }
                break;
            }
            case ELU: {
                v = Ops.elu(z);
                Tensor notPos = Ops.addScalar(Ops.neg(Ops.step(z)), 1.0);
                Tensor tail = Ops.mul(notPos, v);
                d1 = Ops.addScalar(tail, 1.0);
                if (second) {
                    d2 = Ops.add(tail, notPos);
                }
                break;
            }
            case GELU: {
                v = Ops.gelu(z);
                Tensor pdf = Prims.Unary.normalPdf(z);
                d1 = Ops.add(Ops.normalCdf(z), Ops.mul(z, pdf));
                if (second) {
                    d2 = Ops.mul(pdf, Ops.addScalar(Ops.neg(Ops.square(z)), 2.0));
                }
                break;
            }
            default: {
                v = z;
                d1 = Tensor.ones(z.shape);
                d2 = second ? Tensor.zeros(z.shape) : null;
                break;
            }
        }
        return new Tensor[] {v, d1, d2};
    }
}
