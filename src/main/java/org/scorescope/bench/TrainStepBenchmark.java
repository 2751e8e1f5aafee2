package org.scorescope.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.scorescope.autodiff.Activation;
import org.scorescope.autodiff.Probe;
import org.scorescope.autodiff.Tensor;
import org.scorescope.model.EnergyMlp;
import org.scorescope.model.ScoreMlp;
import org.scorescope.model.ScoreModel;
import org.scorescope.objective.Objective;
import org.scorescope.train.TrainingConfig;
import org.scorescope.train.optim.Adam;

/**
 * Cost of one full training step — a fresh minibatch, the objective's loss and θ-gradient
 * ({@link Objective#lossAndGradient}, one reverse pass) and an {@link Adam} update — for an energy
 * or score MLP under exact, sliced (one Gaussian projection), sliced-VR or denoising score matching.
 * The same step as {@code bench/torch_peer.py}: a fixed data set of {@value #DATA_POINTS} points
 * x ~ N(0, I) and a random minibatch of B rows per step; Adam with learning rate 10⁻³.
 *
 * <p>Timing: {@code warmup} untimed steps (JIT), then {@code steps} timed steps; the result is the
 * median and quartiles of the per-step wall times.
 */
public final class TrainStepBenchmark {
    /** Rows of the synthetic data set that minibatches are drawn from. */
    public static final int DATA_POINTS = 4096;

    /** The model kinds the benchmark covers. */
    public enum ModelKind {
        /** Scalar energy MLP, s = −∇ₓE. */
        ENERGY,
        /** Score MLP Rᴰ → Rᴰ. */
        SCORE
    }

    /** The objectives the benchmark covers (sliced ones with one Gaussian projection per sample). */
    public enum ObjectiveKind {
        /** Exact (Hyvärinen) score matching. */
        EXACT("exact"),
        /** Sliced score matching, 1 Gaussian projection. */
        SLICED("sliced"),
        /** Variance-reduced sliced score matching, 1 Gaussian projection. */
        SLICED_VR("sliced-vr"),
        /** Denoising score matching at one σ. */
        DENOISING("denoising");

        private final String cliName;

        ObjectiveKind(String cliName) {
            this.cliName = cliName;
        }

        /**
         * The command-line spelling.
         *
         * @return e.g. "sliced-vr"
         */
        public String cliName() {
            return cliName;
        }

        /**
         * Parses a command-line spelling.
         *
         * @param s exact, sliced, sliced-vr or denoising (case-insensitive)
         * @return the kind
         * @throws IllegalArgumentException naming the accepted values
         */
        public static ObjectiveKind parse(String s) {
            for (ObjectiveKind k : values()) {
                if (k.cliName.equalsIgnoreCase(s.trim())) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown objective \"" + s
                    + "\"; expected one of exact, sliced, sliced-vr, denoising");
        }
    }

    /**
     * One benchmark configuration.
     *
     * @param model energy or score MLP
     * @param objective the loss
     * @param dim input dimension D ≥ 1
     * @param width hidden width ≥ 1
     * @param depth hidden layers ≥ 0
     * @param batch minibatch rows B ≥ 1
     * @param activation hidden activation
     * @param sigma denoising noise σ &gt; 0
     * @param warmup untimed steps ≥ 0
     * @param steps timed steps ≥ 1
     * @param seed seed of the data, initial θ, minibatches and noise
     */
    public record Config(ModelKind model, ObjectiveKind objective, int dim, int width, int depth, int batch,
                         Activation activation, double sigma, int warmup, int steps, long seed) {
        /** Validates every field, naming the first bad one. */
        public Config {
            if (model == null || objective == null || activation == null) {
                throw new IllegalArgumentException("benchmark config: model, objective and activation are required");
            }
            positive("dim", dim);
            positive("width", width);
            positive("batch", batch);
            positive("steps", steps);
            if (depth < 0) {
                throw new IllegalArgumentException("benchmark config: depth must be >= 0, got " + depth);
            }
            if (warmup < 0) {
                throw new IllegalArgumentException("benchmark config: warmup must be >= 0, got " + warmup);
            }
            if (!(sigma > 0) || !Double.isFinite(sigma)) {
                throw new IllegalArgumentException("benchmark config: sigma must be a positive number, got " + sigma);
            }
        }

        private static void positive(String name, int v) {
            if (v < 1) {
                throw new IllegalArgumentException("benchmark config: " + name + " must be >= 1, got " + v);
            }
        }

        /**
         * A one-line description, e.g. "energy exact D=2 2-64-64-1 softplus B=512".
         *
         * @return the description
         */
        public String describe() {
            int out = model == ModelKind.ENERGY ? 1 : dim;
            StringBuilder w = new StringBuilder().append(dim);
            for (int i = 0; i < depth; i++) {
                w.append('-').append(width);
            }
            w.append('-').append(out);
            return model.name().toLowerCase(Locale.ROOT) + " " + objective.cliName() + " D=" + dim + " " + w + " "
                    + activation.jsonName() + " B=" + batch;
        }
    }

    /**
     * Timing of the timed steps.
     *
     * @param stepMs wall time of every timed step in ms, in order
     * @param medianMs median
     * @param q1Ms first quartile
     * @param q3Ms third quartile
     * @param cpuMedianMs median CPU time of the calling thread per step in ms: on a shared machine
     *                    a steadier guide than wall time, but it leaves out work done by helper threads
     * @param finalLoss loss of the last step (a sanity value: finite, and equal across thread counts)
     */
    public record Result(double[] stepMs, double medianMs, double q1Ms, double q3Ms, double cpuMedianMs,
                         double finalLoss) {
        /**
         * Returns the interquartile range Q3 − Q1 in ms.
         *
         * @return Q3 − Q1
         */
        public double iqrMs() {
            return q3Ms - q1Ms;
        }
    }

    private final Config config;
    private final ScoreModel model;
    private final Objective objective;
    private final Adam adam = new Adam();
    private final double[] data;
    private final double[] theta;
    private final Random rng;

    /**
     * Builds the model, objective, optimizer and data of a configuration.
     *
     * @param config the configuration
     */
    public TrainStepBenchmark(Config config) {
        this.config = config;
        this.model = config.model() == ModelKind.ENERGY
                ? new EnergyMlp(config.dim(), config.width(), config.depth(), config.activation())
                : new ScoreMlp(config.dim(), config.width(), config.depth(), config.activation());
        TrainingConfig.ObjectiveKind ok = switch (config.objective()) {
            case EXACT -> TrainingConfig.ObjectiveKind.EXACT;
            case SLICED -> TrainingConfig.ObjectiveKind.SLICED;
            case SLICED_VR -> TrainingConfig.ObjectiveKind.SLICED_VR;
            case DENOISING -> TrainingConfig.ObjectiveKind.DENOISING;
        };
        this.objective = TrainingConfig.buildObjective(ok, 1, Probe.GAUSSIAN, config.sigma(), 0);
        this.rng = new Random(config.seed());
        this.data = Tensor.randn(rng, DATA_POINTS, config.dim()).toArray();
        this.theta = model.initialParameters(config.seed());
    }

    /**
     * One training step: minibatch, loss and θ-gradient, Adam update of θ.
     *
     * @return the loss before the update
     */
    public double step() {
        int b = config.batch();
        int d = config.dim();
        double[] x = new double[b * d];
        for (int i = 0; i < b; i++) {
            System.arraycopy(data, rng.nextInt(DATA_POINTS) * d, x, i * d, d);
        }
        Objective.LossAndGradient lg = objective.lossAndGradient(model, theta, Tensor.of(new int[] {b, d}, x), rng);
        adam.step(theta, lg.gradient(), 1e-3);
        return lg.loss();
    }

    /**
     * Runs the warm-up and the timed steps.
     *
     * @return per-step times and their median and quartiles
     */
    public Result run() {
        double loss = Double.NaN;
        for (int i = 0; i < config.warmup(); i++) {
            loss = step();
        }
        double[] t = new double[config.steps()];
        double[] cpu = new double[config.steps()];
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        boolean cpuTime = mx.isCurrentThreadCpuTimeSupported();
        for (int i = 0; i < t.length; i++) {
            long c0 = cpuTime ? mx.getCurrentThreadCpuTime() : 0;
            long t0 = System.nanoTime();
            loss = step();
            t[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = cpuTime ? (mx.getCurrentThreadCpuTime() - c0) / 1e6 : Double.NaN;
        }
        double[] sorted = t.clone();
        Arrays.sort(sorted);
        Arrays.sort(cpu);
        return new Result(t, BenchHarness.quantile(sorted, 0.5), BenchHarness.quantile(sorted, 0.25),
                BenchHarness.quantile(sorted, 0.75), BenchHarness.quantile(cpu, 0.5), loss);
    }

    /**
     * Returns the current parameters θ (a copy).
     *
     * @return θ
     */
    public double[] theta() {
        return theta.clone();
    }
}
