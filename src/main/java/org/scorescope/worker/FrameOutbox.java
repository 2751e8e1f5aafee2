package org.scorescope.worker;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.scorescope.threads.Mailbox;

/**
 * The worker's outgoing frames: the newest {@link FrameData} in a mailbox that the FX thread takes at most
 * once per animation frame, numbered, published about every 15 ms of work (at once when paused), and the
 * backpressure that keeps training from running ahead of a view starved of CPU.
 */
final class FrameOutbox {
    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(15);
    /** Longest wait for a lagging view per 12 ms slice: the worker gives up at most a quarter of its time. */
    private static final long MAX_YIELD_NANOS = TimeUnit.MILLISECONDS.toNanos(4);

    private final Mailbox<FrameData> latest = new Mailbox<>();
    private long serial;
    private long last;

    /** @return the newest frame not yet taken, or null; any thread */
    FrameData take() {
        return latest.take();
    }

    /** @return the serial number of the next frame (increases with every publication) */
    long nextSerial() {
        return ++serial;
    }

    /**
     * @param now     System.nanoTime()
     * @param running whether training is running (paused, every change is published at once)
     * @return whether a changed frame should be published now
     */
    boolean due(long now, boolean running) {
        return now - last >= PERIOD_NANOS || !running;
    }

    /**
     * @param now System.nanoTime()
     * @return nanoseconds until the next publication is due, ≥ 0
     */
    long untilDue(long now) {
        return Math.max(0, PERIOD_NANOS - (now - last));
    }

    /**
     * @param frame the frame
     * @param now   System.nanoTime() of its publication
     */
    void post(FrameData frame, long now) {
        latest.post(frame);
        last = now;
    }

    /**
     * Backpressure: when the view has not taken a frame published more than two frame periods ago, the FX
     * thread is starved of CPU (a busy machine); pause briefly so that it can draw, instead of training ever
     * further ahead of what the user sees. Costs nothing when the view keeps up.
     *
     * @param interrupt true when the worker has something else to do (stop waiting)
     */
    void yieldToLaggingView(BooleanSupplier interrupt) {
        long start = System.nanoTime();
        while (!latest.isEmpty() && System.nanoTime() - last > 2 * PERIOD_NANOS
                && System.nanoTime() - start < MAX_YIELD_NANOS && !interrupt.getAsBoolean()) {
            LockSupport.parkNanos(this, 1_000_000L);
        }
    }
}
