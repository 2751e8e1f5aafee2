package org.scorescope.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files atomically: the content goes to a temporary file in the target's directory, is flushed to disk,
 * and then replaces the target with an atomic rename. Readers therefore see either the old file or the complete
 * new one, never a half-written file, and a failure while writing leaves the old file untouched.
 */
public final class AtomicFiles {

    /** Produces the content of a file on a character stream. */
    @FunctionalInterface
    public interface WriterAction {
        /**
         * @param out the UTF-8 stream to write to; do not close it
         * @throws IOException on failure, which aborts the write and keeps the old file
         */
        void write(Writer out) throws IOException;
    }

    /** Produces the content of a file on a byte stream. */
    @FunctionalInterface
    public interface StreamAction {
        /**
         * @param out the stream to write to; do not close it
         * @throws IOException on failure, which aborts the write and keeps the old file
         */
        void write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Atomically replaces {@code target} with the given text, encoded as UTF-8.
     *
     * @param target file to create or replace; its directory must exist
     * @param text   the complete new content
     * @throws IOException if writing or the final rename fails (the old file is then unchanged)
     */
    public static void writeString(Path target, String text) throws IOException {
        write(target, (Writer w) -> w.write(text));
    }

    /**
     * Atomically replaces {@code target} with the characters written by {@code action}, encoded as UTF-8.
     *
     * @param target file to create or replace; its directory must exist
     * @param action writes the complete new content
     * @throws IOException if the action, the write or the final rename fails (the old file is then unchanged)
     */
    public static void write(Path target, WriterAction action) throws IOException {
        writeBytes(target, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            action.write(w);
            w.flush();
        });
    }

    /**
     * Atomically replaces {@code target} with the bytes written by {@code action}.
     *
     * @param target file to create or replace; its directory must exist
     * @param action writes the complete new content
     * @throws IOException if the action, the write or the final rename fails (the old file is then unchanged)
     */
    public static void writeBytes(Path target, StreamAction action) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException(target + ": directory " + dir + " does not exist");
        }
        if (Files.isDirectory(absolute)) {
            throw new IOException(target + ": is a directory");
        }
        Path temp = createTemp(dir, absolute.getFileName().toString());
        boolean moved = false;
        try {
            keepPermissions(absolute, temp);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(ch);
                action.write(out);
                out.flush();
                // Without the fsync a crash right after the rename could leave an empty file under the new name.
                ch.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** A replaced file keeps its POSIX permissions (e.g. a private 0600 file stays private). */
    private static void keepPermissions(Path existing, Path temp) throws IOException {
        if (Files.exists(existing) && Files.getFileStore(temp).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(existing));
        }
    }

    /**
     * Creates the temporary file next to the target so the rename stays on one file system. Unlike
     * {@link Files#createTempFile} this keeps the default (umask) permissions, which the final file inherits.
     */
    private static Path createTemp(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            long tag = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
            Path temp = dir.resolve("." + name + "." + Long.toString(tag, 36) + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }
}
