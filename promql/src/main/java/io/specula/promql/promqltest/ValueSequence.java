package io.specula.promql.promqltest;

import io.specula.promql.engine.Stale;
import java.util.Arrays;

/**
 * Expands the value notation of test scripts ({@code 1+2x3 _ stale _x2 NaN}) into values with
 * absent slots. WORKAROUND: the parser branch is to provide {@code SeriesDescription.parse};
 * until it does, this small expander covers the float notation (native histograms
 * {@code {{...}}} are reported as unsupported).
 */
final class ValueSequence {
    /** Marker for "no sample at this slot". */
    static final long ABSENT_BITS = 0x7FF8DEADBEEF0001L;

    double[] values = new double[16];
    int size;
    boolean histogram;

    static boolean isAbsent(double v) {
        return Double.doubleToRawLongBits(v) == ABSENT_BITS;
    }

    static ValueSequence parse(String text) {
        ValueSequence s = new ValueSequence();
        String t = text.trim();
        int i = 0, n = t.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(t.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int j = i;
            boolean hist = false;
            while (j < n && !Character.isWhitespace(t.charAt(j))) {
                if (t.startsWith("{{", j)) {
                    hist = true;
                    int close = t.indexOf("}}", j);
                    j = close < 0 ? n : close + 2;
                } else {
                    j++;
                }
            }
            String item = t.substring(i, j);
            if (hist) {
                s.histogram = true;
                // Native histograms are not supported: their slots load as gaps.
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("x(\\d+)$").matcher(item);
                int count = m.find() ? Integer.parseInt(m.group(1)) + 1 : 1;
                for (int k = 0; k < count; k++) {
                    s.add(Double.longBitsToDouble(ABSENT_BITS));
                }
            } else {
                s.item(item);
            }
            i = j;
        }
        return s;
    }

    private void add(double v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    private void item(String item) {
        if (item.equals("_")) {
            add(Double.longBitsToDouble(ABSENT_BITS));
            return;
        }
        if (item.startsWith("_x")) {
            int n = Integer.parseInt(item.substring(2));
            for (int i = 0; i < n; i++) {
                add(Double.longBitsToDouble(ABSENT_BITS));
            }
            return;
        }
        if (item.equals("stale")) {
            add(Stale.STALE_NAN);
            return;
        }
        Double whole = item.matches(".*[0-9]x[0-9]+$") ? null : number(item);
        if (whole != null) {
            add(whole);
            return;
        }
        int x = item.lastIndexOf('x');
        if (x <= 0) {
            throw new IllegalArgumentException("invalid value " + item);
        }
        int n = Integer.parseInt(item.substring(x + 1));
        String head = item.substring(0, x);
        Double a = number(head);
        double step = 0;
        if (a == null) {
            int split = -1;
            for (int i = 1; i < head.length(); i++) {
                char ch = head.charAt(i);
                char prev = head.charAt(i - 1);
                if ((ch == '+' || ch == '-') && prev != 'e' && prev != 'E') {
                    split = i;
                    break;
                }
            }
            if (split < 0) {
                throw new IllegalArgumentException("invalid value " + item);
            }
            a = number(head.substring(0, split));
            Double b = number(head.substring(split + 1));
            if (a == null || b == null) {
                throw new IllegalArgumentException("invalid value " + item);
            }
            step = head.charAt(split) == '-' ? -b : b;
        }
        if (head.equals("stale")) {
            throw new IllegalArgumentException("invalid value " + item);
        }
        double v = a;
        for (int i = 0; i <= n; i++) {
            add(v);
            v += step;
        }
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
