package org.scorescope.app;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import org.scorescope.threads.BackgroundPriority;

/**
 * The view-model's one mechanism for file work (imports, opens, saves, exports, PNG rendering): each job's
 * reading, parsing, rendering, serialising and writing runs on a single daemon thread of its own
 * ({@code scorescope-io}: not the training worker, not the engine's kernel pool, never the FX thread), and
 * its outcome is applied afterwards on the owner thread, the one thread that changes the view-model's
 * properties ({@code Platform::runLater} in the app, a queue drained by the test thread in tests). The owner
 * thread never waits for a job.
 *
 * <p>One job at a time: {@link #busyProperty()} is true from {@link #submit} until the job's outcome has been
 * applied on the owner thread, after a failure too. All methods but the job's work run on the owner thread.
 */
final class FileJobs {
    /**
     * The background part of a job: reads or writes and returns what the owner thread needs to apply.
     *
     * @param <T> the result handed to the owner thread
     */
    @FunctionalInterface
    interface Work<T> {
        /**
         * @return the result to apply on the owner thread
         * @throws Exception on failure; nothing is applied then, the failure is reported instead
         */
        T call() throws Exception;
    }

    private final Executor owner;
    private final ExecutorService io;
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private String activity = "";
    private CompletableFuture<String> current;
    private boolean closed;

    /**
     * Starts the background thread.
     *
     * @param owner runs a task on the thread that owns the view-model's properties
     */
    FileJobs(Executor owner) {
        this.owner = owner;
        // A daemon: closing the window must not wait for a slow disk. The JVM may end mid-job, and the atomic
        // writes (AtomicFiles) then leave the previous file intact.
        this.io = Executors.newSingleThreadExecutor(r -> BackgroundPriority.daemon("scorescope-io", r));
    }

    /**
     * Runs {@code work} on the background thread, then on the owner thread either {@code onSuccess} with its
     * result or {@code onFailure} with what it threw (any Throwable, so that even running out of memory on a
     * huge file ends the job and clears {@link #busyProperty()}). Owner thread only; not while busy.
     *
     * @param <T>       the work's result
     * @param activity  what the job does, e.g. "Opening s.json…"
     * @param work      the background part; it must not touch FX properties or live training state
     * @param onSuccess applies the result on the owner thread; returns null, or an error message when the
     *                  result turns out to be unusable
     * @param onFailure turns the failure into the error message, on the owner thread
     * @return completes on the owner thread, after busy is cleared, with null on success or the error message;
     *         cancelled when {@link #close()} comes first (never join it on the owner thread: it would deadlock)
     * @throws IllegalStateException when a job is running or the jobs are closed
     */
    <T> CompletableFuture<String> submit(String activity, Work<T> work, Function<T, String> onSuccess,
                                         Function<Throwable, String> onFailure) {
        if (closed) {
            throw new IllegalStateException("file jobs are closed");
        }
        if (busy.get()) {
            throw new IllegalStateException("a file job is running: " + this.activity);
        }
        CompletableFuture<String> done = new CompletableFuture<>();
        this.activity = activity;
        current = done;
        busy.set(true);
        io.execute(() -> {
            T value = null;
            Throwable error = null;
            try {
                value = work.call();
            } catch (Throwable t) {
                error = t;
            }
            T v = value;
            Throwable e = error;
            try {
                owner.execute(() -> finish(done, v, e, onSuccess, onFailure));
            } catch (RuntimeException gone) {
                // The FX runtime has exited: there is no window left to apply the outcome to.
                done.cancel(false);
            }
        });
        return done;
    }

    private <T> void finish(CompletableFuture<String> done, T value, Throwable error, Function<T, String> onSuccess,
                            Function<Throwable, String> onFailure) {
        if (done.isDone()) {
            return; // cancelled by close(): the view-model is shut down
        }
        busy.set(false);
        activity = "";
        current = null;
        String message;
        try {
            message = error == null ? onSuccess.apply(value) : onFailure.apply(error);
        } catch (RuntimeException bug) {
            done.completeExceptionally(bug);
            throw bug;
        }
        done.complete(message);
    }

    /** @return true from {@link #submit} until the job's outcome has been applied (owner thread) */
    ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** @return what the running job does, empty when none runs */
    String activity() {
        return activity;
    }

    /** @return whether {@link #close()} was called */
    boolean isClosed() {
        return closed;
    }

    /**
     * Stops accepting jobs; a running job's outcome will not be applied (its future is cancelled), but its
     * work is not interrupted, so a write in progress still completes while the JVM lives. Idempotent.
     */
    void close() {
        closed = true;
        if (current != null) {
            current.cancel(false);
            current = null;
        }
        activity = "";
        busy.set(false);
        io.shutdown();
    }

    /**
     * Waits for the background thread to end after {@link #close()} (tests).
     *
     * @param millis at most this long
     * @return whether it ended
     * @throws InterruptedException if interrupted while waiting
     */
    boolean awaitTermination(long millis) throws InterruptedException {
        return io.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }
}
