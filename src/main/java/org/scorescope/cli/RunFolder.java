package org.scorescope.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scorescope.data.AtomicFiles;
import org.scorescope.io.OutputPathException;
import org.scorescope.io.OutputPaths;
import org.scorescope.model.ModelFile;
import org.scorescope.model.ModelState;
import org.scorescope.train.SessionFile;

/**
 * The folder a training run writes: {@value #MODEL}, {@value #METRICS} and the session, checked before training
 * starts ({@link #check}) and replaced as one set ({@link #write}), so that a bad {@code --out} costs no training
 * time and a kill at any moment leaves the previous run's files or this run's, never a mix. Writing the same set
 * every N steps gives resumable checkpoints for free.
 */
public final class RunFolder {
    /** The model file. */
    public static final String MODEL = "model.json";
    /** The per-step metrics. */
    public static final String METRICS = "metrics.csv";
    /** The session the desktop app opens. */
    public static final String SESSION = "session" + SessionFile.EXTENSION;

    private RunFolder() {
    }

    /** @return the names of the files in a run folder, in the order they are written */
    public static List<String> names() {
        return List.of(MODEL, METRICS, SESSION);
    }

    /**
     * Checks {@code --out} before any work: not empty, a folder (or creatable as one) that can be written, and
     * none of its files is one of the run's inputs.
     *
     * @param out    the folder
     * @param points {@code --points}, or null
     * @param init   {@code --init}, or null
     * @throws OutputPathException with a one-line message naming the option and path
     */
    public static void check(Path out, Path points, Path init) throws OutputPathException {
        new OutputPaths().input("--points", points).input("--init", init).checkDirectory("--out", out, names());
    }

    /**
     * Creates the folder if needed and replaces its three files as one set (see {@link AtomicFiles#writeSet}).
     *
     * @param out     the folder
     * @param model   the trained model
     * @param metrics the complete content of the metrics file
     * @param session the session
     * @throws IOException if anything cannot be written; the previous files are then unchanged
     */
    public static void write(Path out, ModelState model, CharSequence metrics, SessionFile.Session session)
            throws IOException {
        write(out, model, w -> w.append(metrics), session);
    }

    /**
     * As {@link #write(Path, ModelState, CharSequence, SessionFile.Session)} with the metrics streamed by
     * {@code metrics} (a long run's rows come from disk, not memory).
     *
     * @param out     the folder
     * @param model   the trained model
     * @param metrics writes the complete content of the metrics file
     * @param session the session
     * @throws IOException if anything cannot be written; the previous files are then unchanged
     */
    public static void write(Path out, ModelState model, AtomicFiles.WriterAction metrics, SessionFile.Session session)
            throws IOException {
        Files.createDirectories(out);
        String modelJson = ModelFile.toJson(model.toSpec());
        String sessionJson = SessionFile.toJson(session);
        Map<String, AtomicFiles.WriterAction> files = new LinkedHashMap<>();
        files.put(MODEL, w -> w.write(modelJson));
        files.put(METRICS, metrics);
        files.put(SESSION, w -> w.write(sessionJson));
        AtomicFiles.writeSet(out, files);
    }
}
