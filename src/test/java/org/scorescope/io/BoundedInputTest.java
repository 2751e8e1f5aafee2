package org.scorescope.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorescope.data.CsvFormatException;
import org.scorescope.data.PointsCsv;
import org.scorescope.model.ModelFile;

class BoundedInputTest {
    @TempDir
    Path dir;

    @AfterEach
    void resetLimit() {
        InputLimits.reset();
    }

    /** Never ends and never repeats a line end: what /dev/zero looks like to a reader, minus the NULs. */
    private static InputStream endless(byte fill) {
        return new InputStream() {
            @Override
            public int read() {
                return fill;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, fill);
                return len;
            }
        };
    }

    @Test
    void stopsAtTheLimitWhileReading() {
        InputStream in = new BoundedInputStream(endless((byte) '1'), "endless.csv", 1000);
        InputTooLargeException e = assertThrows(InputTooLargeException.class, () -> in.readAllBytes());
        assertTrue(e.getMessage().startsWith("endless.csv: larger than the input limit of 1 MB (raise it with "),
                e.getMessage());
    }

    @Test
    void regularFilesOverTheLimitFailBeforeReading() throws IOException {
        Path f = dir.resolve("big.csv");
        Files.write(f, new byte[(1 << 20) + 10]);
        InputLimits.set(1, "--max-input-mb N");
        InputTooLargeException e = assertThrows(InputTooLargeException.class, () -> PointsCsv.read(f, 2));
        assertEquals(f + ": larger than the input limit of 1 MB (raise it with --max-input-mb N)", e.getMessage());
        assertThrows(InputTooLargeException.class, () -> ModelFile.read(f));
    }

    @Test
    void devZeroFailsFastWithOneLine() throws IOException {
        Path zero = Path.of("/dev/zero");
        if (!Files.exists(zero)) {
            return;
        }
        long t0 = System.nanoTime();
        CsvFormatException csv = assertThrows(CsvFormatException.class, () -> PointsCsv.read(zero, 2));
        assertTrue(csv.getMessage().contains("line 1: "), csv.getMessage());
        IOException model = assertThrows(IOException.class, () -> ModelFile.read(zero));
        assertTrue(model.getMessage().startsWith("/dev/zero: not UTF-8 text"), model.getMessage());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "took too long");
    }

    @Test
    void linesAreStrictUtf8WithTheirNumbers() throws IOException {
        byte[] text = "a,b\r\n1,2\n\u00e9,3\n".getBytes(StandardCharsets.UTF_8);
        Utf8LineReader r = new Utf8LineReader(new ByteArrayInputStream(text), 100);
        assertEquals("a,b", r.readLine());
        assertEquals("1,2", r.readLine());
        assertEquals("\u00e9,3", r.readLine());
        assertNull(r.readLine());
        assertEquals(3, r.lineNumber());

        byte[] bad = {'1', ',', '2', '\n', '3', ',', (byte) 0xC3, '4', '\n'};
        Utf8LineReader b = new Utf8LineReader(new ByteArrayInputStream(bad), 100);
        b.readLine();
        TextLineException e = assertThrows(TextLineException.class, b::readLine);
        assertEquals("line 2: invalid UTF-8 at byte 3 of the line (save the file as UTF-8)", e.getMessage());

        Utf8LineReader longLine = new Utf8LineReader(endless((byte) 'x'), 50);
        assertEquals("line 1: longer than 50 bytes (is this a binary file?)",
                assertThrows(TextLineException.class, longLine::readLine).getMessage());
    }

    @Test
    void aFileWithInvalidUtf8NamesFileAndLine() throws IOException {
        Path f = dir.resolve("latin1.csv");
        Files.write(f, new byte[] {'x', ',', 'y', '\n', '1', ',', '2', '\n', (byte) 0xE9, ',', '3', '\n'});
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> PointsCsv.read(f, 2));
        assertEquals("latin1.csv: line 3: invalid UTF-8 at byte 1 of the line (save the file as UTF-8)", e.getMessage());
    }

    @Test
    void utf16JsonIsRefused() throws IOException {
        Path f = dir.resolve("m.json");
        Files.write(f, "{\"format\": 1}".getBytes(StandardCharsets.UTF_16));
        IOException e = assertThrows(IOException.class, () -> ModelFile.read(f));
        assertEquals(f + ": not UTF-8 text (a UTF-16 byte-order mark); save the file as UTF-8", e.getMessage());
        Files.write(f, "{\"format\": 1}".getBytes(StandardCharsets.UTF_16LE));
        assertTrue(assertThrows(IOException.class, () -> ModelFile.read(f)).getMessage().contains("NUL bytes"));
    }

    @Test
    void aDirectoryIsNotAnInput() {
        IOException e = assertThrows(IOException.class, () -> PointsCsv.read(dir, 2));
        assertEquals(dir + ": is a directory, expected a file", e.getMessage());
    }

    @Test
    void readsFromAFifo() throws Exception {
        Path fifo = dir.resolve("points.fifo");
        try {
            if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() != 0) {
                return;
            }
        } catch (IOException e) {
            return; // no mkfifo on this platform
        }
        Thread writer = new Thread(() -> {
            try {
                Files.writeString(fifo, "x,y\n1,2\n3,4\n");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        assertEquals(2, PointsCsv.read(fifo, 2).length);
        writer.join();
    }

    @Test
    void readStringIsStrictAndBounded() throws IOException {
        Path f = dir.resolve("session.scorescope");
        Files.write(f, new byte[] {'{', '\r', '\n', '"', 'a', '"', ':', ' ', (byte) 0xC0, '}', '\n'});
        assertEquals("session.scorescope: line 2: invalid UTF-8 at byte 6 of the line (save the file as UTF-8)",
                assertThrows(IOException.class, () -> Inputs.readString(f)).getMessage());
        Files.writeString(f, "{\r\n\"a\": 1}");
        assertEquals("{\n\"a\": 1}\n", Inputs.readString(f));
        InputLimits.set(1, "--max-input-mb N");
        Files.write(f, new byte[(1 << 20) + 1]);
        assertThrows(InputTooLargeException.class, () -> Inputs.readString(f));
    }

    @Test
    void jsonMessagesLoseParserInternals() {
        assertEquals("unexpected content after the end of the document", JsonText.clean("Trailing token (of type "
                + "START_OBJECT) found after value (bound as `com.fasterxml.jackson.databind.JsonNode`): not allowed as "
                + "per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`"));
        assertEquals("Unexpected end-of-input: expected close marker for Array (opened at line 3, column 5)",
                JsonText.clean("Unexpected end-of-input: expected close marker for Array (start marker at [Source: "
                        + "REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 3, column: 5])"));
    }
}
