package org.scorescope.train;

/**
 * A run's metric history (step, loss, Fisher divergence, gradient norm, held-out NLL) in bounded memory. Every step
 * is offered; a row is kept when at least {@code stride} steps have passed since the last kept row, with stride = 1
 * at first. When the kept rows reach {@link #capacity} they are halved (every second row stays, the later of each
 * pair, so the newest row survives) and the stride doubles. After c halvings the rows are about 2^c steps apart and
 * there are never more than {@code capacity} of them (plus one pending row), so memory is flat however long the run.
 *
 * <p>The Fisher divergence and the NLL are evaluated only every few steps. So that decimation does not thin them
 * more than the loss, a kept row carries the newest Fisher divergence and NLL evaluated since the row before it
 * (NaN when none was): after decimation they may sit up to stride − 1 steps after their evaluation. The complete
 * per-step record is the CLI's metrics.csv, written as the run goes.
 *
 * <p>Writer thread only; the {@link Series.View}s it hands out stay valid and unchanged.
 */
public final class BoundedHistory {
    /** Rows kept before the history is halved: 10,000 rows × 5 series × 8 bytes ≈ 0.4 MB. */
    public static final int DEFAULT_CAPACITY = 10_000;

    private final int capacity;
    private Series steps = new Series();
    private Series losses = new Series();
    private Series fishers = new Series();
    private Series gradNorms = new Series();
    private Series nlls = new Series();
    private long stride = 1;
    /** The newest step not kept as a row (NaN step when none), and the sparse values not yet kept. */
    private double pendingStep = Double.NaN;
    private double pendingLoss;
    private double pendingGradNorm;
    private double pendingFisher = Double.NaN;
    private double pendingNll = Double.NaN;

    /** A history of {@link #DEFAULT_CAPACITY} rows. */
    public BoundedHistory() {
        this(DEFAULT_CAPACITY);
    }

    /** @param capacity rows kept before halving, ≥ 4 */
    public BoundedHistory(int capacity) {
        if (capacity < 4) {
            throw new IllegalArgumentException("history capacity must be >= 4, got " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Offers one step's metrics.
     *
     * @param step     the step number, larger than every step offered before
     * @param loss     its loss
     * @param fisher   the Fisher divergence evaluated at this step, NaN if none
     * @param gradNorm its gradient norm
     * @param nll      the held-out NLL evaluated at this step, NaN if none
     */
    public void add(double step, double loss, double fisher, double gradNorm, double nll) {
        if (!Double.isNaN(fisher)) {
            pendingFisher = fisher;
        }
        if (!Double.isNaN(nll)) {
            pendingNll = nll;
        }
        pendingStep = step;
        pendingLoss = loss;
        pendingGradNorm = gradNorm;
        double lastKept = steps.view().last();
        if (Double.isNaN(lastKept) || step - lastKept >= stride) {
            commit();
        }
    }

    private void commit() {
        steps.add(pendingStep);
        losses.add(pendingLoss);
        fishers.add(pendingFisher);
        gradNorms.add(pendingGradNorm);
        nlls.add(pendingNll);
        pendingStep = Double.NaN;
        pendingFisher = Double.NaN;
        pendingNll = Double.NaN;
        if (steps.length() >= capacity) {
            halve();
        }
    }

    /** Keeps rows 1, 3, 5, …; a dropped row's Fisher divergence and NLL move to the kept row after it if it has none. */
    private void halve() {
        Series.View s = steps.view();
        Series.View l = losses.view();
        Series.View f = fishers.view();
        Series.View g = gradNorms.view();
        Series.View q = nlls.view();
        int n = s.length();
        Series ns = new Series();
        Series nl = new Series();
        Series nf = new Series();
        Series ng = new Series();
        Series nq = new Series();
        for (int i = n % 2 == 0 ? 1 : 0; i < n; i += 2) {
            int before = i - 1;
            ns.add(s.get(i));
            nl.add(l.get(i));
            ng.add(g.get(i));
            nf.add(!Double.isNaN(f.get(i)) || before < 0 ? f.get(i) : f.get(before));
            nq.add(!Double.isNaN(q.get(i)) || before < 0 ? q.get(i) : q.get(before));
        }
        steps = ns;
        losses = nl;
        fishers = nf;
        gradNorms = ng;
        nlls = nq;
        stride *= 2;
    }

    /**
     * Forgets the steps after {@code step} (a divergence rolled back to it).
     *
     * @param step the last step kept
     */
    public void truncateAfter(double step) {
        int keep = 0;
        Series.View s = steps.view();
        while (keep < s.length() && s.get(keep) <= step) {
            keep++;
        }
        for (Series x : new Series[] {steps, losses, fishers, gradNorms, nlls}) {
            x.truncate(keep);
        }
        if (pendingStep > step) {
            pendingStep = Double.NaN;
            pendingFisher = Double.NaN;
            pendingNll = Double.NaN;
        }
    }

    /** @return rows kept (the pending row not counted) */
    public int length() {
        return steps.length();
    }

    /** @return the number of steps between two kept rows now (1 until the first halving) */
    public long stride() {
        return stride;
    }

    /** @return the rows' maximum before halving */
    public int capacity() {
        return capacity;
    }

    /** @return the kept step numbers */
    public Series.View steps() {
        return steps.view();
    }

    /** @return the kept losses */
    public Series.View losses() {
        return losses.view();
    }

    /** @return the kept Fisher divergences (NaN where none) */
    public Series.View fishers() {
        return fishers.view();
    }

    /** @return the kept gradient norms */
    public Series.View gradNorms() {
        return gradNorms.view();
    }

    /** @return the kept held-out NLLs (NaN where none) */
    public Series.View nlls() {
        return nlls.view();
    }

    /** @return the loss of the newest step offered, kept or pending; NaN when none */
    public double lastLoss() {
        return Double.isNaN(pendingStep) ? losses.view().last() : pendingLoss;
    }

    /** @return the gradient norm of the newest step offered; NaN when none */
    public double lastGradNorm() {
        return Double.isNaN(pendingStep) ? gradNorms.view().last() : pendingGradNorm;
    }

    /**
     * @param initialFisher the Fisher divergence before the first step
     * @return the kept rows and, last, the pending one: a history that ends at the newest step offered
     */
    public Trainer.History toHistory(double initialFisher) {
        int n = steps.length();
        int m = Double.isNaN(pendingStep) ? n : n + 1;
        double[][] out = new double[5][m];
        Series.View[] views = {steps.view(), losses.view(), fishers.view(), gradNorms.view(), nlls.view()};
        for (int k = 0; k < 5; k++) {
            System.arraycopy(views[k].toArray(), 0, out[k], 0, n);
        }
        if (m > n) {
            out[0][n] = pendingStep;
            out[1][n] = pendingLoss;
            out[2][n] = pendingFisher;
            out[3][n] = pendingGradNorm;
            out[4][n] = pendingNll;
        }
        return new Trainer.History(initialFisher, out[0], out[1], out[2], out[3], out[4]);
    }

    /**
     * Replaces the contents with a saved history (halved as often as needed to fit).
     *
     * @param h the history
     */
    public void load(Trainer.History h) {
        steps = new Series();
        losses = new Series();
        fishers = new Series();
        gradNorms = new Series();
        nlls = new Series();
        stride = 1;
        pendingStep = Double.NaN;
        pendingFisher = Double.NaN;
        pendingNll = Double.NaN;
        for (int i = 0; i < h.steps().length; i++) {
            steps.add(h.steps()[i]);
            losses.add(h.losses()[i]);
            fishers.add(h.fishers()[i]);
            gradNorms.add(h.gradNorms()[i]);
            nlls.add(h.nlls()[i]);
            if (steps.length() >= capacity) {
                halve();
            }
        }
    }
}
