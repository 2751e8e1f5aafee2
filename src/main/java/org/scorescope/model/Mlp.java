package org.scorescope.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.LaplacianJet;
import org.scorescope.autodiff.Ops;
import org.scorescope.autodiff.Tensor;

/**
 * A multilayer perceptron h_{l+1} = φ_l(h_l·W_lᵀ + b_l) whose parameters are read from a flat θ.
 * Layout of θ: for each layer in order, W (out × in, row-major, like {@code torch.nn.Linear.weight})
 * then b (out) — the order of the model file's {@code layers}, so conversion is a copy.
 * φ is {@code activation} after every layer but the last and {@code outputActivation} after the last.
 */
public final class Mlp {
    private final int[] widths;
    private final Activation activation;
    private final Activation outputActivation;
    private final int[] offsets;
    private final int parameterCount;

    /**
     * @param widths layer widths including input and output, e.g. {2, 64, 64, 1}
     * @param activation hidden activation
     * @param outputActivation activation after the last layer
     */
    public Mlp(int[] widths, Activation activation, Activation outputActivation) {
        if (widths.length < 2) {
            throw new IllegalArgumentException("an MLP needs at least an input and an output width");
        }
        for (int w : widths) {
            if (w < 1) {
                throw new IllegalArgumentException("layer widths must be positive: " + Arrays.toString(widths));
            }
        }
        this.widths = widths.clone();
        this.activation = activation;
        this.outputActivation = outputActivation;
        this.offsets = new int[widths.length];
        int off = 0;
        for (int l = 0; l + 1 < widths.length; l++) {
            offsets[l] = off;
            off += widths[l + 1] * widths[l] + widths[l + 1];
        }
        offsets[widths.length - 1] = off;
        this.parameterCount = off;
    }

    /**
     * Widths for a network of the given depth: input, {@code depth} hidden layers of {@code width}, output.
     *
     * @return e.g. {2, 64, 64, 1} for (2, 64, 2, 1)
     */
    public static int[] widths(int in, int width, int depth, int out) {
        if (depth < 0 || width < 1) {
            throw new IllegalArgumentException("width must be ≥ 1 and depth ≥ 0, got width " + width + ", depth " + depth);
        }
        int[] w = new int[depth + 2];
        Arrays.fill(w, width);
        w[0] = in;
        w[depth + 1] = out;
        return w;
    }

    /** @return the number of parameters P */
    public int parameterCount() {
        return parameterCount;
    }

    /** @return layer widths including input and output (copy) */
    public int[] widths() {
        return widths.clone();
    }

    /** @return hidden activation */
    public Activation activation() {
        return activation;
    }

    /** @return output activation */
    public Activation outputActivation() {
        return outputActivation;
    }

    /** @return number of affine layers */
    public int layerCount() {
        return widths.length - 1;
    }

    /** @return W_l as a (out, in) view of θ (differentiable slice) */
    Tensor weight(Tensor theta, int l) {
        int in = widths[l];
        int out = widths[l + 1];
        return Ops.reshape(Ops.slice(theta, offsets[l], offsets[l] + out * in), out, in);
    }

    /** @return b_l as an (out) view of θ (differentiable slice) */
    Tensor bias(Tensor theta, int l) {
        int in = widths[l];
        int out = widths[l + 1];
        int start = offsets[l] + out * in;
        return Ops.slice(theta, start, start + out);
    }

    private Activation activationAfter(int l) {
        return l == layerCount() - 1 ? outputActivation : activation;
    }

    /**
     * The network output for each row of x.
     *
     * @param theta θ (P)
     * @param x (B, in)
     * @return (B, out)
     */
    public Tensor forward(Tensor theta, Tensor x) {
        List<Tensor> ws = new ArrayList<>(layerCount());
        List<Tensor> bs = new ArrayList<>(layerCount());
        List<Activation> acts = new ArrayList<>(layerCount());
        for (int l = 0; l < layerCount(); l++) {
            ws.add(weight(theta, l));
            bs.add(bias(theta, l));
            acts.add(activationAfter(l));
        }
        return Ops.mlp(x, ws, bs, acts);
    }

    /**
     * The forward Laplacian jet: output value, its input Jacobian and its Laplacian in one pass.
     *
     * @param theta θ (P)
     * @param x (B, in)
     * @return the jet of the network at x
     */
    public LaplacianJet jet(Tensor theta, Tensor x) {
        return jet(theta, x, null, false);
    }

    /**
     * The jet along per-sample directions: output value, ∂_{v_k} of it (K, B, out) and Σ_k ∂²_{v_k} of it
     * (B, out) in one pass ({@link LaplacianJet#mlpAlong}).
     *
     * @param theta θ (P)
     * @param x (B, in)
     * @param directions v (K, B, in)
     * @return the jet of the network at x along v
     */
    public LaplacianJet jetAlong(Tensor theta, Tensor x, Tensor directions) {
        return jetAlong(theta, x, directions, false);
    }

    /**
     * As {@link #jetAlong(Tensor, Tensor, Tensor)}, with the input gradient (Jacobian slices K … K + D − 1) when
     * {@code withGradient} ({@link LaplacianJet#mlpAlong(Tensor, Tensor, boolean, List, List, List)}).
     *
     * @param theta θ (P)
     * @param x (B, in)
     * @param directions v (K, B, in)
     * @param withGradient also carry ∂/∂x_d of the output
     * @return the jet of the network at x along v (and the coordinate axes)
     */
    public LaplacianJet jetAlong(Tensor theta, Tensor x, Tensor directions, boolean withGradient) {
        if (directions == null) {
            throw new IllegalArgumentException("Mlp.jetAlong: directions are required");
        }
        return jet(theta, x, directions, withGradient);
    }

    private LaplacianJet jet(Tensor theta, Tensor x, Tensor directions, boolean withGradient) {
        List<Tensor> ws = new ArrayList<>(layerCount());
        List<Tensor> bs = new ArrayList<>(layerCount());
        List<Activation> acts = new ArrayList<>(layerCount());
        for (int l = 0; l < layerCount(); l++) {
            ws.add(weight(theta, l));
            bs.add(bias(theta, l));
            acts.add(activationAfter(l));
        }
        return directions == null ? LaplacianJet.mlp(x, ws, bs, acts)
                : LaplacianJet.mlpAlong(x, directions, withGradient, ws, bs, acts);
    }

    /**
     * PyTorch's default {@code nn.Linear} initialization: every W_l and b_l entry ~ U(−k, k) with
     * k = 1/√in_l.
     *
     * @param seed random seed
     * @return θ (P)
     */
    public double[] initialParameters(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] theta = new double[parameterCount];
        for (int l = 0; l < layerCount(); l++) {
            double k = 1.0 / Math.sqrt(widths[l]);
            int end = offsets[l + 1];
            for (int i = offsets[l]; i < end; i++) {
                theta[i] = (2 * rng.nextDouble() - 1) * k;
            }
        }
        return theta;
    }

    /**
     * {@link #initialParameters(long)} with the first layer's units anchored at data points: each unit i keeps its
     * weights w_i and gets the bias b_i = −w_i·x_{j_i} for a training point x_{j_i} drawn uniformly (with
     * replacement), so the hyperplane w_i·x + b_i = 0, where the unit bends, passes through the data. With the
     * default biases every hyperplane lies within |b|/‖w‖ ≲ 1 of the origin whatever the data's extent.
     *
     * @param seed random seed (the weights are those of {@link #initialParameters(long)} for this seed)
     * @param points training points (n × in); null or empty for {@link #initialParameters(long)}
     * @return θ (P)
     */
    public double[] initialParameters(long seed, double[][] points) {
        double[] theta = initialParameters(seed);
        if (points == null || points.length == 0) {
            return theta;
        }
        int in = widths[0];
        int out = widths[1];
        SplittableRandom rng = new SplittableRandom(seed).split();
        for (int o = 0; o < out; o++) {
            double[] x = points[rng.nextInt(points.length)];
            if (x.length != in) {
                throw new IllegalArgumentException("a point has " + x.length + " coordinates, the network takes " + in);
            }
            double b = 0;
            for (int d = 0; d < in; d++) {
                b -= theta[offsets[0] + o * in + d] * x[d];
            }
            theta[offsets[0] + out * in + o] = b;
        }
        return theta;
    }

    /**
     * θ as model-file layers.
     *
     * @param theta θ (P)
     * @return one {@link ModelSpec.Layer} per affine layer
     */
    public List<ModelSpec.Layer> toLayers(double[] theta) {
        requireLength(theta);
        List<ModelSpec.Layer> layers = new ArrayList<>();
        for (int l = 0; l < layerCount(); l++) {
            int in = widths[l];
            int out = widths[l + 1];
            double[][] w = new double[out][in];
            for (int o = 0; o < out; o++) {
                System.arraycopy(theta, offsets[l] + o * in, w[o], 0, in);
            }
            layers.add(new ModelSpec.Layer(w, Arrays.copyOfRange(theta, offsets[l] + out * in, offsets[l + 1])));
        }
        return layers;
    }

    /**
     * Model-file layers as θ.
     *
     * @param layers layers matching this MLP's widths
     * @return θ (P)
     */
    public double[] fromLayers(List<ModelSpec.Layer> layers) {
        if (layers.size() != layerCount()) {
            throw new IllegalArgumentException("expected " + layerCount() + " layers, got " + layers.size());
        }
        double[] theta = new double[parameterCount];
        for (int l = 0; l < layerCount(); l++) {
            ModelSpec.Layer layer = layers.get(l);
            int in = widths[l];
            int out = widths[l + 1];
            if (layer.inputs() != in || layer.outputs() != out) {
                throw new IllegalArgumentException("layers[" + l + "]: expected " + out + "×" + in + ", got "
                        + layer.outputs() + "×" + layer.inputs());
            }
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    theta[offsets[l] + o * in + i] = layer.weight(o, i);
                }
                theta[offsets[l] + out * in + o] = layer.bias(o);
            }
        }
        return theta;
    }

    private void requireLength(double[] theta) {
        if (theta.length != parameterCount) {
            throw new IllegalArgumentException("θ has " + theta.length + " values, the MLP needs " + parameterCount);
        }
    }
}
