package org.scorescope.app;

import java.time.Instant;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.scorescope.worker.FrameStats;

/**
 * Frame times from JavaFX's own pulse phases. When Flight Recorder runs before the toolkit starts, JavaFX
 * emits one JFR event {@code javafx.PulsePhase} per phase of every pulse, tagged with the pulse's number: on
 * the FX thread "Pulse start" (which contains the AnimationTimer handlers), "CSS Pass", "Layout Pass", "Update
 * bounds", "Waiting for previous rendering", "Copy state to render graph"; on the render thread, for a pulse
 * that painted, "Dirty Opts Computed" … "Painting" … "Presentable.present". A pulse's <em>frame time</em> is
 * from the start of its first phase to the end of its last: the time from the pulse until its frame was
 * presented (or until the FX thread finished, when nothing needed painting). It is the duration that
 * {@code -Djavafx.pulseLogger=true} prints as {@code [interval:duration]}, and what the 16.7 ms budget of a
 * 60 Hz display is about. The stream hands each finished pulse to a {@link FrameStats}.
 */
final class PulseTimes implements AutoCloseable {
    /** The JFR event JavaFX emits per pulse phase. */
    static final String EVENT = "javafx.PulsePhase";
    /**
     * A pulse is complete once a pulse this many numbers later has been seen: the FX thread does not copy
     * pulse p + 1 to the render graph before the render thread has finished pulse p.
     */
    private static final int SETTLE = 3;
    /** Phases shorter than this are left out of a pulse's description. */
    private static final long PHASE_SHOWN_NANOS = 500_000L;

    private static volatile PulseTimes running;

    private final RecordingStream stream;
    /** {@link System#nanoTime()} minus the epoch nanoseconds of the same moment, to map event times. */
    private final long nanoOffset;
    /** Open pulses by number. */
    private final TreeMap<Integer, Pulse> open = new TreeMap<>();
    private volatile FrameStats sink;

    private PulseTimes(RecordingStream stream) {
        this.stream = stream;
        this.nanoOffset = System.nanoTime() - epochNanos(Instant.now());
    }

    /** A recorder without a stream: {@link #phase} is fed by hand (tests). */
    PulseTimes() {
        this(null);
    }

    /**
     * Starts recording pulse phases. Must run before the JavaFX toolkit starts: JavaFX decides once, when it
     * starts, whether to emit the events.
     *
     * @return whether pulse phases are being recorded
     */
    static synchronized boolean start() {
        if (running != null) {
            return true;
        }
        try {
            RecordingStream rs = new RecordingStream();
            PulseTimes p = new PulseTimes(rs);
            rs.enable(EVENT);
            rs.onEvent(EVENT, p::accept);
            rs.startAsync();
            running = p;
            return true;
        } catch (RuntimeException | LinkageError e) {
            // No jdk.jfr in this runtime, or Flight Recorder disabled: the interval statistics still work.
            System.err.println("scorescope: frame times need Java Flight Recorder (" + e + "); recording intervals only");
            return false;
        }
    }

    /**
     * Sends later pulses of the running recorder (if any) to {@code stats}.
     *
     * @param stats where finished pulses go
     */
    static void connect(FrameStats stats) {
        PulseTimes p = running;
        if (p != null) {
            p.sink(stats);
        }
    }

    /** Sets where finished pulses go (tests). */
    void sink(FrameStats stats) {
        this.sink = stats;
    }

    private void accept(RecordedEvent e) {
        phase(e.getInt("pulseId"), e.getString("phaseName"), epochNanos(e.getStartTime()) + nanoOffset,
                epochNanos(e.getEndTime()) + nanoOffset);
    }

    /**
     * Adds one phase of pulse {@code id} and hands the pulses it completes to the sink, each with its phases
     * ("name ms" in arrival order) for the report of the longest frames.
     *
     * @param id    the pulse number (0 for phases outside a pulse, which are ignored)
     * @param name  the phase's name
     * @param start phase start, nanoTime
     * @param end   phase end, nanoTime
     */
    synchronized void phase(int id, String name, long start, long end) {
        if (id <= 0) {
            return;
        }
        Pulse p = open.computeIfAbsent(id, k -> new Pulse());
        p.start = Math.min(p.start, start);
        p.end = Math.max(p.end, end);
        if (end - start >= PHASE_SHOWN_NANOS) {
            p.phases.append(p.phases.length() == 0 ? "" : ", ").append(name)
                    .append(String.format(java.util.Locale.ROOT, " %.1f", (end - start) / 1e6));
        }
        int newest = open.lastKey();
        while (open.firstKey() <= newest - SETTLE) {
            Pulse done = open.pollFirstEntry().getValue();
            FrameStats s = sink;
            if (s != null) {
                s.pulse(done.start, done.end - done.start, done.phases);
            }
        }
    }

    /** Stops the running recorder, if any. */
    static void stopRunning() {
        PulseTimes p = running;
        running = null;
        if (p != null) {
            p.close();
        }
    }

    @Override
    public void close() {
        if (stream != null) {
            stream.close();
        }
    }

    /** One pulse's span and its phases, the latter kept to explain a long frame. */
    private static final class Pulse {
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        final StringBuilder phases = new StringBuilder();
    }

    private static long epochNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
