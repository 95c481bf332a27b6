package io.specula.template;

import java.util.ArrayList;
import java.util.List;

/**
 * Argument conversions for {@link TemplateFunction} implementations, failing with Go's
 * messages ({@code wrong type for value; expected string; got int}).
 */
public final class FunctionArgs {
    private FunctionArgs() {}

    /** An argument of the wrong type: reported without the "error calling" prefix. */
    public static final class WrongTypeException extends RuntimeException {
        public WrongTypeException(String message) {
            super(message, null, false, false);
        }
    }

    private static WrongTypeException wrongType(String expected, Object v) {
        if (v == null) {
            return new WrongTypeException("invalid value; expected " + expected);
        }
        return new WrongTypeException("wrong type for value; expected " + expected + "; got " + Values.typeName(v));
    }

    /** A Go string: String, SafeHtml or SafeUrl. */
    public static String string(Object v) {
        return switch (v) {
            case String s -> s;
            case SafeHtml h -> h.html();
            case SafeUrl u -> u.url();
            case null, default -> throw wrongType("string", v);
        };
    }

    /** A Go int. */
    public static long integer(Object v) {
        if (Values.isInt(v)) {
            return Values.intValue(v);
        }
        throw wrongType("int", v);
    }

    /**
     * A number as float64 the way Prometheus's humanize functions take it: any number, or a
     * string parsed as a float ({@code can't convert T to float} otherwise).
     */
    public static double toFloat(Object v) {
        return switch (v) {
            case Double d -> d;
            case GoDuration d -> d.Seconds();
            case Long l -> l;
            case Integer i -> i;
            case java.math.BigInteger i -> i.doubleValue();
            case String s -> parseGoFloat(s);
            case null -> throw new IllegalArgumentException("can't convert <nil> to float");
            default -> throw new IllegalArgumentException("can't convert " + Values.typeName(v) + " to float");
        };
    }

    /**
     * Go's conversion {@code int64(f)} as amd64 performs it: NaN and values out of range give
     * the minimum int64 (Java would saturate instead).
     */
    public static long goInt64(double f) {
        if (Double.isNaN(f) || f >= 0x1p63 || f < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) f;
    }

    /** Go's {@code strconv.ParseFloat(s, 64)}. */
    static double parseGoFloat(String s) {
        String t = s.replace("_", "");
        switch (t.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            case "nan":
                return Double.NaN;
            default:
                break;
        }
        String unsigned = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
        boolean hex = unsigned.startsWith("0x") || unsigned.startsWith("0X");
        double d;
        try {
            // Java also reads "1d", "1f" and " 1"; Go reads underscores only after a base prefix.
            if (t.isEmpty() || !(Character.isDigit(t.charAt(t.length() - 1)) || t.endsWith(".") || hex)
                    || t.chars().anyMatch(Character::isWhitespace) || !underscoresOk(unsigned)) {
                throw new NumberFormatException();
            }
            d = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("strconv.ParseFloat: parsing " + GoStrings.quote(s) + ": invalid syntax");
        }
        if (Double.isInfinite(d)) {
            throw new IllegalArgumentException("strconv.ParseFloat: parsing " + GoStrings.quote(s) + ": value out of range");
        }
        return d;
    }

    /** Go accepts an underscore only between two digits (or after a base prefix). */
    private static boolean underscoresOk(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != '_') {
                continue;
            }
            boolean before = i > 0 && (Character.digit(s.charAt(i - 1), 16) >= 0 || s.charAt(i - 1) == 'x'
                    || s.charAt(i - 1) == 'X');
            boolean after = i + 1 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0;
            if (!before || !after) {
                return false;
            }
        }
        return true;
    }

    /** A Go {@code []string}: a list or array of strings. */
    public static List<String> strings(Object v) {
        List<?> l = Values.asList(v);
        if (l == null) {
            throw wrongType("[]string", v);
        }
        List<String> out = new ArrayList<>(l.size());
        for (Object e : l) {
            if (!(e instanceof String s)) {
                throw wrongType("[]string", v);
            }
            out.add(s);
        }
        return out;
    }

    /** A {@link GoTime}. */
    public static GoTime time(Object v) {
        if (v instanceof GoTime t) {
            return t;
        }
        if (v instanceof java.time.Instant i) {
            return new GoTime(i, java.time.ZoneOffset.UTC);
        }
        if (v instanceof java.time.ZonedDateTime z) {
            return new GoTime(z.toInstant(), z.getZone());
        }
        throw wrongType("time.Time", v);
    }
}
