package org.scorescope.worker;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.scorescope.field.ViewBox;
import org.scorescope.threads.BackgroundPriority;
import org.scorescope.threads.Mailbox;

/**
 * Runs {@link SpectraComputer} on one dedicated daemon thread ("scorescope-spectra"), so neither the FX
 * thread nor the training worker waits for it (they only share the CPU). Requests carry an immutable
 * {@link FrameData} snapshot; only the newest pending request is kept, so a newer request supersedes an older
 * one that has not started (a computation already running finishes, then the newest request runs). The result
 * is published through a {@link Mailbox} and taken by the FX thread at most once per animation frame
 * ({@link #take()}), like the training worker's frames.
 */
public final class SpectraService implements AutoCloseable {
    /** A snapshot to analyse and the view the glyphs cover. */
    private record Request(FrameData frame, ViewBox view) {
    }

    private final ExecutorService executor = Executors.newSingleThreadExecutor(
            r -> BackgroundPriority.daemon("scorescope-spectra", r));
    private final Mailbox<Request> pending = new Mailbox<>();
    private final Mailbox<SpectraResult> latest = new Mailbox<>();
    private final AtomicLong completed = new AtomicLong();
    private volatile boolean busy;

    private final BiFunction<FrameData, ViewBox, SpectraResult> compute;

    /** Creates the service and its (idle) thread. */
    public SpectraService() {
        this(SpectraComputer::compute);
    }

    /** A service with another computation, so tests can control its timing. */
    SpectraService(BiFunction<FrameData, ViewBox, SpectraResult> compute) {
        this.compute = compute;
    }

    /**
     * Asks for the spectra of a snapshot; replaces a pending request that has not started.
     *
     * @param frame a published frame (with a model and data)
     * @param view  the square for the glyphs, or null
     */
    public void request(FrameData frame, ViewBox view) {
        if (frame == null) {
            throw new IllegalArgumentException("SpectraService.request: frame must not be null");
        }
        if (pending.replace(new Request(frame, view)) == null && !executor.isShutdown()) {
            executor.execute(this::runPending);
        }
    }

    private void runPending() {
        // busy before the request leaves pending: isBusy() never sees neither
        busy = true;
        try {
            Request r = pending.take();
            if (r == null) {
                return;
            }
            latest.post(compute.apply(r.frame(), r.view()));
            completed.incrementAndGet();
        } finally {
            busy = false;
        }
    }

    /** @return the newest result not yet taken, or null (call at most once per animation frame) */
    public SpectraResult take() {
        return latest.take();
    }

    /** @return whether a computation is running or waiting */
    public boolean isBusy() {
        return busy || !pending.isEmpty();
    }

    /** @return how many computations have finished */
    public long completedCount() {
        return completed.get();
    }

    /** Stops the thread; a running computation is abandoned (the thread is a daemon). */
    @Override
    public void close() {
        pending.clear();
        executor.shutdownNow();
    }

    /**
     * Waits for the thread to end after {@link #close()}.
     *
     * @param millis at most this long
     * @return true if it ended
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitTermination(long millis) throws InterruptedException {
        return executor.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }
}
