package io.specula.alertmanager.api;

import io.specula.alertmanager.Alertmanager;
import io.specula.alertmanager.silence.Silence;
import io.specula.alertmanager.silence.SilenceState;
import io.specula.alertmanager.types.Alert;
import java.time.Instant;

/**
 * {@code /metrics}: the Alertmanager metrics dashboards use most, with Alertmanager's names,
 * in the Prometheus text format.
 */
final class Metrics {
    /** The integrations Specula delivers to; each gets a series from the start, as in Alertmanager. */
    private static final java.util.List<String> INTEGRATIONS = java.util.List.of("discord", "email", "msteams",
            "msteamsv2", "opsgenie", "pagerduty", "pushover", "slack", "telegram", "victorops", "webex", "webhook");

    private Metrics() {}

    private static void counter(StringBuilder sb, String name, String help,
            java.util.function.ToLongFunction<String> value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" counter\n");
        for (String i : INTEGRATIONS) {
            sb.append(name).append("{integration=\"").append(i).append("\"} ").append(value.applyAsLong(i)).append('\n');
        }
    }

    static String render(Alertmanager am) {
        Instant now = am.now();
        long active = 0;
        long suppressed = 0;
        for (Alert a : am.alerts().list()) {
            if (a.resolvedAt(now)) {
                continue;
            }
            if (am.silences().mutes(a.labels()).isEmpty() && am.running().inhibitor().mutes(a.labels()).isEmpty()) {
                active++;
            } else {
                suppressed++;
            }
        }
        long[] silences = new long[SilenceState.values().length];
        for (Silence s : am.silences().query(s -> true)) {
            silences[s.stateAt(now).ordinal()]++;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP alertmanager_alerts How many alerts by state.\n# TYPE alertmanager_alerts gauge\n");
        sb.append("alertmanager_alerts{state=\"active\"} ").append(active).append('\n');
        sb.append("alertmanager_alerts{state=\"suppressed\"} ").append(suppressed).append('\n');
        sb.append("# HELP alertmanager_silences How many silences by state.\n# TYPE alertmanager_silences gauge\n");
        for (SilenceState st : SilenceState.values()) {
            sb.append("alertmanager_silences{state=\"").append(st.apiName()).append("\"} ")
                    .append(silences[st.ordinal()]).append('\n');
        }
        counter(sb, "alertmanager_notifications_total", "The total number of attempted notifications.",
                i -> am.metrics().notifications(i));
        counter(sb, "alertmanager_notification_requests_total",
                "The total number of attempted notification requests.", i -> am.metrics().requests(i));
        counter(sb, "alertmanager_notifications_failed_total", "The total number of failed notifications.",
                i -> am.metrics().sent(i, false));
        sb.append("# HELP alertmanager_config_last_reload_successful Whether the last configuration reload attempt was successful.\n")
                .append("# TYPE alertmanager_config_last_reload_successful gauge\n")
                .append("alertmanager_config_last_reload_successful ").append(am.lastReloadOk() ? 1 : 0).append('\n');
        return sb.toString();
    }
}
