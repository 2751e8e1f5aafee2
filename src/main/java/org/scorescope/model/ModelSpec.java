package org.scorescope.model;

import org.scorescope.autodiff.Activation;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The architecture and weights of a model, as stored in a {@code scorescope-model} file (see docs/model-format.md
 * and {@link ModelFile}).
 *
 * <p><b>MLP kinds</b> (energy, score, noise-conditional): the network is h₀ = input, h_{l+1} = act_l(W_l h_l + b_l)
 * for l = 0..L−1, where act_l is {@link #activation()} for every layer but the last and
 * {@link #outputActivation()} for the last. Weight matrices are out × in, as {@code torch.nn.Linear.weight}. An
 * {@link Kind#ENERGY energy} model outputs one number E(x) (density p ∝ exp(−E), score −∇ₓE); a
 * {@link Kind#SCORE score} model outputs the score vector directly, so its last layer has {@code inputDim} outputs;
 * a {@link Kind#NOISE_CONDITIONAL noise-conditional} model reads [x, log σ] (so its first layer has
 * {@code inputDim + 1} columns), outputs {@code inputDim} numbers and carries its noise levels {@link #sigmas()}.
 *
 * <p><b>Flows</b> ({@link Kind#FLOW}): {@link #layers()} is empty and {@link #flow()} holds the couplings,
 * each with its own conditioner MLP (hidden activation {@link #activation()}, linear output); see
 * {@link CouplingFlow} and {@link SplineFlow} for the transforms. {@link #outputActivation()} is {@link Activation#IDENTITY} for a flow.
 *
 * <p>The components a kind does not use are null ({@link #sigmas()} unless noise-conditional, {@link #flow()}
 * unless a flow), so energy and score specs keep the five-argument constructor; {@link #noiseConditional} and
 * {@link #flow(int, Activation, double, List)} build the other two kinds.
 *
 * <p>Immutable: the constructor checks the whole structure (dimension chains, last-layer sizes, masks, noise levels,
 * finite numbers) and throws {@link IllegalArgumentException} with a message naming the field, e.g.
 * {@code layers[1].weight: expected 64 columns (the previous layer's outputs), found 63} or
 * {@code couplings[1].mask: expected 2 entries (inputDim), found 3}; arrays are copied on the way in and on the way
 * out. Equality is bit-wise on all numbers.
 *
 * @param kind             what the network's output means
 * @param inputDim         dimension of x, ≥ 1 (≥ 2 for a flow)
 * @param activation       activation after every layer except the last (of every conditioner, for a flow)
 * @param outputActivation activation after the last layer (identity for a flow)
 * @param layers           the affine layers, first to last, at least one; empty for a flow
 * @param sigmas           noise levels σ_1 &gt; … &gt; σ_L &gt; 0 of a noise-conditional model, else null
 * @param flow             the couplings of a flow, else null
 */
public record ModelSpec(Kind kind, int inputDim, Activation activation, Activation outputActivation,
                        List<Layer> layers, double[] sigmas, Flow flow) {

    /** What the network computes. */
    public enum Kind {
        /** Scalar energy E(x); the model density is p(x) ∝ exp(−E(x)) and the score is −∇ₓE(x). */
        ENERGY("energy"),
        /** The score s(x) ≈ ∇ₓ log p(x) itself, one output per input dimension. */
        SCORE("score"),
        /** A noise-conditional score s(x, σ) = MLP([x, log σ]) / σ over a fixed list of noise levels. */
        NOISE_CONDITIONAL("noise-conditional"),
        /** A normalizing flow of affine couplings with an exact, normalized log-density. */
        FLOW("flow");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        /** @return the name used in model files, e.g. {@code energy}. */
        public String id() {
            return id;
        }

        /**
         * The number of outputs the model's last layer must have: 1 for an energy, inputDim otherwise (for a flow,
         * the dimension of the transform's output z; its conditioners' widths are per coupling).
         *
         * @param inputDim the model's input dimension
         * @return the required last-layer width
         */
        public int outputDim(int inputDim) {
            return this == ENERGY ? 1 : inputDim;
        }

        /**
         * The number of columns of the first layer of an MLP kind: inputDim, or inputDim + 1 for a
         * noise-conditional model, whose network reads [x, log σ].
         *
         * @param inputDim the model's input dimension
         * @return the first layer's input width
         */
        public int networkInputs(int inputDim) {
            return this == NOISE_CONDITIONAL ? inputDim + 1 : inputDim;
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
     * One affine coupling of a flow: the binary {@code mask} marks the coordinates x_a that pass through unchanged
     * and condition the transform (1) and the coordinates x_b that are transformed (0); {@code layers} is the
     * conditioner MLP from the |a| kept coordinates to 2|b| outputs (first |b|: the raw log-scales, last |b|: the
     * shifts). Immutable: the mask and the layer list are copied in and out. Equality is bit-wise.
     *
     * @param mask   one entry per coordinate, each 0 or 1
     * @param layers the conditioner's affine layers, first to last, at least one
     */
    public record Coupling(int[] mask, List<Layer> layers) {
        /** Checks the entries are 0/1 and copies; the structure against inputDim is checked by {@link ModelSpec}. */
        public Coupling {
            Objects.requireNonNull(mask, "mask");
            Objects.requireNonNull(layers, "layers");
            mask = mask.clone();
            for (int i = 0; i < mask.length; i++) {
                if (mask[i] != 0 && mask[i] != 1) {
                    throw new IllegalArgumentException("mask[" + i + "]: expected 0 or 1, found " + mask[i]);
                }
            }
            layers = List.copyOf(layers);
        }

        /** @return a copy of the mask (1 = kept/conditioning coordinate, 0 = transformed coordinate). */
        @Override
        public int[] mask() {
            return mask.clone();
        }

        /** @return |a|, the number of kept coordinates (ones in the mask). */
        public int kept() {
            int n = 0;
            for (int m : mask) {
                n += m;
            }
            return n;
        }

        /** @return |b|, the number of transformed coordinates (zeros in the mask). */
        public int transformed() {
            return mask.length - kept();
        }

        /** @return the conditioner's widths from input to output, e.g. {1, 32, 32, 2}. */
        public int[] widths() {
            int[] w = new int[layers.size() + 1];
            w[0] = layers.isEmpty() ? kept() : layers.get(0).inputs();
            for (int l = 0; l < layers.size(); l++) {
                w[l + 1] = layers.get(l).outputs();
            }
            return w;
        }

        /** @return true iff {@code o} is a coupling with the same mask and bit-identical layers. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Coupling c && Arrays.equals(mask, c.mask) && layers.equals(c.layers);
        }

        /** @return a hash of the contents, consistent with {@link #equals(Object)}. */
        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(mask) + layers.hashCode();
        }

        /** @return e.g. {@code Coupling[mask 10, 1-32-2]}. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("Coupling[mask ");
            for (int m : mask) {
                sb.append(m);
            }
            return sb.append(", ").append(Arrays.stream(widths()).mapToObj(Integer::toString)
                    .collect(Collectors.joining("-"))).append(']').toString();
        }
    }

    /**
     * The flow-specific part of a spec: its couplings, applied in list order from data x to latent z, and how
     * each transforms the coordinates its mask marks 0. Affine couplings ({@code spline == null}) bound the
     * log-scales, s = c·tanh(ŝ/c) for the conditioner's raw output ŝ (so |s| &lt; c; c = 1 is a plain tanh);
     * spline couplings ({@link SplineFlow}) use monotone rational-quadratic splines and have no c (NaN).
     *
     * @param couplings  at least one coupling
     * @param scaleBound affine: c, positive and finite; spline: NaN
     * @param spline     the splines' shape, or null for affine couplings
     */
    public record Flow(List<Coupling> couplings, double scaleBound, Spline spline) {
        /** Validates c and copies the list; couplings are checked against inputDim by {@link ModelSpec}. */
        public Flow {
            Objects.requireNonNull(couplings, "couplings");
            couplings = List.copyOf(couplings);
            if (couplings.isEmpty()) {
                throw new IllegalArgumentException("couplings: expected at least one coupling");
            }
            if (spline == null && (!(scaleBound > 0) || !Double.isFinite(scaleBound))) {
                throw new IllegalArgumentException("scaleBound: expected a positive finite number, found " + scaleBound);
            }
            if (spline != null && !Double.isNaN(scaleBound)) {
                throw new IllegalArgumentException("scaleBound: a spline flow has no scale bound");
            }
        }

        /** Affine couplings with log-scale bound c. */
        public Flow(List<Coupling> couplings, double scaleBound) {
            this(couplings, scaleBound, null);
        }

        /** @return outputs of a conditioner per transformed coordinate: 2 (log-scale, shift) or 3M − 1 (spline) */
        public int outputsPerTransformed() {
            return spline == null ? 2 : 3 * spline.bins() - 1;
        }
    }

    /**
     * The shape of a spline coupling's splines: each maps [−B, B] onto itself through M bins, the identity
     * outside. A conditioner's 3M − 1 outputs per transformed coordinate are M unnormalized bin widths, M bin
     * heights and the M − 1 inner knot derivatives before their softplus (see {@link SplineFlow}).
     *
     * @param bins      M, at least 2
     * @param tailBound B, positive and finite
     */
    public record Spline(int bins, double tailBound) {
        /** Validates M and B. */
        public Spline {
            if (bins < 2 || bins > MAX_BINS) {
                throw new IllegalArgumentException("bins: expected an integer in [2, " + MAX_BINS + "], found " + bins);
            }
            if (!(tailBound > 0) || !Double.isFinite(tailBound)) {
                throw new IllegalArgumentException("tailBound: expected a positive finite number, found " + tailBound);
            }
        }
    }

    /** The most spline bins a model file may ask for. */
    public static final int MAX_BINS = 1024;

    /**
     * An energy or score model (the kinds without extra fields).
     *
     * @param kind             {@link Kind#ENERGY} or {@link Kind#SCORE}
     * @param inputDim         dimension of x
     * @param activation       hidden activation
     * @param outputActivation activation after the last layer
     * @param layers           the affine layers
     * @throws IllegalArgumentException for another kind (their extra fields are missing) or a broken structure
     */
    public ModelSpec(Kind kind, int inputDim, Activation activation, Activation outputActivation, List<Layer> layers) {
        this(kind, inputDim, activation, outputActivation, layers, null, null);
    }

    /**
     * A noise-conditional model: s(x, σ) = MLP([x, log σ]) / σ.
     *
     * @param inputDim         dimension of x (the first layer has inputDim + 1 columns)
     * @param activation       hidden activation
     * @param outputActivation activation after the last layer
     * @param layers           the affine layers, last with inputDim outputs
     * @param sigmas           σ_1 &gt; … &gt; σ_L &gt; 0
     * @return the validated spec
     */
    public static ModelSpec noiseConditional(int inputDim, Activation activation, Activation outputActivation,
                                             List<Layer> layers, double[] sigmas) {
        Objects.requireNonNull(sigmas, "sigmas");
        return new ModelSpec(Kind.NOISE_CONDITIONAL, inputDim, activation, outputActivation, layers, sigmas, null);
    }

    /**
     * A flow of affine couplings.
     *
     * @param inputDim   dimension of x, ≥ 2
     * @param activation hidden activation of every conditioner
     * @param scaleBound c in s = c·tanh(ŝ/c)
     * @param couplings  the couplings in x → z order
     * @return the validated spec
     */
    public static ModelSpec flow(int inputDim, Activation activation, double scaleBound, List<Coupling> couplings) {
        return new ModelSpec(Kind.FLOW, inputDim, activation, Activation.IDENTITY, List.of(),
                null, new Flow(couplings, scaleBound));
    }

    /**
     * A flow of rational-quadratic spline couplings (2-D).
     *
     * @param inputDim   dimension of x, 2
     * @param activation hidden activation of every conditioner
     * @param spline     bins and tail bound
     * @param couplings  the couplings in x → z order
     * @return the validated spec
     */
    public static ModelSpec splineFlow(int inputDim, Activation activation, Spline spline, List<Coupling> couplings) {
        Objects.requireNonNull(spline, "spline");
        return new ModelSpec(Kind.FLOW, inputDim, activation, Activation.IDENTITY, List.of(),
                null, new Flow(couplings, Double.NaN, spline));
    }

    /**
     * Validates the structure and copies the layer list and the noise levels.
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
        if (kind == Kind.FLOW) {
            checkFlow(inputDim, outputActivation, layers, sigmas, flow);
        } else {
            if (flow != null) {
                throw new IllegalArgumentException("couplings: only a flow has couplings, this is a " + kind.id()
                        + " model");
            }
            checkMlp(kind, inputDim, layers);
        }
        if (kind == Kind.NOISE_CONDITIONAL) {
            if (sigmas == null) {
                throw new IllegalArgumentException("sigmas: missing (a noise-conditional model needs its noise levels)");
            }
            sigmas = sigmas.clone();
            checkSigmas(sigmas);
        } else if (sigmas != null) {
            throw new IllegalArgumentException("sigmas: only a noise-conditional model has noise levels, this is a "
                    + kind.id() + " model");
        }
    }

    private static void checkMlp(Kind kind, int inputDim, List<Layer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("layers: expected at least one layer");
        }
        String inputs = kind == Kind.NOISE_CONDITIONAL ? "inputDim + 1: x and log σ" : "inputDim";
        int last = checkChain(layers, kind.networkInputs(inputDim), inputs, "layers");
        int required = kind.outputDim(inputDim);
        if (last != required) {
            throw new IllegalArgumentException("layers[" + (layers.size() - 1) + "].weight: the last layer of "
                    + (kind == Kind.ENERGY ? "an energy" : "a " + kind.id()) + " model must have " + required
                    + (kind == Kind.ENERGY ? " output" : " outputs (inputDim)") + ", found " + last + " rows");
        }
    }

    private static void checkFlow(int inputDim, Activation outputActivation, List<Layer> layers, double[] sigmas,
                                  Flow flow) {
        if (flow == null) {
            throw new IllegalArgumentException("couplings: missing (a flow model needs its couplings)");
        }
        if (!layers.isEmpty()) {
            throw new IllegalArgumentException("layers: a flow keeps its layers inside couplings[k].layers, found "
                    + layers.size() + " top-level layers");
        }
        if (outputActivation != Activation.IDENTITY) {
            throw new IllegalArgumentException("outputActivation: a flow's conditioners have linear outputs, found "
                    + outputActivation.jsonName());
        }
        if (inputDim < 2) {
            throw new IllegalArgumentException("inputDim: a flow needs at least 2 dimensions (one kept, one "
                    + "transformed per coupling), found " + inputDim);
        }
        if (flow.spline() != null && inputDim != 2) {
            throw new IllegalArgumentException("inputDim: spline couplings are 2-D, found " + inputDim);
        }
        List<Coupling> couplings = flow.couplings();
        for (int k = 0; k < couplings.size(); k++) {
            Coupling c = couplings.get(k);
            String path = "couplings[" + k + "]";
            if (c.mask.length != inputDim) {
                throw new IllegalArgumentException(path + ".mask: expected " + inputDim + " entries (inputDim), found "
                        + c.mask.length);
            }
            int kept = c.kept();
            if (kept == 0 || kept == inputDim) {
                throw new IllegalArgumentException(path + ".mask: expected at least one 1 (kept) and one 0 "
                        + "(transformed), found " + (kept == 0 ? "only zeros" : "only ones"));
            }
            if (c.layers.isEmpty()) {
                throw new IllegalArgumentException(path + ".layers: expected at least one layer");
            }
            int last = checkChain(c.layers, kept, "the mask's ones", path + ".layers");
            int required = flow.outputsPerTransformed() * (inputDim - kept);
            if (last != required) {
                throw new IllegalArgumentException(path + ".layers[" + (c.layers.size() - 1) + "].weight: the last "
                        + "layer of a conditioner must have " + required + " outputs (" + (flow.spline() == null
                        ? "a log-scale and a shift" : "3 × bins − 1 spline parameters") + " per mask zero), found "
                        + last + " rows");
            }
            if (flow.spline() != null) {
                checkSplineCoupling(k, c, couplings.get(0));
            }
        }
    }

    /** Spline couplings alternate their masks from [1, 0] and share one conditioner shape ({@link SplineFlow}). */
    private static void checkSplineCoupling(int k, Coupling c, Coupling first) {
        int[] expected = k % 2 == 0 ? new int[] {1, 0} : new int[] {0, 1};
        if (!Arrays.equals(c.mask, expected)) {
            throw new IllegalArgumentException("couplings[" + k + "].mask: spline couplings alternate from [1, 0], "
                    + "expected " + Arrays.toString(expected) + ", found " + Arrays.toString(c.mask));
        }
        if (!Arrays.equals(c.widths(), first.widths())) {
            throw new IllegalArgumentException("couplings[" + k + "].layers: spline couplings share one conditioner "
                    + "shape, expected the widths " + Arrays.toString(first.widths()) + " of couplings[0], found "
                    + Arrays.toString(c.widths()));
        }
    }

    /** Checks that each layer's columns match the previous width; returns the last layer's outputs. */
    private static int checkChain(List<Layer> layers, int inputs, String inputsName, String path) {
        int previous = inputs;
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            if (layer.inputs() != previous) {
                throw new IllegalArgumentException(path + "[" + l + "].weight: expected " + previous + " columns ("
                        + (l == 0 ? inputsName : "the previous layer's outputs") + "), found " + layer.inputs());
            }
            previous = layer.outputs();
        }
        return previous;
    }

    private static void checkSigmas(double[] sigmas) {
        if (sigmas.length == 0) {
            throw new IllegalArgumentException("sigmas: expected at least one noise level");
        }
        for (int i = 0; i < sigmas.length; i++) {
            if (!(sigmas[i] > 0) || !Double.isFinite(sigmas[i])) {
                throw new IllegalArgumentException("sigmas[" + i + "]: expected a positive finite number, found "
                        + sigmas[i]);
            }
            if (i > 0 && !(sigmas[i] < sigmas[i - 1])) {
                throw new IllegalArgumentException("sigmas[" + i + "]: expected strictly descending levels, found "
                        + sigmas[i] + " after " + sigmas[i - 1]);
            }
        }
    }

    /** @return the noise levels σ_1 &gt; … &gt; σ_L of a noise-conditional model (copy), else null. */
    @Override
    public double[] sigmas() {
        return sigmas == null ? null : sigmas.clone();
    }

    /** @return the model output width: 1 for an energy, inputDim otherwise. */
    public int outputDim() {
        return kind.outputDim(inputDim);
    }

    /**
     * @return the layer widths of an MLP kind from input to output, e.g. {2, 64, 64, 1}
     * @throws IllegalStateException for a flow, whose widths are per coupling ({@link Coupling#widths()})
     */
    public int[] widths() {
        if (kind == Kind.FLOW) {
            throw new IllegalStateException("a flow has one conditioner per coupling: use flow().couplings()");
        }
        int[] w = new int[layers.size() + 1];
        w[0] = kind.networkInputs(inputDim);
        for (int l = 0; l < layers.size(); l++) {
            w[l + 1] = layers.get(l).outputs();
        }
        return w;
    }

    /** @return the number of trainable numbers, Σ_l (out_l · in_l + out_l) over all layers (of all couplings). */
    public int parameterCount() {
        if (kind == Kind.FLOW) {
            int n = 0;
            for (Coupling c : flow.couplings()) {
                n += count(c.layers);
            }
            return n;
        }
        return count(layers);
    }

    private static int count(List<Layer> layers) {
        int n = 0;
        for (Layer l : layers) {
            n += l.outputs() * l.inputs() + l.outputs();
        }
        return n;
    }

    /** @return true iff {@code o} is a spec of the same kind and structure with bit-identical numbers. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec m && kind == m.kind && inputDim == m.inputDim && activation == m.activation
                && outputActivation == m.outputActivation && layers.equals(m.layers)
                && Arrays.equals(sigmas, m.sigmas) && Objects.equals(flow, m.flow);
    }

    /** @return a hash of the contents, consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        return Objects.hash(kind, inputDim, activation, outputActivation, layers, flow) * 31 + Arrays.hashCode(sigmas);
    }

    /** @return e.g. {@code ModelSpec[score, 2-64-64-2, softplus, out identity]}. */
    @Override
    public String toString() {
        if (kind == Kind.FLOW) {
            return "ModelSpec[flow, " + inputDim + "-d, " + flow.couplings() + ", " + activation.jsonName()
                    + (flow.spline() == null ? ", scaleBound " + flow.scaleBound() : ", " + flow.spline()) + "]";
        }
        return "ModelSpec[" + kind.id() + ", " + Arrays.stream(widths()).mapToObj(Integer::toString)
                .collect(Collectors.joining("-")) + ", " + activation.jsonName() + ", out " + outputActivation.jsonName()
                + (sigmas == null ? "" : ", " + sigmas.length + " noise levels " + sigmas[0] + " … "
                + sigmas[sigmas.length - 1]) + "]";
    }
}
