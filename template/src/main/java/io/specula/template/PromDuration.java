package io.specula.template;

/**
 * Prometheus's duration syntax ({@code 1h30m}, {@code 90s}, {@code 1d}, {@code 2w},
 * {@code 1y}, {@code 500ms}; units largest first, each at most once) for
 * {@code parseDuration}, returning seconds.
 */
final class PromDuration {
    private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
    private static final long[] MILLIS = {365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000,
            3600L * 1000, 60L * 1000, 1000L, 1L};

    private PromDuration() {}

    static double parseSeconds(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration string");
        }
        if (s.equals("0")) {
            return 0;
        }
        long total = 0;
        int i = 0;
        int nextUnit = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
                i++;
            }
            if (i == start || i - start > 18) {
                throw invalid(s);
            }
            long n = Long.parseLong(s.substring(start, i));
            int unit = -1;
            for (int u = nextUnit; u < UNITS.length; u++) {
                String name = UNITS[u];
                if (s.startsWith(name, i) && !(name.equals("m") && s.startsWith("ms", i))) {
                    unit = u;
                    break;
                }
            }
            if (unit < 0) {
                throw invalid(s);
            }
            i += UNITS[unit].length();
            nextUnit = unit + 1;
            total = Math.addExact(total, Math.multiplyExact(n, MILLIS[unit]));
        }
        return total / 1000.0;
    }

    private static IllegalArgumentException invalid(String s) {
        return new IllegalArgumentException("not a valid duration string: " + GoStrings.quote(s));
    }
}
