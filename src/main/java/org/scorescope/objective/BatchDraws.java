package org.scorescope.objective;

import java.util.Arrays;
import org.scorescope.autodiff.Tensor;

/**
 * The random values an objective draws for one batch of B samples (noise, projections, noise levels, times),
 * drawn once for the whole batch so that any split of the batch into row ranges sees the same values as the
 * whole. Each part is a constant tensor with one axis of length B, the batch axis; {@link #rows} takes every
 * part's [from, to) along its batch axis. Immutable.
 */
public final class BatchDraws {
    private final int batch;
    private final Tensor[] parts;
    private final int[] axes;

    private BatchDraws(int batch, Tensor[] parts, int[] axes) {
        this.batch = batch;
        this.parts = parts;
        this.axes = axes;
    }

    /**
     * Draws of a deterministic objective: none.
     *
     * @param batch B
     * @return draws with no parts
     */
    public static BatchDraws none(int batch) {
        return new BatchDraws(batch, new Tensor[0], new int[0]);
    }

    /**
     * Parts whose batch axis is their first.
     *
     * @param batch B
     * @param parts tensors of shape (B, …)
     * @return the draws
     * @throws IllegalArgumentException if a part's first axis is not B
     */
    public static BatchDraws of(int batch, Tensor... parts) {
        int[] axes = new int[parts.length];
        return along(batch, parts, axes);
    }

    /**
     * Parts with the batch axis at a given position, e.g. projections (n, B, D) along axis 1.
     *
     * @param batch B
     * @param parts the tensors
     * @param axes each part's batch axis
     * @return the draws
     * @throws IllegalArgumentException if a part's batch axis does not have length B
     */
    public static BatchDraws along(int batch, Tensor[] parts, int[] axes) {
        if (parts.length != axes.length) {
            throw new IllegalArgumentException("BatchDraws: " + parts.length + " parts, " + axes.length + " axes");
        }
        for (int i = 0; i < parts.length; i++) {
            if (axes[i] < 0 || axes[i] >= parts[i].rank() || parts[i].dim(axes[i]) != batch) {
                throw new IllegalArgumentException("BatchDraws: part " + i + " of shape "
                        + Arrays.toString(parts[i].shape()) + " has no batch axis " + axes[i] + " of length " + batch);
            }
        }
        return new BatchDraws(batch, parts.clone(), axes.clone());
    }

    /** @return B */
    public int batch() {
        return batch;
    }

    /**
     * One part.
     *
     * @param i index, in the order the parts were given
     * @return the tensor (for the whole batch, or the rows this instance was cut to)
     */
    public Tensor part(int i) {
        return parts[i];
    }

    /**
     * The draws of samples [from, to): every part cut along its batch axis.
     *
     * @param from first sample
     * @param to end sample (exclusive), from &lt; to ≤ B
     * @return draws for to − from samples
     */
    public BatchDraws rows(int from, int to) {
        if (from < 0 || to > batch || from >= to) {
            throw new IllegalArgumentException("BatchDraws.rows: [" + from + ", " + to + ") of " + batch);
        }
        if (from == 0 && to == batch) {
            return this;
        }
        Tensor[] cut = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) {
            cut[i] = cut(parts[i], axes[i], from, to);
        }
        return new BatchDraws(to - from, cut, axes);
    }

    /** Rows [from, to) of axis {@code axis}: for each index of the axes before it, one contiguous block. */
    static Tensor cut(Tensor t, int axis, int from, int to) {
        int[] shape = t.shape();
        int outer = 1;
        for (int a = 0; a < axis; a++) {
            outer *= shape[a];
        }
        int inner = 1;
        for (int a = axis + 1; a < shape.length; a++) {
            inner *= shape[a];
        }
        double[] src = t.toArray();
        int n = shape[axis];
        int len = (to - from) * inner;
        double[] dst = new double[outer * len];
        for (int o = 0; o < outer; o++) {
            System.arraycopy(src, (o * n + from) * inner, dst, o * len, len);
        }
        shape[axis] = to - from;
        return Tensor.of(shape, dst);
    }
}
