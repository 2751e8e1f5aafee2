package org.scorescope.analysis;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Tensor;
import org.scorescope.data.GaussianMixture;
import org.scorescope.data.ToyDataset;
import org.scorescope.model.CouplingFlow;
import org.scorescope.model.ModelSpec;
import org.scorescope.model.ModelState;
import org.scorescope.model.NoiseConditionalMlp;
import org.scorescope.model.ScoreModel;
import org.scorescope.model.SplineFlow;
import org.scorescope.train.Trainer;
import org.scorescope.train.Setting;
import org.scorescope.train.Settings;
import org.scorescope.train.TrainingConfig;

/**
 * A bench harness, not a test: trains one model with the Java API (no CLI) and prints one line with the Fisher
 * divergence (against the truth, or for a noise-conditional model against the truth perturbed by its smallest σ),
 * the held-out NLL, the truth's NLL on the same held-out points, a Scott-KDE's NLL, and the seconds.
 *
 * <p>Run: {@code java -cp target/classes:target/test-classes:$(cat cp.txt) org.scorescope.analysis.QualityRun
 * kind=flow obj=max-likelihood data=8gaussians steps=3000 lr=3e-3 sched=cosine batch=256}; see bench/quality.sh.
 * Keys: kind (energy|score|noise-conditional|flow|spline; spline takes bins and tail), obj, data (a dataset id; suffix :N for N training points),
 * lr, sched (cosine|constant), steps, batch, sigma, smoothing (max-likelihood blur σ, or auto), sigmaMax, levels, width, depth, couplings, bound (flow log-scale
 * bound), act, seed, samples (training points unless data says :N), every (print Fisher/NLL every k steps), clip.
 */
public final class QualityRun {
    private static final int EVAL_POINTS = 2000;

    private QualityRun() {
    }

    public static void main(String[] args) {
        Map<String, String> a = new HashMap<>();
        for (String s : args) {
            int i = s.indexOf('=');
            a.put(s.substring(0, i), s.substring(i + 1));
        }
        String dataArg = a.getOrDefault("data", "8gaussians");
        // an explicit count in the data argument (moons:70) wins over the samples key
        int samples = Integer.parseInt(a.getOrDefault("samples", "2000"));
        if (dataArg.contains(":")) {
            samples = Integer.parseInt(dataArg.substring(dataArg.indexOf(':') + 1));
            dataArg = dataArg.substring(0, dataArg.indexOf(':'));
        }
        ToyDataset ds = ToyDataset.fromId(dataArg);
        boolean spline = a.getOrDefault("kind", "energy").equals("spline");
        ModelSpec.Kind kind = spline ? ModelSpec.Kind.FLOW : ModelSpec.Kind.valueOf(a.getOrDefault("kind", "energy")
                .toUpperCase(Locale.ROOT).replace('-', '_'));
        TrainingConfig.ObjectiveKind obj = TrainingConfig.ObjectiveKind.valueOf(a.getOrDefault("obj", "exact")
                .toUpperCase(Locale.ROOT).replace('-', '_'));
        long seed = Long.parseLong(a.getOrDefault("seed", "1"));
        int width = Integer.parseInt(a.getOrDefault("width", "64"));
        int depth = Integer.parseInt(a.getOrDefault("depth", "2"));
        int couplings = Integer.parseInt(a.getOrDefault("couplings", "4"));
        double bound = Double.parseDouble(a.getOrDefault("bound", "1.0"));
        Activation act = Activation.valueOf(a.getOrDefault("act", "softplus").toUpperCase(Locale.ROOT));
        double[][] train = ds.sample(samples, seed);
        // sigma=auto: 1.5 × the median nearest-neighbour distance of the training points (the small-data rule)
        String sigmaArg = a.getOrDefault("sigma", "0.1");
        double sigma = sigmaArg.equals("auto") ? 1.5 * DataScale.medianNearestNeighbourDistance(train)
                : Double.parseDouble(sigmaArg);
        String smoothingArg = a.getOrDefault("smoothing", "0");
        double smoothing = smoothingArg.equals("auto") ? 1.5 * DataScale.medianNearestNeighbourDistance(train)
                : Double.parseDouble(smoothingArg);
        double sigmaMax = Double.parseDouble(a.getOrDefault("sigmaMax", "5.0"));
        int levels = Integer.parseInt(a.getOrDefault("levels", "10"));
        int steps = Integer.parseInt(a.getOrDefault("steps", "3000"));
        int every = Integer.parseInt(a.getOrDefault("every", "0"));
        java.util.Map<Setting<?>, Object> v = new java.util.LinkedHashMap<>();
        v.put(Settings.DATASET, ds);
        v.put(Settings.SAMPLES, samples);
        v.put(Settings.MODEL_KIND, kind);
        v.put(Settings.WIDTH, width);
        v.put(Settings.DEPTH, depth);
        v.put(Settings.ACTIVATION, act);
        v.put(Settings.COUPLINGS, couplings);
        v.put(Settings.FLOW_TRANSFORM, spline ? TrainingConfig.FlowTransform.SPLINE : TrainingConfig.FlowTransform.AFFINE);
        v.put(Settings.SPLINE_BINS, Integer.parseInt(a.getOrDefault("bins", "16")));
        // tail=auto: 1.2 × the largest |coordinate| of the training points, so the splines cover the data
        String tailArg = a.getOrDefault("tail", "4");
        v.put(Settings.TAIL_BOUND, tailArg.equals("auto") ? Double.NaN : Double.parseDouble(tailArg));
        v.put(Settings.OBJECTIVE, obj);
        v.put(Settings.SIGMA, sigma);
        v.put(Settings.SMOOTHING, smoothing);
        v.put(Settings.SIGMA_MAX, sigmaMax);
        v.put(Settings.SIGMA_LEVELS, levels);
        v.put(Settings.LEARNING_RATE, Double.parseDouble(a.getOrDefault("lr", "3e-3")));
        v.put(Settings.BATCH_SIZE, Integer.parseInt(a.getOrDefault("batch", "256")));
        v.put(Settings.SCHEDULE, TrainingConfig.Schedule.valueOf(a.getOrDefault("sched", "cosine").toUpperCase(Locale.ROOT)));
        v.put(Settings.STEPS, steps);
        v.put(Settings.CLIP_NORM, Double.parseDouble(a.getOrDefault("clip", "0")));
        v.put(Settings.SEED, seed);
        TrainingConfig cfg = TrainingConfig.defaults().withAll(v);
        double[][] heldOut = ds.sample(EVAL_POINTS, seed + 1000);
        GaussianMixture truth = ds.mixture().orElse(null);
        ScoreModel model = kind == ModelSpec.Kind.FLOW && !spline
                ? new CouplingFlow(2, couplings, width, depth, act, bound) : cfg.buildModel(train);
        GaussianMixture target = truth;
        double smallest = Double.NaN;
        if (truth != null && model instanceof NoiseConditionalMlp nc) {
            smallest = nc.smallestSigma();
            target = truth.convolved(smallest);
        }
        Trainer trainer = new Trainer(cfg, train, target, new ModelState(model, model.initialParameters(seed, train)));
        double[][] fisherPts = target == null ? null : target.sample(EVAL_POINTS, seed + 2000);
        long t0 = System.nanoTime();
        int done = 0;
        // ema=d: also report the exponential moving average of θ, θ̄ ← d·θ̄ + (1 − d)·θ (bias-corrected)
        double ema = Double.parseDouble(a.getOrDefault("ema", "0"));
        double[] avg = ema > 0 ? new double[model.parameterCount()] : null;
        double emaWeight = 0;
        for (int s = 0; s < steps; s++) {
            if (!trainer.step()) {
                System.out.println("DIVERGED at " + s + ": " + trainer.snapshot().message());
                break;
            }
            done++;
            if (avg != null) {
                double[] th = trainer.model().theta();
                for (int i = 0; i < avg.length; i++) {
                    avg[i] = ema * avg[i] + (1 - ema) * th[i];
                }
                emaWeight = ema * emaWeight + (1 - ema);
            }
            if (every > 0 && (s + 1) % every == 0) {
                ModelState st = trainer.model();
                System.out.printf(Locale.ROOT, "  step=%d loss=%.4f fisher=%.4f nll=%.4f t=%.1f%n", s + 1,
                        trainer.snapshot().loss(), fisher(st, target, fisherPts), nll(st, heldOut, train),
                        (System.nanoTime() - t0) / 1e9);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        ModelState st = trainer.model();
        if (avg != null) {
            double[] corrected = new double[avg.length];
            for (int i = 0; i < avg.length; i++) {
                corrected[i] = avg[i] / emaWeight;
            }
            System.out.printf(Locale.ROOT, "  raw: fisher=%.4f nll=%.4f%n", fisher(st, target, fisherPts),
                    nll(st, heldOut, train));
            st = new ModelState(st.model(), corrected);
        }
        long e0 = System.nanoTime();
        double f = fisher(st, target, fisherPts);
        Likelihood.Result lr = Likelihood.evaluate(st, heldOut, train);
        double evalSeconds = (System.nanoTime() - e0) / 1e9;
        // the same model over the other padding (1 std for an energy, 3 for score integration): a large difference
        // means the estimate depends on what the model does far from the data
        double tight = lr.method() == Likelihood.Method.EXACT ? lr.meanNegLogLikelihood()
                : Likelihood.evaluateInBox(st, heldOut, Likelihood.Box.covering(lr.method() == Likelihood.Method.ENERGY_QUADRATURE ? 1.0 : 3.0,
                        train, heldOut))
                        .meanNegLogLikelihood();
        double truthNll = target == null ? (ds == ToyDataset.CHECKERBOARD ? Math.log(32) : Double.NaN)
                : Likelihood.meanNegLogLikelihood(target, heldOut);
        double kde = KernelDensity.scott(train).meanNegLogLikelihood(heldOut);
        System.out.printf(Locale.ROOT, "RESULT kind=%s obj=%s data=%s n=%d lr=%s sched=%s steps=%d batch=%d sigma=%s smoothing=%.3g "
                        + "width=%d depth=%d couplings=%d bound=%s seed=%d | fisher=%.4f nll=%.4f truthNll=%.4f kdeNll=%.4f "
                        + "nllOtherBox=%.4f method=%s grid=%d qerr=%.4f wideLogZdiff=%.4f nonCons=%.3f sec=%.1f evalSec=%.1f%n",
                spline ? "spline(bins=" + a.getOrDefault("bins", "16") + ",tail=" + String.format(Locale.ROOT, "%.2f",
                        ((SplineFlow) model).tailBound())
                        + ")"
                        : kind.id(), obj.id(), ds.id(), samples, a.getOrDefault("lr", "3e-3"), cfg.optimizer().schedule(), done,
                cfg.optimizer().batchSize(), Double.isNaN(smallest) ? String.valueOf(sigma) : String.valueOf(smallest), smoothing, width,
                depth, couplings, bound, seed, f, lr.meanNegLogLikelihood(), truthNll, kde, tight, lr.method(),
                lr.gridNodes(), lr.quadratureError(), lr.logZWideBox() - lr.logZ(), lr.nonConservativeFraction(),
                seconds, evalSeconds);
    }

    static double fisher(ModelState st, GaussianMixture target, double[][] pts) {
        if (target == null) {
            return Double.NaN;
        }
        Tensor th = st.thetaTensor();
        double[] s = Grad.noGrad(() -> st.model().score(th, Tensor.of(pts))).toArray();
        double[] flat = new double[pts.length * 2];
        for (int i = 0; i < pts.length; i++) {
            flat[2 * i] = pts[i][0];
            flat[2 * i + 1] = pts[i][1];
        }
        return target.fisherDivergence(flat, s);
    }

    static double nll(ModelState st, double[][] heldOut, double[][] train) {
        try {
            return Likelihood.meanNegLogLikelihood(st, heldOut, train);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
