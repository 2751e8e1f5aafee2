package org.scorescope.render;

import java.awt.image.BufferedImage;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.scorescope.field.FieldFrame;
import org.scorescope.field.ViewBox;
import org.scorescope.threads.BackgroundPriority;
import org.scorescope.threads.Mailbox;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.SamplerRun;
import org.scorescope.worker.SpectraResult;

/**
 * Rasterizes the field view off the FX thread. The FX thread {@link #submit submits} the newest
 * {@link Job} (only the newest matters); one daemon thread draws it with the Java2D {@link FieldRenderer}
 * into an int ARGB-premultiplied pixel buffer and publishes it as an immutable {@link Raster}, which the FX
 * thread {@link #poll polls}, copies into its image and {@link #release releases} for reuse.
 *
 * <p>The base layers (everything but the Langevin samples) are cached: a job whose base inputs equal the
 * previous job's (same fields, data, view, size, layers, glyphs, sample count) costs a copy of the cached
 * base pixels plus a few hundred discs; only a changed input repaints the base. Buffers cycle through a
 * small pool, so steady rendering allocates nothing per frame.
 */
public final class FieldRasterizer implements AutoCloseable {
    /**
     * What to draw.
     *
     * @param frame  the frame (data, samples, truth flag), or null for axes only
     * @param field  the fields to draw (usually {@code frame.field()}, possibly an older one), or null
     * @param view   the visible square
     * @param width  logical width, pixels (≥ 1)
     * @param height logical height, pixels (≥ 1)
     * @param scale  device pixels per logical pixel (≥ 1 on HiDPI screens); the raster is
     *               ⌈width·scale⌉ × ⌈height·scale⌉
     * @param layers what to draw
     * @param glyphs local-Hessian glyphs, or null
     * @param sampler an animated sampler run's newest frame (particles and trajectories), or null
     */
    public record Job(FrameData frame, FieldFrame field, ViewBox view, int width, int height, double scale,
                      ViewLayers layers, SpectraResult.Glyphs glyphs, SamplerRun.Frame sampler) {
        /** A job without a sampler run. */
        public Job(FrameData frame, FieldFrame field, ViewBox view, int width, int height, double scale,
                   ViewLayers layers, SpectraResult.Glyphs glyphs) {
            this(frame, field, view, width, height, scale, layers, glyphs, null);
        }

        /** Validates the size, the scale and the required parts. */
        public Job {
            if (width < 1 || height < 1 || width > 16384 || height > 16384) {
                throw new IllegalArgumentException("raster size must be in [1, 16384] per side, got " + width + " × " + height);
            }
            if (!(scale >= 0.25 && scale <= 8)) {
                throw new IllegalArgumentException("render scale must be in [0.25, 8], got " + scale);
            }
            Objects.requireNonNull(view, "view");
            Objects.requireNonNull(layers, "layers");
        }

        /** @return raster width in device pixels, ⌈width·scale⌉ */
        public int pixelWidth() {
            return (int) Math.ceil(width * scale - 1e-9);
        }

        /** @return raster height in device pixels, ⌈height·scale⌉ */
        public int pixelHeight() {
            return (int) Math.ceil(height * scale - 1e-9);
        }

        /** @return true if the base layers of {@code o} are the same picture as this job's */
        public boolean sameBase(Job o) {
            return o != null && field == o.field && width == o.width && height == o.height && scale == o.scale
                    && view.equals(o.view) && layers.equals(o.layers) && glyphs == o.glyphs
                    && sameData(frame, o.frame);
        }

        private static boolean sameData(FrameData a, FrameData b) {
            if (a == null || b == null) {
                return a == b;
            }
            return a.points() == b.points() && a.dataVersion() == b.dataVersion() && a.hasTruth() == b.hasTruth()
                    && a.samples().length == b.samples().length;
        }
    }

    /**
     * One finished picture. Its pixels belong to the reader until {@link #release} is called; the
     * rasterizer never writes them before.
     *
     * @param job        what was drawn
     * @param pixels     ⌈w·s⌉ × ⌈h·s⌉ int ARGB, premultiplied, row-major, opaque
     * @param baseMillis time spent repainting the base layers for this raster (0 when they were reused)
     * @param millis     total time spent on this raster
     */
    public record Raster(Job job, int[] pixels, double baseMillis, double millis) {
        /** @return width in device pixels */
        public int pixelWidth() {
            return job.pixelWidth();
        }

        /** @return height in device pixels */
        public int pixelHeight() {
            return job.pixelHeight();
        }
    }

    private static final int POOL = 3;

    private final Mailbox<Job> pending = new Mailbox<>();
    private final Mailbox<Raster> ready = new Mailbox<>();
    private final ConcurrentLinkedQueue<int[]> free = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile long rendered;
    private volatile long baseRendered;
    private volatile boolean inFlight;
    private volatile double baseMillisTotal;
    private volatile double sampleMillisTotal;

    // ---- renderer-thread state
    private final FieldRenderer renderer = new FieldRenderer();
    private Job baseJob;
    private int[] basePixels;
    private BufferedImage baseImage;

    /** Starts the renderer thread (a daemon). */
    public FieldRasterizer() {
        // Pictures are taken when they are ready; the FX and Prism threads must never wait for a core behind it.
        thread = BackgroundPriority.daemon("scorescope-render", this::run);
        thread.start();
    }

    /** @param job the picture wanted now; replaces any job not yet started */
    public void submit(Job job) {
        pending.post(Objects.requireNonNull(job, "job"));
        LockSupport.unpark(thread);
    }

    /** @return the newest finished raster not yet polled, or null */
    public Raster poll() {
        return ready.take();
    }

    /** @param r a polled raster whose pixels the caller no longer reads (they will be overwritten) */
    public void release(Raster r) {
        if (r != null && free.size() < POOL) {
            free.add(r.pixels());
        }
    }

    /** @return whether a job is waiting or being drawn */
    public boolean busy() {
        return !pending.isEmpty() || inFlight;
    }

    /** @return how many rasters were published */
    public long renderedCount() {
        return rendered;
    }

    /** @return how many times the base layers were repainted */
    public long baseRenderCount() {
        return baseRendered;
    }

    /** @return a one-line summary: rasters, base repaints and their mean cost, mean cost of a samples-only raster */
    public String summary() {
        long n = rendered;
        long b = baseRendered;
        return String.format(java.util.Locale.ROOT,
                "rasters=%d, base repaints=%d (mean %.1f ms), samples-only rasters mean %.1f ms",
                n, b, b == 0 ? 0 : baseMillisTotal / b, n - b <= 0 ? 0 : sampleMillisTotal / (n - b));
    }

    /** Stops the thread after its current raster; does not wait. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }

    /**
     * Draws one job on the calling thread (what the renderer thread does; also usable directly, e.g.
     * in tests): repaints the base layers if their inputs changed, then copies them and adds the samples.
     *
     * @param job what to draw
     * @return the raster (its pixels come from the pool or are new)
     */
    public Raster render(Job job) {
        long t0 = System.nanoTime();
        int pw = job.pixelWidth();
        int ph = job.pixelHeight();
        double baseMs = 0;
        if (!job.sameBase(baseJob) || basePixels == null || basePixels.length != pw * ph) {
            if (basePixels == null || basePixels.length != pw * ph) {
                basePixels = new int[pw * ph];
                baseImage = FieldRenderer.wrap(basePixels, pw, ph, true);
            }
            renderer.renderBase(baseImage, job.scale(), job.width(), job.height(), job.view(), job.frame(), job.field(),
                    job.layers(), job.glyphs());
            baseJob = job;
            baseRendered++;
            baseMs = (System.nanoTime() - t0) / 1e6;
        }
        int[] out = take(pw * ph);
        System.arraycopy(basePixels, 0, out, 0, pw * ph);
        renderer.renderMoving(FieldRenderer.wrap(out, pw, ph, true), job.scale(), job.width(), job.height(),
                job.view(), job.frame(), job.layers(), job.sampler());
        return new Raster(job, out, baseMs, (System.nanoTime() - t0) / 1e6);
    }

    private int[] take(int n) {
        for (int[] b; (b = free.poll()) != null; ) {
            if (b.length == n) {
                return b;
            }
        }
        return new int[n];
    }

    private void run() {
        while (!closed) {
            Job job = pending.take();
            if (job == null) {
                LockSupport.park(this);
                continue;
            }
            inFlight = true;
            try {
                Raster r = render(job);
                // A raster replaced before the FX thread took it was never read: its pixels go back to the pool.
                release(ready.replace(r));
                rendered++;
                if (r.baseMillis() > 0) {
                    baseMillisTotal += r.baseMillis();
                } else {
                    sampleMillisTotal += r.millis();
                }
            } catch (RuntimeException e) {
                // A drawing bug must not kill the view for good: drop this picture, keep serving jobs.
                baseJob = null;
                System.err.println("scorescope: cannot draw the view: " + e);
            } finally {
                inFlight = false;
            }
        }
    }
}
