package org.scorescope.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.scorescope.analysis.SamplerStepper;
import org.scorescope.analysis.Samplers;
import org.scorescope.analysis.TimeScore;
import org.scorescope.data.GaussianMixture;
import org.scorescope.model.DiffusionMlp;
import org.scorescope.model.Sde;

/**
 * Animated sampler runs on mixture2 (⅘ N((5, 5), I) + ⅕ N((−5, −5), I)) with its exact time score, so the only
 * errors are the samplers' and the Monte Carlo error of the mode weights (binomial standard error 0.009 at 2000
 * particles; tolerance 0.04): the reverse SDE and the probability flow put 0.8 on the major mode, plain Langevin at
 * the smallest noise level started uniformly over the data's box does not (it cannot move mass between separated
 * modes). Runs are unpaced here; the counters, trajectories and the end of a run are checked, and a stopped run ends.
 */
public class SamplerRunTest {
    /** mixture2. */
    public static final GaussianMixture MIXTURE2 = GaussianMixture.isotropic(new double[] {0.8, 0.2},
            new double[][] {{5, 5}, {-5, -5}}, new double[] {1, 1});
    private static final Sde SDE = Sde.vp();
    private static final double EPS = 1e-3;
    private static final int N = 2000;

    /** The exact scores of mixture2's marginals under the VP SDE. */
    public static SamplerStepper.Fields exactFields() {
        TimeScore time = (xs, n, t, out) -> DiffusionMlp.marginal(SDE, MIXTURE2, t)
                .scoreBatch(Arrays.copyOf(xs, 2 * n), out);
        return new SamplerStepper.Fields(SDE, EPS, time, (xs, n, out) -> time.score(xs, n, EPS, out),
                (xs, n, sigma, out) -> time.score(xs, n, Math.max(EPS, SDE.timeOfStd(sigma)), out),
                Samplers.ladder(new DiffusionMlp(2, 4, 1, org.scorescope.autodiff.Activation.TANH, SDE), 10));
    }

    static Samplers.Options options(int steps) {
        return new Samplers.Options(steps, 0.01, 10, Samplers.DEFAULT_SNR, 1, 1e-5, 1e-5);
    }

    private static SamplerRun.Frame runToEnd(Samplers.Kind kind, int steps) throws InterruptedException {
        double[] box = SamplerRun.uniformStart(new double[0], new double[] {-9, 9, -9, 9}, N, 5);
        AtomicInteger published = new AtomicInteger();
        SamplerRun run = new SamplerRun(SamplerStepper.start(kind, exactFields(), box, N, options(steps), 7), MIXTURE2,
                false, published::incrementAndGet);
        assertTrue(run.await(120_000), kind + " ends");
        SamplerRun.Frame f = run.last();
        assertTrue(f.done(), "the last frame says done");
        assertEquals("", f.error());
        assertTrue(published.get() >= 2, "a first frame at the start and one at the end");
        assertEquals(SamplerRun.TRAILS, f.trails().length, "trajectories of the first particles");
        assertTrue(f.trails()[0].length >= 4, "each with its start and its end");
        assertEquals(f.positions()[0], f.trails()[0][f.trails()[0].length - 2], 0, "ending where the particle is");
        return f;
    }

    @Test
    void reverseSdeGetsTheModeWeightsRight() throws InterruptedException {
        SamplerRun.Frame f = runToEnd(Samplers.Kind.REVERSE_SDE, 500);
        assertEquals(500, f.steps());
        assertEquals(500, f.evaluations(), "one network evaluation per step");
        assertEquals(0.8, f.modeWeights()[0], 0.04, Arrays.toString(f.modeWeights()));
        assertEquals(EPS, f.time(), 1e-12, "ends at t = ε");
    }

    @Test
    void probabilityFlowGetsTheModeWeightsRight() throws InterruptedException {
        SamplerRun.Frame f = runToEnd(Samplers.Kind.PROBABILITY_FLOW, 0);
        assertEquals(-1, f.planned(), "adaptive");
        assertTrue(f.evaluations() >= 6 * f.steps(), "six evaluations per accepted step: " + f.evaluations());
        assertEquals(0.8, f.modeWeights()[0], 0.04, Arrays.toString(f.modeWeights()));
    }

    @Test
    void plainLangevinGetsTheModeWeightsWrong() throws InterruptedException {
        SamplerRun.Frame f = runToEnd(Samplers.Kind.LANGEVIN, 1000);
        assertEquals(1000, f.evaluations());
        assertTrue(Double.isNaN(f.time()));
        assertTrue(f.modeWeights()[0] < 0.7, "mass stays where it started: " + Arrays.toString(f.modeWeights()));
    }

    @Test
    void aStoppedRunEndsEarly() throws InterruptedException {
        double[] box = SamplerRun.uniformStart(new double[0], new double[] {-9, 9, -9, 9}, 100, 5);
        SamplerRun run = new SamplerRun(SamplerStepper.start(Samplers.Kind.REVERSE_SDE, exactFields(), box, 100,
                options(100_000), 7), null, true, () -> { });
        run.stop();
        assertTrue(run.await(10_000));
        SamplerRun.Frame f = run.last();
        assertNotNull(f);
        assertTrue(f.done());
        assertTrue(f.steps() < 100_000, "stopped after " + f.steps() + " steps");
        assertEquals(null, f.modeWeights(), "no mixture, no readout");
    }
}
