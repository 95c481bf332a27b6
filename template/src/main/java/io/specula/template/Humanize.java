package io.specula.template;

/**
 * Prometheus's humanizing formats ({@code humanize}, {@code humanize1024},
 * {@code humanizeDuration}, {@code humanizePercentage}, {@code humanizeTimestamp}), which
 * Alertmanager shares for {@code humanizeDuration}. Outputs match Prometheus byte for byte:
 * four significant digits ({@code %.4g}) and SI or binary prefixes.
 */
final class Humanize {
    private static final String[] BIG = {"k", "M", "G", "T", "P", "E", "Z", "Y"};
    private static final String[] SMALL = {"m", "u", "n", "p", "f", "a", "z", "y"};
    private static final String[] BINARY = {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"};

    private Humanize() {}

    static String g4(double v) {
        return GoFmt.sprintf("%.4g", new Object[] {v});
    }

    static String humanize(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return g4(v);
        }
        String prefix = "";
        if (Math.abs(v) >= 1) {
            for (String p : BIG) {
                if (Math.abs(v) < 1000) {
                    break;
                }
                prefix = p;
                v /= 1000;
            }
        } else {
            for (String p : SMALL) {
                if (Math.abs(v) >= 1) {
                    break;
                }
                prefix = p;
                v *= 1000;
            }
        }
        return g4(v) + prefix;
    }

    static String humanize1024(double v) {
        if (Math.abs(v) <= 1 || Double.isNaN(v) || Double.isInfinite(v)) {
            return g4(v);
        }
        String prefix = "";
        for (String p : BINARY) {
            if (Math.abs(v) < 1024) {
                break;
            }
            prefix = p;
            v /= 1024;
        }
        return g4(v) + prefix;
    }

    static String duration(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return g4(v);
        }
        if (v == 0) {
            return g4(v) + "s";
        }
        if (Math.abs(v) >= 1) {
            String sign = "";
            if (v < 0) {
                sign = "-";
                v = -v;
            }
            long d = FunctionArgs.goInt64(v);
            long seconds = d % 60;
            long minutes = (d / 60) % 60;
            long hours = (d / 60 / 60) % 24;
            long days = d / 60 / 60 / 24;
            if (days != 0) {
                return sign + days + "d " + hours + "h " + minutes + "m " + seconds + "s";
            }
            if (hours != 0) {
                return sign + hours + "h " + minutes + "m " + seconds + "s";
            }
            if (minutes != 0) {
                return sign + minutes + "m " + seconds + "s";
            }
            return sign + g4(v) + "s";
        }
        String prefix = "";
        for (String p : SMALL) {
            if (Math.abs(v) >= 1) {
                break;
            }
            prefix = p;
            v *= 1000;
        }
        return g4(v) + prefix + "s";
    }

    static String percentage(double v) {
        return g4(v * 100) + "%";
    }

    /** Seconds since the epoch as a UTC time with millisecond precision, Prometheus's conversion. */
    static GoTime toTime(double v) {
        double nanos = v * 1e9;
        if (nanos > Long.MAX_VALUE || nanos < Long.MIN_VALUE) {
            throw new IllegalArgumentException(Values.print(v)
                    + " cannot be represented as a nanoseconds timestamp since it overflows int64");
        }
        long ms = FunctionArgs.goInt64(nanos) / 1_000_000L; // Go truncates toward zero
        return GoTime.ofEpochMillis(ms);
    }

    static String timestamp(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return g4(v);
        }
        return toTime(v).toString();
    }
}
