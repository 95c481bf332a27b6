package io.specula.alertmanager.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One interval of a {@code time_intervals} entry. Every field is a list of ranges; an instant
 * is inside when it falls in one range of each non-empty field. Times of day are minutes
 * from midnight, start inclusive, end exclusive (up to {@code 24:00}); days of month may
 * count back from the month's end with negative numbers; everything is evaluated in
 * {@code location} (UTC unless given; {@code Local} is the machine's zone).
 */
public final class TimeInterval {
    public List<TimeRange> times;
    public List<String> weekdays;
    public List<String> daysOfMonth;
    public List<String> months;
    public List<String> years;
    public String location;

    /** {@code start_time}/{@code end_time} as {@code HH:MM}. */
    public static final class TimeRange {
        public String startTime;
        public String endTime;
    }

    private static final String[] WEEKDAYS = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
    private static final String[] MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december"};

    @JsonIgnore private int[][] timeRanges;
    @JsonIgnore private int[][] weekdayRanges;
    @JsonIgnore private int[][] dayRanges;
    @JsonIgnore private int[][] monthRanges;
    @JsonIgnore private int[][] yearRanges;
    @JsonIgnore private ZoneId zone = ZoneOffset.UTC;

    /** Parses the ranges; called by config validation before {@link #contains}. */
    void compile() throws ConfigValidationException {
        List<int[]> tr = new ArrayList<>();
        if (times != null) {
            for (TimeRange r : times) {
                int s = minutes(r.startTime);
                int e = minutes(r.endTime);
                if (s >= e) {
                    throw new ConfigValidationException("start time cannot be equal or greater than end time");
                }
                tr.add(new int[] {s, e});
            }
        }
        timeRanges = tr.toArray(int[][]::new);
        weekdayRanges = ranges(weekdays, "weekday", WEEKDAYS, 0, 6, false);
        dayRanges = ranges(daysOfMonth, "day of month", null, -31, 31, true);
        monthRanges = ranges(months, "month", MONTHS, 1, 12, false);
        yearRanges = ranges(years, "year", null, 0, 9999, false);
        if (location != null && !location.isEmpty()) {
            try {
                zone = location.equals("Local") ? ZoneId.systemDefault() : ZoneId.of(location);
            } catch (DateTimeException e) {
                throw new ConfigValidationException("unknown time zone " + location);
            }
        }
    }

    private static int minutes(String hhmm) throws ConfigValidationException {
        if (hhmm == null || !hhmm.matches("[0-9]{1,2}:[0-9]{2}")) {
            throw new ConfigValidationException("couldn't parse timestamp " + hhmm + ", invalid format");
        }
        int c = hhmm.indexOf(':');
        int h = Integer.parseInt(hhmm.substring(0, c));
        int m = Integer.parseInt(hhmm.substring(c + 1));
        if (h > 24 || m > 59 || (h == 24 && m != 0)) {
            throw new ConfigValidationException("timestamp " + hhmm + " out of range");
        }
        return h * 60 + m;
    }

    private static int[][] ranges(List<String> specs, String what, String[] names, int min, int max, boolean allowNegative)
            throws ConfigValidationException {
        if (specs == null) {
            return new int[0][];
        }
        List<int[]> out = new ArrayList<>();
        for (String spec : specs) {
            String s = spec.strip().toLowerCase(Locale.ROOT);
            int colon = s.indexOf(':', s.startsWith("-") ? 1 : 0);
            String a = colon < 0 ? s : s.substring(0, colon);
            String b = colon < 0 ? s : s.substring(colon + 1);
            int lo = value(a, what, names, min, max);
            int hi = value(b, what, names, min, max);
            if (allowNegative) {
                if (lo == 0 || hi == 0) {
                    throw new ConfigValidationException(what + " 0 is not a valid " + what);
                }
                if ((lo > 0) == (hi > 0) && lo > hi) {
                    throw new ConfigValidationException("end day must be greater than start day: " + spec);
                }
                if (lo > 0 && hi < 0) {
                    // A positive start and negative end ("1:-1") is allowed and resolved per month.
                } else if (lo < 0 && hi > 0) {
                    throw new ConfigValidationException("end day must be greater than start day: " + spec);
                }
            } else if (lo > hi) {
                throw new ConfigValidationException("start " + what + " cannot be greater than end " + what + ": " + spec);
            }
            out.add(new int[] {lo, hi});
        }
        return out.toArray(int[][]::new);
    }

    private static int value(String s, String what, String[] names, int min, int max) throws ConfigValidationException {
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(s)) {
                    return names == MONTHS ? i + 1 : i;
                }
            }
            if (names == WEEKDAYS) {
                throw new ConfigValidationException(s + " is not a valid weekday");
            }
        }
        try {
            int v = Integer.parseInt(s);
            if (v < min || v > max) {
                throw new ConfigValidationException(what + " " + s + " out of range");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ConfigValidationException(s + " is not a valid " + what);
        }
    }

    /** Whether the instant is inside this interval. */
    public boolean contains(Instant t) {
        ZonedDateTime z = t.atZone(zone);
        if (timeRanges.length > 0) {
            int m = z.getHour() * 60 + z.getMinute();
            if (!inAny(timeRanges, m, true)) {
                return false;
            }
        }
        if (weekdayRanges.length > 0 && !inAny(weekdayRanges, z.getDayOfWeek().getValue() % 7, false)) {
            return false;
        }
        if (dayRanges.length > 0) {
            int len = z.toLocalDate().lengthOfMonth();
            int d = z.getDayOfMonth();
            boolean in = false;
            for (int[] r : dayRanges) {
                int lo = r[0] < 0 ? len + 1 + r[0] : r[0];
                int hi = r[1] < 0 ? len + 1 + r[1] : r[1];
                lo = Math.max(lo, 1);
                hi = Math.min(hi, len);
                if (d >= lo && d <= hi) {
                    in = true;
                    break;
                }
            }
            if (!in) {
                return false;
            }
        }
        if (monthRanges.length > 0 && !inAny(monthRanges, z.getMonthValue(), false)) {
            return false;
        }
        return yearRanges.length == 0 || inAny(yearRanges, z.getYear(), false);
    }

    private static boolean inAny(int[][] ranges, int v, boolean endExclusive) {
        for (int[] r : ranges) {
            if (v >= r[0] && (endExclusive ? v < r[1] : v <= r[1])) {
                return true;
            }
        }
        return false;
    }
}
