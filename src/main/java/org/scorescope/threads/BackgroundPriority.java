package org.scorescope.threads;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>The JVM's optimizing JIT compiler is background work of the same kind: its threads compile for seconds
 * after training starts, a third of a core on a two-core machine, and {@link #lowerJitCompilers()} gives them
 * the same nice value.
 */
public final class BackgroundPriority {
    /** The nice value of background threads on Linux. */
    public static final int NICE = 10;
    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT)
            .startsWith("linux");
    /** HotSpot's name for its C2 compiler threads, as the kernel keeps it (15 characters). */
    static final String C2_THREAD_NAME = "C2 CompilerThre";
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
            return currentNice() >= NICE || (renice(NICE, List.of(currentTid())) && currentNice() >= NICE);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Lowers the JVM's optimizing (C2) JIT compiler threads to {@value #NICE} if background scheduling is enabled
     * (Linux only: elsewhere the JVM offers no handle on them). The quick C1 compiler keeps its priority, so
     * code the FX thread starts to use still gets compiled at once. Only the threads running now are lowered:
     * on two cores the JVM has one C2 thread and adds none; on larger machines a C2 thread it adds later takes
     * the nice value of the compiler thread that starts it.
     *
     * @return the thread ids lowered (empty when disabled, not on Linux, or refused)
     */
    public static List<Long> lowerJitCompilers() {
        if (!enabled || !LINUX) {
            return List.of();
        }
        try {
            List<Long> tids = threadsNamed(C2_THREAD_NAME);
            return !tids.isEmpty() && renice(NICE, tids) ? tids : List.of();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * Sets the nice value of Linux threads with {@code renice} (lowering is always allowed; raising needs
     * privileges).
     *
     * @return whether renice succeeded within 5 s
     */
    static boolean renice(int nice, List<Long> tids) {
        List<String> command = new ArrayList<>(List.of("renice", "-n", Integer.toString(nice), "-p"));
        tids.forEach(t -> command.add(Long.toString(t)));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroy();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * @param prefix the start of the threads' names as the kernel keeps them ({@code comm}: 15 characters at most)
     * @return the Linux thread ids of this process's threads whose name starts with {@code prefix}
     * @throws IOException without Linux's {@code /proc}
     */
    public static List<Long> threadsNamed(String prefix) throws IOException {
        List<Long> tids = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    if (Files.readString(task.resolve("comm")).startsWith(prefix)) {
                        tids.add(Long.parseLong(task.getFileName().toString()));
                    }
                } catch (java.nio.file.NoSuchFileException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return tids;
    }

    /**
     * @return the calling thread's Linux thread id, from {@code /proc/thread-self → <pid>/task/<tid>}
     * @throws IOException without Linux's {@code /proc}
     */
    public static long currentTid() throws IOException {
        return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
    }

    /**
     * @return the calling thread's nice value: field 19 of {@code /proc/thread-self/stat}, counted after the
     *         parenthesised command name (which may itself contain spaces)
     */
    static int currentNice() throws IOException {
        return nice(Path.of("/proc/thread-self/stat"));
    }

    /** @return the nice value of the thread whose {@code /proc/…/task/<tid>/stat} file this is */
    static int nice(Path stat) throws IOException {
        String line = Files.readString(stat);
        String[] fields = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
        return Integer.parseInt(fields[19 - 3]);
    }
}
