package io.specula.rules.notifier;

import io.specula.model.labels.Labels;
import io.specula.model.value.GoJson;
import io.specula.rules.Alert;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The body of {@code POST /api/v2/alerts}: a JSON array of Alertmanager's {@code PostableAlert}
 * ({@code labels}, {@code annotations}, {@code startsAt}, {@code endsAt}, {@code generatorURL}).
 * Times are RFC 3339 in UTC with milliseconds, as Prometheus sends them; a zero time, empty
 * annotations and an empty generator URL are left out (Alertmanager reads absence the same way).
 */
final class AlertsV2Encoder {
    private static final DateTimeFormatter RFC3339_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private AlertsV2Encoder() {}

    static byte[] encode(List<Alert> alerts) {
        StringBuilder sb = new StringBuilder(128 * alerts.size() + 2);
        sb.append('[');
        for (int i = 0; i < alerts.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Alert a = alerts.get(i);
            sb.append("{\"labels\":");
            writeLabels(sb, a.labels());
            if (!a.annotations().isEmpty()) {
                sb.append(",\"annotations\":");
                writeMap(sb, a.annotations());
            }
            if (a.startsAtMs() != 0) {
                sb.append(",\"startsAt\":\"").append(formatTime(a.startsAtMs())).append('"');
            }
            if (a.endsAtMs() != 0) {
                sb.append(",\"endsAt\":\"").append(formatTime(a.endsAtMs())).append('"');
            }
            if (!a.generatorUrl().isEmpty()) {
                sb.append(",\"generatorURL\":");
                writeString(sb, a.generatorUrl());
            }
            sb.append('}');
        }
        sb.append(']');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** RFC 3339 in UTC with milliseconds: {@code 2024-01-02T03:04:05.678Z}. */
    static String formatTime(long millis) {
        return RFC3339_MILLIS.format(Instant.ofEpochMilli(millis));
    }

    /** Annotations, sorted by name so that the body is deterministic. */
    private static void writeMap(StringBuilder sb, java.util.Map<String, String> m) {
        sb.append('{');
        boolean first = true;
        for (var e : new java.util.TreeMap<>(m).entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            writeString(sb, e.getKey());
            sb.append(':');
            writeString(sb, e.getValue());
        }
        sb.append('}');
    }

    private static void writeLabels(StringBuilder sb, Labels ls) {
        sb.append('{');
        for (int i = 0; i < ls.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            writeString(sb, ls.name(i));
            sb.append(':');
            writeString(sb, ls.value(i));
        }
        sb.append('}');
    }

    /** As Prometheus's notifier marshals it: Go's {@code json.Marshal} quoting (HTML-safe). */
    private static void writeString(StringBuilder sb, String s) {
        GoJson.quote(sb, s);
    }
}
