package org.scorescope.analysis;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.scorescope.autodiff.Probe;
import org.scorescope.model.ScoreModel;
import org.scorescope.objective.DenoisingScoreMatching;
import org.scorescope.objective.ExactScoreMatching;
import org.scorescope.objective.Objective;
import org.scorescope.objective.SlicedScoreMatching;

/**
 * The same model and points under several curvatures side by side, as in the sloppy-model papers' ladder figures:
 * the Hessians of the exact, sliced and denoising losses and the Gauss–Newton matrix, each ladder normalized by its
 * own largest magnitude λmax, so the ladders compare by shape (decades spanned, gaps) rather than by scale.
 * Each is all P eigenvalues when P ≤ the full limit, else the Lanczos top and bottom k.
 */
public final class LadderComparison {
    /** The curvatures that can be compared, by name. */
    public static final List<String> NAMES = List.of("exact", "sliced", "denoising", "gauss-newton");

    /**
     * One ladder.
     *
     * @param label       what it is ("exact Hessian", "Gauss–Newton", …)
     * @param method      "full" or "lanczos"
     * @param eigenvalues resolved eigenvalues, ascending
     * @param lambdaMax   max|λ|, the normalizer
     * @param noiseFloor  P·ε·λmax
     * @param span        decades of |λ| above the noise floor
     */
    public record Ladder(String label, String method, double[] eigenvalues, double lambdaMax, double noiseFloor,
                         double span) {
        /** @return λ/λmax per eigenvalue */
        public double[] normalized() {
            double[] out = new double[eigenvalues.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = lambdaMax > 0 ? eigenvalues[i] / lambdaMax : 0;
            }
            return out;
        }
    }

    private LadderComparison() {
    }

    /**
     * Computes the ladders.
     *
     * @param model     the architecture
     * @param theta     θ (P)
     * @param points    the evaluation batch
     * @param seed      seed of the stochastic losses' randomness (fixed per evaluation)
     * @param names     which, from {@link #NAMES}
     * @param sigma     the denoising noise σ
     * @param fullLimit largest P for all P eigenvalues (Gauss–Newton is always complete: its Gram matrix is small)
     * @param k         Lanczos eigenvalues from each end beyond the limit
     * @return one ladder per name, in order
     * @throws IllegalArgumentException for an unknown name
     */
    public static List<Ladder> compute(ScoreModel model, double[] theta, double[][] points, long seed, List<String> names,
                                       double sigma, int fullLimit, int k) {
        List<Ladder> out = new ArrayList<>();
        int p = model.parameterCount();
        for (String raw : names) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            ParameterHessianResult r;
            String label;
            if (name.equals("gauss-newton")) {
                ParameterHessian h = new ParameterHessian(model, new ExactScoreMatching(), points, seed)
                        .withCurvature(ParameterHessian.Curvature.GAUSS_NEWTON);
                r = h.full(theta, false);
                label = "Gauss–Newton";
            } else {
                Objective obj = switch (name) {
                    case "exact" -> new ExactScoreMatching();
                    case "sliced" -> new SlicedScoreMatching(1, Probe.RADEMACHER, false);
                    case "denoising" -> new DenoisingScoreMatching(sigma);
                    default -> throw new IllegalArgumentException("unknown ladder '" + raw + "' (expected "
                            + String.join(", ", NAMES) + ")");
                };
                ParameterHessian h = new ParameterHessian(model, obj, points, seed);
                r = p <= fullLimit ? h.full(theta, false)
                        : h.lanczos(theta, Math.min(k, p / 2), Math.min(k, p / 2), false,
                        ParameterHessian.KrylovSettings.defaults(k));
                label = name + " Hessian";
            }
            double[] ev = r.eigenvalues();
            double max = 0;
            for (double v : ev) {
                max = Math.max(max, Math.abs(v));
            }
            out.add(new Ladder(label, r.method().key(), ev, max, r.noiseFloor(), r.spanAboveNoise()));
        }
        return out;
    }

    /**
     * Writes the ladders as CSV: {@code ladder,method,index,eigenvalue,normalized} with one row per eigenvalue
     * (index 0 the smallest), float64 in shortest round-trip form.
     *
     * @param os      destination (not closed)
     * @param ladders the ladders
     * @throws IOException on write failure
     */
    public static void writeCsv(OutputStream os, List<Ladder> ladders) throws IOException {
        StringBuilder sb = new StringBuilder("ladder,method,index,eigenvalue,normalized\n");
        for (Ladder l : ladders) {
            double[] nv = l.normalized();
            for (int i = 0; i < nv.length; i++) {
                sb.append('"').append(l.label()).append("\",").append(l.method()).append(',').append(i).append(',')
                        .append(l.eigenvalues()[i]).append(',').append(nv[i]).append('\n');
            }
        }
        os.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
