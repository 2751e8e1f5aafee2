package org.scorescope.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at random moments while a child JVM replaces a set of files in a loop: after
 * {@link AtomicFiles#recover}, the folder holds one complete generation (never a mix, never older than a
 * generation seen before) and no temporaries.
 */
class AtomicSetKillTest {
    private static final List<String> NAMES = List.of("model.json", "metrics.csv", "session.scorescope");
    private static final int TRIES = 20;

    @TempDir
    Path dir;

    @Test
    void aKilledWriterLeavesTheOldSetOrTheNewSet() throws Exception {
        Random rnd = new Random(20261207);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        long seen = -1;
        int interrupted = 0;
        for (int t = 0; t < TRIES; t++) {
            Process p = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", cp,
                    AtomicSetChild.class.getName(), dir.toString(), Long.toString(seen + 1))
                    .redirectErrorStream(true).start();
            try {
                BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String first = r.readLine();
                assertEquals("started", first, "child did not start");
                if (t == 0) {
                    // a loaded machine may take longer than any random delay to finish a set: the first kill
                    // waits for one, so every later kill has an old set to keep
                    assertEquals("wrote one set", r.readLine());
                }
                Thread.sleep(rnd.nextInt(300));
            } finally {
                p.destroyForcibly();
                assertTrue(p.waitFor(20, TimeUnit.SECONDS), "child did not die");
            }
            if (listing().stream().anyMatch(n -> n.endsWith(".tmp") || n.equals(AtomicSet.PENDING))) {
                interrupted++;
            }
            AtomicFiles.recover(dir);
            seen = check(seen);
        }
        System.out.printf("AtomicSetKillTest: %d kills, %d left an unfinished set, last generation %d%n", TRIES,
                interrupted, seen);
        assertTrue(seen >= 0, "no set was ever completed");
    }

    /** Asserts a clean folder with one complete generation, not older than {@code seen}; returns it. */
    private long check(long seen) throws IOException {
        List<String> names = listing();
        assertFalse(names.stream().anyMatch(n -> n.endsWith(".tmp")), "orphans left: " + names);
        assertFalse(names.contains(AtomicSet.PENDING), "journal left: " + names);
        if (!names.contains(AtomicSet.MANIFEST)) {
            assertEquals(-1, seen, "a completed set disappeared");
            assertTrue(NAMES.stream().noneMatch(names::contains), "files without a manifest: " + names);
            return seen;
        }
        assertTrue(AtomicFiles.verifySet(dir), "manifest does not match the files: " + names);
        long gen = -1;
        for (String n : NAMES) {
            String head = Files.readAllLines(dir.resolve(n)).get(0);
            long g = Long.parseLong(head.substring("gen=".length()));
            if (gen < 0) {
                gen = g;
            }
            assertEquals(gen, g, "mixed generations: " + n);
        }
        assertTrue(gen >= seen, "went back from generation " + seen + " to " + gen);
        return gen;
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

}
