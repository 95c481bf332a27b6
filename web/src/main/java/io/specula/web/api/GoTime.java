package io.specula.web.api;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Times as Go's {@code time.Time} marshals them to JSON (RFC 3339 with trailing zeros of the fraction cut). */
final class GoTime {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private GoTime() {}

    /** {@code ms} since the epoch in UTC; 0 is Go's zero time {@code 0001-01-01T00:00:00Z} (never happened). */
    static String rfc3339Nano(long ms) {
        if (ms == 0) {
            return "0001-01-01T00:00:00Z";
        }
        return rfc3339Nano(Instant.ofEpochMilli(ms));
    }

    static String rfc3339Nano(Instant t) {
        StringBuilder sb = new StringBuilder(SECONDS.format(t));
        int nanos = t.getNano();
        if (nanos != 0) {
            String f = String.format("%09d", nanos);
            int end = f.length();
            while (f.charAt(end - 1) == '0') {
                end--;
            }
            sb.append('.').append(f, 0, end);
        }
        return sb.append('Z').toString();
    }
}
