package org.scorescope.analysis;

import java.util.ArrayList;
import java.util.List;
import org.scorescope.model.ModelSpec;
import org.scorescope.model.ScoreModel;

/**
 * The parameters θ of a model grouped by layer, as the model file names them: {@code layers[l].weight} (out × in)
 * and {@code layers[l].bias} (out), for flows {@code couplings[c].layers[l].weight} and so on. Found without
 * knowing the model's internal layout: θ is set to its own indices (θ_q = q, exact in float64) and read back
 * through {@link ScoreModel#toSpec}, so each weight and bias entry names the θ index that fills it. Immutable.
 */
public final class ParameterGroups {
    /**
     * One group.
     *
     * @param name    model-file path of the tensor, e.g. {@code layers[1].weight}
     * @param bias    whether it is a bias vector (else a weight matrix)
     * @param rows    rows (outputs) of the tensor
     * @param cols    columns (inputs), 1 for a bias
     * @param indices θ index of each entry, row-major
     */
    public record Group(String name, boolean bias, int rows, int cols, int[] indices) {
        /** @return the number of entries */
        public int size() {
            return indices.length;
        }

        /** @return a short label: "W1 64×2" or "b1 64" (layers counted from 1) */
        public String label() {
            return name;
        }

        /**
         * @param v a θ-vector (P)
         * @return v's entries of this group, row-major
         */
        public double[] pick(double[] v) {
            double[] out = new double[indices.length];
            for (int i = 0; i < indices.length; i++) {
                out[i] = v[indices[i]];
            }
            return out;
        }

        /**
         * @param v a θ-vector (P)
         * @return Σ v_q² over the group
         */
        public double squaredNorm(double[] v) {
            double s = 0;
            for (int q : indices) {
                s += v[q] * v[q];
            }
            return s;
        }
    }

    private final List<Group> groups;

    private ParameterGroups(List<Group> groups) {
        this.groups = List.copyOf(groups);
    }

    /**
     * Groups a model's parameters; when the file layout does not cover θ exactly once, one group "θ" holds all.
     *
     * @param model the architecture
     * @return the groups in model-file order
     */
    public static ParameterGroups of(ScoreModel model) {
        int p = model.parameterCount();
        double[] marker = new double[p];
        for (int q = 0; q < p; q++) {
            marker[q] = q;
        }
        List<Group> out = new ArrayList<>();
        try {
            ModelSpec spec = model.toSpec(marker);
            if (spec.flow() != null) {
                List<ModelSpec.Coupling> cs = spec.flow().couplings();
                for (int c = 0; c < cs.size(); c++) {
                    addLayers(out, "couplings[" + c + "].", cs.get(c).layers());
                }
            } else {
                addLayers(out, "", spec.layers());
            }
        } catch (RuntimeException e) {
            out.clear();
        }
        boolean[] seen = new boolean[p];
        int count = 0;
        boolean ok = !out.isEmpty();
        for (Group g : out) {
            for (int q : g.indices()) {
                if (q < 0 || q >= p || seen[q]) {
                    ok = false;
                    break;
                }
                seen[q] = true;
                count++;
            }
        }
        if (!ok || count != p) {
            int[] all = new int[p];
            for (int q = 0; q < p; q++) {
                all[q] = q;
            }
            return new ParameterGroups(List.of(new Group("θ", false, 1, p, all)));
        }
        return new ParameterGroups(out);
    }

    private static void addLayers(List<Group> out, String prefix, List<ModelSpec.Layer> layers) {
        for (int l = 0; l < layers.size(); l++) {
            ModelSpec.Layer layer = layers.get(l);
            int rows = layer.outputs();
            int cols = layer.inputs();
            int[] w = new int[rows * cols];
            for (int o = 0; o < rows; o++) {
                for (int i = 0; i < cols; i++) {
                    w[o * cols + i] = index(layer.weight(o, i));
                }
            }
            int[] b = new int[rows];
            for (int o = 0; o < rows; o++) {
                b[o] = index(layer.bias(o));
            }
            out.add(new Group(prefix + "layers[" + l + "].weight", false, rows, cols, w));
            out.add(new Group(prefix + "layers[" + l + "].bias", true, rows, 1, b));
        }
    }

    private static int index(double v) {
        int q = (int) Math.round(v);
        return q == v ? q : -1;
    }

    /** @return the groups in model-file order */
    public List<Group> groups() {
        return groups;
    }

    /**
     * The share of a vector's squared norm in each group.
     *
     * @param v a θ-vector (P)
     * @return Σ_{q∈g} v_q² / ‖v‖² per group (zeros for v = 0)
     */
    public double[] shares(double[] v) {
        double[] s = new double[groups.size()];
        double total = 0;
        for (int k = 0; k < s.length; k++) {
            s[k] = groups.get(k).squaredNorm(v);
            total += s[k];
        }
        if (total > 0) {
            for (int k = 0; k < s.length; k++) {
                s[k] /= total;
            }
        }
        return s;
    }
}
