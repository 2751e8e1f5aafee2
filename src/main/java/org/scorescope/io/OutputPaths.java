package org.scorescope.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Checks output paths before a command does any work, so that a bad {@code --out} costs nothing and can never
 * destroy an input. Collect the inputs first, then check each output:
 *
 * <pre>{@code
 * OutputPaths paths = new OutputPaths().input("--model", modelFile).input("--points", pointsFile);
 * paths.checkFile("--out", out);                                   // one output file
 * paths.checkDirectory("--out", dir, List.of("model.json", ...));  // a folder and the files written into it
 * }</pre>
 *
 * <p>A file output is refused when its path is empty, names a directory or something other than a regular file
 * (such as {@code /dev/null}), is read-only, lies in a directory that does not exist or cannot be written, or
 * resolves to one of the inputs (the same file by {@link Files#isSameFile}, which also catches symbolic and hard
 * links, or the same real path when the output does not exist yet). Every refusal is an
 * {@link OutputPathException} with a one-line message naming the option and the path.
 */
public final class OutputPaths {
    private final List<String> inputOptions = new ArrayList<>();
    private final List<Path> inputPaths = new ArrayList<>();

    /**
     * Registers an input that no output may resolve to.
     *
     * @param option the option that named it, for messages ({@code --points})
     * @param path   the input; null (an option not given) is ignored
     * @return this
     */
    public OutputPaths input(String option, Path path) {
        if (path != null) {
            inputOptions.add(option);
            inputPaths.add(path);
        }
        return this;
    }

    /**
     * Checks an output file that will be created or replaced.
     *
     * @param option the option that named it ({@code --out})
     * @param out    the path as given
     * @throws OutputPathException if the path cannot or must not be written
     */
    public void checkFile(String option, Path out) throws OutputPathException {
        String shown = option + " " + out;
        if (out == null || out.toString().isBlank()) {
            throw new OutputPathException(option + ": empty path; name an output file");
        }
        if (Files.isDirectory(out)) {
            throw new OutputPathException(shown + ": is a directory; name a file");
        }
        boolean exists = Files.exists(out);
        if (exists && !Files.isRegularFile(out)) {
            throw new OutputPathException(shown + ": exists and is not a regular file");
        }
        Path parent = out.toAbsolutePath().normalize().getParent();
        if (parent == null) {
            throw new OutputPathException(shown + ": is a directory; name a file");
        }
        checkWritableDirectory(shown, parent);
        if (exists && !Files.isWritable(out)) {
            throw new OutputPathException(shown + ": permission denied (the file is read-only)");
        }
        checkNotAnInput(shown, out);
    }

    /**
     * Checks an output folder (created later if needed) and the files that will be written into it.
     *
     * @param option the option that named it ({@code --out})
     * @param dir    the folder as given
     * @param names  the file names that will be written into it
     * @throws OutputPathException if the folder or one of the files cannot or must not be written
     */
    public void checkDirectory(String option, Path dir, Collection<String> names) throws OutputPathException {
        String shown = option + " " + dir;
        if (dir == null || dir.toString().isBlank()) {
            throw new OutputPathException(option + ": empty path; name an output folder");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new OutputPathException(shown + ": exists and is not a directory");
        }
        if (Files.isDirectory(dir)) {
            if (!Files.isWritable(dir)) {
                throw new OutputPathException(shown + ": permission denied (cannot create files in it)");
            }
        } else {
            // It will be created: the nearest existing ancestor must be a writable directory.
            Path p = dir.toAbsolutePath().normalize().getParent();
            while (p != null && !Files.exists(p)) {
                p = p.getParent();
            }
            if (p == null || !Files.isDirectory(p)) {
                throw new OutputPathException(shown + ": cannot be created (" + p + " is not a directory)");
            }
            if (!Files.isWritable(p)) {
                throw new OutputPathException(shown + ": permission denied (cannot create it in " + p + ")");
            }
        }
        for (String name : names) {
            Path f = dir.resolve(name);
            String fShown = option + " " + f;
            if (Files.isDirectory(f)) {
                throw new OutputPathException(fShown + ": is a directory; the output file cannot replace it");
            }
            if (Files.exists(f) && !Files.isRegularFile(f)) {
                throw new OutputPathException(fShown + ": exists and is not a regular file");
            }
            checkNotAnInput(fShown, f);
        }
    }

    private static void checkWritableDirectory(String shown, Path dir) throws OutputPathException {
        if (!Files.exists(dir)) {
            throw new OutputPathException(shown + ": directory " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new OutputPathException(shown + ": " + dir + " is not a directory");
        }
        if (!Files.isWritable(dir)) {
            throw new OutputPathException(shown + ": permission denied (cannot create files in " + dir + ")");
        }
    }

    private void checkNotAnInput(String shown, Path out) throws OutputPathException {
        for (int i = 0; i < inputPaths.size(); i++) {
            if (sameFile(out, inputPaths.get(i))) {
                throw new OutputPathException(shown + ": is the same file as " + inputOptions.get(i)
                        + "; choose another output so the input is not overwritten");
            }
        }
    }

    /**
     * Whether two paths name the same file: by file identity when both exist, otherwise by real path of the
     * parent plus the name (an output that does not exist yet may still be spelled differently from an input).
     */
    static boolean sameFile(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
            return canonical(a).equals(canonical(b));
        } catch (IOException e) {
            return false;
        }
    }

    private static Path canonical(Path p) throws IOException {
        Path abs = p.toAbsolutePath().normalize();
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            return abs.toRealPath();
        }
        Path parent = abs.getParent();
        if (parent != null && Files.exists(parent)) {
            return parent.toRealPath().resolve(abs.getFileName());
        }
        return abs;
    }
}
