package io.specula.model.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A duration in Prometheus's configuration syntax: a sequence of {@code <n><unit>} with units
 * {@code y w d h m s ms} in that order, each at most once ({@code 1h30m}, {@code 5m},
 * {@code 0s}); {@code 0} alone is also accepted. A year is 365 days, a week 7 days; the
 * resolution is one millisecond and negative values do not exist.
 *
 * <p>{@link #toString()} prints the value back the way Prometheus does: the largest units
 * first, {@code 0s} for zero, and weeks only when the remainder is a whole number of weeks
 * ({@code 14d} prints as {@code 2w}, {@code 10d} stays {@code 10d}). Immutable.
 */
public final class PromDuration implements Comparable<PromDuration> {
    private static final long SECOND = 1000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final long WEEK = 7 * DAY;
    private static final long YEAR = 365 * DAY;

    /** Units in the only order the syntax allows. */
    private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
    private static final long[] UNIT_MILLIS = {YEAR, WEEK, DAY, HOUR, MINUTE, SECOND, 1};

    public static final PromDuration ZERO = new PromDuration(0);

    private final long millis;

    private PromDuration(long millis) {
        this.millis = millis;
    }

    public static PromDuration ofMillis(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("negative duration: " + millis + "ms");
        }
        return millis == 0 ? ZERO : new PromDuration(millis);
    }

    public static PromDuration ofSeconds(long seconds) {
        return ofMillis(Math.multiplyExact(seconds, SECOND));
    }

    public static PromDuration ofMinutes(long minutes) {
        return ofMillis(Math.multiplyExact(minutes, MINUTE));
    }

    public static PromDuration ofHours(long hours) {
        return ofMillis(Math.multiplyExact(hours, HOUR));
    }

    /**
     * Parses the Prometheus syntax.
     *
     * @throws IllegalArgumentException with Prometheus's wording ({@code empty duration string},
     *     {@code not a valid duration string: "…"}, {@code duration out of range})
     */
    @JsonCreator
    public static PromDuration parse(String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("empty duration string");
        }
        if (s.equals("0")) {
            return ZERO;
        }
        long total = 0;
        int pos = 0;
        int nextUnit = 0; // units must appear in decreasing order, each once
        while (pos < s.length()) {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                pos++;
            }
            if (pos == start || pos == s.length()) {
                throw invalid(s);
            }
            int unitStart = pos;
            while (pos < s.length() && (s.charAt(pos) < '0' || s.charAt(pos) > '9')) {
                pos++;
            }
            String unit = s.substring(unitStart, pos);
            int u = nextUnit;
            while (u < UNITS.length && !UNITS[u].equals(unit)) {
                u++;
            }
            if (u == UNITS.length) {
                throw invalid(s);
            }
            nextUnit = u + 1;
            try {
                long n = Long.parseLong(s, start, unitStart, 10);
                total = Math.addExact(total, Math.multiplyExact(n, UNIT_MILLIS[u]));
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("duration out of range");
            }
        }
        // Go's time.Duration is int64 nanoseconds; stay within what Prometheus can represent.
        if (total > Long.MAX_VALUE / 1_000_000) {
            throw new IllegalArgumentException("duration out of range");
        }
        return ofMillis(total);
    }

    private static IllegalArgumentException invalid(String s) {
        return new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
    }

    public long millis() {
        return millis;
    }

    public long seconds() {
        return millis / SECOND;
    }

    public java.time.Duration toJavaDuration() {
        return java.time.Duration.ofMillis(millis);
    }

    public boolean isZero() {
        return millis == 0;
    }

    @JsonValue
    @Override
    public String toString() {
        return format(millis);
    }

    /** Formats milliseconds the way Prometheus prints a duration. */
    public static String format(long millis) {
        if (millis == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long rest = millis;
        for (int i = 0; i < UNITS.length; i++) {
            long unit = UNIT_MILLIS[i];
            if (unit == WEEK && rest % WEEK != 0) {
                continue; // weeks only when they divide the rest exactly
            }
            long n = rest / unit;
            if (n > 0) {
                sb.append(n).append(UNITS[i]);
                rest -= n * unit;
            }
        }
        return sb.toString();
    }

    @Override
    public int compareTo(PromDuration o) {
        return Long.compare(millis, o.millis);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromDuration d && d.millis == millis;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(millis);
    }
}
