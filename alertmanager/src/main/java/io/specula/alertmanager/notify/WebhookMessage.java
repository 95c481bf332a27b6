package io.specula.alertmanager.notify;

import io.specula.alertmanager.types.Alert;
import io.specula.alertmanager.types.Fingerprints;
import io.specula.model.value.GoTime;
import io.specula.model.labels.Labels;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON body Alertmanager's webhook integration posts (payload version 4), field for
 * field and in its order: receiver, status, alerts (status, labels, annotations, startsAt,
 * endsAt, generatorURL, fingerprint), groupLabels, commonLabels, commonAnnotations,
 * externalURL, version, groupKey, truncatedAlerts. Times are RFC 3339 with nanoseconds;
 * firing alerts show Go's zero time as end.
 */
public final class WebhookMessage {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private WebhookMessage() {}

    /**
     * @param maxAlerts 0 for all, else only the first {@code maxAlerts} are included and the
     *     rest counted in {@code truncatedAlerts}
     */
    public static ObjectNode build(NotificationData d, long maxAlerts) {
        List<Alert> alerts = d.alerts();
        long truncated = 0;
        if (maxAlerts > 0 && alerts.size() > maxAlerts) {
            truncated = alerts.size() - maxAlerts;
            alerts = alerts.subList(0, (int) maxAlerts);
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("receiver", d.receiver());
        o.put("status", d.status());
        ArrayNode arr = o.putArray("alerts");
        for (Alert a : alerts) {
            ObjectNode x = arr.addObject();
            x.put("status", d.statusOf(a));
            labels(x.putObject("labels"), a.labels());
            labels(x.putObject("annotations"), a.annotations());
            x.put("startsAt", GoTime.rfc3339Nano(a.startsAt()));
            x.put("endsAt", GoTime.rfc3339Nano(d.shownEnd(a)));
            x.put("generatorURL", a.generatorUrl());
            x.put("fingerprint", Fingerprints.format(a.fingerprint()));
        }
        labels(o.putObject("groupLabels"), d.groupLabels());
        labels(o.putObject("commonLabels"), d.commonLabels());
        labels(o.putObject("commonAnnotations"), d.commonAnnotations());
        o.put("externalURL", d.externalUrl());
        o.put("version", "4");
        o.put("groupKey", d.groupKey());
        o.put("truncatedAlerts", truncated);
        return o;
    }

    static void labels(ObjectNode into, Labels l) {
        for (int i = 0; i < l.size(); i++) {
            into.put(l.name(i), l.value(i));
        }
    }
}
