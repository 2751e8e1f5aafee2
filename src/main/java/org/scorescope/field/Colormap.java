package org.scorescope.field;

/**
 * Perceptually uniform colormaps as 256-entry opaque ARGB lookup tables. The colours come from the
 * degree-6 polynomial fits of matplotlib's viridis and magma (Matt Zucker, CC0), which stay within
 * about 1% of the reference tables: {@code rgb(t) = c₀ + t·(c₁ + t·(c₂ + … + t·c₆))}, clamped to
 * [0, 1].
 */
public enum Colormap {
    /** Dark blue → green → yellow; the default for densities. */
    VIRIDIS(new double[][] {
        {0.2777273272234177, 0.005407344544966578, 0.3340998053353061},
        {0.1050930431085774, 1.404613529898575, 1.384590162594685},
        {-0.3308618287255563, 0.214847559468213, 0.09509516302823659},
        {-4.634230498983486, -5.799100973351585, -19.33244095627987},
        {6.228269936347081, 14.17993336680509, 56.69055260068105},
        {4.776384997670288, -13.74514537774601, -65.35303263337234},
        {-5.435455855934631, 4.645852612178535, 26.3124352495832}}),
    /** Black → purple → orange → pale yellow. */
    MAGMA(new double[][] {
        {-0.002136485053939582, -0.000749655052795221, -0.005386127855323933},
        {0.2516605407371642, 0.6775232436837668, 2.494026599312351},
        {8.353717279216625, -3.577719514958484, 0.3144679030132573},
        {-27.66873308576866, 14.26473078096533, -13.64921318813922},
        {52.17613981234068, -27.94360607168351, 12.94416944238394},
        {-50.76852536473588, 29.04658282127291, 4.23415299384598},
        {18.65570506591883, -11.48977351997711, -5.601961508734096}});

    /** Number of table entries. */
    public static final int SIZE = 256;

    private final int[] lut = new int[SIZE];
    private final double[][] rgb = new double[SIZE][3];

    Colormap(double[][] c) {
        for (int i = 0; i < SIZE; i++) {
            double t = i / (SIZE - 1.0);
            int argb = 0xFF000000;
            for (int ch = 0; ch < 3; ch++) {
                double v = c[6][ch];
                for (int k = 5; k >= 0; k--) {
                    v = c[k][ch] + t * v;
                }
                v = Math.max(0, Math.min(1, v));
                rgb[i][ch] = v;
                argb |= (int) Math.round(v * 255) << (16 - 8 * ch);
            }
            lut[i] = argb;
        }
    }

    /**
     * @param t position in [0, 1] (clamped; NaN maps to 0)
     * @return the opaque ARGB colour of entry round(t·255)
     */
    public int argb(double t) {
        return lut[index(t)];
    }

    /**
     * @param t position in [0, 1] (clamped; NaN maps to 0)
     * @return {r, g, b} in [0, 1] of entry round(t·255) (a copy)
     */
    public double[] rgb(double t) {
        return rgb[index(t)].clone();
    }

    /**
     * Relative luminance of entry round(t·255), Y = 0.2126 R + 0.7152 G + 0.0722 B on the
     * gamma-encoded channels (enough to check monotone lightness, the property that makes a map read
     * as "more").
     *
     * @param t position in [0, 1]
     * @return luminance in [0, 1]
     */
    public double luminance(double t) {
        double[] c = rgb[index(t)];
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }

    /**
     * @param t position in [0, 1]
     * @return the table index round(t·255), clamped, NaN → 0
     */
    static int index(double t) {
        if (!(t > 0)) {
            return 0;
        }
        return t >= 1 ? SIZE - 1 : (int) Math.round(t * (SIZE - 1));
    }

    /** @return the display name, e.g. "viridis" */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
