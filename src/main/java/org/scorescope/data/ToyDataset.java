package org.scorescope.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The standard 2-D toy distributions of the density-estimation and score-matching literature.
 *
 * <p>Shapes, scales and default noise follow the FFJORD generators (Grathwohl et al. 2019,
 * {@code rtqichen/ffjord lib/toy_data.py}, which wrap scikit-learn's {@code make_swiss_roll},
 * {@code make_circles} and {@code make_moons}); {@code 25gaussians} follows the WGAN-GP toy set
 * (Gulrajani et al. 2017, {@code gan_toy.py}), which FFJORD does not have; {@code mixture2} is the
 * two-Gaussian mixture of Song &amp; Ermon (2019): ⅘ N((5, 5), I) + ⅕ N((−5, −5), I).
 *
 * <p>{@code noise} is always the noise parameter in the generator's own units, i.e. the number that
 * appears in the reference code, applied at the same place in the pipeline (for example swissroll's
 * noise is added before the division by 5, so its default 1.0 gives standard deviation 0.2 in the
 * returned coordinates). What it means per dataset is stated on each constant. Every generator
 * returns exactly n points in random order; generators that lay points out deterministically
 * (circles, rings, moons, pinwheel, 2spirals) shuffle them, so every prefix is a fair sample.
 * The same (n, noise, seed) always yields bit-identical points.
 */
public enum ToyDataset {
    /**
     * scikit-learn swiss roll, (x, z) / 5: t = 1.5π(1 + 2u), x = t cos t + noise·ε₁, z = t sin t + noise·ε₂.
     * Default noise 1.0.
     */
    SWISSROLL("swissroll", 1.0, 4.0),
    /**
     * scikit-learn circles with factor 0.5, times 3: ⌊n/2⌋ points equally spaced on the unit circle, the rest on
     * the circle of radius ½, plus N(0, noise²) per coordinate before the scaling. Default noise 0.08.
     */
    CIRCLES("circles", 0.08, 4.0),
    /**
     * Four concentric rings of radii 3, 2.25, 1.5, 0.75 with ⌊n/4⌋ equally spaced points on each of the outer three
     * and the rest on the inner one, plus N(0, noise²) per coordinate after the scaling. Default noise 0.08.
     */
    RINGS("rings", 0.08, 4.0),
    /**
     * scikit-learn two moons, 2·x + (−1, −0.2): outer arc (cos θ, sin θ), inner arc (1 − cos θ, ½ − sin θ),
     * θ equally spaced on [0, π], plus N(0, noise²) per coordinate before the affine map. Default noise 0.1.
     */
    MOONS("moons", 0.1, 4.0),
    /**
     * Eight Gaussians: centre 4·(cos, sin) of a multiple of 45° chosen uniformly, plus N(0, noise²) per coordinate,
     * then everything divided by 1.414. Exact mixture: means 4 c_k / 1.414, σ = noise / 1.414. Default noise 0.5.
     */
    EIGHT_GAUSSIANS("8gaussians", 0.5, 4.0),
    /**
     * Twenty-five Gaussians: centre (2i, 2j), i, j ∈ {−2, ..., 2} chosen uniformly, plus N(0, noise²) per
     * coordinate, then everything divided by 2.828. Exact mixture: means (2i, 2j) / 2.828, σ = noise / 2.828.
     * Default noise 0.05.
     */
    TWENTY_FIVE_GAUSSIANS("25gaussians", 0.05, 2.5),
    /**
     * Five-armed pinwheel: radial r ~ N(1, 0.3²), tangential t ~ N(0, noise²), arm k = i mod 5, angle
     * a = 2πk/5 + 0.25·e^r, point 2·(r cos a + t sin a, −r sin a + t cos a). {@code noise} is the tangential
     * standard deviation (the arm thickness); the radial spread 0.3 is part of the shape. Default noise 0.1.
     */
    PINWHEEL("pinwheel", 0.1, 4.0),
    /**
     * Two interleaved spirals: s = 3π·√u, (−s cos s + ½u₂, s sin s + ½u₃) for the first half and its negation for
     * the second, divided by 3, plus N(0, noise²) per coordinate. Default noise 0.1.
     */
    TWO_SPIRALS("2spirals", 0.1, 4.0),
    /**
     * Checkerboard: x₁ ~ U[−2, 2), x₂ = U[0, 1) − 2b + (⌊x₁⌋ mod 2) with b ~ Bernoulli(½), times 2, i.e. uniform on
     * eight 2 × 2 squares of [−4, 4]². The reference has no noise, so the default is 0; a positive noise adds
     * N(0, noise²) per coordinate after the scaling.
     */
    CHECKERBOARD("checkerboard", 0.0, 4.0),
    /**
     * Two-component mixture ⅘ N((5, 5), σ²I) + ⅕ N((−5, −5), σ²I) with σ = noise, default 1 (Song &amp; Ermon 2019).
     */
    MIXTURE2("mixture2", 1.0, 9.0);

    private static final double EIGHT_SCALE = 4.0;
    private static final double EIGHT_DIVISOR = 1.414;
    private static final double TWENTY_FIVE_DIVISOR = 2.828;
    private static final double MIXTURE2_MEAN = 5.0;
    private static final double MIXTURE2_MAJOR_WEIGHT = 0.8;

    private final String id;
    private final double defaultNoise;
    private final double halfWidth;

    ToyDataset(String id, double defaultNoise, double halfWidth) {
        this.id = id;
        this.defaultNoise = defaultNoise;
        this.halfWidth = halfWidth;
    }

    /** @return the JSON / CLI name, e.g. {@code 8gaussians}. */
    @JsonValue
    public String id() {
        return id;
    }

    /**
     * Looks a dataset up by its JSON / CLI name (case-insensitive).
     *
     * @param name e.g. {@code swissroll}
     * @return the dataset
     * @throws IllegalArgumentException listing the valid names if none matches
     */
    @JsonCreator
    public static ToyDataset fromId(String name) {
        if (name != null) {
            String key = name.trim().toLowerCase(Locale.ROOT);
            for (ToyDataset d : values()) {
                if (d.id.equals(key)) {
                    return d;
                }
            }
        }
        throw new IllegalArgumentException("dataset: unknown '" + name + "' (expected one of " + names() + ")");
    }

    /** @return all JSON / CLI names, comma separated, in declaration order. */
    public static String names() {
        return Arrays.stream(values()).map(ToyDataset::id).collect(Collectors.joining(", "));
    }

    /** @return the reference generator's noise parameter (see the constant's description for its meaning). */
    public double defaultNoise() {
        return defaultNoise;
    }

    /**
     * A view box containing essentially all of the mass at the default noise, square so that plots keep aspect 1.
     *
     * @return {xmin, xmax, ymin, ymax}
     */
    public double[] defaultBox() {
        return new double[] {-halfWidth, halfWidth, -halfWidth, halfWidth};
    }

    /**
     * n samples at the default noise; see {@link #sample(int, double, long)}.
     *
     * @param n    number of points, ≥ 0
     * @param seed random seed
     * @return n × 2 points
     */
    public double[][] sample(int n, long seed) {
        return sample(n, defaultNoise, seed);
    }

    /**
     * n samples with the given noise parameter replacing the default.
     *
     * @param n     number of points, ≥ 0
     * @param noise noise parameter in the generator's units (see each constant), finite and ≥ 0
     * @param seed  random seed; the same (n, noise, seed) gives the same points
     * @return n × 2 points
     */
    public double[][] sample(int n, double noise, long seed) {
        double[] flat = sampleFlat(n, noise, seed);
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = new double[] {flat[2 * i], flat[2 * i + 1]};
        }
        return out;
    }

    /**
     * n samples as a flat row-major array (x₀, y₀, x₁, y₁, ...), identical to {@link #sample(int, double, long)}.
     *
     * @param n     number of points, ≥ 0
     * @param noise noise parameter, finite and ≥ 0
     * @param seed  random seed
     * @return an array of length 2n
     */
    public double[] sampleFlat(int n, double noise, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("n: must be non-negative, found " + n);
        }
        if (!(noise >= 0.0) || !Double.isFinite(noise)) {
            throw new IllegalArgumentException("noise: must be finite and non-negative, found " + noise);
        }
        double[] out = new double[2 * n];
        if (n == 0) {
            return out;
        }
        SeededRandom rng = new SeededRandom(seed);
        switch (this) {
            case SWISSROLL -> swissRoll(out, n, noise, rng);
            case CIRCLES -> circles(out, n, noise, rng);
            case RINGS -> rings(out, n, noise, rng);
            case MOONS -> moons(out, n, noise, rng);
            case EIGHT_GAUSSIANS, TWENTY_FIVE_GAUSSIANS, MIXTURE2 -> mixtureSamples(out, n, noise, rng);
            case PINWHEEL -> pinwheel(out, n, noise, rng);
            case TWO_SPIRALS -> twoSpirals(out, n, noise, rng);
            case CHECKERBOARD -> checkerboard(out, n, noise, rng);
            default -> throw new AssertionError(this);
        }
        return out;
    }

    /** @return whether this dataset has an exact closed-form density ({@link #mixture(double)} is present). */
    public boolean hasExactDensity() {
        return this == EIGHT_GAUSSIANS || this == TWENTY_FIVE_GAUSSIANS || this == MIXTURE2;
    }

    /**
     * The exact density at the default noise; see {@link #mixture(double)}.
     *
     * @return the mixture, or empty if the dataset has no closed-form density
     */
    public Optional<GaussianMixture> mixture() {
        return mixture(defaultNoise);
    }

    /**
     * The exact distribution that {@link #sample(int, double, long)} draws from, for the Gaussian-mixture datasets.
     * For 8gaussians and 25gaussians the reference divides the noisy point by a constant c (1.414, 2.828), so the
     * means are centre / c and σ = noise / c.
     *
     * @param noise noise parameter, finite and &gt; 0 (a zero-width mixture has no density)
     * @return the mixture, or empty if the dataset has no closed-form density
     */
    public Optional<GaussianMixture> mixture(double noise) {
        if (!hasExactDensity()) {
            return Optional.empty();
        }
        if (!(noise > 0.0) || !Double.isFinite(noise)) {
            throw new IllegalArgumentException("noise: a mixture density needs a finite positive noise, found " + noise);
        }
        double[][] centres = centres();
        int k = centres.length;
        double[] weights = new double[k];
        double[] sigmas = new double[k];
        double[][] means = new double[k][];
        double divisor = divisor();
        for (int i = 0; i < k; i++) {
            weights[i] = this == MIXTURE2 ? (i == 0 ? MIXTURE2_MAJOR_WEIGHT : 1.0 - MIXTURE2_MAJOR_WEIGHT) : 1.0 / k;
            means[i] = new double[] {centres[i][0] / divisor, centres[i][1] / divisor};
            sigmas[i] = noise / divisor;
        }
        return Optional.of(GaussianMixture.isotropic(weights, means, sigmas));
    }

    private double divisor() {
        return switch (this) {
            case EIGHT_GAUSSIANS -> EIGHT_DIVISOR;
            case TWENTY_FIVE_GAUSSIANS -> TWENTY_FIVE_DIVISOR;
            default -> 1.0;
        };
    }

    /** Centres before the division, in the reference code's order. */
    private double[][] centres() {
        switch (this) {
            case EIGHT_GAUSSIANS: {
                double r = 1.0 / Math.sqrt(2.0);
                double[][] unit = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {r, r}, {r, -r}, {-r, r}, {-r, -r}};
                for (double[] c : unit) {
                    c[0] *= EIGHT_SCALE;
                    c[1] *= EIGHT_SCALE;
                }
                return unit;
            }
            case TWENTY_FIVE_GAUSSIANS: {
                double[][] c = new double[25][];
                int i = 0;
                for (int x = -2; x <= 2; x++) {
                    for (int y = -2; y <= 2; y++) {
                        c[i++] = new double[] {2.0 * x, 2.0 * y};
                    }
                }
                return c;
            }
            case MIXTURE2:
                return new double[][] {{MIXTURE2_MEAN, MIXTURE2_MEAN}, {-MIXTURE2_MEAN, -MIXTURE2_MEAN}};
            default:
                throw new AssertionError(this);
        }
    }

    private void mixtureSamples(double[] out, int n, double noise, SeededRandom rng) {
        double[][] centres = centres();
        double divisor = divisor();
        for (int i = 0; i < n; i++) {
            int k;
            if (this == MIXTURE2) {
                k = rng.nextDouble() < MIXTURE2_MAJOR_WEIGHT ? 0 : 1;
            } else {
                k = rng.nextInt(centres.length);
            }
            // Noise is added before the division, exactly as in the reference generators.
            out[2 * i] = (centres[k][0] + noise * rng.nextGaussian()) / divisor;
            out[2 * i + 1] = (centres[k][1] + noise * rng.nextGaussian()) / divisor;
        }
    }

    private static void swissRoll(double[] out, int n, double noise, SeededRandom rng) {
        for (int i = 0; i < n; i++) {
            double t = 1.5 * Math.PI * (1.0 + 2.0 * rng.nextDouble());
            double x = t * Math.cos(t) + noise * rng.nextGaussian();
            double z = t * Math.sin(t) + noise * rng.nextGaussian();
            out[2 * i] = x / 5.0;
            out[2 * i + 1] = z / 5.0;
        }
    }

    private static void circles(double[] out, int n, double noise, SeededRandom rng) {
        int outer = n / 2;
        int inner = n - outer;
        for (int i = 0; i < n; i++) {
            boolean isOuter = i < outer;
            int j = isOuter ? i : i - outer;
            double angle = 2.0 * Math.PI * j / (isOuter ? outer : inner);
            double radius = isOuter ? 1.0 : 0.5;
            out[2 * i] = 3.0 * (radius * Math.cos(angle) + noise * rng.nextGaussian());
            out[2 * i + 1] = 3.0 * (radius * Math.sin(angle) + noise * rng.nextGaussian());
        }
        rng.shuffleRows2(out, n);
    }

    private static void rings(double[] out, int n, double noise, SeededRandom rng) {
        int quarter = n / 4;
        int[] counts = {quarter, quarter, quarter, n - 3 * quarter};
        double[] radii = {1.0, 0.75, 0.5, 0.25};
        int i = 0;
        for (int ring = 0; ring < 4; ring++) {
            for (int j = 0; j < counts[ring]; j++, i++) {
                double angle = 2.0 * Math.PI * j / counts[ring];
                out[2 * i] = 3.0 * radii[ring] * Math.cos(angle);
                out[2 * i + 1] = 3.0 * radii[ring] * Math.sin(angle);
            }
        }
        rng.shuffleRows2(out, n);
        for (int k = 0; k < 2 * n; k++) {
            out[k] += noise * rng.nextGaussian();
        }
    }

    private static void moons(double[] out, int n, double noise, SeededRandom rng) {
        int outer = n / 2;
        int inner = n - outer;
        for (int i = 0; i < n; i++) {
            boolean isOuter = i < outer;
            int j = isOuter ? i : i - outer;
            int m = isOuter ? outer : inner;
            // numpy.linspace(0, π, m) includes both end points; a single point sits at 0.
            double theta = m == 1 ? 0.0 : Math.PI * j / (m - 1);
            double x = isOuter ? Math.cos(theta) : 1.0 - Math.cos(theta);
            double y = isOuter ? Math.sin(theta) : 0.5 - Math.sin(theta);
            out[2 * i] = 2.0 * (x + noise * rng.nextGaussian()) - 1.0;
            out[2 * i + 1] = 2.0 * (y + noise * rng.nextGaussian()) - 0.2;
        }
        rng.shuffleRows2(out, n);
    }

    private static void pinwheel(double[] out, int n, double noise, SeededRandom rng) {
        final double radialStd = 0.3;
        final double rate = 0.25;
        final int arms = 5;
        for (int i = 0; i < n; i++) {
            double r = 1.0 + radialStd * rng.nextGaussian();
            double t = noise * rng.nextGaussian();
            double angle = 2.0 * Math.PI * (i % arms) / arms + rate * Math.exp(r);
            double c = Math.cos(angle);
            double s = Math.sin(angle);
            // Row vector (r, t) times [[c, −s], [s, c]], as numpy.einsum("ti,tij->tj") in the reference.
            out[2 * i] = 2.0 * (r * c + t * s);
            out[2 * i + 1] = 2.0 * (-r * s + t * c);
        }
        rng.shuffleRows2(out, n);
    }

    private static void twoSpirals(double[] out, int n, double noise, SeededRandom rng) {
        int first = (n + 1) / 2;
        for (int i = 0; i < n; i++) {
            double s = Math.sqrt(rng.nextDouble()) * 3.0 * Math.PI;
            double x = -Math.cos(s) * s + 0.5 * rng.nextDouble();
            double y = Math.sin(s) * s + 0.5 * rng.nextDouble();
            double sign = i < first ? 1.0 : -1.0;
            out[2 * i] = sign * x / 3.0 + noise * rng.nextGaussian();
            out[2 * i + 1] = sign * y / 3.0 + noise * rng.nextGaussian();
        }
        rng.shuffleRows2(out, n);
    }

    private static void checkerboard(double[] out, int n, double noise, SeededRandom rng) {
        for (int i = 0; i < n; i++) {
            double x1 = 4.0 * rng.nextDouble() - 2.0;
            double x2 = rng.nextDouble() - 2.0 * rng.nextInt(2) + Math.floorMod((int) Math.floor(x1), 2);
            out[2 * i] = 2.0 * x1;
            out[2 * i + 1] = 2.0 * x2;
            if (noise > 0.0) {
                out[2 * i] += noise * rng.nextGaussian();
                out[2 * i + 1] += noise * rng.nextGaussian();
            }
        }
    }
}
