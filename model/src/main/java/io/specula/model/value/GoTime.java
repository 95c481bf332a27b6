package io.specula.model.value;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Times as Go programs print them, for JSON and text that must match Prometheus's and
 * Alertmanager's byte for byte: {@code time.RFC3339Nano}, go-swagger's millisecond date-time,
 * Go's zero time, and lenient RFC 3339 parsing.
 */
public final class GoTime {
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

    private GoTime() {}

    /** Go's zero {@code time.Time}, as JSON shows a time that never happened. */
    public static final String ZERO = "0001-01-01T00:00:00Z";

    /** {@code ms} since the epoch as {@link #rfc3339Nano(Instant)}; 0 is Go's zero time. */
    public static String rfc3339Nano(long ms) {
        return ms == 0 ? ZERO : rfc3339Nano(Instant.ofEpochMilli(ms));
    }

    /** Go's RFC3339Nano (webhook payloads, API v1): fraction without trailing zeros, {@code Z} for UTC. */
    public static String rfc3339Nano(Instant t) {
        OffsetDateTime o = t.atOffset(ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(String.format("%04d-%02d-%02dT%02d:%02d:%02d",
                o.getYear(), o.getMonthValue(), o.getDayOfMonth(), o.getHour(), o.getMinute(), o.getSecond()));
        int nanos = o.getNano();
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

    /** go-swagger's date-time (API v2): always three fraction digits. */
    public static String rfc3339Millis(Instant t) {
        return MILLIS.format(t.atOffset(ZoneOffset.UTC));
    }

    /** Parses an RFC 3339 timestamp with any offset. */
    public static Instant parse(String s) throws DateTimeParseException {
        return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }
}
