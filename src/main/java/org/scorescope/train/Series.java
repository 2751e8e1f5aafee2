package org.scorescope.train;

import java.util.Arrays;

/**
 * An append-only series of doubles whose published views are immutable without copying: the writer
 * only ever writes past the length of any view it has handed out, and grows by reallocating, so a
 * view (array, length) never changes after publication. Publishing a view through a volatile or
 * atomic reference makes it safe to read from another thread.
 */
public final class Series {
    private double[] values = new double[256];
    private int length;

    /** Appends a value (writer thread only). */
    public void add(double v) {
        if (length == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[length++] = v;
    }

    /** Forgets everything (writer thread only); earlier views keep their contents. */
    public void clear() {
        values = new double[256];
        length = 0;
    }

    /**
     * Keeps the first {@code n} values (writer thread only). The values move to a new array, so a
     * view handed out before still reads what it read.
     */
    public void truncate(int n) {
        if (n < length) {
            values = Arrays.copyOf(values, Math.max(256, values.length));
            Arrays.fill(values, n, length, 0);
            length = n;
        }
    }

    /** @return the number of values */
    public int length() {
        return length;
    }

    /** @return an immutable view of the values so far */
    public View view() {
        return new View(values, length);
    }

    /** An immutable prefix of a series. */
    public static final class View {
        private final double[] values;
        private final int length;

        private View(double[] values, int length) {
            this.values = values;
            this.length = length;
        }

        /** @return number of values */
        public int length() {
            return length;
        }

        /** @return value i, 0 ≤ i &lt; length */
        public double get(int i) {
            if (i < 0 || i >= length) {
                throw new IndexOutOfBoundsException(i + " of " + length);
            }
            return values[i];
        }

        /** @return the last value, NaN when empty */
        public double last() {
            return length == 0 ? Double.NaN : values[length - 1];
        }

        /** @return a copy of the values */
        public double[] toArray() {
            return Arrays.copyOf(values, length);
        }
    }
}
