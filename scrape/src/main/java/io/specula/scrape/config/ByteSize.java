package io.specula.scrape.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A size in bytes as Prometheus writes {@code body_size_limit}: a number with an optional unit
 * {@code B, KB, MB, GB, TB, PB, EB} or {@code KiB … EiB}, all powers of 1024 (Prometheus parses
 * these with base-2 units, so {@code 1KB} is 1024 bytes). Zero means "no limit". Immutable.
 */
public record ByteSize(long bytes) {
    private static final String[] UNITS = {"K", "M", "G", "T", "P", "E"};

    public static final ByteSize ZERO = new ByteSize(0);

    @JsonCreator
    public static ByteSize parse(String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("empty size string");
        }
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("invalid size \"" + s + "\"");
        }
        long n;
        try {
            n = Long.parseLong(s, 0, i, 10);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size out of range: \"" + s + "\"");
        }
        String unit = s.substring(i);
        if (unit.isEmpty() || unit.equals("B")) {
            return new ByteSize(n);
        }
        String u = unit.toUpperCase(Locale.ROOT);
        for (int k = 0; k < UNITS.length; k++) {
            if (u.equals(UNITS[k] + "B") || unit.equals(UNITS[k] + "iB")) {
                try {
                    return new ByteSize(Math.multiplyExact(n, 1L << (10 * (k + 1))));
                } catch (ArithmeticException e) {
                    throw new IllegalArgumentException("size out of range: \"" + s + "\"");
                }
            }
        }
        throw new IllegalArgumentException("invalid size unit in \"" + s + "\"");
    }

    @JsonValue
    @Override
    public String toString() {
        long b = bytes;
        int k = -1;
        while (b != 0 && b % 1024 == 0 && k < UNITS.length - 1) {
            b /= 1024;
            k++;
        }
        return k < 0 ? b + "B" : b + UNITS[k] + "iB";
    }
}
