package org.scorescope.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.scorescope.io.Inputs;
import org.scorescope.io.TextLineException;
import org.scorescope.io.Utf8LineReader;

/**
 * Point sets as CSV: one point per line, {@code dim} comma-separated decimal numbers, optionally preceded by one
 * header line.
 *
 * <p>Reading rules: the first non-blank line is a header if any of its fields is a non-empty non-number; any
 * later non-numeric line is an error. Every data line must have exactly {@code dim} fields; whitespace around fields is
 * ignored; blank lines are skipped; NaN, infinities and values that overflow a double are rejected; a UTF-8
 * byte-order mark is ignored. The whole input is parsed before anything is returned, so a bad line never yields a
 * partial point set. A file is read as strict UTF-8 (an invalid byte sequence or a NUL byte is reported with its
 * line) and is bounded by {@link org.scorescope.io.InputLimits} while it is read. Writing uses {@link Double#toString(double)}, which reads back bit-exactly.
 */
public final class PointsCsv {
    /** Plain decimal numbers, optionally with an exponent; no hex, no type suffixes. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");
    /** Spellings of non-finite values, recognised so that they are reported as such rather than as a header. */
    private static final Pattern NON_FINITE = Pattern.compile("(?i)[+-]?(?:nan|inf|infinity)");

    private PointsCsv() {
    }

    /**
     * Reads a point file (UTF-8).
     *
     * @param file the CSV file
     * @param dim  the number of columns every point must have, ≥ 1
     * @return n × dim points, n ≥ 1
     * @throws CsvFormatException naming the file, the line and the reason if the content is invalid
     * @throws IOException        if the file cannot be read
     */
    public static double[][] read(Path file, int dim) throws IOException {
        checkDim(dim);
        try (InputStream in = Inputs.open(file)) {
            Utf8LineReader lines = new Utf8LineReader(in, Inputs.MAX_LINE_BYTES);
            return parse(lines::readLine, dim);
        } catch (CsvFormatException e) {
            throw new CsvFormatException(String.valueOf(file.getFileName()), e.line(), e.reason());
        } catch (TextLineException e) {
            throw new CsvFormatException(String.valueOf(file.getFileName()), e.line(), e.reason());
        }
    }

    /**
     * Reads points from a character stream (which is consumed but not closed).
     *
     * @param in  the CSV text
     * @param dim the number of columns every point must have, ≥ 1
     * @return n × dim points, n ≥ 1
     * @throws CsvFormatException naming the line and the reason if the content is invalid
     * @throws IOException        if reading fails
     */
    public static double[][] read(Reader in, int dim) throws IOException {
        checkDim(dim);
        BufferedReader br = in instanceof BufferedReader b ? b : new BufferedReader(in);
        return parse(br::readLine, dim);
    }

    /** A source of lines; null at the end. */
    @FunctionalInterface
    private interface Lines {
        String next() throws IOException;
    }

    private static void checkDim(int dim) {
        if (dim < 1) {
            throw new IllegalArgumentException("dim: must be at least 1, found " + dim);
        }
    }

    private static double[][] parse(Lines lines, int dim) throws IOException {
        List<double[]> rows = new ArrayList<>();
        boolean sawHeader = false;
        int lineNo = 0;
        String line;
        while ((line = lines.next()) != null) {
            lineNo++;
            if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split(",", -1);
            boolean first = rows.isEmpty() && !sawHeader;
            if (first && !looksLikeData(fields)) {
                if (fields.length != dim) {
                    throw new CsvFormatException(lineNo, "header has " + fields.length + " columns, expected " + dim);
                }
                sawHeader = true;
                continue;
            }
            if (fields.length != dim) {
                throw new CsvFormatException(lineNo, "expected " + dim + " columns, found " + fields.length);
            }
            double[] row = new double[dim];
            for (int j = 0; j < dim; j++) {
                row[j] = parseField(fields[j].strip(), lineNo, j + 1);
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new CsvFormatException(0, sawHeader ? "no data rows after the header" : "file is empty");
        }
        return rows.toArray(new double[0][]);
    }

    /**
     * Atomically writes a point file (UTF-8, {@code \n} line ends) via {@link AtomicFiles}.
     *
     * @param file   the file to create or replace
     * @param points n × d points, n ≥ 1, all finite, all rows of the same length
     * @param header optional column names (exactly d of them, or none for no header line)
     * @throws IOException if writing fails; the previous file content is then unchanged
     */
    public static void write(Path file, double[][] points, String... header) throws IOException {
        validate(points, header);
        AtomicFiles.write(file, w -> writeValidated(w, points, header));
    }

    /**
     * Atomically writes a point file from interleaved coordinates ({@code xy[i·dim + j]} is coordinate j of point
     * i), without first building one array per point; the format is that of {@link #write(Path, double[][], String...)}.
     *
     * @param file   the file to create or replace
     * @param xy     n·dim finite values, n ≥ 1
     * @param dim    coordinates per point, ≥ 1
     * @param header optional column names (exactly dim of them, or none)
     * @throws IOException if writing fails; the previous file content is then unchanged
     */
    public static void writeInterleaved(Path file, double[] xy, int dim, String... header) throws IOException {
        checkDim(dim);
        if (xy.length == 0 || xy.length % dim != 0) {
            throw new IllegalArgumentException("xy: expected a positive multiple of " + dim + " values, found "
                    + xy.length);
        }
        for (int i = 0; i < xy.length; i++) {
            if (!Double.isFinite(xy[i])) {
                throw new IllegalArgumentException("points[" + i / dim + "][" + i % dim + "]: not finite (" + xy[i] + ")");
            }
        }
        validate(new double[][] {java.util.Arrays.copyOf(xy, dim)}, header);
        AtomicFiles.write(file, out -> {
            if (header.length > 0) {
                out.write(String.join(",", header));
                out.write('\n');
            }
            StringBuilder sb = new StringBuilder(64);
            for (int i = 0; i < xy.length; i += dim) {
                sb.setLength(0);
                for (int j = 0; j < dim; j++) {
                    if (j > 0) {
                        sb.append(',');
                    }
                    sb.append(xy[i + j]);
                }
                sb.append('\n');
                out.append(sb);
            }
            out.flush();
        });
    }

    /**
     * Writes points as CSV to a character stream (flushed, not closed).
     *
     * @param out    destination
     * @param points n × d points, n ≥ 1, all finite, all rows of the same length
     * @param header optional column names (exactly d of them, or none for no header line)
     * @throws IOException if writing fails
     */
    public static void write(Writer out, double[][] points, String... header) throws IOException {
        validate(points, header);
        writeValidated(out, points, header);
    }

    private static void writeValidated(Writer out, double[][] points, String[] header) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        if (header.length > 0) {
            out.write(String.join(",", header));
            out.write('\n');
        }
        for (double[] row : points) {
            sb.setLength(0);
            for (int j = 0; j < row.length; j++) {
                if (j > 0) {
                    sb.append(',');
                }
                sb.append(row[j]);
            }
            sb.append('\n');
            out.append(sb);
        }
        out.flush();
    }

    private static void validate(double[][] points, String[] header) {
        if (points.length == 0) {
            throw new IllegalArgumentException("points: nothing to write (a point file needs at least one row)");
        }
        int dim = points[0].length;
        if (dim == 0) {
            throw new IllegalArgumentException("points[0]: a point needs at least one coordinate");
        }
        for (int i = 0; i < points.length; i++) {
            if (points[i].length != dim) {
                throw new IllegalArgumentException("points[" + i + "]: expected " + dim + " coordinates like points[0], found "
                        + points[i].length);
            }
            for (int j = 0; j < dim; j++) {
                if (!Double.isFinite(points[i][j])) {
                    throw new IllegalArgumentException("points[" + i + "][" + j + "]: not finite (" + points[i][j] + ")");
                }
            }
        }
        if (header.length == 0) {
            return;
        }
        if (header.length != dim) {
            throw new IllegalArgumentException("header: expected " + dim + " names (one per column), found " + header.length);
        }
        for (int j = 0; j < dim; j++) {
            String h = header[j];
            if (h == null || h.isBlank() || h.indexOf(',') >= 0 || h.indexOf('\n') >= 0 || h.indexOf('\r') >= 0
                    || !h.equals(h.strip())) {
                throw new IllegalArgumentException("header[" + j + "]: '" + h
                        + "' must be non-blank without commas, line breaks or surrounding spaces");
            }
        }
        if (allNumeric(header)) {
            // It would be read back as a data row.
            throw new IllegalArgumentException("header: at least one name must not be a number, found "
                    + String.join(",", header));
        }
    }

    private static boolean allNumeric(String[] fields) {
        for (String f : fields) {
            String t = f.strip();
            if (!NUMBER.matcher(t).matches() && !NON_FINITE.matcher(t).matches()) {
                return false;
            }
        }
        return true;
    }

    /**
     * A first line is data unless some field is a non-empty non-number: "1," is a data line with an empty
     * field (reported as such), not a header with an empty name.
     */
    private static boolean looksLikeData(String[] fields) {
        for (String f : fields) {
            String t = f.strip();
            if (!t.isEmpty() && !NUMBER.matcher(t).matches() && !NON_FINITE.matcher(t).matches()) {
                return false;
            }
        }
        return true;
    }

    private static double parseField(String t, int lineNo, int column) throws CsvFormatException {
        if (t.isEmpty()) {
            throw new CsvFormatException(lineNo, "column " + column + " is empty");
        }
        if (NON_FINITE.matcher(t).matches()) {
            throw new CsvFormatException(lineNo, "column " + column + ": non-finite value '" + t + "'");
        }
        if (!NUMBER.matcher(t).matches()) {
            throw new CsvFormatException(lineNo, "column " + column + ": '" + t + "' is not a number");
        }
        double v = Double.parseDouble(t);
        if (Double.isInfinite(v)) {
            throw new CsvFormatException(lineNo, "column " + column + ": '" + t + "' overflows a double");
        }
        return v;
    }
}
