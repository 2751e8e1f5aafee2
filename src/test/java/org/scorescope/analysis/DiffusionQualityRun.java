package org.scorescope.analysis;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.scorescope.data.GaussianMixture;
import org.scorescope.data.ToyDataset;
import org.scorescope.model.ModelSpec;
import org.scorescope.model.ModelState;
import org.scorescope.model.Sde;
import org.scorescope.train.Setting;
import org.scorescope.train.Settings;
import org.scorescope.train.Trainer;
import org.scorescope.train.TrainingConfig;

/**
 * A bench harness, not a test: trains a diffusion model under its defaults (keys override them) through the Java API
 * and prints one line with the targets: the probability-flow held-out NLL and the truth's on 2000 fresh
 * points, the mode weights of 2000 PF-ODE, reverse-SDE, PC and Langevin samples (for mixture datasets), the training
 * seconds and the seconds of 2000 PF-ODE samples with their network evaluations.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:$(cat
 * target/quality-cp.txt) org.scorescope.analysis.DiffusionQualityRun data=mixture2 sde=vp}. Keys: data, sde, steps,
 * lr, batch, width, depth, act, seed, snr, samplers (all | pf-ode), hutchinson (true: also the NLL with the Hutchinson divergence).
 */
public final class DiffusionQualityRun {
    private static final int EVAL_POINTS = 2000;

    private DiffusionQualityRun() {
    }

    public static void main(String[] args) {
        Map<String, String> a = new HashMap<>();
        for (String s : args) {
            int i = s.indexOf('=');
            a.put(s.substring(0, i), s.substring(i + 1));
        }
        ToyDataset ds = ToyDataset.fromId(a.getOrDefault("data", "mixture2"));
        long seed = Long.parseLong(a.getOrDefault("seed", "1"));
        Map<Setting<?>, Object> v = new LinkedHashMap<>();
        v.put(Settings.MODEL_KIND, ModelSpec.Kind.DIFFUSION);
        v.put(Settings.DATASET, ds);
        v.put(Settings.SEED, seed);
        v.put(Settings.SDE, Sde.Type.fromId(a.getOrDefault("sde", "vp")));
        if (a.containsKey("steps")) {
            v.put(Settings.STEPS, Integer.parseInt(a.get("steps")));
        }
        if (a.containsKey("lr")) {
            v.put(Settings.LEARNING_RATE, Double.parseDouble(a.get("lr")));
        }
        if (a.containsKey("batch")) {
            v.put(Settings.BATCH_SIZE, Integer.parseInt(a.get("batch")));
        }
        if (a.containsKey("width")) {
            v.put(Settings.WIDTH, Integer.parseInt(a.get("width")));
        }
        if (a.containsKey("depth")) {
            v.put(Settings.DEPTH, Integer.parseInt(a.get("depth")));
        }
        if (a.containsKey("act")) {
            v.put(Settings.ACTIVATION, org.scorescope.autodiff.Activation.valueOf(a.get("act").toUpperCase(Locale.ROOT)));
        }
        double snr = Double.parseDouble(a.getOrDefault("snr", String.valueOf(Samplers.DEFAULT_SNR)));
        TrainingConfig cfg = TrainingConfig.defaults(ModelSpec.Kind.DIFFUSION).withAll(v);
        long t0 = System.nanoTime();
        Trainer trainer = Trainer.forDataset(cfg);
        int steps = cfg.run().steps();
        for (int s = 0; s < steps; s++) {
            if (!trainer.step()) {
                System.out.println("DIVERGED at " + s + ": " + trainer.snapshot().message());
                break;
            }
        }
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        ModelState st = trainer.model();
        GaussianMixture truth = ds.mixture().orElse(null);
        double[][] heldOut = truth != null ? truth.sample(EVAL_POINTS, seed + 1000) : ds.sample(EVAL_POINTS, seed + 1000);
        long e0 = System.nanoTime();
        org.scorescope.analysis.ProbabilityFlow.Result lik = Likelihood.probabilityFlow(st, heldOut,
                Likelihood.FLOW_TOLERANCE, Likelihood.FLOW_TOLERANCE, false);
        double nllSeconds = (System.nanoTime() - e0) / 1e9;
        double nll = 0;
        for (double l : lik.values()) {
            nll -= l / heldOut.length;
        }
        double truthNll = truth == null ? Double.NaN : Likelihood.meanNegLogLikelihood(truth, heldOut);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "RESULT data=%s sde=%s steps=%d lr=%s batch=%d width=%d | trainSec=%.1f nll=%.4f truthNll=%.4f "
                        + "diff=%.4f nllNfe=%d nllSec=%.1f", ds.id(), cfg.get(Settings.SDE).id(), steps,
                cfg.optimizer().learningRate(), cfg.optimizer().batchSize(), cfg.model().width(), trainSeconds, nll,
                truthNll, nll - truthNll, lik.evaluations(), nllSeconds));
        if (a.getOrDefault("hutchinson", "false").equals("true")) {
            long h0 = System.nanoTime();
            org.scorescope.analysis.ProbabilityFlow.Result h = Likelihood.probabilityFlow(st, heldOut,
                    Likelihood.FLOW_TOLERANCE, Likelihood.FLOW_TOLERANCE, true);
            double hn = 0;
            for (double l : h.values()) {
                hn -= l / heldOut.length;
            }
            line.append(String.format(Locale.ROOT, " hutchinsonNll=%.4f hutchinsonNfe=%d hutchinsonSec=%.1f", hn,
                    h.evaluations(), (System.nanoTime() - h0) / 1e9));
        }
        double[] box = new double[2 * EVAL_POINTS];
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = 0; i < box.length; i++) {
            box[i] = (2 * r.nextDouble() - 1) * ds.defaultBox()[1];
        }
        for (Samplers.Kind k : Samplers.Kind.values()) {
            if (!Samplers.offers(k, st.model()) || a.getOrDefault("samplers", "all").equals("pf-ode")
                    && k != Samplers.Kind.PROBABILITY_FLOW) {
                continue;
            }
            Samplers.Options o = new Samplers.Options(Samplers.defaultSteps(k, st.model()),
                    Samplers.defaultStepSize(k, st.model(), 10), 10, snr, 1, Samplers.DEFAULT_TOLERANCE,
                    Samplers.DEFAULT_TOLERANCE);
            long s0 = System.nanoTime();
            Samplers.Outcome out = Samplers.run(k, st, box, EVAL_POINTS, o, seed + 7);
            double sec = (System.nanoTime() - s0) / 1e9;
            line.append(String.format(Locale.ROOT, " | %s nfe=%d sec=%.1f", k.id(), out.evaluations(), sec));
            if (truth != null && truth.components() == 2) {
                line.append(String.format(Locale.ROOT, " w=%.4f", ModeWeights.of(truth, out.positions(),
                        EVAL_POINTS)[0]));
            }
        }
        System.out.println(line);
    }
}
