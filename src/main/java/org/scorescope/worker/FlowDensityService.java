package org.scorescope.worker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.scorescope.analysis.Grid2D;
import org.scorescope.analysis.ModelFields;
import org.scorescope.analysis.ProbabilityFlow;
import org.scorescope.analysis.TimeScore;
import org.scorescope.field.FieldRequest;
import org.scorescope.field.FlowDensity;
import org.scorescope.model.DiffusionMlp;
import org.scorescope.model.ModelState;
import org.scorescope.model.Sde;
import org.scorescope.threads.BackgroundPriority;
import org.scorescope.threads.Mailbox;

/**
 * A diffusion model's own density for the view: log p_t on a grid by the probability-flow ODE with the exact 2 × 2
 * divergence ({@link ProbabilityFlow#logDensity}), on its own background thread so that neither the FX thread nor
 * the training worker waits for it. Progressive: each request is solved first on a coarse grid of
 * {@value #COARSE} nodes along the longer side, published, then on a finer one (up to {@value #FINE}, never above
 * the view's resolution) unless a newer request is already waiting. Results are cached per model snapshot
 * (version, rectangle, time, level), so going back to a noise level of the same snapshot costs nothing. While
 * training, a newer snapshot waits 4 times the last solve's duration, so that the densities take at most a fifth of
 * a core from the training; a new view or noise level of the same snapshot is solved at once.
 *
 * <p>Requests arrive from any thread through a latest-value {@link Mailbox}; the newest result is read with
 * {@link #latest()}; {@code onResult} runs on this service's thread after each publication (the worker wakes
 * up and redraws). Requests hold immutable model snapshots, never live training arrays.
 */
public final class FlowDensityService implements AutoCloseable {
    /** Nodes along the longer side of the first, coarse pass. */
    static final int COARSE = 16;
    /** Most nodes along the longer side of the refined pass. */
    static final int FINE = 40;
    /** ODE tolerances: a view needs a few digits of log p, not the likelihood's 1e-5. */
    private static final double TOLERANCE = 1e-4;
    /** Points per ODE solve: each chunk chooses its own steps, and a newer request is checked between chunks. */
    private static final int CHUNK = 128;
    private static final int CACHE = 16;
    /** After a solve, a newer snapshot waits this many times the solve's duration (a changed view does not). */
    private static final long REST_FACTOR = 4;

    /**
     * What to compute.
     *
     * @param state      the model snapshot (a diffusion model)
     * @param version    its version (the worker's counter): results are cached per version
     * @param step       its training step
     * @param area       the rectangle
     * @param time       t in (0, 1]
     * @param resolution the view's grid resolution (the refined pass uses no more)
     */
    public record Request(ModelState state, long version, long step, FieldRequest.Area area, double time,
                          int resolution) {
        boolean sameAs(Request o) {
            return o != null && version == o.version && area.equals(o.area) && time == o.time
                    && resolution == o.resolution;
        }
    }

    private record Key(long version, FieldRequest.Area area, double time, int level) {
    }

    private final Mailbox<Request> pending = new Mailbox<>();
    private final Runnable onResult;
    private final Thread thread;
    private volatile FlowDensity latest;
    private volatile boolean closed;
    private volatile long solves;
    private Request lastPosted;

    // ---- service-thread state
    private final Map<Key, FlowDensity> cache = new LinkedHashMap<>(CACHE, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, FlowDensity> e) {
            return size() > CACHE;
        }
    };

    /** @param onResult runs on the service thread after each new result */
    public FlowDensityService(Runnable onResult) {
        this.onResult = onResult;
        thread = BackgroundPriority.daemon("scorescope-flow-density", this::run);
        thread.start();
    }

    /**
     * Asks for the density of a snapshot; a request equal to the previous one is ignored. Not thread-safe with
     * itself: one thread (the worker) posts.
     *
     * @param r the request
     */
    public void post(Request r) {
        if (!(r.state().model() instanceof DiffusionMlp)) {
            throw new IllegalArgumentException("the probability-flow density needs a diffusion model");
        }
        if (r.sameAs(lastPosted)) {
            return;
        }
        lastPosted = r;
        pending.post(r);
        LockSupport.unpark(thread);
    }

    /** @return the newest result, or null */
    public FlowDensity latest() {
        return latest;
    }

    /** @return how many grids were solved (cache hits excluded) */
    public long solves() {
        return solves;
    }

    /** @return the thread computing the densities (for tests) */
    Thread thread() {
        return thread;
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }

    private void run() {
        long solvedVersion = Long.MIN_VALUE;
        long restUntil = 0;
        while (!closed) {
            Request r = pending.peek();
            if (r == null) {
                LockSupport.park(this);
                continue;
            }
            long now = System.nanoTime();
            if (r.version() != solvedVersion && now < restUntil) {
                // A newer model while training: rest so that the densities take at most a fifth of a core.
                LockSupport.parkNanos(this, restUntil - now);
                continue;
            }
            pending.take();
            solvedVersion = r.version();
            try {
                solve(r);
                restUntil = now + REST_FACTOR * (System.nanoTime() - now);
            } catch (RuntimeException e) {
                // A model that cannot be integrated keeps the score's integral in the view; the view says so.
                latest = null;
            }
        }
    }

    private void solve(Request r) {
        int fine = Math.max(COARSE, Math.min(FINE, r.resolution()));
        int[] levels = fine > COARSE ? new int[] {COARSE, fine} : new int[] {COARSE};
        for (int i = 0; i < levels.length; i++) {
            boolean last = i == levels.length - 1;
            if (i > 0 && !pending.isEmpty()) {
                return;
            }
            Key key = new Key(r.version(), r.area(), r.time(), levels[i]);
            FlowDensity d = cache.get(key);
            if (d == null) {
                d = compute(r, levels[i], last);
                if (d == null) {
                    return;
                }
                cache.put(key, d);
            } else if (!last && cache.containsKey(new Key(r.version(), r.area(), r.time(), levels[levels.length - 1]))) {
                continue;
            }
            latest = d;
            onResult.run();
        }
    }

    /** @return the density on a grid of {@code level} nodes along the longer side, or null if interrupted */
    private FlowDensity compute(Request r, int level, boolean refined) {
        long t0 = System.nanoTime();
        FieldRequest.Area a = r.area();
        double w = a.xmax() - a.xmin();
        double h = a.ymax() - a.ymin();
        int nx = w >= h ? level : Math.max(4, (int) Math.round(level * w / h));
        int ny = h >= w ? level : Math.max(4, (int) Math.round(level * h / w));
        Grid2D grid = new Grid2D(a.xmin(), a.xmax(), a.ymin(), a.ymax(), nx, ny);
        DiffusionMlp dm = (DiffusionMlp) r.state().model();
        Sde sde = dm.sde();
        TimeScore.WithDivergence field = ModelFields.diffusionWithDivergence(r.state(), dm);
        double[] pts = grid.points();
        int n = grid.size();
        double[] logp = new double[n];
        long evals = 0;
        // The ODE runs from t to 1; at t = 1 there is nothing to integrate and p_1 is the prior.
        double start = Math.min(r.time(), 1 - 1e-6);
        for (int s = 0; s < n; s += CHUNK) {
            if (s > 0 && refined && !pending.isEmpty() || closed) {
                return null;
            }
            int m = Math.min(CHUNK, n - s);
            double[] chunk = new double[2 * m];
            System.arraycopy(pts, 2 * s, chunk, 0, 2 * m);
            ProbabilityFlow.Result res = ProbabilityFlow.logDensity(field, sde, chunk, m, start, TOLERANCE, TOLERANCE,
                    m);
            System.arraycopy(res.values(), 0, logp, s, m);
            evals += res.evaluations();
        }
        solves++;
        return new FlowDensity(r.version(), r.step(), r.time(), grid, logp, refined, evals,
                (System.nanoTime() - t0) / 1e6);
    }
}
