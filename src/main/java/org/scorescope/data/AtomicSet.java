package org.scorescope.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Replaces several files in one folder as a set, with roll-forward recovery. The protocol:
 *
 * <ol>
 *   <li>take the folder's lock and {@linkplain #recover recover} what an earlier, interrupted run left;</li>
 *   <li>write every new file to a temporary {@code .NAME.GEN.set.tmp} and force it to disk;</li>
 *   <li>write the journal {@value #PENDING} (atomically) listing the files, their sizes and SHA-256 — the commit
 *       point;</li>
 *   <li>rename every temporary onto its final name;</li>
 *   <li>rename the journal to the manifest {@value #MANIFEST}, last.</li>
 * </ol>
 *
 * <p>A kill before the commit point leaves only temporaries, which recovery deletes: the old set is intact. A
 * kill after it leaves a journal, and recovery finishes the renames: the new set is complete. Renames are
 * idempotent (a temporary that is gone was already renamed), so recovery itself may be interrupted and re-run.
 * The manifest, written last, lets a reader check that the files it finds belong together.
 */
final class AtomicSet {
    /** The manifest of the last complete set. */
    static final String MANIFEST = ".scorescope-manifest";
    /** The journal of a set whose renames may not have finished. */
    static final String PENDING = ".scorescope-manifest.pending";
    /** Lock file, so two processes never interleave their sets in one folder. */
    static final String LOCK = ".scorescope-set.lock";

    private static final String HEADER = "scorescope-set 1";
    private static final Pattern SET_TEMP = Pattern.compile("^\\..+\\.[0-9a-z]+\\.set\\.tmp$");
    private static final Pattern SINGLE_TEMP = Pattern.compile("^\\.(.+)\\.[0-9a-z]+\\.tmp$");
    /** Plain file names only: no separators, no hidden names that could clash with the bookkeeping files. */
    private static final Pattern NAME = Pattern.compile("^[^./\\\\][^/\\\\]*$");
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private AtomicSet() {
    }

    static void write(Path dir, Map<String, AtomicFiles.StreamAction> files) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("files: a set needs at least one file");
        }
        for (String name : files.keySet()) {
            if (!NAME.matcher(name).matches() || name.endsWith(".tmp")) {
                throw new IllegalArgumentException("files: '" + name + "' is not a plain file name");
            }
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": directory does not exist");
        }
        withLock(dir, () -> {
            recoverLocked(dir, files.keySet());
            String gen = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
            Map<String, String> entries = new LinkedHashMap<>();
            List<Path> temps = new ArrayList<>();
            boolean committed = false;
            try {
                for (Map.Entry<String, AtomicFiles.StreamAction> f : files.entrySet()) {
                    Path target = dir.resolve(f.getKey());
                    if (Files.isDirectory(target)) {
                        throw new IOException(target + ": is a directory");
                    }
                    Path temp = dir.resolve(tempName(f.getKey(), gen));
                    temps.add(temp);
                    entries.put(f.getKey(), writeTemp(target, temp, f.getValue()));
                }
                StringBuilder journal = new StringBuilder(HEADER).append('\n').append("generation\t").append(gen)
                        .append('\n');
                entries.forEach((name, line) -> journal.append("file\t").append(line).append('\t').append(name)
                        .append('\n'));
                byte[] bytes = journal.toString().getBytes(StandardCharsets.UTF_8);
                AtomicFiles.writeBytes(dir.resolve(PENDING), out -> out.write(bytes));
                syncDirectory(dir);
                committed = true;
            } finally {
                if (!committed) {
                    for (Path t : temps) {
                        Files.deleteIfExists(t);
                    }
                }
            }
            finish(dir, new Journal(gen, entries));
            return null;
        });
    }

    /** Recovers an interrupted set in {@code dir} and removes orphaned temporaries. */
    static void recover(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        withLock(dir, () -> {
            recoverLocked(dir, List.of());
            return null;
        });
    }

    /** The manifest of the last complete set: file name → "size\tsha256", or an empty map when there is none. */
    static Map<String, String> manifest(Path dir) throws IOException {
        Path m = dir.resolve(MANIFEST);
        if (!Files.exists(m)) {
            return Map.of();
        }
        Journal j = parse(m);
        return j == null ? Map.of() : j.files;
    }

    /** Whether every file in the manifest is present with its recorded size and SHA-256. */
    static boolean verify(Path dir) throws IOException {
        Map<String, String> files = manifest(dir);
        if (files.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            if (!Files.isRegularFile(p)) {
                return false;
            }
            byte[] bytes = Files.readAllBytes(p);
            if (!f.getValue().equals(bytes.length + "\t" + HexFormat.of().formatHex(sha256().digest(bytes)))) {
                return false;
            }
        }
        return true;
    }

    private static void recoverLocked(Path dir, Iterable<String> names) throws IOException {
        Path pending = dir.resolve(PENDING);
        if (Files.exists(pending)) {
            Journal j = parse(pending);
            if (j != null) {
                finish(dir, j);
            } else {
                // Written atomically, so an unreadable journal was never a commit; its temporaries are orphans.
                Files.deleteIfExists(pending);
            }
        }
        List<String> ours = new ArrayList<>(List.of(MANIFEST, PENDING));
        names.forEach(ours::add);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                var single = SINGLE_TEMP.matcher(n);
                if (SET_TEMP.matcher(n).matches() || single.matches() && ours.contains(single.group(1))) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Renames the journal's temporaries into place (skipping those already renamed), then publishes it. */
    private static void finish(Path dir, Journal j) throws IOException {
        for (String name : j.files.keySet()) {
            Path temp = dir.resolve(tempName(name, j.generation));
            if (Files.exists(temp)) {
                try {
                    Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                } catch (FileSystemException e) {
                    throw new FileSystemException(dir.resolve(name).toString(), null,
                            e.getReason() != null ? e.getReason() : "cannot replace the file");
                }
            }
        }
        Files.move(dir.resolve(PENDING), dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(dir);
    }

    private static String tempName(String name, String gen) {
        return "." + name + "." + gen + ".set.tmp";
    }

    /** Writes one temporary, forced to disk; returns "size\tsha256". */
    private static String writeTemp(Path target, Path temp, AtomicFiles.StreamAction action) throws IOException {
        MessageDigest md = sha256();
        long[] size = {0};
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            AtomicFiles.keepPermissions(target, temp);
            OutputStream counting = new java.io.FilterOutputStream(java.nio.channels.Channels.newOutputStream(ch)) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    try {
                        out.write(b, off, len);
                    } catch (IOException e) {
                        throw new IOException(target + ": " + e.getMessage(), e);
                    }
                    size[0] += len;
                }

                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }
            };
            DigestOutputStream out = new DigestOutputStream(counting, md);
            action.write(out);
            out.flush();
            ch.force(true);
        } catch (FileSystemException e) {
            throw new FileSystemException(target.toString(), null, e.getReason() != null ? e.getReason()
                    : "cannot write");
        }
        return size[0] + "\t" + HexFormat.of().formatHex(md.digest());
    }

    /** A parsed journal or manifest; null when the text is not one. */
    private record Journal(String generation, Map<String, String> files) {
    }

    private static Journal parse(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
        if (lines.size() < 3 || !HEADER.equals(lines.get(0)) || !lines.get(1).startsWith("generation\t")) {
            return null;
        }
        String gen = lines.get(1).substring("generation\t".length());
        Map<String, String> files = new LinkedHashMap<>();
        for (String l : lines.subList(2, lines.size())) {
            String[] f = l.split("\t", 4);
            if (f.length != 4 || !f[0].equals("file") || !NAME.matcher(f[3]).matches()) {
                return null;
            }
            files.put(f[3], f[1] + "\t" + f[2]);
        }
        return new Journal(gen, files);
    }

    private interface Locked {
        Void run() throws IOException;
    }

    /**
     * Holds the folder's lock: an in-process lock (a JVM may not lock one file twice) and a file lock, which the
     * operating system releases when a killed process dies.
     */
    private static void withLock(Path dir, Locked body) throws IOException {
        Path key = dir.toAbsolutePath().normalize();
        ReentrantLock lock = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try {
            FileChannel ch;
            try {
                ch = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            } catch (FileSystemException e) {
                throw new FileSystemException(dir.toString(), null, e.getReason() != null ? e.getReason()
                        : "cannot lock the folder");
            }
            try (ch; FileLock ignored = ch.lock()) {
                body.run();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Makes the renames durable; not every platform can open a directory, which only costs durability. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort: the renames are atomic either way; only their durability on power loss is affected.
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
