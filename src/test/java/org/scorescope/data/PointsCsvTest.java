package org.scorescope.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PointsCsvTest {
    @TempDir
    Path dir;

    private static double[][] read(String text, int dim) throws IOException {
        return PointsCsv.read(new StringReader(text), dim);
    }

    private static String error(String text, int dim) {
        return assertThrows(CsvFormatException.class, () -> read(text, dim)).getMessage();
    }

    @Test
    void readsWithAndWithoutHeaderSkippingBlankLinesAndSpaces() throws IOException {
        double[][] expected = {{1.0, -2.5}, {3e-3, 4.0}};
        assertArrayEquals(expected, read("1,-2.5\n3e-3,4\n", 2));
        assertArrayEquals(expected, read("x,y\n1,-2.5\n\n  3E-3 ,\t+4.  \r\n\n", 2));
        assertArrayEquals(expected, read("\uFEFF\n\"x\", \"y\"\n1,-2.5\n.003,4", 2));
        assertArrayEquals(new double[][] {{7.0}}, read("7", 1));
    }

    @Test
    void errorsNameTheLineAndTheReason() {
        assertEquals("line 3: expected 2 columns, found 3", error("x,y\n1,2\n1,2,3\n", 2));
        assertEquals("line 4: expected 2 columns, found 1", error("1,2\n\n\n5\n", 2));
        assertEquals("line 2: column 2: 'y' is not a number", error("1,2\n3,y\n", 2));
        assertEquals("line 3: column 1: 'x' is not a number", error("x,y\n1,2\nx,y\n", 2));
        assertEquals("line 1: column 1: non-finite value 'NaN'", error("NaN,1\n", 2));
        assertEquals("line 2: column 2: non-finite value '-Infinity'", error("1,2\n3,-Infinity\n", 2));
        assertEquals("line 1: column 2: '1e999' overflows a double", error("1,1e999\n", 2));
        assertEquals("line 1: column 2 is empty", error("1,\n", 2));
        assertEquals("line 1: header has 3 columns, expected 2", error("x,y,z\n1,2\n", 2));
        assertEquals("line 2: column 1: '0x10' is not a number", error("1,2\n0x10,1\n", 2));
        assertEquals("line 2: column 2: '1f' is not a number", error("1,2\n1,1f\n", 2));
        assertEquals("file is empty", error("", 2));
        assertEquals("file is empty", error("\n  \n\n", 2));
        assertEquals("no data rows after the header", error("x,y\n\n", 2));
    }

    @Test
    void pathErrorsNameTheFile() throws IOException {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "x,y\n1,2\n1,2,3\n");
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> PointsCsv.read(f, 2));
        assertEquals("bad.csv: line 3: expected 2 columns, found 3", e.getMessage());
        assertEquals(3, e.line());
        assertEquals("expected 2 columns, found 3", e.reason());
    }

    @Test
    void roundTripIsBitExact() throws IOException {
        SplittableRandom rnd = new SplittableRandom(99);
        double[][] pts = new double[500][3];
        for (double[] p : pts) {
            for (int j = 0; j < 3; j++) {
                // Random bit patterns cover every exponent, subnormals included; skip NaN/Inf.
                double v;
                do {
                    v = Double.longBitsToDouble(rnd.nextLong());
                } while (!Double.isFinite(v));
                p[j] = v;
            }
        }
        pts[0] = new double[] {-0.0, Double.MIN_VALUE, Double.MAX_VALUE};
        pts[1] = new double[] {0.1, 1.0 / 3.0, -2.0 / 3.0};
        Path f = dir.resolve("pts.csv");
        PointsCsv.write(f, pts, "a", "b", "c");
        double[][] back = PointsCsv.read(f, 3);
        assertEquals(pts.length, back.length);
        for (int i = 0; i < pts.length; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(Double.doubleToRawLongBits(pts[i][j]), Double.doubleToRawLongBits(back[i][j]),
                        "row " + i + " col " + j);
            }
        }
        assertTrue(Files.readString(f, StandardCharsets.UTF_8).startsWith("a,b,c\n-0.0,4.9E-324,"));
        StringWriter w = new StringWriter();
        PointsCsv.write(w, new double[][] {{1.5, 2}});
        assertEquals("1.5,2.0\n", w.toString());
    }

    @Test
    void writeRejectsUnreadableContent() {
        StringWriter w = new StringWriter();
        assertEquals("points[1][0]: not finite (NaN)", assertThrows(IllegalArgumentException.class,
                () -> PointsCsv.write(w, new double[][] {{1, 2}, {Double.NaN, 1}})).getMessage());
        assertEquals("points[1]: expected 2 coordinates like points[0], found 1",
                assertThrows(IllegalArgumentException.class,
                        () -> PointsCsv.write(w, new double[][] {{1, 2}, {1}})).getMessage());
        assertEquals("header: expected 2 names (one per column), found 1",
                assertThrows(IllegalArgumentException.class,
                        () -> PointsCsv.write(w, new double[][] {{1, 2}}, "x")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PointsCsv.write(w, new double[][] {{1, 2}}, "1", "2")).getMessage().startsWith("header:"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PointsCsv.write(w, new double[][] {{1, 2}}, "x", "a,b")).getMessage().startsWith("header[1]"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PointsCsv.write(w, new double[0][])).getMessage().startsWith("points:"));
        assertEquals("", w.toString(), "nothing is written when validation fails");
    }

    @Test
    void failedWriteKeepsTheOldFile() throws IOException {
        Path f = dir.resolve("keep.csv");
        PointsCsv.write(f, new double[][] {{1, 2}});
        assertThrows(IllegalArgumentException.class, () -> PointsCsv.write(f, new double[][] {{Double.NaN, 2}}));
        assertArrayEquals(new double[][] {{1, 2}}, PointsCsv.read(f, 2));
    }

    @Test
    void exampleFilesLoad() throws IOException {
        for (String name : new String[] {"moons-200.csv", "8gaussians-200.csv"}) {
            Path f = Path.of("resources", "examples", name);
            double[][] pts = PointsCsv.read(f, 2);
            assertEquals(200, pts.length, name);
        }
    }
}
