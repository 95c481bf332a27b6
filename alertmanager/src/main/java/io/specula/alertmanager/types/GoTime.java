package io.specula.alertmanager.types;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Timestamps in the two shapes Alertmanager writes, and lenient RFC 3339 parsing. */
public final class GoTime {
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

    private GoTime() {}

    /** Go's RFC3339Nano (webhook payloads): fraction without trailing zeros, {@code Z} for UTC. */
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
