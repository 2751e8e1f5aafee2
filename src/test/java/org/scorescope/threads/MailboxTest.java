package org.scorescope.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * The mailbox's contract: newest wins, a take empties the slot, and under real concurrency every posted
 * value is taken at most once, a reader never goes back in time, and the last value always arrives.
 */
class MailboxTest {
    @Test
    void newestValueWinsAndIsTakenOnce() {
        Mailbox<String> box = new Mailbox<>();
        assertTrue(box.isEmpty());
        assertNull(box.take());
        box.post("a");
        box.post("b");
        assertEquals("b", box.peek());
        assertEquals("b", box.peek(), "peek leaves the value");
        assertFalse(box.isEmpty());
        assertEquals("b", box.take());
        assertNull(box.take(), "a value is taken at most once");
        assertTrue(box.isEmpty());
    }

    @Test
    void replaceReturnsTheUntakenValueAndClearDiscards() {
        Mailbox<String> box = new Mailbox<>();
        assertNull(box.replace("a"), "the slot was empty");
        assertEquals("a", box.replace("b"));
        box.clear();
        assertNull(box.peek());
        assertNull(box.replace("c"));
        assertEquals("c", box.take());
        assertThrows(NullPointerException.class, () -> box.post(null));
        assertThrows(NullPointerException.class, () -> box.replace(null));
    }

    /**
     * One writer posts 1..N in order while two readers take as fast as they can. Every value must be seen
     * at most once over all readers, each reader must see increasing values, and the last value must be
     * taken. A take that reads and then clears in two steps would hand the same value to both readers; a
     * post that dropped values or a take that lost the last one would leave N untaken.
     */
    @Test
    void concurrentReadersNeverShareAValueAndTheLastOneArrives() throws InterruptedException {
        int n = 100_000;
        Mailbox<Integer> box = new Mailbox<>();
        AtomicLongArray seen = new AtomicLongArray(n + 1);
        AtomicBoolean done = new AtomicBoolean();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        Thread[] readers = new Thread[2];
        int[] taken = new int[readers.length];
        for (int r = 0; r < readers.length; r++) {
            int id = r;
            readers[r] = new Thread(() -> {
                try {
                    start.await();
                    int last = 0;
                    while (true) {
                        boolean finished = done.get();
                        Integer v = box.take();
                        if (v == null) {
                            if (finished) {
                                break;
                            }
                            Thread.onSpinWait();
                            continue;
                        }
                        if (v <= last) {
                            throw new AssertionError("reader " + id + " took " + v + " after " + last);
                        }
                        last = v;
                        taken[id]++;
                        seen.incrementAndGet(v);
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }, "mailbox-reader-" + r);
            readers[r].setDaemon(true);
            readers[r].start();
        }
        start.countDown();
        for (int i = 1; i < n; i++) {
            box.post(i);
        }
        // A quiet machine can post all N values before a reader is scheduled: the last one waits until some
        // value was taken, so the readers always race the writer at least once.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (seenAny(seen, n) == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        box.post(n);
        done.set(true);
        for (Thread t : readers) {
            t.join(TimeUnit.SECONDS.toMillis(20));
            assertFalse(t.isAlive(), "reader stuck");
        }
        assertTrue(failures.isEmpty(), () -> String.valueOf(failures));
        int distinct = 0;
        for (int i = 1; i <= n; i++) {
            long c = seen.get(i);
            assertTrue(c <= 1, "value " + i + " taken " + c + " times");
            distinct += (int) c;
        }
        assertEquals(1, seen.get(n), "the last value posted is always taken");
        assertEquals(taken[0] + taken[1], distinct);
        assertTrue(distinct > 1, "the readers took values while the writer was posting");
    }

    /**
     * Writer and reader in lockstep (the writer waits until its value was taken): nothing may be lost or
     * duplicated, every value arrives exactly once and in order.
     */
    @Test
    void aHandshakeDeliversEveryValueExactlyOnceInOrder() throws InterruptedException {
        int n = 20_000;
        Mailbox<Integer> box = new Mailbox<>();
        int[] got = new int[n];
        int[] count = new int[1];
        Thread reader = new Thread(() -> {
            while (count[0] < n) {
                Integer v = box.take();
                if (v != null) {
                    got[count[0]++] = v;
                } else {
                    Thread.onSpinWait();
                }
            }
        }, "mailbox-handshake-reader");
        reader.setDaemon(true);
        reader.start();
        for (int i = 0; i < n; i++) {
            Integer v = i;
            box.post(v);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (box.peek() == v && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        }
        reader.join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(reader.isAlive(), "reader stuck");
        for (int i = 0; i < n; i++) {
            assertEquals(i, got[i]);
        }
        assertNull(box.peek());
    }

    @Test
    void replaceHandsBackEachValueThatWasNotTaken() throws InterruptedException {
        // Every value posted by replace ends up exactly once: taken by the reader or returned to the writer.
        int n = 100_000;
        Mailbox<Integer> box = new Mailbox<>();
        AtomicLongArray seen = new AtomicLongArray(n);
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            while (true) {
                boolean finished = done.get();
                Integer v = box.take();
                if (v != null) {
                    seen.incrementAndGet(v);
                } else if (finished) {
                    return;
                }
            }
        }, "mailbox-replace-reader");
        reader.setDaemon(true);
        reader.start();
        for (int i = 0; i < n; i++) {
            Integer old = box.replace(i);
            if (old != null) {
                seen.incrementAndGet(old);
            }
        }
        done.set(true);
        reader.join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(reader.isAlive(), "reader stuck");
        for (int i = 0; i < n; i++) {
            assertEquals(1, seen.get(i), "value " + i);
        }
        assertNull(box.peek(), "the reader took the last one");
    }

    /** @return how many of the values 1..n−1 were taken so far */
    private static long seenAny(AtomicLongArray seen, int n) {
        long c = 0;
        for (int i = 1; i < n && c == 0; i++) {
            c += seen.get(i);
        }
        return c;
    }
}
