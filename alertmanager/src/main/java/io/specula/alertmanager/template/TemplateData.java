package io.specula.alertmanager.template;

import io.specula.alertmanager.notify.NotificationData;
import io.specula.alertmanager.types.Alert;
import io.specula.alertmanager.types.Fingerprints;
import io.specula.template.GoTime;
import io.specula.template.GoTyped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * What a notification template is executed against (Alertmanager's {@code template.Data}):
 * {@code .Receiver} (regexp-quoted, as Alertmanager does), {@code .Status}, {@code .Alerts},
 * {@code .GroupLabels}, {@code .CommonLabels}, {@code .CommonAnnotations},
 * {@code .ExternalURL}. Immutable in practice; built per notification.
 */
public record TemplateData(String receiver, String status, Alerts alerts, KV groupLabels, KV commonLabels,
        KV commonAnnotations, String externalURL) implements GoTyped {

    @Override
    public String goTypeName() {
        return "template.Data";
    }

    /** One alert ({@code template.Alert}); a firing alert's {@code .EndsAt} is Go's zero time. */
    public record TemplateAlert(String status, KV labels, KV annotations, GoTime startsAt, GoTime endsAt,
            String generatorURL, String fingerprint) implements GoTyped {
        @Override
        public String goTypeName() {
            return "template.Alert";
        }
    }

    /** The alerts with {@code .Firing} and {@code .Resolved} ({@code template.Alerts}). */
    public static final class Alerts extends ArrayList<TemplateAlert> implements GoTyped {
        public Alerts() {}

        Alerts(List<TemplateAlert> l) {
            super(l);
        }

        @Override
        public String goTypeName() {
            return "template.Alerts";
        }

        public Alerts firing() {
            return new Alerts(stream().filter(a -> a.status().equals("firing")).toList());
        }

        public Alerts resolved() {
            return new Alerts(stream().filter(a -> a.status().equals("resolved")).toList());
        }
    }

    public static TemplateData of(NotificationData d) {
        Alerts alerts = new Alerts();
        for (Alert a : d.alerts()) {
            alerts.add(new TemplateAlert(d.statusOf(a), KV.of(a.labels()), KV.of(a.annotations()), time(a.startsAt()),
                    time(d.shownEnd(a)), a.generatorUrl(), Fingerprints.format(a.fingerprint())));
        }
        return new TemplateData(quoteMeta(d.receiver()), d.status(), alerts, KV.of(d.groupLabels()),
                KV.of(d.commonLabels()), KV.of(d.commonAnnotations()), d.externalUrl());
    }

    private static GoTime time(Instant t) {
        return new GoTime(t, ZoneOffset.UTC);
    }

    /** Go's regexp.QuoteMeta, which Alertmanager applies to the receiver name. */
    static String quoteMeta(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
