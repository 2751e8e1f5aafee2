package org.scorescope.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputPathsTest {
    @TempDir
    Path dir;

    private String refused(OutputPaths paths, Path out) {
        return assertThrows(OutputPathException.class, () -> paths.checkFile("--out", out)).getMessage();
    }

    @Test
    void refusesAnOutputThatIsAnInput() throws IOException {
        Path points = Files.writeString(dir.resolve("p.csv"), "1,2\n");
        OutputPaths paths = new OutputPaths().input("--model", null).input("--points", points);
        assertEquals("--out " + points + ": is the same file as --points; choose another output so the input is not "
                + "overwritten", refused(paths, points));
        // Spelled differently, through a link, or as a hard link: still the same file.
        refused(paths, dir.resolve("sub/../p.csv"));
        Files.createDirectory(dir.resolve("sub"));
        refused(paths, dir.resolve("sub/../p.csv"));
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), points);
        refused(paths, link);
        Path hard = Files.createLink(dir.resolve("hard.csv"), points);
        refused(paths, hard);
        Path linkedDir = Files.createSymbolicLink(dir.resolve("alias"), dir);
        refused(paths, linkedDir.resolve("p.csv"));
        paths.checkFile("--out", dir.resolve("other.csv"));
    }

    @Test
    void refusesEmptyDirectoryMissingParentAndDevices() throws IOException {
        OutputPaths paths = new OutputPaths();
        assertEquals("--out: empty path; name an output file", refused(paths, Path.of("")));
        assertEquals("--out " + dir + ": is a directory; name a file", refused(paths, dir));
        Path missing = dir.resolve("no/such/out.json");
        assertEquals("--out " + missing + ": directory " + missing.getParent() + " does not exist",
                refused(paths, missing));
        Path file = Files.writeString(dir.resolve("f"), "");
        assertEquals("--out " + file.resolve("x") + ": " + file + " is not a directory", refused(paths, file.resolve("x")));
        if (Files.exists(Path.of("/dev/null"))) {
            assertEquals("--out /dev/null: exists and is not a regular file", refused(paths, Path.of("/dev/null")));
        }
    }

    @Test
    void checksFoldersAndTheFilesWrittenIntoThem() throws IOException {
        Path model = Files.writeString(dir.resolve("model.json"), "{}");
        OutputPaths paths = new OutputPaths().input("--init", model);
        assertEquals("--out " + model + ": exists and is not a directory", assertThrows(OutputPathException.class,
                () -> paths.checkDirectory("--out", model, List.of("model.json"))).getMessage());
        assertEquals("--out " + dir.resolve("model.json") + ": is the same file as --init; choose another output so "
                + "the input is not overwritten", assertThrows(OutputPathException.class,
                () -> paths.checkDirectory("--out", dir, List.of("model.json"))).getMessage());
        assertEquals("--out: empty path; name an output folder", assertThrows(OutputPathException.class,
                () -> paths.checkDirectory("--out", Path.of(""), List.of("a"))).getMessage());
        paths.checkDirectory("--out", dir.resolve("new/deeper"), List.of("model.json", "metrics.csv"));
        assertThrows(OutputPathException.class,
                () -> paths.checkDirectory("--out", model.resolve("below"), List.of("a")));
    }
}
