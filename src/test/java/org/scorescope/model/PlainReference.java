package org.scorescope.model;

import java.util.List;
import org.scorescope.autodiff.Activation;
import org.scorescope.model.ModelSpec.Coupling;
import org.scorescope.model.ModelSpec.Layer;

/**
 * Scalar, loop-based evaluations of the flow and noise-conditional networks straight from a {@link ModelSpec}, with
 * no engine ops: the independent per-sample references the model and objective tests compare against.
 */
public final class PlainReference {
    private PlainReference() {
    }

    /** φ(z) for the activations the tests use. */
    public static double act(Activation a, double z) {
        switch (a) {
            case IDENTITY:
                return z;
            case TANH:
                return Math.tanh(z);
            case SOFTPLUS:
                return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
            case SIGMOID:
                return 1 / (1 + Math.exp(-z));
            case SILU:
                return z / (1 + Math.exp(-z));
            case ELU:
                return z > 0 ? z : Math.expm1(z);
            default:
                throw new UnsupportedOperationException("no scalar reference for " + a);
        }
    }

    /** h_{l+1} = φ_l(W_l h_l + b_l) with loops. */
    public static double[] mlp(List<Layer> layers, Activation hidden, Activation out, double[] input) {
        double[] h = input.clone();
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            Activation a = l + 1 < layers.size() ? hidden : out;
            double[] next = new double[layer.outputs()];
            for (int o = 0; o < next.length; o++) {
                double acc = layer.bias(o);
                for (int i = 0; i < layer.inputs(); i++) {
                    acc += layer.weight(o, i) * h[i];
                }
                next[o] = act(a, acc);
            }
            h = next;
        }
        return h;
    }

    /** log q(x) of a flow spec: couplings x → z one coordinate at a time, then the N(0, I) base density. */
    public static double flowLogProb(ModelSpec spec, double[] x) {
        double c = spec.flow().scaleBound();
        double[] h = x.clone();
        double logDet = 0;
        for (Coupling cp : spec.flow().couplings()) {
            int[] mask = cp.mask();
            double[] xa = new double[cp.kept()];
            int na = 0;
            for (int i = 0; i < mask.length; i++) {
                if (mask[i] == 1) {
                    xa[na++] = h[i];
                }
            }
            double[] out = mlp(cp.layers(), spec.activation(), Activation.IDENTITY, xa);
            int nb = cp.transformed();
            int j = 0;
            for (int i = 0; i < mask.length; i++) {
                if (mask[i] == 0) {
                    double s = c * Math.tanh(out[j] / c);
                    double t = out[nb + j];
                    h[i] = (h[i] - t) * Math.exp(-s);
                    logDet -= s;
                    j++;
                }
            }
        }
        double sq = 0;
        for (double v : h) {
            sq += v * v;
        }
        return -0.5 * sq - 0.5 * h.length * Math.log(2 * Math.PI) + logDet;
    }

    /** s(x, σ) = MLP([x, log σ]) / σ of a noise-conditional spec. */
    public static double[] noiseConditionalScore(ModelSpec spec, double[] x, double sigma) {
        double[] in = java.util.Arrays.copyOf(x, x.length + 1);
        in[x.length] = Math.log(sigma);
        double[] out = mlp(spec.layers(), spec.activation(), spec.outputActivation(), in);
        for (int i = 0; i < out.length; i++) {
            out[i] /= sigma;
        }
        return out;
    }
}
