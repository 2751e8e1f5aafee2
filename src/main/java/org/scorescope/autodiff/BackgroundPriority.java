package org.scorescope.autodiff;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Background scheduling for compute threads, so that a user interface sharing the machine gets a core as
 * soon as it wants one. Once {@link #enable enabled} (the desktop app does this; the CLI does not), every
 * thread that calls {@link #apply()} — the training worker, the spectra and file threads, the engine's kernel
 * helpers — runs at a lower OS priority.
 *
 * <p>On Linux the JVM ignores {@link Thread#setPriority} (unless it runs as root with
 * {@code -XX:ThreadPriorityPolicy=1}), so the calling thread's nice value is raised to {@value #NICE} with
 * {@code setpriority(PRIO_PROCESS, tid)}, which on Linux applies to that one thread. Java 17 has no system-call
 * API, so this runs {@code renice} once per thread (a few milliseconds, once per thread's life). Threads it
 * starts later inherit the value. Under the CFS scheduler a thread at nice {@value #NICE} has weight 110 against
 * 1024 at nice 0: when the FX or render thread becomes runnable it preempts a compute thread instead of waiting
 * for its time slice, and while they sleep the compute threads have the whole machine as before. Elsewhere
 * {@code Thread.setPriority(MIN_PRIORITY)} maps to the OS priority and is used instead.
 */
public final class BackgroundPriority {
    /** The nice value of background threads on Linux. */
    public static final int NICE = 10;
    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT)
            .startsWith("linux");
    private static volatile boolean enabled;

    private BackgroundPriority() {
    }

    /**
     * Turns background scheduling on or off for later {@link #apply()} calls (process-wide; threads already
     * lowered stay lowered).
     *
     * @param on true to lower compute threads
     */
    public static void enable(boolean on) {
        enabled = on;
    }

    /** @return whether {@link #apply()} lowers the calling thread */
    public static boolean enabled() {
        return enabled;
    }

    /**
     * Lowers the calling thread's priority if background scheduling is enabled; call it first thing in a compute
     * thread's run method. Never fails: where the OS refuses, the thread keeps its priority.
     *
     * @return true when the calling thread now runs at background priority
     */
    public static boolean apply() {
        return enabled && lowerCurrentThread();
    }

    /**
     * A daemon thread (not started) that calls {@link #apply()} first, then runs {@code body}: how the app's
     * compute threads are made.
     *
     * @param name the thread's name
     * @param body what it runs
     * @return the thread
     */
    public static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(() -> {
            apply();
            body.run();
        }, name);
        t.setDaemon(true);
        return t;
    }

    /** Lowers the calling thread unconditionally; see the class comment. */
    static boolean lowerCurrentThread() {
        Thread.currentThread().setPriority(Thread.MIN_PRIORITY);
        if (!LINUX) {
            return true;
        }
        try {
            int nice = currentNice();
            if (nice >= NICE) {
                return true;
            }
            Process p = new ProcessBuilder("renice", "-n", Integer.toString(NICE), "-p", Long.toString(currentTid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroy();
                return false;
            }
            return currentNice() >= NICE;
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** @return the calling thread's Linux thread id, from {@code /proc/thread-self → <pid>/task/<tid>} */
    static long currentTid() throws IOException {
        return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
    }

    /**
     * @return the calling thread's nice value: field 19 of {@code /proc/thread-self/stat}, counted after the
     *         parenthesised command name (which may itself contain spaces)
     */
    static int currentNice() throws IOException {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Integer.parseInt(fields[19 - 3]);
    }
}
