package org.scorescope.worker;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.scorescope.field.ViewBox;
import org.scorescope.threads.BackgroundPriority;
import org.scorescope.threads.Mailbox;

/**
 * Runs {@link SpectraComputer} on one dedicated daemon thread ("scorescope-spectra"), so neither the FX
 * thread nor the training worker waits for it (they only share the CPU). Requests carry an immutable
 * {@link FrameData} snapshot; only the newest pending request is kept, so a newer request supersedes an older
 * one that has not started (a computation already running finishes, then the newest request runs). Results
 * are published through a {@link Mailbox} and taken by the FX thread at most once per animation frame
 * ({@link #take()}), like the training worker's frames; one request may publish twice (the Lanczos ends, then
 * all P eigenvalues). {@link #invalidate()} drops every result of the requests made before it.
 */
public final class SpectraService implements AutoCloseable {
    /** A snapshot to analyse and the view the glyphs cover. */
    private record Request(FrameData frame, ViewBox view, SpectraComputer.Options options, long generation) {
    }

    /** A spectra computation that may publish more than one result. */
    @FunctionalInterface
    interface Task {
        void run(FrameData frame, ViewBox view, SpectraComputer.Options options, Consumer<SpectraResult> publish);
    }

    private final ExecutorService executor = Executors.newSingleThreadExecutor(
            r -> BackgroundPriority.daemon("scorescope-spectra", r));
    private final Mailbox<Request> pending = new Mailbox<>();
    private final Mailbox<SpectraResult> latest = new Mailbox<>();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean busy;
    /** The computing thread while it computes (then {@link #invalidate()} may interrupt it). */
    private Thread running;
    /** Whether {@link #running} refines a request whose first result is out (then a newer request interrupts it). */
    private boolean refining;
    /** Guards {@link #refining}: an interrupt is only ever sent while the refinement it is meant for runs. */
    private final Object refiningLock = new Object();

    private final Task compute;

    /** Creates the service and its (idle) thread. */
    public SpectraService() {
        this((Task) SpectraComputer::compute);
    }

    /** A service with another single-result computation, so tests can control its timing. */
    SpectraService(BiFunction<FrameData, ViewBox, SpectraResult> compute) {
        this((frame, view, options, publish) -> publish.accept(compute.apply(frame, view)));
    }

    /** A service with another computation. */
    SpectraService(Task compute) {
        this.compute = compute;
    }

    /**
     * Asks for the spectra of a snapshot; replaces a pending request that has not started.
     *
     * @param frame a published frame (with a model and data)
     * @param view  the square for the glyphs, or null
     */
    public void request(FrameData frame, ViewBox view) {
        request(frame, view, SpectraComputer.Options.defaults());
    }

    /**
     * Asks for the spectra of a snapshot with options; replaces a pending request that has not started.
     *
     * @param frame   a published frame (with a model and data)
     * @param view    the square for the glyphs and critical points, or null
     * @param options curvature and whether to compute all P eigenvalues
     */
    public void request(FrameData frame, ViewBox view, SpectraComputer.Options options) {
        if (frame == null || options == null) {
            throw new IllegalArgumentException("SpectraService.request: frame and options must not be null");
        }
        interruptRefinement();
        if (pending.replace(new Request(frame, view, options, generation.get())) == null && !executor.isShutdown()) {
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
            Thread me = Thread.currentThread();
            synchronized (refiningLock) {
                running = me;
            }
            compute.run(r.frame(), r.view(), r.options(), result -> {
                if (r.generation() == generation.get()) {
                    latest.post(result);
                }
                // What follows the first result only refines it: a newer request may interrupt it.
                synchronized (refiningLock) {
                    refining = true;
                    if (!pending.isEmpty() || r.generation() != generation.get()) {
                        me.interrupt();
                    }
                }
            });
            completed.incrementAndGet();
        } finally {
            synchronized (refiningLock) {
                running = null;
                refining = false;
                if (!executor.isShutdown()) {
                    Thread.interrupted(); // an abandoned refinement's interrupt must not reach the next request
                }
            }
            busy = false;
        }
    }

    /**
     * Drops the results of every request made so far, pending, running or published and not yet taken (the data
     * or the model they belong to are gone). The running computation is interrupted and stops at its next check.
     */
    public void invalidate() {
        generation.incrementAndGet();
        synchronized (refiningLock) {
            if (running != null) {
                running.interrupt(); // its results would be dropped: stop it at its next check
            }
        }
        pending.clear();
        latest.take();
    }

    private void interruptRefinement() {
        synchronized (refiningLock) {
            if (refining && running != null) {
                running.interrupt();
            }
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
