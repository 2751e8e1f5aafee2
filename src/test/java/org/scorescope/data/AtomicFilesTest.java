package org.scorescope.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
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
}
