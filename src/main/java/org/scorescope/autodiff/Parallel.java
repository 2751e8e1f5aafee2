package org.scorescope.autodiff;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The engine's small shared thread pool. Kernels split their work into a number of chunks that
 * depends only on the problem size; this class runs the chunks on up to {@link ComputeThreads#get()}
 * threads (the caller included). Which thread runs which chunk never changes a result, because every
 * chunk writes its own disjoint part of the output with the same loop.
 */
final class Parallel {
    private static final ForkJoinPool POOL = new ForkJoinPool(256, pool -> {
        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setName("scorescope-kernel-" + t.getPoolIndex());
        t.setDaemon(true);
        return t;
    }, null, false);

    private Parallel() {
    }

    /** Threads a call with this many chunks would use (1 = the caller alone). */
    static int threadsFor(int chunks) {
        if (chunks < 2 || Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == POOL) {
            return 1;
        }
        return Math.min(ComputeThreads.get(), chunks);
    }

    /**
     * Runs body(0) … body(chunks − 1), each exactly once, on up to {@link ComputeThreads#get()}
     * threads; returns when all have finished. An exception in any chunk is rethrown here.
     */
    static void forChunks(int chunks, IntConsumer body) {
        int t = threadsFor(chunks);
        if (t <= 1) {
            for (int c = 0; c < chunks; c++) {
                body.accept(c);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                body.accept(c);
            }
        };
        ForkJoinTask<?>[] helpers = new ForkJoinTask<?>[t - 1];
        for (int i = 0; i < helpers.length; i++) {
            helpers[i] = POOL.submit(worker);
        }
        Throwable failure = null;
        try {
            worker.run();
        } catch (RuntimeException | Error e) {
            // Stop handing out chunks, then wait for the helpers before rethrowing.
            next.set(chunks);
            failure = e;
        }
        for (ForkJoinTask<?> h : helpers) {
            try {
                h.join();
            } catch (RuntimeException | Error e) {
                if (failure == null) {
                    // join() rethrows a copy of the chunk's exception wrapping the original: report the original.
                    failure = e.getCause() != null && e.getCause().getClass() == e.getClass() ? e.getCause() : e;
                }
            }
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw (RuntimeException) failure;
        }
    }
}
