package io.specula.promql.engine;

import java.math.BigDecimal;

/** Go's string and float formatting where Prometheus's messages and labels depend on it. */
final class GoStrings {
    private GoStrings() {}

    /** Go's {@code %q}: a double-quoted string with Go escapes. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (Character.isLowSurrogate(ch) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))
                            && ch >= 0xDC80 && ch <= 0xDCFF) {
                        // The parser keeps an invalid UTF-8 byte as U+DC00+byte; Go prints it as \xNN.
                        b.append(String.format("\\x%02x", ch - 0xDC00));
                    } else if (ch < 0x20) {
                        b.append(String.format("\\x%02x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: shortest digits, never an exponent. */
    static String formatPlain(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0" : "0";
        }
        String s = new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
        return s;
    }

    /** Go's {@code %g} for annotation texts: shortest representation, exponent for large/small magnitudes. */
    static String formatG(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e21) {
            return formatPlain(v);
        }
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e21) {
            return formatPlain(v);
        }
        String s = Double.toString(v).replace("E", "e");
        int e = s.indexOf('e');
        String mant = s.substring(0, e), exp = s.substring(e + 1);
        if (mant.endsWith(".0")) {
            mant = mant.substring(0, mant.length() - 2);
        }
        int ex = Integer.parseInt(exp);
        return mant + "e" + (ex < 0 ? "-" : "+") + (Math.abs(ex) < 10 ? "0" : "") + Math.abs(ex);
    }
}
