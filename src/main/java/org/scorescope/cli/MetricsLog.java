package org.scorescope.cli;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.scorescope.train.Trainer;

/**
 * The rows of metrics.csv as a run goes: {@code step,loss,fisher,grad_norm,ms_per_step,nll}, one row per step
 * appended to a spool file in the temporary folder, so the full per-step record costs disk, not memory (the
 * trainer's in-memory history is decimated). {@link #copyTo} writes the file's content up to a step (rows after a
 * divergence's restore point are dropped) with the final held-out NLL on the last row; the run folder's atomic
 * set-write calls it. Deleted on {@link #close}. One thread.
 */
final class MetricsLog implements AutoCloseable {
    static final String HEADER = "step,loss,fisher,grad_norm,ms_per_step,nll";

    private final Path spool;
    private final BufferedWriter out;

    /**
     * Starts the log with the history a run already has: step 0 (the initial Fisher divergence) for a fresh run,
     * or a resumed session's rows.
     *
     * @param h the history so far
     * @throws IOException if the spool file cannot be created
     */
    MetricsLog(Trainer.History h) throws IOException {
        spool = Files.createTempFile("scorescope-metrics", ".csv");
        out = Files.newBufferedWriter(spool, StandardCharsets.UTF_8);
        out.write(HEADER);
        out.write('\n');
        if (!Double.isNaN(h.initialFisher()) && (h.steps().length == 0 || h.steps()[0] > 0)) {
            row(0, Double.NaN, h.initialFisher(), Double.NaN, Double.NaN, Double.NaN);
        }
        for (int i = 0; i < h.steps().length; i++) {
            row((long) h.steps()[i], h.losses()[i], h.fishers()[i], h.gradNorms()[i], Double.NaN, h.nlls()[i]);
        }
    }

    /**
     * Appends one step's row; NaN values are written as empty fields.
     *
     * @param step     step number
     * @param loss     loss
     * @param fisher   Fisher divergence evaluated at this step, or NaN
     * @param gradNorm gradient norm
     * @param ms       wall time of the step in milliseconds, or NaN
     * @param nll      held-out NLL evaluated at this step, or NaN
     * @throws IOException if the spool cannot be written
     */
    void row(long step, double loss, double fisher, double gradNorm, double ms, double nll) throws IOException {
        out.write(Long.toString(step));
        out.write(',');
        out.write(field(loss));
        out.write(',');
        out.write(field(fisher));
        out.write(',');
        out.write(field(gradNorm));
        out.write(',');
        out.write(Double.isNaN(ms) ? "" : String.format(Locale.ROOT, "%.4f", ms));
        out.write(',');
        out.write(field(nll));
        out.write('\n');
    }

    private static String field(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    /**
     * Writes the rows up to {@code lastStep}, the last of them with {@code finalNll} in its nll column when that is
     * not NaN.
     *
     * @param w        where to write
     * @param lastStep the run's step now; later rows (a divergence's blown-up steps) are left out
     * @param finalNll the held-out NLL at the end, or NaN to keep the rows as they are
     * @throws IOException if the spool cannot be read or {@code w} written
     */
    void copyTo(Writer w, long lastStep, double finalNll) throws IOException {
        out.flush();
        try (BufferedReader r = Files.newBufferedReader(spool, StandardCharsets.UTF_8)) {
            w.write(r.readLine());
            w.write('\n');
            String previous = null;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                int comma = line.indexOf(',');
                if (Long.parseLong(line.substring(0, comma)) > lastStep) {
                    break;
                }
                if (previous != null) {
                    w.write(previous);
                    w.write('\n');
                }
                previous = line;
            }
            if (previous != null) {
                if (!Double.isNaN(finalNll)) {
                    previous = previous.substring(0, previous.lastIndexOf(',') + 1) + finalNll;
                }
                w.write(previous);
                w.write('\n');
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            out.close();
        } finally {
            Files.deleteIfExists(spool);
        }
    }
}
