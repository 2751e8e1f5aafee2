package org.scorescope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorescope.io.OutputPathException;
import org.scorescope.model.ModelState;
import org.scorescope.train.SessionFile;
import org.scorescope.train.TrainingConfig;

class RunFolderTest {
    @TempDir
    Path tmp;

    @Test
    void refusesBadFoldersBeforeTraining() throws IOException {
        assertEquals("--out: empty path; name an output folder", assertThrows(OutputPathException.class,
                () -> RunFolder.check(Path.of(""), null, null)).getMessage());
        Path points = Files.writeString(tmp.resolve(RunFolder.METRICS), "1,2\n");
        assertTrue(assertThrows(OutputPathException.class, () -> RunFolder.check(tmp, points, null)).getMessage()
                .endsWith("is the same file as --points; choose another output so the input is not overwritten"));
        RunFolder.check(tmp.resolve("new/run"), points, null);
    }

    @Test
    void writesTheThreeFilesAsOneSet() throws Exception {
        Path out = tmp.resolve("run");
        TrainingConfig config = TrainingConfig.defaults();
        ModelState model = ModelState.read(Path.of(RunFolderTest.class.getResource(
                "torch/energy-softplus.model.json").toURI()));
        RunFolder.write(out, model, "step,loss\n1,0.5\n", new SessionFile.Session(config, new double[][] {{1, 2}},
                model, 1));
        assertTrue(org.scorescope.data.AtomicFiles.verifySet(out));
        assertEquals("step,loss\n1,0.5\n", Files.readString(out.resolve(RunFolder.METRICS)));
        assertEquals(1, SessionFile.read(out.resolve(RunFolder.SESSION)).step());
    }
}
