package org.scorescope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorescope.train.Trainer;

class MetricsLogTest {
    @TempDir
    Path tmp;

    @Test
    void rowsAfterTheLastStepAreLeftOutAndTheFinalNllGoesOnTheLastRow() throws Exception {
        StringWriter w = new StringWriter();
        try (MetricsLog log = new MetricsLog(new Trainer.History(7.5, new double[0], new double[0], new double[0],
                new double[0]))) {
            for (int s = 1; s <= 5; s++) {
                log.row(s, -s, s == 2 ? 1.5 : Double.NaN, 0.1, 2.0, s == 2 ? 3.25 : Double.NaN);
            }
            log.copyTo(w, 3, 3.0);
        }
        List<String> rows = List.of(w.toString().split("\n"));
        assertEquals(List.of(MetricsLog.HEADER, "0,,7.5,,,", "1,-1.0,,0.1,2.0000,", "2,-2.0,1.5,0.1,2.0000,3.25",
                "3,-3.0,,0.1,2.0000,3.0"), rows);
    }

    @Test
    void theNllColumnIsFilledOnEveryRowWhereItWasEvaluated() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path dir = tmp.resolve("run");
        assertEquals(0, ScoreScopeCli.execute(new String[] {"train", "--width", "8", "--samples", "300", "--batch", "32",
            "--steps", "70", "--nll-every", "20", "--quiet", "--out", dir.toString()}, new PrintWriter(out),
                new PrintWriter(err)), err.toString());
        List<String> metrics = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals(72, metrics.size(), "header, step 0, 70 steps");
        for (int i = 2; i < metrics.size(); i++) {
            String[] f = metrics.get(i).split(",", -1);
            int step = Integer.parseInt(f[0]);
            boolean has = !f[5].isEmpty();
            assertEquals(step % 20 == 0 || step == 70, has, metrics.get(i));
            if (has) {
                assertTrue(Double.parseDouble(f[5]) > 1 && Double.parseDouble(f[5]) < 10, metrics.get(i));
            }
        }
        String line = out.toString().strip();
        assertTrue(line.matches(".* nll=\\S+ ms_per_step=\\S+ best_step=(20|40|60) best_nll=[0-9.]+ out=.*"), line);
        long bestStep = Long.parseLong(line.replaceAll(".* best_step=(\\d+) .*", "$1"));
        double bestNll = Double.parseDouble(line.replaceAll(".* best_nll=(\\S+) .*", "$1"));
        double rowNll = Double.parseDouble(metrics.get((int) bestStep + 1).split(",", -1)[5]);
        assertEquals(rowNll, bestNll, 1e-5 * Math.abs(rowNll), "the best step's row has the best NLL");
    }
}
