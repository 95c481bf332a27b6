package io.specula.model.textparse;

import io.specula.model.exposition.GoFloat;

/**
 * Formats floats the way Prometheus writes {@code le} and {@code quantile} label values: Go's
 * shortest {@code 'g'} formatting ({@code strconv.FormatFloat(f, 'g', -1, 64)}), with
 * {@code ".0"} appended when the result has neither a point nor an exponent, and
 * {@code NaN}, {@code +Inf}, {@code -Inf} for the special values.
 *
 * <p>Prometheus 3 normalizes those two labels with this function when it ingests the text
 * formats, so {@code le="1"} and {@code le="1.0"} name the same series. Stateless.
 */
public final class FloatFormat {
    private FloatFormat() {}

    public static String formatOpenMetrics(double f) {
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
        String s = GoFloat.format(f);
        return s.indexOf('.') < 0 && s.indexOf('e') < 0 ? s + ".0" : s;
    }
}
