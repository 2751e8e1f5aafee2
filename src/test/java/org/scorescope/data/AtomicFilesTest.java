package org.scorescope.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void createsAndReplacesWithoutLeavingTemporaries() throws IOException {
        Path f = dir.resolve("out.txt");
        AtomicFiles.writeString(f, "first ✓");
        assertEquals("first ✓", Files.readString(f));
        AtomicFiles.write(f, w -> w.write("second"));
        assertEquals("second", Files.readString(f));
        AtomicFiles.writeBytes(f, out -> out.write(new byte[] {65, 66}));
        assertEquals("AB", Files.readString(f));
        assertEquals(List.of(f), listing());
    }

    @Test
    void failureKeepsTheOldContentAndCleansUp() throws IOException {
        Path f = dir.resolve("out.txt");
        AtomicFiles.writeString(f, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, w -> {
            w.write("partial new content");
            w.flush();
            throw new IOException("disk on fire");
        }));
        assertEquals("disk on fire", e.getMessage());
        assertEquals("old", Files.readString(f));
        assertEquals(List.of(f), listing());
    }

    @Test
    void keepsPermissionsOfTheReplacedFile() throws IOException {
        Path f = dir.resolve("private.txt");
        AtomicFiles.writeString(f, "a");
        if (!Files.getFileStore(f).supportsFileAttributeView("posix")) {
            return;
        }
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        AtomicFiles.writeString(f, "b");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void missingDirectoryIsAClearError() {
        Path f = dir.resolve("no/such/dir/out.txt");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(f, "x"));
        assertEquals(f + ": directory " + f.toAbsolutePath().getParent() + " does not exist", e.getMessage());
    }

    @Test
    void writesASetWithAManifestAndReplacesItWhole() throws IOException {
        Map<String, AtomicFiles.WriterAction> first = new LinkedHashMap<>();
        first.put("a.txt", w -> w.write("a1"));
        first.put("b.txt", w -> w.write("b1"));
        AtomicFiles.writeSet(dir, first);
        assertEquals("a1", Files.readString(dir.resolve("a.txt")));
        assertTrue(AtomicFiles.verifySet(dir));

        Map<String, AtomicFiles.WriterAction> failing = new LinkedHashMap<>();
        failing.put("a.txt", w -> w.write("a2"));
        failing.put("b.txt", w -> {
            w.write("half");
            w.flush();
            throw new IOException("disk on fire");
        });
        assertEquals("disk on fire", assertThrows(IOException.class, () -> AtomicFiles.writeSet(dir, failing))
                .getMessage());
        assertEquals("a1", Files.readString(dir.resolve("a.txt")), "a failed set changes nothing");
        assertEquals("b1", Files.readString(dir.resolve("b.txt")));
        assertTrue(AtomicFiles.verifySet(dir));
        assertTrue(listing().stream().noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), listing().toString());

        AtomicFiles.writeSetBytes(dir, Map.of("a.txt", out -> out.write('A'), "b.txt", out -> out.write('B')));
        assertEquals("A", Files.readString(dir.resolve("a.txt")));
        assertEquals("B", Files.readString(dir.resolve("b.txt")));
        assertTrue(AtomicFiles.verifySet(dir));
        Files.writeString(dir.resolve("b.txt"), "tampered");
        assertFalse(AtomicFiles.verifySet(dir));
    }

    @Test
    void recoveryDeletesOrphanedTemporariesOfTheSet() throws IOException {
        AtomicFiles.writeSet(dir, Map.of("m.json", w -> w.write("{}")));
        Files.writeString(dir.resolve(".m.json.abc123.set.tmp"), "orphan of a set");
        Files.writeString(dir.resolve(".m.json.zz9.tmp"), "");
        Files.writeString(dir.resolve(".other.csv.zz9.tmp"), "someone else's");
        AtomicFiles.writeSet(dir, Map.of("m.json", w -> w.write("[]")));
        List<String> names = listing().stream().map(p -> p.getFileName().toString()).toList();
        assertFalse(names.contains(".m.json.abc123.set.tmp"), names.toString());
        assertFalse(names.contains(".m.json.zz9.tmp"), names.toString());
        assertTrue(names.contains(".other.csv.zz9.tmp"), "temporaries of files outside the set are not ours");
        AtomicFiles.recover(dir.resolve("missing"));
    }

    @Test
    void setNamesMustBePlainFileNames() {
        for (String bad : new String[] {"", "../x", "a/b", ".hidden", "x.tmp"}) {
            assertThrows(IllegalArgumentException.class, () -> AtomicFiles.writeSet(dir, Map.of(bad, w -> { })), bad);
        }
    }

    @Test
    void aWriteRemovesStaleTemporariesOfItsTarget() throws IOException {
        Path stale = Files.writeString(dir.resolve(".out.txt.k1ll3d.tmp"), "");
        Path fresh = Files.writeString(dir.resolve(".out.txt.l1ve.tmp"), "");
        Path other = Files.writeString(dir.resolve(".other.txt.k1ll3d.tmp"), "");
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 600_000));
        Files.setLastModifiedTime(other, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 600_000));
        AtomicFiles.writeString(dir.resolve("out.txt"), "x");
        assertFalse(Files.exists(stale), "a killed writer's temporary is removed");
        assertTrue(Files.exists(fresh), "a live writer's temporary is left alone");
        assertTrue(Files.exists(other), "another target's temporary is left alone");
    }

    @Test
    void permissionDeniedNamesTheTargetNotTheTemporary() throws IOException {
        Path locked = Files.createDirectory(dir.resolve("locked"));
        if (!Files.getFileStore(locked).supportsFileAttributeView("posix")) {
            return;
        }
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(locked), "running as root: nothing is denied");
            Path target = locked.resolve("out.json");
            java.nio.file.AccessDeniedException e = assertThrows(java.nio.file.AccessDeniedException.class,
                    () -> AtomicFiles.writeString(target, "x"));
            assertEquals(target.toString(), e.getFile());
            assertFalse(e.getMessage().contains(".tmp"), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
