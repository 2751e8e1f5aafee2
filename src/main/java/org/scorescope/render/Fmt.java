package org.scorescope.render;

import java.util.Locale;
import org.scorescope.field.HoverInfo;

/** Number formatting for labels, the status bar and the inspector (always with a '.' decimal point). */
public final class Fmt {
    private Fmt() {
    }

    /** @return 4 significant digits, switching to scientific notation outside [1e-3, 1e5); "–" for NaN */
    public static String num(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) {
            String[] parts = String.format(Locale.ROOT, "%.3e", v).split("e");
            return stripZeros(parts[0]) + "e" + Integer.parseInt(parts[1]);
        }
        return stripZeros(String.format(Locale.ROOT, "%.4g", v));
    }

    /** "1.500" → "1.5", "2.000" → "2": trailing zeros after a decimal point read like thousands separators. */
    private static String stripZeros(String s) {
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /** @return two significant digits in scientific notation, e.g. "1.0e-03" → "1.0e-3" */
    public static String sci(double v) {
        String s = String.format(Locale.ROOT, "%.1e", v);
        return s.replace("e-0", "e-").replace("e+0", "e").replace("e+", "e");
    }

    /** @return "10" followed by the exponent in superscript digits, e.g. −3 → "10⁻³" */
    public static String powerOfTen(int e) {
        String digits = Integer.toString(Math.abs(e));
        StringBuilder sb = new StringBuilder("10");
        if (e < 0) {
            sb.append('⁻');
        }
        for (int i = 0; i < digits.length(); i++) {
            sb.append("⁰¹²³⁴⁵⁶⁷⁸⁹".charAt(digits.charAt(i) - '0'));
        }
        return sb.toString();
    }

    /** @return the inspector's multi-line text */
    public static String hover(HoverInfo h) {
        StringBuilder sb = new StringBuilder(200);
        sb.append(String.format(Locale.ROOT, "x = (%.3f, %.3f)%n", h.x(), h.y()));
        sb.append(String.format(Locale.ROOT, "s(x) = (%s, %s)   |s| = %s%n", num(h.sx()), num(h.sy()), num(h.scoreNorm())));
        sb.append("log p(x) = ").append(num(h.logp())).append(h.logpExact() ? "" : " (integrated)").append('\n');
        if (h.im1() == 0) {
            sb.append("eig ∂s/∂x = ").append(num(h.re1())).append(", ").append(num(h.re2()));
        } else {
            sb.append("eig ∂s/∂x = ").append(num(h.re1())).append(" ± ").append(num(Math.abs(h.im1()))).append("i");
        }
        if (Math.abs(h.curl()) > 1e-9 * (Math.abs(h.re1()) + Math.abs(h.re2()) + 1e-300)) {
            sb.append("   curl = ").append(num(h.curl()));
        }
        if (h.hasTruth()) {
            sb.append('\n').append(String.format(Locale.ROOT, "true: s = (%s, %s), log p = %s, eig = %s, %s",
                    num(h.trueSx()), num(h.trueSy()), num(h.trueLogp()), num(h.trueL1()), num(h.trueL2())));
        }
        return sb.toString();
    }
}
