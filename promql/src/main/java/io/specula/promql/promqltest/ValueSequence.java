package io.specula.promql.promqltest;

import io.specula.model.value.StaleNaN;
import io.specula.promql.parser.SeriesDescription;
import java.util.Arrays;

/**
 * A series line's values as the runner compares and loads them (absent slots marked by a
 * private NaN pattern), plus the scripts' number and duration notation.
 */
final class ValueSequence {
    /** Marker for "no sample at this slot". */
    static final long ABSENT_BITS = 0x7FF8DEADBEEF0001L;

    double[] values = new double[16];
    /** The histogram of each slot holding one (its value slot is then {@link #HISTOGRAM_BITS}), else null. */
    io.specula.model.histogram.FloatHistogram[] hists = new io.specula.model.histogram.FloatHistogram[16];
    int size;
    boolean histogram;

    /** Marker for "a histogram at this slot". */
    static final long HISTOGRAM_BITS = 0x7FF8DEADBEEF0002L;

    static boolean isHistogram(double v) {
        return Double.doubleToRawLongBits(v) == HISTOGRAM_BITS;
    }

    static boolean isAbsent(double v) {
        return Double.doubleToRawLongBits(v) == ABSENT_BITS;
    }

    /** Adapts the parser's expansion of a series line; histogram slots hold their histogram and set {@link #histogram}. */
    static ValueSequence of(SeriesDescription d) {
        ValueSequence s = new ValueSequence();
        for (int i = 0; i < d.size(); i++) {
            switch (d.kind(i)) {
                case VALUE -> s.add(d.value(i));
                case STALE -> s.add(StaleNaN.VALUE);
                case OMITTED -> s.add(Double.longBitsToDouble(ABSENT_BITS));
                case HISTOGRAM -> {
                    s.histogram = true;
                    s.add(Double.longBitsToDouble(HISTOGRAM_BITS));
                    s.hists[s.size - 1] = d.histogram(i);
                }
            }
        }
        return s;
    }

    private void add(double v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
            hists = Arrays.copyOf(hists, size * 2);
        }
        values[size++] = v;
    }

    /** A float in Go/PromQL notation, or null. */
    static Double number(String s) {
        String t = s;
        double sign = 1;
        if (t.startsWith("+") || t.startsWith("-")) {
            sign = t.charAt(0) == '-' ? -1 : 1;
            t = t.substring(1);
        }
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity")) {
            return sign * Double.POSITIVE_INFINITY;
        }
        if (lower.equals("nan")) {
            return Double.NaN;
        }
        if (lower.startsWith("0x")) {
            try {
                return sign * Long.parseLong(t.substring(2), 16);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (t.isEmpty() || !(Character.isDigit(t.charAt(0)) || t.charAt(0) == '.')) {
            return null;
        }
        for (int i = 0; i < t.length(); i++) {
            char ch = t.charAt(i);
            if (!(Character.isDigit(ch) || ch == '.' || ch == 'e' || ch == 'E' || ch == '+' || ch == '-')) {
                return null;
            }
        }
        try {
            return sign * Double.parseDouble(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A Prometheus duration ({@code 1h30m}, {@code 10s53ms}, or plain seconds) in ms. */
    static long duration(String s) {
        String t = s.trim();
        if (t.matches("-?[0-9]+(\\.[0-9]+)?")) {
            return Math.round(Double.parseDouble(t) * 1000);
        }
        boolean neg = t.startsWith("-");
        if (neg) {
            t = t.substring(1);
        }
        long total = 0;
        int i = 0;
        while (i < t.length()) {
            int j = i;
            while (j < t.length() && Character.isDigit(t.charAt(j))) {
                j++;
            }
            if (j == i) {
                throw new IllegalArgumentException("invalid duration " + s);
            }
            long n = Long.parseLong(t.substring(i, j));
            int k = j;
            while (k < t.length() && Character.isLetter(t.charAt(k))) {
                k++;
            }
            String unit = t.substring(j, k);
            long mul = switch (unit) {
                case "ms" -> 1;
                case "s" -> 1000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                case "d" -> 86_400_000;
                case "w" -> 7 * 86_400_000L;
                case "y" -> 365 * 86_400_000L;
                default -> throw new IllegalArgumentException("invalid duration " + s);
            };
            total += n * mul;
            i = k;
        }
        return neg ? -total : total;
    }
}
