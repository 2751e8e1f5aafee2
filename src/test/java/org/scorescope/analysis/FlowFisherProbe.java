package org.scorescope.analysis;

import java.util.Arrays;
import java.util.Locale;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Grad;
import org.scorescope.autodiff.Tensor;
import org.scorescope.data.GaussianMixture;
import org.scorescope.data.ToyDataset;
import org.scorescope.model.CouplingFlow;
import org.scorescope.model.ModelSpec;
import org.scorescope.model.ModelState;
import org.scorescope.train.Trainer;
import org.scorescope.train.Settings;
import org.scorescope.train.TrainingConfig;

/**
 * A bench probe, not a test: trains a flow by maximum likelihood on 8gaussians and, at checkpoints, splits the
 * Fisher divergence to see where it comes from: (1) the score against central differences of log q (a scoring bug
 * would show here), (2) the share of the largest per-point terms, (3) the terms by distance from the nearest mode in
 * units of the mode's σ, (4) the model's largest score norm on the points and the KL-type gap (NLL − truth NLL).
 * Args: steps couplings bound sched lr width every.
 */
public final class FlowFisherProbe {
    private FlowFisherProbe() {
    }

    public static void main(String[] args) {
        int steps = Integer.parseInt(args[0]);
        int couplings = Integer.parseInt(args[1]);
        double bound = Double.parseDouble(args[2]);
        TrainingConfig.Schedule sched = TrainingConfig.Schedule.valueOf(args[3].toUpperCase(Locale.ROOT));
        double lr = Double.parseDouble(args[4]);
        int width = Integer.parseInt(args[5]);
        int every = Integer.parseInt(args[6]);
        ToyDataset ds = ToyDataset.EIGHT_GAUSSIANS;
        GaussianMixture truth = ds.mixture().orElseThrow();
        TrainingConfig cfg = TrainingConfig.defaults(ModelSpec.Kind.FLOW).withAll(java.util.Map.of(Settings.DATASET, ds,
                Settings.WIDTH, width, Settings.COUPLINGS, couplings, Settings.LEARNING_RATE, lr, Settings.SCHEDULE, sched,
                Settings.STEPS, steps));
        double[][] train = ds.sample(2000, 1);
        double[][] held = ds.sample(2000, 1001);
        double[][] pts = truth.sample(4000, 2001);
        CouplingFlow flow = new CouplingFlow(2, couplings, width, 2, Activation.SOFTPLUS, bound);
        Trainer t = new Trainer(cfg, train, truth, new ModelState(flow, flow.initialParameters(1)));
        double truthNll = Likelihood.meanNegLogLikelihood(truth, held);
        for (int s = 1; s <= steps; s++) {
            t.step();
            if (s % every == 0) {
                report(s, t.model(), truth, pts, held, truthNll);
            }
        }
    }

    static void report(int step, ModelState st, GaussianMixture truth, double[][] pts, double[][] held, double truthNll) {
        CouplingFlow flow = (CouplingFlow) st.model();
        Tensor th = st.thetaTensor();
        Tensor x = Tensor.of(pts);
        double[] s = Grad.noGrad(() -> flow.score(th, x)).toArray();
        int n = pts.length;
        double[] terms = new double[n];
        double total = 0;
        double maxNorm = 0;
        double sigma = truth.sigma(0)[0];
        double[] byBand = new double[4];
        int[] bandCount = new int[4];
        for (int i = 0; i < n; i++) {
            double[] ts = truth.score(pts[i]);
            double dx = s[2 * i] - ts[0];
            double dy = s[2 * i + 1] - ts[1];
            terms[i] = 0.5 * (dx * dx + dy * dy);
            total += terms[i];
            maxNorm = Math.max(maxNorm, Math.hypot(s[2 * i], s[2 * i + 1]));
            double dmin = Double.POSITIVE_INFINITY;
            for (int k = 0; k < truth.components(); k++) {
                double[] m = truth.mean(k);
                dmin = Math.min(dmin, Math.hypot(pts[i][0] - m[0], pts[i][1] - m[1]) / sigma);
            }
            int band = dmin < 1 ? 0 : dmin < 2 ? 1 : dmin < 3 ? 2 : 3;
            byBand[band] += terms[i];
            bandCount[band]++;
        }
        double fisher = total / n;
        double[] sorted = terms.clone();
        Arrays.sort(sorted);
        double top1 = 0;
        double top5 = 0;
        for (int i = 0; i < n; i++) {
            if (i >= n - n / 100) {
                top1 += sorted[i];
            }
            if (i >= n - n / 20) {
                top5 += sorted[i];
            }
        }
        // central differences of log q at the 20 worst points: a wrong score would differ from them
        double fdRel = 0;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(terms[b], terms[a]));
        double h = 1e-5;
        for (int r = 0; r < 20; r++) {
            int i = order[r];
            for (int j = 0; j < 2; j++) {
                double[] p = pts[i].clone();
                double[] q = pts[i].clone();
                p[j] += h;
                q[j] -= h;
                double lp = Grad.noGrad(() -> flow.logProb(th, Tensor.of(new double[][] {p}))).item();
                double lq = Grad.noGrad(() -> flow.logProb(th, Tensor.of(new double[][] {q}))).item();
                double fd = (lp - lq) / (2 * h);
                fdRel = Math.max(fdRel, Math.abs(fd - s[2 * i + j]) / Math.max(1, Math.abs(fd)));
            }
        }
        double nll = Likelihood.meanNegLogLikelihood(st, held, null);
        System.out.printf(Locale.ROOT, "step=%d fisher=%.3f nll=%.4f gap=%.4f top1%%=%.2f top5%%=%.2f "
                        + "band<1σ=%.3f(%d) 1-2σ=%.3f(%d) 2-3σ=%.3f(%d) >3σ=%.3f(%d) max|s|=%.1f fdRelErr=%.1e%n",
                step, fisher, nll, nll - truthNll, top1 / total, top5 / total,
                byBand[0] / n, bandCount[0], byBand[1] / n, bandCount[1], byBand[2] / n, bandCount[2],
                byBand[3] / n, bandCount[3], maxNorm, fdRel);
    }
}
