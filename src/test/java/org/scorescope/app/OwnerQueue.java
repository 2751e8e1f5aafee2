package org.scorescope.app;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The FX thread's stand-in for view-model tests without JavaFX: {@link MainViewModel} hands file-job outcomes
 * to {@link #execute}, and they run only when the test thread (the owner) drains the queue, exactly as
 * {@code Platform.runLater} tasks run only when the FX thread gets to them.
 */
final class OwnerQueue implements Executor {
    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();

    /** Queues a task for the owner thread (any thread). */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    /**
     * Runs the queued tasks on the calling thread.
     *
     * @return how many ran
     */
    int runPending() {
        int n = 0;
        for (Runnable r = tasks.poll(); r != null; r = tasks.poll()) {
            r.run();
            n++;
        }
        return n;
    }

    /**
     * Waits until a task is queued, without running it.
     *
     * @param seconds at most this long
     * @throws InterruptedException if interrupted
     */
    void awaitTask(long seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (tasks.isEmpty()) {
            if (System.nanoTime() > end) {
                fail("no task was handed to the owner thread within " + seconds + " s");
            }
            Thread.sleep(5);
        }
    }

    /**
     * Drains the queue until the future completes (as the FX thread would keep running its tasks).
     *
     * @param job     a view-model file job
     * @param seconds at most this long
     * @return its value: null on success, the error message otherwise
     * @throws InterruptedException if interrupted
     */
    String finish(CompletableFuture<String> job, long seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!job.isDone()) {
            if (System.nanoTime() > end) {
                fail("the file job did not finish within " + seconds + " s");
            }
            Runnable r = tasks.poll(10, TimeUnit.MILLISECONDS);
            if (r != null) {
                r.run();
            }
        }
        return job.join();
    }
}
