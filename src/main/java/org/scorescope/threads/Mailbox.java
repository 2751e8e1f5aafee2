package org.scorescope.threads;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A latest-value mailbox: one slot between threads for values of which only the newest matters (settings,
 * the view, published frames, finished pictures). {@link #post} replaces whatever is waiting, so a slow reader
 * skips stale values instead of falling behind; {@link #take} empties the slot, so each posted value is taken
 * at most once, by one reader. Lock-free and safe for any number of writers and readers: every value posted
 * is either taken exactly once or replaced (returned by {@link #replace}) or discarded by {@link #clear},
 * never both.
 *
 * <p>It carries no wake-up: a writer that must wake a parked reader unparks it after posting, and the reader
 * takes before it parks again, so a value posted between the two is never missed.
 *
 * @param <T> the value type; values are handed over, not copied, so they should be immutable or owned by the
 *            reader after the post
 */
public final class Mailbox<T> {
    private final AtomicReference<T> slot = new AtomicReference<>();

    /**
     * Puts a value in the slot, replacing a value not yet taken.
     *
     * @param value the new value
     * @throws NullPointerException if value is null (null means "empty")
     */
    public void post(T value) {
        slot.set(Objects.requireNonNull(value, "value"));
    }

    /**
     * {@link #post} that returns what it replaced, so the writer can recycle it or learn that the slot was
     * empty (and, for example, schedule a reader).
     *
     * @param value the new value
     * @return the value replaced, never taken by anyone, or null if the slot was empty
     * @throws NullPointerException if value is null
     */
    public T replace(T value) {
        return slot.getAndSet(Objects.requireNonNull(value, "value"));
    }

    /** @return the newest value, removed from the slot (no other take returns it), or null if empty */
    public T take() {
        return slot.getAndSet(null);
    }

    /** @return the value waiting, left in the slot, or null if empty */
    public T peek() {
        return slot.get();
    }

    /** @return whether no value is waiting */
    public boolean isEmpty() {
        return slot.get() == null;
    }

    /** Discards the value waiting, if any. */
    public void clear() {
        slot.set(null);
    }
}
