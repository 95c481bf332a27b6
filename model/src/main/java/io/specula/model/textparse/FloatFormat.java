package io.specula.model.textparse;

import java.math.BigDecimal;

/**
 * Formats floats the way Prometheus writes {@code le} and {@code quantile} label values: Go's
 * shortest {@code 'g'} formatting ({@code strconv.FormatFloat(f, 'g', -1, 64)}), with
 * {@code ".0"} appended when the result has neither a point nor an exponent, and
 * {@code NaN}, {@code +Inf}, {@code -Inf} for the special values.
 *
 * <p>Prometheus 3 normalizes those two labels with this function when it ingests the text
 * formats, so {@code le="1"} and {@code le="1.0"} name the same series. Stateless.
 */
final class FloatFormat {
    private FloatFormat() {}

    static String formatOpenMetrics(double f) {
        if (f == 1) {
            return "1.0";
        }
        if (f == 0) {
            return "0.0"; // also -0, as in Prometheus
        }
        if (f == -1) {
            return "-1.0";
        }
        if (Double.isNaN(f)) {
            return "NaN";
        }
        if (f == Double.POSITIVE_INFINITY) {
            return "+Inf";
        }
        if (f == Double.NEGATIVE_INFINITY) {
            return "-Inf";
        }
        String s = formatG(f);
        if (s.indexOf('.') < 0 && s.indexOf('e') < 0) {
            return s + ".0";
        }
        return s;
    }

    /** Go's {@code strconv.FormatFloat(f, 'g', -1, 64)} for finite, non-zero f. */
    static String formatG(double f) {
        double a = Math.abs(f);
        // Java's Double.toString yields the shortest decimal that rounds back to a (JDK 19+),
        // except that when one digit would do it may pick a closer two-digit decimal; Go keeps
        // the one digit. Take its digits and fix that case below.
        String js = Double.toString(a);
        int ePos = js.indexOf('E');
        String mant = ePos < 0 ? js : js.substring(0, ePos);
        int exp = ePos < 0 ? 0 : Integer.parseInt(js.substring(ePos + 1));
        int dot = mant.indexOf('.');
        StringBuilder digits = new StringBuilder(mant.length());
        digits.append(mant, 0, dot).append(mant, dot + 1, mant.length());
        int dp = dot + exp; // the decimal point sits after digit number dp
        int lead = 0;
        while (lead < digits.length() - 1 && digits.charAt(lead) == '0') {
            lead++;
        }
        digits.delete(0, lead);
        dp -= lead;
        int len = digits.length();
        while (len > 1 && digits.charAt(len - 1) == '0') {
            len--;
        }
        digits.setLength(len);
        if (len == 2) {
            String one = oneDigit(a, digits, dp);
            if (one != null) {
                if (one.length() == 2) { // rounded up from 9.x to 10: one more digit before the point
                    dp++;
                }
                digits.setLength(0);
                digits.append(one.charAt(0));
            }
        }
        StringBuilder out = new StringBuilder(24);
        if (f < 0) {
            out.append('-');
        }
        int nd = digits.length();
        int x = dp - 1;
        if (x < -4 || x >= 6) {
            out.append(digits.charAt(0));
            if (nd > 1) {
                out.append('.').append(digits, 1, nd);
            }
            out.append('e').append(x < 0 ? '-' : '+');
            int ax = Math.abs(x);
            if (ax < 10) {
                out.append('0');
            }
            out.append(ax);
            return out.toString();
        }
        if (dp > 0) {
            for (int i = 0; i < dp; i++) {
                out.append(i < nd ? digits.charAt(i) : '0');
            }
        } else {
            out.append('0');
        }
        if (nd > dp) {
            out.append('.');
            for (int i = dp; i < nd; i++) {
                out.append(i < 0 ? '0' : digits.charAt(i));
            }
        }
        return out.toString();
    }

    /**
     * The single digit (or "10" when rounding 9.x up) that also rounds back to {@code a}, choosing
     * the closer one when both would, or null when none does.
     */
    private static String oneDigit(double a, CharSequence two, int dp) {
        int d0 = two.charAt(0) - '0';
        String best = null;
        BigDecimal bestDist = null;
        BigDecimal exact = new BigDecimal(a);
        for (int cand : new int[] {d0, d0 + 1}) {
            BigDecimal v = BigDecimal.valueOf(cand).scaleByPowerOfTen(dp - 1);
            if (v.signum() == 0 || v.doubleValue() != a) {
                continue;
            }
            BigDecimal dist = v.subtract(exact).abs();
            if (bestDist == null || dist.compareTo(bestDist) < 0) {
                bestDist = dist;
                best = Integer.toString(cand);
            }
        }
        return best;
    }
}
