package io.specula.model.exposition;

import java.math.BigDecimal;

/**
 * Formats doubles exactly as Go's {@code strconv.FormatFloat(v, 'g', -1, 64)}, the layout
 * Prometheus's exposition writers use: shortest digits that read back to the same double,
 * in {@code %e} form when the decimal exponent is below -4 or at least 6 ({@code 1e+06},
 * {@code 1.5e-05}, exponent with at least two digits) and in {@code %f} form otherwise
 * ({@code 123456}, {@code 0.0001}).
 *
 * <p>The digits come from {@link StringBuilder#append(double)}, which since JDK 19 yields the
 * shortest uniquely-identifying decimal closest to the value, as Go's Ryū does; only the
 * layout is redone here. Java's one deviation from "shortest" (it may print two digits
 * where one would do, for some subnormals such as {@code 4.9E-324}) is corrected.
 *
 * <p>An instance keeps a scratch builder and digit array and reuses them, so formatting
 * allocates nothing on the common paths. Not thread-safe: one instance per writer.
 */
public final class GoFloat {
    private static final double TWO_POW_53 = 9007199254740992.0;

    private final StringBuilder scratch = new StringBuilder(32);
    private final byte[] digits = new byte[24];
    private int nd; // number of significant digits in `digits`
    private int dp; // decimal point position: value = 0.d1d2...dn * 10^dp

    /**
     * Go's {@code strconv.FormatFloat(v, 'g', -1, 64)} as a string: {@code NaN},
     * {@code +Inf}, {@code -Inf}, {@code -0} for negative zero.
     */
    public static String format(double v) {
        ExpositionBuffer out = new ExpositionBuffer(32);
        new GoFloat().appendG(out, v);
        return out.toString();
    }

    /**
     * Go's {@code strconv.FormatFloat(v, e, -1, 64)} with {@code e} either {@code 'e'} or
     * {@code 'E'}: shortest digits, always in exponent form ({@code 1.5e+01}, {@code 0e+00}).
     */
    public static String formatE(double v, char e) {
        ExpositionBuffer out = new ExpositionBuffer(32);
        GoFloat g = new GoFloat();
        if (g.appendSign(out, v)) {
            v = Math.abs(v);
            if (v == 0) {
                out.put('0');
                out.put(e);
                out.putAscii("+00");
            } else {
                g.shortestDigits(v);
                g.appendExponentForm(out, e);
            }
        }
        return out.toString();
    }

    /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: shortest digits, never an exponent. */
    public static String formatF(double v) {
        ExpositionBuffer out = new ExpositionBuffer(32);
        GoFloat g = new GoFloat();
        if (g.appendSign(out, v)) {
            v = Math.abs(v);
            if (v == 0) {
                out.put('0');
            } else {
                g.shortestDigits(v);
                g.appendPlainForm(out);
            }
        }
        return out.toString();
    }

    /**
     * Writes NaN and infinities whole, and the sign of anything else.
     *
     * @return whether the magnitude still has to be written
     */
    private boolean appendSign(ExpositionBuffer out, double v) {
        if (Double.isNaN(v)) {
            out.putAscii("NaN");
            return false;
        }
        if (Double.isInfinite(v)) {
            out.putAscii(v > 0 ? "+Inf" : "-Inf");
            return false;
        }
        if (Double.doubleToRawLongBits(v) < 0) {
            out.put('-');
        }
        return true;
    }

    /**
     * Appends {@code v} in Go's {@code 'g'} shortest layout.
     *
     * @return true if the text contains a {@code '.'} or an {@code 'e'}, i.e. it does not read
     *     as an integer (OpenMetrics appends {@code ".0"} otherwise); false for NaN and infinities
     */
    boolean appendG(ExpositionBuffer out, double v) {
        if (!appendSign(out, v)) {
            return false;
        }
        v = Math.abs(v);
        if (v == 0) {
            out.put('0');
            return false;
        }
        shortestDigits(v);
        int exp = dp - 1;
        if (exp < -4 || exp >= 6) {
            appendExponentForm(out, 'e');
            return true;
        }
        return appendPlainForm(out);
    }

    /** The digits as {@code d.ddde±XX} (at least two exponent digits). */
    private void appendExponentForm(ExpositionBuffer out, char e) {
        int exp = dp - 1;
        out.ensure(nd + 8);
        out.put(digits[0]);
        if (nd > 1) {
            out.put('.');
            for (int i = 1; i < nd; i++) {
                out.put(digits[i]);
            }
        }
        out.put(e);
        if (exp < 0) {
            out.put('-');
            exp = -exp;
        } else {
            out.put('+');
        }
        if (exp < 10) {
            out.put('0');
        }
        out.putLong(exp);
    }

    /**
     * The digits as {@code %f} with exactly as many fraction digits as the shortest form needs.
     *
     * @return whether a fraction was written
     */
    private boolean appendPlainForm(ExpositionBuffer out) {
        out.ensure(Math.max(nd, dp) + Math.max(0, -dp) + 4);
        if (dp > 0) {
            for (int i = 0; i < dp; i++) {
                out.put(i < nd ? digits[i] : (byte) '0');
            }
        } else {
            out.put('0');
        }
        int frac = Math.max(nd - dp, 0);
        if (frac == 0) {
            return false;
        }
        out.put('.');
        for (int i = 0; i < frac; i++) {
            int j = dp + i;
            out.put(j >= 0 && j < nd ? digits[j] : (byte) '0');
        }
        return true;
    }

    /** Fills digits/nd/dp with the shortest round-trip decimal of positive finite {@code v}. */
    private void shortestDigits(double v) {
        if (v < TWO_POW_53 && v == Math.rint(v)) {
            // Counters and bucket counts: below 2^53 every integer is a double and no shorter
            // decimal lies within half an ulp, so the integer's own digits are the answer.
            integerDigits((long) v);
            return;
        }
        StringBuilder sb = scratch;
        sb.setLength(0);
        sb.append(v); // "123.45", "0.00123" or "1.2345E-7"
        int n = sb.length();
        int intLen = 0;
        int leadingZeros = 0;
        boolean fraction = false;
        nd = 0;
        int p = 0;
        for (; p < n; p++) {
            char c = sb.charAt(p);
            if (c == '.') {
                fraction = true;
                continue;
            }
            if (c == 'E') {
                break;
            }
            if (!fraction) {
                intLen++;
            }
            if (nd == 0 && c == '0') {
                leadingZeros++;
            } else {
                digits[nd++] = (byte) c;
            }
        }
        int exp10 = 0;
        if (p < n) {
            boolean neg = sb.charAt(++p) == '-';
            if (neg) {
                p++;
            }
            for (; p < n; p++) {
                exp10 = exp10 * 10 + (sb.charAt(p) - '0');
            }
            if (neg) {
                exp10 = -exp10;
            }
        }
        dp = intLen + exp10 - leadingZeros;
        while (nd > 1 && digits[nd - 1] == '0') {
            nd--;
        }
        if (nd == 2 && v < Double.MIN_NORMAL) {
            preferOneDigit(v);
        }
    }

    private void integerDigits(long l) {
        int n = 0;
        byte[] tmp = digits;
        while (l != 0) {
            tmp[n++] = (byte) ('0' + (int) (l % 10));
            l /= 10;
        }
        for (int i = 0, j = n - 1; i < j; i++, j--) {
            byte t = tmp[i];
            tmp[i] = tmp[j];
            tmp[j] = t;
        }
        dp = n;
        while (n > 1 && tmp[n - 1] == '0') {
            n--;
        }
        nd = n;
    }

    /**
     * Java picks the closest of the one- and two-digit decimals when a one-digit decimal would
     * already identify the double (only possible for subnormals, whose few mantissa bits leave
     * a wide rounding interval); Go picks the closest one-digit decimal. Rare, so it may allocate.
     */
    private void preferOneDigit(double v) {
        int d = digits[0] - '0';
        BigDecimal exact = new BigDecimal(v);
        BigDecimal best = null;
        int bestDigit = 0;
        int bestDp = 0;
        for (int cand = d; cand <= d + 1; cand++) {
            int digit = cand == 10 ? 1 : cand;
            int candDp = cand == 10 ? dp + 1 : dp;
            BigDecimal value = BigDecimal.valueOf(digit).scaleByPowerOfTen(candDp - 1);
            if (Double.parseDouble(value.toString()) != v) {
                continue;
            }
            if (best == null || value.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0) {
                best = value;
                bestDigit = digit;
                bestDp = candDp;
            }
        }
        if (best != null) {
            digits[0] = (byte) ('0' + bestDigit);
            nd = 1;
            dp = bestDp;
        }
    }
}
