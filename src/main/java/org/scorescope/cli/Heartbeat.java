package org.scorescope.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Progress for work that reports none of its own: after a quiet start (so quick runs print nothing and a failure
 * stays one line), one line on stderr every period saying what is running and for how long. Close it when the
 * work ends.
 *
 * <pre>{@code
 * try (Heartbeat hb = Heartbeat.start(err, () -> "hessian: building the dense Hessian (P = 4000)")) {
 *     ... long computation ...
 * }
 * }</pre>
 */
public final class Heartbeat implements AutoCloseable {
    /** Silence before the first line, and the interval between lines, in seconds. */
    static final long DEFAULT_PERIOD_SECONDS = 10;

    private final ScheduledExecutorService timer;
    private final ScheduledFuture<?> task;

    private Heartbeat(ScheduledExecutorService timer, ScheduledFuture<?> task) {
        this.timer = timer;
        this.task = task;
    }

    /**
     * Starts a heartbeat with the default period.
     *
     * @param err  where the lines go
     * @param what what is running; asked anew for every line, so it may report progress
     * @return the running heartbeat
     */
    public static Heartbeat start(PrintWriter err, Supplier<String> what) {
        return start(err, what, DEFAULT_PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    static Heartbeat start(PrintWriter err, Supplier<String> what, long period, TimeUnit unit) {
        long t0 = System.nanoTime();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scorescope-heartbeat");
            t.setDaemon(true);
            return t;
        });
        ScheduledFuture<?> task = timer.scheduleAtFixedRate(() -> {
            long s = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            err.println(String.format(Locale.ROOT, "%s: still running after %d min %02d s", what.get(), s / 60, s % 60));
            err.flush();
        }, period, period, unit);
        return new Heartbeat(timer, task);
    }

    @Override
    public void close() {
        task.cancel(false);
        timer.shutdownNow();
        try {
            // A line being printed finishes before the command prints its result or error.
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
