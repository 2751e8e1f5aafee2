package org.scorescope.objective;

import java.util.List;
import org.scorescope.autodiff.Blas;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Tensor;
import org.scorescope.model.ScoreModel;

/**
 * A batch's loss and θ-gradient computed over tiles of rows, one after another or on the compute threads. The
 * loss is a mean of per-sample terms (see {@link Objective#lossWith}), so with tiles t of n_t rows
 * <pre>
 *   L = Σ_t (n_t/B)·L_t,   ∇_θ L = Σ_t (n_t/B)·∇_θ L_t.
 * </pre>
 * Why tiles: a step's intermediate tensors scale with the rows it processes, and for the jet objectives at
 * larger D (D + 2 streams per sample) a whole batch's tensors are many times L2; a tile's are not. Why whole
 * tiles per thread: the products of one small tile are too short to split across threads without spinning
 * between them, while whole tiles run independently. Each tile costs a graph's fixed overhead, so at D = 2 a
 * tile is as large as still gives two tiles per batch of 512.
 *
 * <p>The tiling depends only on B and D, the draws are made for the whole batch before it is cut, every tile runs
 * on one thread with the same loops, and the tiles' terms are summed in tile order after all have finished: the
 * result is bit-identical for any number of compute threads.
 */
public final class BatchTiles {
    /**
     * Jet rows ((D + 2)·tile) one tile may hold: 1024 keeps the packed tensors of a width-64 layer at ≤ 0.5 MB
     * each, so at D = 32, 64 a tile's tensors stay in L2 (whole-batch ones are 9–17 MB), and at D = 2 a batch of
     * 512 splits into two tiles, one per core at two compute threads.
     */
    static final int JET_ROWS = 1024;
    /** Smallest tile: each tile costs a graph's fixed overhead (≈ 50–80 µs at width 64); smaller ones were not measured. */
    static final int MIN_TILE = 16;

    private BatchTiles() {
    }

    /**
     * Rows per tile for a batch: the largest power of two with (D + 2)·rows ≤ {@value #JET_ROWS}, at least
     * {@value #MIN_TILE}; the whole batch when it is not larger.
     *
     * @param batch B
     * @param dim D
     * @return rows per tile, ≥ 1
     */
    public static int rows(int batch, int dim) {
        int t = Integer.highestOneBit(Math.max(1, JET_ROWS / (dim + 2)));
        t = Math.max(t, MIN_TILE);
        return Math.min(Math.max(batch, 1), t);
    }

    /**
     * The loss and θ-gradient of an objective over tiles of {@code tileRows} rows.
     *
     * @param objective the loss
     * @param model the architecture
     * @param theta θ (P), not modified
     * @param x data (B, D), a plain tensor
     * @param draws the objective's draws for the whole batch
     * @param tileRows rows per tile (the last tile may have fewer)
     * @return Σ_t (n_t/B)·L_t and Σ_t (n_t/B)·∇L_t
     */
    public static Objective.LossAndGradient lossAndGradient(Objective objective, ScoreModel model, double[] theta,
            Tensor x, BatchDraws draws, int tileRows) {
        int b = x.dim(0);
        if (tileRows < 1) {
            throw new IllegalArgumentException("BatchTiles: tile rows must be ≥ 1, got " + tileRows);
        }
        if (b <= tileRows) {
            return tile(objective, model, theta, x, draws);
        }
        int tiles = (b + tileRows - 1) / tileRows;
        int d = x.dim(1);
        double[] all = x.toArray();
        Objective.LossAndGradient[] parts = new Objective.LossAndGradient[tiles];
        Blas.parallelFor(tiles, t -> {
            int from = t * tileRows;
            int to = Math.min(b, from + tileRows);
            double[] rows = new double[(to - from) * d];
            System.arraycopy(all, from * d, rows, 0, rows.length);
            parts[t] = tile(objective, model, theta, Tensor.of(new int[] {to - from, d}, rows), draws.rows(from, to));
        });
        double loss = 0;
        double[] g = new double[theta.length];
        for (int t = 0; t < tiles; t++) {
            double w = (double) (Math.min(b, (t + 1) * tileRows) - t * tileRows) / b;
            loss += w * parts[t].loss();
            double[] gt = parts[t].gradient();
            for (int i = 0; i < g.length; i++) {
                g[i] += w * gt[i];
            }
        }
        return new Objective.LossAndGradient(loss, g);
    }

    private static Objective.LossAndGradient tile(Objective objective, ScoreModel model, double[] theta, Tensor x,
            BatchDraws draws) {
        Tensor th = model.parameters(theta, true);
        Tensor loss = objective.lossWith(model, th, x, draws);
        List<Tensor> g = Grad.grad(List.of(loss), List.of(th), null, false);
        return new Objective.LossAndGradient(loss.item(), g.get(0).toArray());
    }
}
