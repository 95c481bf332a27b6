package io.specula.rules.unittest;

import io.specula.model.labels.LabelNames;
import io.specula.model.exposition.GoFloat;

/** The few Go formatting routines promtool's messages are built with. */
final class GoFormat {
    private GoFormat() {}

    /** Go's {@code strconv.FormatFloat(v, 'E', -1, 64)}: shortest digits, exponent form ({@code 1.5E+01}). */
    static String floatE(double v) {
        return GoFloat.formatE(v, 'E');
    }

    /** Go's {@code %q} of a string. */
    static String quote(String s) {
        return LabelNames.appendQuoted(new StringBuilder(), s).toString();
    }

    /** Go's {@code time.Duration.String()} for a whole number of milliseconds ({@code 1m30s}, {@code 0s}, {@code 500ms}). */
    static String duration(long ms) {
        if (ms == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        if (ms < 0) {
            sb.append('-');
            ms = -ms;
        }
        if (ms < 1000) {
            return sb.append(ms).append("ms").toString();
        }
        long h = ms / 3_600_000, m = ms / 60_000 % 60, rem = ms % 60_000;
        if (h > 0) {
            sb.append(h).append('h');
        }
        if (h > 0 || m > 0) {
            sb.append(m).append('m');
        }
        sb.append(rem / 1000);
        if (rem % 1000 != 0) {
            String frac = String.format("%03d", rem % 1000).replaceAll("0+$", "");
            sb.append('.').append(frac);
        }
        return sb.append('s').toString();
    }
}
