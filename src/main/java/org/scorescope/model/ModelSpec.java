package org.scorescope.model;

import org.scorescope.autodiff.Activation;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The architecture and weights of a multilayer perceptron, as stored in a {@code scorescope-model} file (see
 * docs/model-format.md and {@link ModelFile}).
 *
 * <p>The network is h₀ = x, h_{l+1} = act_l(W_l h_l + b_l) for l = 0..L−1, where act_l is {@link #activation()}
 * for every layer but the last and {@link #outputActivation()} for the last. Weight matrices are out × in, as
 * {@code torch.nn.Linear.weight}. An {@link Kind#ENERGY energy} model outputs one number E(x) (density
 * p ∝ exp(−E), score −∇ₓE); a {@link Kind#SCORE score} model outputs the score vector directly, so its last layer
 * has {@code inputDim} outputs.
 *
 * <p>Immutable: the constructor checks the whole structure (dimension chain, last-layer size, finite numbers) and
 * throws {@link IllegalArgumentException} with a message naming the field, e.g.
 * {@code layers[1].weight: expected 64 columns (the previous layer's outputs), found 63}; arrays are copied on the
 * way in and on the way out.
 *
 * @param kind             what the network's output means
 * @param inputDim         dimension of x, ≥ 1
 * @param activation       activation after every layer except the last
 * @param outputActivation activation after the last layer
 * @param layers           the affine layers, first to last, at least one
 */
public record ModelSpec(Kind kind, int inputDim, Activation activation, Activation outputActivation,
                        List<Layer> layers) {

    /** What the network computes. Later kinds (flows, noise-conditional models) will be added here. */
    public enum Kind {
        /** Scalar energy E(x); the model density is p(x) ∝ exp(−E(x)) and the score is −∇ₓE(x). */
        ENERGY("energy"),
        /** The score s(x) ≈ ∇ₓ log p(x) itself, one output per input dimension. */
        SCORE("score");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        /** @return the name used in model files, e.g. {@code energy}. */
        public String id() {
            return id;
        }

        /**
         * The number of outputs the last layer must have: 1 for an energy, inputDim for a score.
         *
         * @param inputDim the model's input dimension
         * @return the required last-layer width
         */
        public int outputDim(int inputDim) {
            return this == ENERGY ? 1 : inputDim;
        }

        /**
         * @param id a file name such as {@code score}
         * @return the kind
         * @throws IllegalArgumentException listing the valid names
         */
        public static Kind fromId(String id) {
            for (Kind k : values()) {
                if (k.id.equals(id)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown '" + id + "' (expected one of "
                    + Arrays.stream(values()).map(Kind::id).collect(Collectors.joining(", ")) + ")");
        }
    }

    /**
     * One affine map z = W h + b with W out × in. Immutable: arrays are deep-copied in the constructor and by the
     * accessors; {@link #weight(int, int)} and {@link #bias(int)} read single entries without copying. Equality is
     * bit-wise on the contents.
     *
     * @param weight out × in matrix, rectangular, all finite, at least 1 × 1
     * @param bias   out entries, all finite
     */
    public record Layer(double[][] weight, double[] bias) {
        /** Validates and deep-copies; messages name {@code weight[row][col]} or {@code bias[i]}. */
        public Layer {
            Objects.requireNonNull(weight, "weight");
            Objects.requireNonNull(bias, "bias");
            if (weight.length == 0) {
                throw new IllegalArgumentException("weight: expected at least one row");
            }
            int in = weight[0] == null ? 0 : weight[0].length;
            if (in == 0) {
                throw new IllegalArgumentException("weight[0]: expected at least one column");
            }
            double[][] w = new double[weight.length][];
            for (int o = 0; o < weight.length; o++) {
                if (weight[o] == null || weight[o].length != in) {
                    throw new IllegalArgumentException("weight[" + o + "]: ragged matrix: expected " + in
                            + " entries like row 0, found " + (weight[o] == null ? "null" : weight[o].length));
                }
                w[o] = weight[o].clone();
                for (int i = 0; i < in; i++) {
                    if (!Double.isFinite(w[o][i])) {
                        throw new IllegalArgumentException("weight[" + o + "][" + i + "]: non-finite number " + w[o][i]);
                    }
                }
            }
            if (bias.length != weight.length) {
                throw new IllegalArgumentException("bias: expected " + weight.length
                        + " entries (one per weight row), found " + bias.length);
            }
            double[] b = bias.clone();
            for (int o = 0; o < b.length; o++) {
                if (!Double.isFinite(b[o])) {
                    throw new IllegalArgumentException("bias[" + o + "]: non-finite number " + b[o]);
                }
            }
            weight = w;
            bias = b;
        }

        /** @return a deep copy of the out × in weight matrix. */
        @Override
        public double[][] weight() {
            double[][] copy = new double[weight.length][];
            for (int o = 0; o < weight.length; o++) {
                copy[o] = weight[o].clone();
            }
            return copy;
        }

        /** @return a copy of the bias vector. */
        @Override
        public double[] bias() {
            return bias.clone();
        }

        /**
         * @param out row (output unit)
         * @param in  column (input unit)
         * @return W[out][in]
         */
        public double weight(int out, int in) {
            return weight[out][in];
        }

        /**
         * @param out output unit
         * @return b[out]
         */
        public double bias(int out) {
            return bias[out];
        }

        /** @return the number of inputs (columns of W). */
        public int inputs() {
            return weight[0].length;
        }

        /** @return the number of outputs (rows of W). */
        public int outputs() {
            return weight.length;
        }

        /** @return true iff {@code o} is a layer with bit-identical weights and biases. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Layer l && Arrays.deepEquals(weight, l.weight) && Arrays.equals(bias, l.bias);
        }

        /** @return a hash of the contents, consistent with {@link #equals(Object)}. */
        @Override
        public int hashCode() {
            return 31 * Arrays.deepHashCode(weight) + Arrays.hashCode(bias);
        }

        /** @return e.g. {@code Layer[64 × 2]}. */
        @Override
        public String toString() {
            return "Layer[" + outputs() + " × " + inputs() + "]";
        }
    }

    /**
     * Validates the structure and copies the layer list.
     *
     * @throws IllegalArgumentException naming the field, e.g. {@code layers[1].weight: ...}
     */
    public ModelSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(outputActivation, "outputActivation");
        Objects.requireNonNull(layers, "layers");
        if (inputDim < 1) {
            throw new IllegalArgumentException("inputDim: expected a positive integer, found " + inputDim);
        }
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("layers: expected at least one layer");
        }
        int previous = inputDim;
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            if (layer.inputs() != previous) {
                throw new IllegalArgumentException("layers[" + l + "].weight: expected " + previous + " columns ("
                        + (l == 0 ? "inputDim" : "the previous layer's outputs") + "), found " + layer.inputs());
            }
            previous = layer.outputs();
        }
        int required = kind.outputDim(inputDim);
        if (previous != required) {
            throw new IllegalArgumentException("layers[" + (layers.size() - 1) + "].weight: the last layer of "
                    + (kind == Kind.ENERGY ? "an energy" : "a " + kind.id()) + " model must have " + required
                    + (kind == Kind.ENERGY ? " output" : " outputs (inputDim)") + ", found " + previous + " rows");
        }
    }

    /** @return the network's output width: 1 for an energy, inputDim for a score. */
    public int outputDim() {
        return kind.outputDim(inputDim);
    }

    /** @return the layer widths from input to output, e.g. {2, 64, 64, 1}. */
    public int[] widths() {
        int[] w = new int[layers.size() + 1];
        w[0] = inputDim;
        for (int l = 0; l < layers.size(); l++) {
            w[l + 1] = layers.get(l).outputs();
        }
        return w;
    }

    /** @return the number of trainable numbers, Σ_l (out_l · in_l + out_l). */
    public int parameterCount() {
        int n = 0;
        for (Layer l : layers) {
            n += l.outputs() * l.inputs() + l.outputs();
        }
        return n;
    }

    /** @return e.g. {@code ModelSpec[score, 2-64-64-2, softplus, out identity]}. */
    @Override
    public String toString() {
        return "ModelSpec[" + kind.id() + ", " + Arrays.stream(widths()).mapToObj(Integer::toString)
                .collect(Collectors.joining("-")) + ", " + activation.jsonName() + ", out " + outputActivation.jsonName() + "]";
    }
}
