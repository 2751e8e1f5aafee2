package org.scorescope.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BackgroundPriorityTest {
    /** Runs {@code body} on a fresh thread and returns what it returned. */
    private static <T> T onNewThread(java.util.concurrent.Callable<T> body) throws Exception {
        AtomicReference<Object> out = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                out.set(body.call());
            } catch (Exception e) {
                out.set(e);
            }
        });
        t.start();
        t.join();
        if (out.get() instanceof Exception e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        T r = (T) out.get();
        return r;
    }

    @Test
    void disabledLeavesTheThreadAlone() throws Exception {
        BackgroundPriority.enable(false);
        assertFalse(onNewThread(BackgroundPriority::apply));
        assertEquals(Thread.NORM_PRIORITY, (int) onNewThread(() -> {
            BackgroundPriority.apply();
            return Thread.currentThread().getPriority();
        }));
    }

    @Test
    void lowersOnlyTheCallingThreadOnLinux() throws Exception {
        assumeTrue(Files.isSymbolicLink(Path.of("/proc/thread-self")), "Linux /proc needed");
        int mine = BackgroundPriority.currentNice();
        int[] seen = onNewThread(() -> {
            boolean lowered = BackgroundPriority.lowerCurrentThread();
            int after = BackgroundPriority.currentNice();
            // a thread started from a lowered thread inherits its nice value
            int[] child = new int[1];
            Thread c = new Thread(() -> {
                try {
                    child[0] = BackgroundPriority.currentNice();
                } catch (java.io.IOException e) {
                    child[0] = Integer.MIN_VALUE;
                }
            });
            c.start();
            c.join();
            return new int[] {lowered ? 1 : 0, after, child[0], Thread.currentThread().getPriority()};
        });
        assertEquals(1, seen[0], "lowered");
        assertTrue(seen[1] >= BackgroundPriority.NICE, "nice after: " + seen[1]);
        assertEquals(seen[1], seen[2], "inherited by a child thread");
        assertEquals(Thread.MIN_PRIORITY, seen[3]);
        assertEquals(mine, BackgroundPriority.currentNice(), "the test thread itself is untouched");
    }

    @Test
    void daemonThreadsLowerThemselvesBeforeTheirBody() throws Exception {
        assumeTrue(Files.isSymbolicLink(Path.of("/proc/thread-self")), "Linux /proc needed");
        BackgroundPriority.enable(true);
        try {
            int[] nice = {Integer.MIN_VALUE};
            Thread t = BackgroundPriority.daemon("background-test", () -> {
                try {
                    nice[0] = BackgroundPriority.currentNice();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertTrue(t.isDaemon());
            assertEquals("background-test", t.getName());
            t.start();
            t.join();
            assertTrue(nice[0] >= BackgroundPriority.NICE, "nice in the body: " + nice[0]);
        } finally {
            BackgroundPriority.enable(false);
        }
    }

    @Test
    void jitCompilerThreadsAreLoweredOnlyWhenEnabled() throws Exception {
        assumeTrue(Files.isSymbolicLink(Path.of("/proc/thread-self")), "Linux /proc needed");
        BackgroundPriority.enable(false);
        assertEquals(List.of(), BackgroundPriority.lowerJitCompilers(), "disabled: nothing lowered");
        BackgroundPriority.enable(true);
        List<Long> tids = List.of();
        Map<Long, Integer> before = new HashMap<>();
        try {
            // The JVM starts and stops compiler threads as it likes: one may vanish between two reads.
            for (long tid : BackgroundPriority.threadsNamed(BackgroundPriority.C2_THREAD_NAME)) {
                try {
                    before.put(tid, BackgroundPriority.nice(Path.of("/proc/self/task/" + tid + "/stat")));
                } catch (java.io.IOException gone) {
                    // exited meanwhile
                }
            }
            assumeTrue(!before.isEmpty(), "a JVM with a C2 compiler thread");
            tids = BackgroundPriority.lowerJitCompilers();
            Set<Long> named = Set.copyOf(BackgroundPriority.threadsNamed(BackgroundPriority.C2_THREAD_NAME));
            for (long tid : tids) {
                assertTrue(before.containsKey(tid) || named.contains(tid), "only C2 compiler threads: " + tid);
                try {
                    int nice = BackgroundPriority.nice(Path.of("/proc/self/task/" + tid + "/stat"));
                    assertTrue(nice >= BackgroundPriority.NICE, "C2 thread " + tid + " at nice " + nice);
                } catch (java.io.IOException gone) {
                    // exited meanwhile
                }
            }
            assertTrue(tids.containsAll(named.stream().filter(before::containsKey).toList()),
                    "every C2 compiler thread that lived throughout");
            assertTrue(BackgroundPriority.currentNice() < BackgroundPriority.NICE, "the caller keeps its priority");
        } finally {
            BackgroundPriority.enable(false);
            // Give this test JVM its compiler back where allowed (raising a nice value needs privileges).
            for (long tid : tids) {
                if (before.containsKey(tid)) {
                    BackgroundPriority.renice(before.get(tid), List.of(tid));
                }
            }
        }
    }

    @Test
    void threadIdIsTheCallingThreads() throws Exception {
        assumeTrue(Files.isSymbolicLink(Path.of("/proc/thread-self")), "Linux /proc needed");
        long a = BackgroundPriority.currentTid();
        assertTrue(Files.isDirectory(Path.of("/proc/self/task/" + a)), "a thread of this process");
        assertTrue(a != onNewThread(BackgroundPriority::currentTid), "another thread has another id");
        // The JVM gives a thread's name to the kernel (cut to 15 characters), where threadsNamed finds it.
        String name = "tidprobe" + a % 10_000_000;
        List<?> found = onNewThread(() -> {
            Thread.currentThread().setName(name);
            return List.of(BackgroundPriority.currentTid(), BackgroundPriority.threadsNamed(name));
        });
        assertEquals(List.of(found.get(0)), found.get(1));
    }
}
