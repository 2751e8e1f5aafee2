package org.scorescope.autodiff;

/**
 * Runs a primitive on tensors that may be duals and/or tracked for reverse mode.
 *
 * <p>Let L be the highest dual level among the inputs. With none, the op runs plainly. Otherwise
 * every input carrying L is split into (primal, tangent) — inputs at lower levels are constants for
 * L — the output primal is the op dispatched recursively on the primals, and the output tangent is
 * the op's jvp rule, itself built from dispatched ops so lower-level tangents and reverse nodes
 * propagate through it. The result (plain or dual) records its own node (op + the original inputs)
 * when any input requires grad and grad mode is on, so a reverse pass inside a jvp body carries
 * tangents (forward-over-reverse).
 */
final class Dispatch {
    private Dispatch() {
    }

    static Tensor apply(Op op, Tensor... in) {
        int level = 0;
        boolean tracked = false;
        for (Tensor t : in) {
            if (t.level > level) {
                level = t.level;
            }
            tracked |= t.requiresGrad;
        }
        boolean record = tracked && State.get().gradEnabled;
        Tensor out;
        if (level == 0) {
            out = op.forward(in);
        } else {
            Tensor[] prim = new Tensor[in.length];
            Tensor[] tan = new Tensor[in.length];
            for (int i = 0; i < in.length; i++) {
                if (in[i].level == level) {
                    prim[i] = in[i].primal;
                    tan[i] = in[i].tangent;
                } else {
                    prim[i] = in[i];
                }
            }
            Tensor p = apply(op, prim);
            Tensor t = op.jvp(prim, tan, p);
            out = t == null ? p : Tensor.dual(level, p, t);
        }
        return record ? out.withNode(op, in) : out;
    }
}
