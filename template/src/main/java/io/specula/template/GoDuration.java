package io.specula.template;

/**
 * Go's {@code time.Duration}: nanoseconds, an integer in comparisons and arithmetic, printed
 * the Go way ({@code 1h2m3.5s}, {@code 1.5ms}, {@code 0s}). Alertmanager's {@code since}
 * returns one.
 */
public record GoDuration(long nanos) {

    public static GoDuration ofSeconds(double seconds) {
        return new GoDuration(FunctionArgs.goInt64(seconds * 1e9));
    }

    /** The duration in seconds as a float, Go's {@code Seconds()}. */
    public double Seconds() {
        return nanos / 1e9;
    }

    public double Minutes() {
        return nanos / 6e10;
    }

    public double Hours() {
        return nanos / 3.6e12;
    }

    public long Milliseconds() {
        return nanos / 1_000_000;
    }

    public long Nanoseconds() {
        return nanos;
    }

    @Override
    public String toString() {
        if (nanos == 0) {
            return "0s";
        }
        boolean neg = nanos < 0;
        // Unsigned magnitude; Long.MIN_VALUE stays correct when read as unsigned.
        long u = neg ? -nanos : nanos;
        StringBuilder b = new StringBuilder(24);
        if (Long.compareUnsigned(u, 1_000_000_000L) < 0) {
            if (u < 1000) {
                b.append(u).append("ns");
            } else if (u < 1_000_000) {
                appendFrac(b, u, 3);
                b.append("µs");
            } else {
                appendFrac(b, u, 6);
                b.append("ms");
            }
        } else {
            long secs = Long.divideUnsigned(u, 1_000_000_000L);
            long frac = Long.remainderUnsigned(u, 1_000_000_000L);
            long minutes = secs / 60;
            long hours = minutes / 60;
            if (hours > 0) {
                b.append(hours).append('h');
            }
            if (minutes > 0) {
                b.append(minutes % 60).append('m');
            }
            b.append(secs % 60);
            appendFraction(b, frac, 9);
            b.append('s');
        }
        return neg ? "-" + b : b.toString();
    }

    /** {@code v / 10^digits} with the fraction's trailing zeros (and a bare point) dropped. */
    private static void appendFrac(StringBuilder b, long v, int digits) {
        long pow = 1;
        for (int i = 0; i < digits; i++) {
            pow *= 10;
        }
        b.append(v / pow);
        appendFraction(b, v % pow, digits);
    }

    private static void appendFraction(StringBuilder b, long frac, int digits) {
        if (frac == 0) {
            return;
        }
        String f = Long.toString(frac);
        f = "0".repeat(digits - f.length()) + f;
        int end = f.length();
        while (end > 0 && f.charAt(end - 1) == '0') {
            end--;
        }
        b.append('.').append(f, 0, end);
    }
}
