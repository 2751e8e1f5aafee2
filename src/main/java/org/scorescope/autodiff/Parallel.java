package org.scorescope.autodiff;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import org.scorescope.threads.BackgroundPriority;

/**
 * The engine's small shared thread pool. Kernels split their work into a number of chunks that
 * depends only on the problem size; this class runs the chunks on up to {@link ComputeThreads#get()}
 * threads (the caller included). Which thread runs which chunk never changes a result, because every
 * chunk writes its own disjoint part of the output with the same loop.
 *
 * <p>Why not a ForkJoinPool: a training step runs ~50 parallel regions of 50–500 µs each, back to
 * back. Waking a parked pool thread costs tens of µs, so helpers here spin briefly ({@value #SPIN_NANOS}
 * ns) for the next region before parking. One job runs at a time; a second concurrent caller (another
 * thread using the engine) simply runs its chunks itself.
 */
final class Parallel {
    /** How long an idle helper polls for the next job before parking. */
    private static final long SPIN_NANOS = 100_000;
    private static final int MAX_HELPERS = 255;

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Helper[] HELPERS = new Helper[MAX_HELPERS];
    private static volatile Job current;
    private static int started;

    private Parallel() {
    }

    /** One parallel region: chunks handed out by an atomic counter, completions counted down. */
    private static final class Job {
        final IntConsumer body;
        final int chunks;
        final int helpers;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger remaining;
        volatile Throwable failure;

        Job(IntConsumer body, int chunks, int helpers) {
            this.body = body;
            this.chunks = chunks;
            this.helpers = helpers;
            this.remaining = new AtomicInteger(chunks);
        }

        void work() {
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                try {
                    if (failure == null) {
                        body.accept(c);
                    }
                } catch (RuntimeException | Error e) {
                    if (failure == null) {
                        failure = e;
                    }
                } finally {
                    remaining.decrementAndGet();
                }
            }
        }
    }

    /** A daemon helper: waits for a job it is entitled to (index &lt; job.helpers) and works on it. */
    private static final class Helper extends Thread {
        private final int index;

        Helper(int index) {
            super("scorescope-kernel-" + index);
            this.index = index;
            setDaemon(true);
        }

        @Override
        public void run() {
            BackgroundPriority.apply();
            Job seen = null;
            while (true) {
                Job j = current;
                long spinStart = System.nanoTime();
                while (j == null || j == seen || index >= j.helpers) {
                    if (System.nanoTime() - spinStart < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(this);
                        spinStart = System.nanoTime();
                    }
                    j = current;
                }
                seen = j;
                j.work();
            }
        }
    }

    /** Threads a call with this many chunks would use (1 = the caller alone). */
    static int threadsFor(int chunks) {
        return threadsFor(chunks, ComputeThreads.get());
    }

    private static int threadsFor(int chunks, int cap) {
        if (chunks < 2 || Thread.currentThread() instanceof Helper) {
            return 1;
        }
        return Math.max(1, Math.min(Math.min(cap, ComputeThreads.get()), chunks));
    }

    /**
     * Runs body(0) … body(chunks − 1), each exactly once, on up to {@link ComputeThreads#get()}
     * threads; returns when all have finished. An exception in any chunk is rethrown here (later
     * chunks are skipped).
     */
    static void forChunks(int chunks, IntConsumer body) {
        forChunks(chunks, ComputeThreads.get(), body);
    }

    /** As {@link #forChunks(int, IntConsumer)} on at most {@code cap} threads (and never more than the budget). */
    static void forChunks(int chunks, int cap, IntConsumer body) {
        int t = threadsFor(chunks, cap);
        if (t <= 1 || LOCK.isHeldByCurrentThread() || !LOCK.tryLock()) {
            for (int c = 0; c < chunks; c++) {
                body.accept(c);
            }
            return;
        }
        try {
            int helpers = t - 1;
            while (started < helpers) {
                Helper h = new Helper(started);
                HELPERS[started++] = h;
                h.start();
            }
            Job job = new Job(body, chunks, helpers);
            current = job;
            for (int i = 0; i < helpers; i++) {
                LockSupport.unpark(HELPERS[i]);
            }
            job.work();
            long waitStart = System.nanoTime();
            while (job.remaining.get() > 0) {
                // A helper still finishing its last chunk; if it was descheduled, give up the core to it.
                if (System.nanoTime() - waitStart < SPIN_NANOS / 4) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            current = null;
            Throwable f = job.failure;
            if (f instanceof Error e) {
                throw e;
            }
            if (f != null) {
                throw (RuntimeException) f;
            }
        } finally {
            LOCK.unlock();
        }
    }
}
