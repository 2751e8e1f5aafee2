package org.scorescope.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code render}: a session written by {@code train} becomes a PNG of the requested size, with no display. */
class RenderCommandTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Path session;

    private int run(String... args) {
        return ScoreScopeCli.execute(args, new PrintWriter(out), new PrintWriter(err));
    }

    @BeforeEach
    void writeSession() {
        Path dir = tmp.resolve("run");
        assertEquals(0, run("train", "--width", "8", "--steps", "20", "--samples", "300", "--quiet", "--out",
                dir.toString()), err.toString());
        session = dir.resolve("session.scorescope");
        assertTrue(Files.isRegularFile(session));
    }

    private static void assertPicture(Path png, int w, int h) throws Exception {
        byte[] head = new byte[8];
        System.arraycopy(Files.readAllBytes(png), 0, head, 0, 8);
        assertArrayEquals(PNG_SIGNATURE, head, "a PNG file");
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(w, img.getWidth());
        assertEquals(h, img.getHeight());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < h; y += 3) {
            for (int x = 0; x < w; x += 3) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 200, "a heat map with lines and points, not a blank image: " + colours.size());
    }

    @Test
    void writesAPngOfTheRequestedSize() throws Exception {
        Path png = tmp.resolve("view.png");
        assertEquals(0, run("render", "--session", session.toString(), "--out", png.toString(), "--width", "321",
                "--height", "207", "--sample-steps", "20"), err.toString());
        assertPicture(png, 321, 207);
        assertTrue(out.toString().contains("wrote 321x207"), out.toString());
        Path stream = tmp.resolve("stream.png");
        assertEquals(0, run("render", "--session", session.toString(), "--out", stream.toString(), "--streamlines",
                "--colormap", "magma", "--samples", "0"), err.toString());
        assertPicture(stream, 800, 600);
    }

    @Test
    void badOptionsAreUsageErrors() {
        Path png = tmp.resolve("x.png");
        assertEquals(2, run("render", "--session", session.toString(), "--out", png.toString(), "--width", "0"));
        assertEquals(2, run("render", "--session", session.toString(), "--out", png.toString(), "--colormap", "jet"));
        assertEquals(1, run("render", "--session", tmp.resolve("missing.scorescope").toString(), "--out",
                png.toString()));
        assertTrue(err.toString().contains("no such file"), err.toString());
        assertTrue(Files.notExists(png));
    }

    /** In a JVM of its own with DISPLAY unset and AWT headless, as on a server. */
    @Test
    void rendersWithNoDisplay() throws Exception {
        Path png = tmp.resolve("headless.png");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                ScoreScopeCli.class.getName(), "render", "--session", session.toString(), "--out", png.toString(),
                "--width", "200", "--height", "150", "--sample-steps", "10"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("headless.log").toFile());
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "render finished");
        String log = Files.readString(tmp.resolve("headless.log"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), log);
        assertPicture(png, 200, 150);
        assertTrue(new File(png.toString()).length() > 1000, log);
    }
}
