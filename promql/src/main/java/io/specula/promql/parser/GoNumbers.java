package io.specula.promql.parser;

import java.math.BigDecimal;

/**
 * Number and duration syntax as Go and Prometheus define it: {@code strconv.ParseInt} with base
 * prefixes (so {@code 010} is octal 8), {@code strconv.ParseFloat}, Prometheus durations
 * ({@code 1h30m}) and their canonical printed forms.
 */
final class GoNumbers {
    private static final long[] UNIT_MS = {365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000,
            3600L * 1000, 60L * 1000, 1000, 1};
    private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};

    private GoNumbers() {
    }

    /**
     * Parses a number token: an integer with Go base prefixes, else a Go float.
     *
     * @throws NumberFormatException with Go's message
     */
    static double parseNumber(String s) {
        Long l = parseGoInt(s);
        if (l != null) {
            return (double) l;
        }
        return parseGoFloat(s);
    }

    private static Long parseGoInt(String s) {
        String t = s;
        int base = 10;
        boolean prefixed = false;
        if (t.length() > 2 && t.charAt(0) == '0') {
            char p = Character.toLowerCase(t.charAt(1));
            if (p == 'x' || p == 'o' || p == 'b') {
                base = p == 'x' ? 16 : p == 'o' ? 8 : 2;
                t = t.substring(2);
                prefixed = true;
            }
        }
        if (!prefixed && t.length() > 1 && t.charAt(0) == '0') {
            base = 8;
            t = t.substring(1);
            prefixed = true;
        }
        if (t.indexOf('_') >= 0) {
            if (!underscoresOk(t, prefixed)) {
                return null;
            }
            t = t.replace("_", "");
        }
        if (t.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(t, base);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Go allows an underscore only between digits, or right after a base prefix. */
    private static boolean underscoresOk(String t, boolean afterPrefix) {
        char prev = afterPrefix ? '0' : '!';
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '_') {
                if (prev == '_' || prev == '!' || prev == '.' || i == t.length() - 1) {
                    return false;
                }
                char next = t.charAt(i + 1);
                if (!Character.isLetterOrDigit(next)) {
                    return false;
                }
            }
            prev = c;
        }
        return true;
    }

    /** Go's {@code strconv.ParseFloat} for decimal forms, infinities and NaN. */
    static double parseGoFloat(String s) {
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        String body = lower;
        boolean neg = false;
        if (!body.isEmpty() && (body.charAt(0) == '+' || body.charAt(0) == '-')) {
            neg = body.charAt(0) == '-';
            body = body.substring(1);
        }
        switch (body) {
            case "inf", "infinity" -> {
                return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            case "nan" -> {
                return Double.NaN;
            }
            default -> {
                // decimal below
            }
        }
        if (body.indexOf('_') >= 0) {
            if (!underscoresOk(body, false)) {
                throw invalid(s);
            }
            body = body.replace("_", "");
        }
        int i = 0;
        int n = body.length();
        int digits = 0;
        while (i < n && Lexer.isDigit(body.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && body.charAt(i) == '.') {
            i++;
            while (i < n && Lexer.isDigit(body.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            throw invalid(s);
        }
        if (i < n && body.charAt(i) == 'e') {
            i++;
            if (i < n && (body.charAt(i) == '+' || body.charAt(i) == '-')) {
                i++;
            }
            int expDigits = 0;
            while (i < n && Lexer.isDigit(body.charAt(i))) {
                i++;
                expDigits++;
            }
            if (expDigits == 0) {
                throw invalid(s);
            }
        }
        if (i != n) {
            throw invalid(s);
        }
        double v = Double.parseDouble(body);
        if (Double.isInfinite(v)) {
            throw new NumberFormatException("strconv.ParseFloat: parsing " + GoStrings.quote(s) + ": value out of range");
        }
        return neg ? -v : v;
    }

    private static NumberFormatException invalid(String s) {
        return new NumberFormatException("strconv.ParseFloat: parsing " + GoStrings.quote(s) + ": invalid syntax");
    }

    /**
     * Parses a Prometheus duration ({@code 1h30m}, units y w d h m s ms in that order) into ms.
     *
     * @throws IllegalArgumentException with Prometheus's message
     */
    static long parseDurationMs(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration string");
        }
        if (s.equals("0")) {
            return 0;
        }
        long total = 0;
        int i = 0;
        int unitIdx = 0;
        int n = s.length();
        while (i < n) {
            int start = i;
            while (i < n && Lexer.isDigit(s.charAt(i))) {
                i++;
            }
            if (i == start) {
                throw notValid(s);
            }
            String num = s.substring(start, i);
            int us = i;
            while (i < n && !Lexer.isDigit(s.charAt(i))) {
                i++;
            }
            String unit = s.substring(us, i);
            int u = -1;
            for (int k = unitIdx; k < UNITS.length; k++) {
                if (UNITS[k].equals(unit)) {
                    u = k;
                    break;
                }
            }
            if (u < 0) {
                throw notValid(s);
            }
            unitIdx = u + 1;
            long v;
            try {
                v = Long.parseLong(num);
                v = Math.multiplyExact(v, UNIT_MS[u]);
                total = Math.addExact(total, v);
                Math.multiplyExact(total, 1_000_000L); // must fit in int64 nanoseconds
            } catch (ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException("duration out of range");
            }
        }
        return total;
    }

    private static IllegalArgumentException notValid(String s) {
        return new IllegalArgumentException("not a valid duration string: " + GoStrings.quote(s));
    }

    /** Prometheus's {@code model.Duration.String()} of a non-negative duration in ms. */
    static String formatDuration(long ms) {
        if (ms == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < UNITS.length; k++) {
            long mult = UNIT_MS[k];
            boolean exact = k < 2; // years and weeks only when they divide evenly
            if (exact && ms % mult != 0) {
                continue;
            }
            long v = ms / mult;
            if (v > 0) {
                sb.append(v).append(UNITS[k]);
                ms -= v * mult;
            }
        }
        return sb.toString();
    }

    /** A possibly negative duration in ms, with a leading minus. */
    static String formatSignedDuration(long ms) {
        return ms < 0 ? "-" + formatDuration(-ms) : formatDuration(ms);
    }

    /** Seconds (as a duration literal holds them) to ms, truncating like Go's conversions. */
    static long secondsToMs(double seconds) {
        return goRound(seconds * 1e9) / 1_000_000L;
    }

    /** Go's {@code math.Round}: halves round away from zero (Java's Math.round rounds them up). */
    static long goRound(double v) {
        return v < 0 ? -Math.round(-v) : Math.round(v);
    }

    /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}. */
    static String formatFloat(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
        }
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }
}
