package io.specula.web.api;

import io.specula.model.config.PromDuration;
import io.specula.model.labels.Matcher;
import io.specula.promql.parser.ParseException;
import io.specula.promql.parser.PromQLParser;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of one API request (URL query and, for POST, the form body; body values come
 * first, as Go's {@code r.Form} orders them) and Prometheus's rules for reading them: times as
 * float seconds or RFC 3339, durations as float seconds or Prometheus durations, limits,
 * {@code match[]} selectors. Error texts are Prometheus's.
 */
public final class Params {
    /** Prometheus's default start of open time ranges ({@code MinTime}), in ms. */
    public static final long MIN_TIME = (Long.MIN_VALUE / 1000 + 62135596801L) * 1000;
    /** Prometheus's default end of open time ranges ({@code MaxTime}), in ms. */
    public static final long MAX_TIME = (Long.MAX_VALUE / 1000 - 62135596801L) * 1000 + 999;
    /** How clients spell MIN_TIME/MAX_TIME in RFC 3339 (years Java's parser does not take as-is). */
    private static final String MIN_TIME_TEXT = "-292273086-05-16T16:47:06Z";
    private static final String MAX_TIME_TEXT = "292277025-08-18T07:12:54.999999999Z";

    private final Map<String, List<String>> values;
    /** Arms a watch on the request's client (see {@link #onDisconnect}); null when there is none. */
    private java.util.function.Function<Runnable, AutoCloseable> disconnectWatch;

    public Params(Map<String, List<String>> values) {
        this.values = values;
    }

    /** Lets {@link #onDisconnect} watch the client of the request these parameters came with. */
    public Params withDisconnectWatch(java.util.function.Function<Runnable, AutoCloseable> watch) {
        this.disconnectWatch = watch;
        return this;
    }

    /**
     * Runs {@code gone} (once, on another thread) if the client disconnects before the returned
     * handle is closed; without a watch (tests, internal calls) it never runs.
     */
    AutoCloseable onDisconnect(Runnable gone) {
        return disconnectWatch == null ? () -> {} : disconnectWatch.apply(gone);
    }

    /** Builds from name/value pairs (tests). */
    public static Params of(String... kv) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.computeIfAbsent(kv[i], k -> new ArrayList<>()).add(kv[i + 1]);
        }
        return new Params(m);
    }

    /** The first value of {@code name}, or "" (Go's {@code FormValue}). */
    public String get(String name) {
        List<String> v = values.get(name);
        return v == null || v.isEmpty() ? "" : v.get(0);
    }

    public List<String> all(String name) {
        List<String> v = values.get(name);
        return v == null ? List.of() : v;
    }

    /** A time parameter, or {@code def} when absent. */
    long time(String name, long def) throws ApiException {
        String s = get(name);
        if (s.isEmpty()) {
            return def;
        }
        try {
            return parseTime(s);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidParam(name, "invalid time value for '" + name + "': " + e.getMessage());
        }
    }

    /** A required time parameter (query_range's start/end): the bare parse error. */
    long requiredTime(String name) throws ApiException {
        try {
            return parseTime(get(name));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidParam(name, e.getMessage());
        }
    }

    /** A duration parameter in ms (the request's {@code step}). */
    long duration(String name) throws ApiException {
        try {
            return parseDuration(get(name));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidParam(name, e.getMessage());
        }
    }

    /** {@code limit}: 0 (none) when absent. */
    int limit() throws ApiException {
        String s = get("limit");
        if (s.isEmpty()) {
            return 0;
        }
        int n;
        try {
            n = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw ApiException.invalidParam("limit", "strconv.Atoi: parsing " + goQuote(s) + ": invalid syntax");
        }
        if (n < 0) {
            throw ApiException.invalidParam("limit", "limit must be non-negative");
        }
        return n;
    }

    /** An integer parameter with Prometheus's {@code "<name> must be a number"} error, -1 when absent. */
    int number(String name) throws ApiException {
        String s = get(name);
        if (s.isEmpty()) {
            return -1;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw ApiException.badData(name + " must be a number");
        }
    }

    /**
     * The {@code match[]} selectors; each must have a matcher that does not match the empty
     * string. Parse errors are returned bare; the caller decides whether to wrap them.
     */
    List<List<Matcher>> matchers() throws ApiException, ParseException {
        List<List<Matcher>> sets = new ArrayList<>();
        for (String s : all("match[]")) {
            sets.add(PromQLParser.parseMetricSelector(s));
        }
        for (List<Matcher> set : sets) {
            boolean nonEmpty = false;
            for (Matcher m : set) {
                if (!m.matches("")) {
                    nonEmpty = true;
                    break;
                }
            }
            if (!nonEmpty) {
                throw ApiException.badData("match[] must contain at least one non-empty matcher");
            }
        }
        return sets;
    }

    /**
     * Prometheus's timestamp syntax: float seconds (rounded to the millisecond) or RFC 3339.
     *
     * @throws IllegalArgumentException with {@code cannot parse "s" to a valid timestamp}
     */
    public static long parseTime(String s) {
        Double f = goParseFloat(s);
        if (f != null) {
            double sec = f;
            if (Double.isNaN(sec) || Double.isInfinite(sec)) {
                // Go converts NaN/Inf to an implementation-defined int64; reject instead.
                throw new IllegalArgumentException("cannot parse " + goQuote(s) + " to a valid timestamp");
            }
            double whole = sec < 0 ? Math.ceil(sec) : Math.floor(sec);
            double frac = Math.round((sec - whole) * 1000) / 1000.0;
            return (long) whole * 1000 + Math.round(frac * 1000);
        }
        if (s.equals(MIN_TIME_TEXT)) {
            return MIN_TIME;
        }
        if (s.equals(MAX_TIME_TEXT)) {
            return MAX_TIME;
        }
        try {
            OffsetDateTime t = OffsetDateTime.parse(s, java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            if (s.length() < 20 || s.charAt(4) != '-' || s.charAt(10) != 'T') {
                throw new DateTimeParseException("not RFC 3339", s, 0);
            }
            return t.toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("cannot parse " + goQuote(s) + " to a valid timestamp");
        }
    }

    /**
     * Prometheus's API duration syntax in ms: float seconds or a Prometheus duration ({@code 5m}).
     *
     * @throws IllegalArgumentException with Prometheus's text
     */
    public static long parseDuration(String s) {
        Double f = goParseFloat(s);
        if (f != null) {
            double ns = f * 1e9;
            if (ns > 9.223372036854775807E18 || ns < -9.223372036854775808E18 || Double.isNaN(ns)) {
                throw new IllegalArgumentException("cannot parse " + goQuote(s) + " to a valid duration. It overflows int64");
            }
            return (long) ns / 1_000_000;
        }
        try {
            return PromDuration.parse(s).millis();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("cannot parse " + goQuote(s) + " to a valid duration");
        }
    }

    /** Go's {@code strconv.ParseFloat} acceptance (decimal, exponent, hex, inf/nan words), or null. */
    static Double goParseFloat(String s) {
        if (s.isEmpty()) {
            return null;
        }
        String t = s.replace("_", "");
        if (!t.equals(s) && !validUnderscores(s)) {
            return null;
        }
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
        boolean neg = lower.startsWith("-");
        switch (unsigned) {
            case "inf", "infinity" -> {
                return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            case "nan" -> {
                return lower.equals("nan") ? Double.NaN : null;
            }
            default -> {
            }
        }
        if (unsigned.startsWith("0x")) {
            try {
                String hex = unsigned.contains("p") ? unsigned : unsigned + "p0";
                double d = Double.parseDouble("0x" + hex.substring(2));
                return neg ? -d : d;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        for (int i = 0; i < unsigned.length(); i++) {
            char c = unsigned.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == '+' || c == '-')) {
                return null; // Java would accept "1d", "1f"
            }
        }
        try {
            double d = Double.parseDouble(t);
            if (Double.isInfinite(d)) {
                return null; // Go: "value out of range"
            }
            return d;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean validUnderscores(String s) {
        // Go allows underscores only with a base prefix; decimal floats with '_' are invalid.
        String u = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
        return u.startsWith("0x") || u.startsWith("0X");
    }

    /** Go's {@code %q} for the ASCII-printable common case. */
    static String goQuote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
