package org.scorescope.data;

import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files atomically: the content goes to a temporary file in the target's directory, is flushed to disk,
 * and then replaces the target with an atomic rename. Readers therefore see either the old file or the complete
 * new one, never a half-written file, and a failure while writing leaves the old file untouched. File-system errors
 * name the target the caller asked for, never the temporary file. {@link #writeSet} extends this to several files
 * that must change together.
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
        removeStaleTemps(dir, absolute.getFileName().toString());
        Path temp = createTemp(target, dir, "." + absolute.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            keepPermissions(absolute, temp);
            writeSynced(target, temp, action);
            move(target, temp, absolute);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** A temporary this old belongs to no live writer: writers fill their temporary without pause. */
    private static final long STALE_TEMP_MILLIS = 60_000;

    /**
     * Deletes temporaries of the same target that a killed writer left behind. Only old ones go, so a writer in
     * another process that is filling its temporary right now is not disturbed.
     */
    private static void removeStaleTemps(Path dir, String name) {
        long cutoff = System.currentTimeMillis() - STALE_TEMP_MILLIS;
        String prefix = "." + name + ".";
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".tmp") && n.indexOf('.', prefix.length()) == n.length() - 4;
        })) {
            for (Path p : ds) {
                if (Files.getLastModifiedTime(p).toMillis() < cutoff) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // Cleanup is a courtesy; the write itself must not fail because of it.
        }
    }

    /** Writes a temporary file and forces it to disk; file-system errors name the target, not the temporary. */
    private static void writeSynced(Path target, Path temp, StreamAction action) throws IOException {
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            OutputStream out = new NamingOutputStream(Channels.newOutputStream(ch), target);
            action.write(out);
            out.flush();
            // Without the fsync a crash right after the rename could leave an empty file under the new name.
            ch.force(true);
        } catch (FileSystemException e) {
            throw renamed(e, target);
        }
    }

    private static void move(Path target, Path from, Path to) throws IOException {
        try {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (FileSystemException e) {
            throw renamed(e, target);
        }
    }

    /** The same failure, reported for the file the user asked for rather than its temporary stand-in. */
    private static IOException renamed(FileSystemException e, Path target) {
        String reason = e.getReason();
        if (e instanceof AccessDeniedException) {
            return new AccessDeniedException(target.toString(), null,
                    reason != null ? reason : "cannot write in " + target.toAbsolutePath().getParent());
        }
        return new FileSystemException(target.toString(), null, reason != null ? reason : e.getClass().getSimpleName());
    }

    /**
     * Write errors from the stream itself (a full disk) come without a file name; this names the target so the
     * message says which output failed.
     */
    private static final class NamingOutputStream extends FilterOutputStream {
        private final Path target;

        NamingOutputStream(OutputStream out, Path target) {
            super(out);
            this.target = target;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw name(e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw name(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw name(e);
            }
        }

        private IOException name(IOException e) {
            return new IOException(target + ": " + (e.getMessage() != null ? e.getMessage() : "write failed"), e);
        }
    }

    /**
     * Replaces several files in {@code dir} as one set: after a crash or a kill at any moment, and the
     * {@link #recover} that the next set write (or any caller) runs, the folder holds either every old file or
     * every new one, never a mix, and no temporaries. The new files are written to temporaries and forced to disk,
     * a journal listing them is committed, the temporaries are renamed into place and the manifest
     * {@code .scorescope-manifest} (names, sizes, SHA-256) is written last. Files of the folder that are not in the
     * set are left alone.
     *
     * @param dir   an existing folder
     * @param files file name (plain, not hidden) → its content, written as UTF-8; iteration order is write order
     * @throws IOException if any write fails; the old set is then unchanged and no temporary is left
     */
    public static void writeSet(Path dir, Map<String, WriterAction> files) throws IOException {
        Map<String, StreamAction> bytes = new LinkedHashMap<>();
        files.forEach((name, action) -> bytes.put(name, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            action.write(w);
            w.flush();
        }));
        AtomicSet.write(dir, bytes);
    }

    /**
     * As {@link #writeSet}, with byte content.
     *
     * @param dir   an existing folder
     * @param files file name → its content; iteration order is write order
     * @throws IOException if any write fails; the old set is then unchanged and no temporary is left
     */
    public static void writeSetBytes(Path dir, Map<String, StreamAction> files) throws IOException {
        AtomicSet.write(dir, new LinkedHashMap<>(files));
    }

    /**
     * Completes or discards whatever an interrupted {@link #writeSet} left in {@code dir} — finishing the renames of
     * a committed set, deleting the temporaries of an uncommitted one — and deletes orphaned temporaries of the
     * set's bookkeeping files. Safe to call at any time, also when nothing was interrupted.
     *
     * @param dir the folder (nothing happens if it does not exist)
     * @throws IOException if the folder cannot be locked or a rename fails
     */
    public static void recover(Path dir) throws IOException {
        AtomicSet.recover(dir);
    }

    /**
     * Whether {@code dir} holds a complete set: a manifest, and every file it lists with the recorded size and
     * SHA-256. A reader that must not mix generations checks this before reading the files.
     *
     * @param dir the folder
     * @return true if the manifest exists and every listed file matches it
     * @throws IOException if a file cannot be read
     */
    public static boolean verifySet(Path dir) throws IOException {
        return AtomicSet.verify(dir);
    }

    /** A replaced file keeps its POSIX permissions (e.g. a private 0600 file stays private). */
    static void keepPermissions(Path existing, Path temp) throws IOException {
        if (Files.exists(existing) && Files.getFileStore(temp).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(existing));
        }
    }

    /**
     * Creates the temporary file next to the target so the rename stays on one file system. Unlike
     * {@link Files#createTempFile} this keeps the default (umask) permissions, which the final file inherits.
     */
    private static Path createTemp(Path target, Path dir, String prefix, String suffix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            long tag = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
            Path temp = dir.resolve(prefix + Long.toString(tag, 36) + suffix);
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            } catch (FileSystemException e) {
                throw renamed(e, target);
            }
        }
    }
}
