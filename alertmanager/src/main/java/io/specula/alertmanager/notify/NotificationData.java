package io.specula.alertmanager.notify;

import io.specula.alertmanager.types.Alert;
import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import java.time.Instant;
import java.util.List;

/**
 * What a notification is about (Alertmanager's template data): the receiver, the group's
 * alerts in notification order, the group labels, the labels and annotations all alerts
 * share, and whether anything still fires. Firing alerts carry no end time here, as in
 * Alertmanager, where an end in the future is an internal guess. Immutable.
 */
public record NotificationData(
        String receiver,
        String groupKey,
        String status,
        List<Alert> alerts,
        Labels groupLabels,
        Labels commonLabels,
        Labels commonAnnotations,
        String externalUrl,
        Instant now) {

    public static NotificationData of(String receiver, String groupKey, List<Alert> alerts, Labels groupLabels,
            String externalUrl, Instant now) {
        boolean firing = false;
        for (Alert a : alerts) {
            firing |= !a.resolvedAt(now);
        }
        return new NotificationData(receiver, groupKey, firing ? "firing" : "resolved", List.copyOf(alerts), groupLabels,
                common(alerts, true), common(alerts, false), externalUrl, now);
    }

    /** The pairs every alert has with the same value. */
    private static Labels common(List<Alert> alerts, boolean labels) {
        if (alerts.isEmpty()) {
            return Labels.EMPTY;
        }
        Labels first = labels ? alerts.getFirst().labels() : alerts.getFirst().annotations();
        LabelsBuilder b = first.toBuilder();
        for (Alert a : alerts) {
            Labels l = labels ? a.labels() : a.annotations();
            b.retain(n -> l.has(n) && l.get(n).equals(first.get(n)));
        }
        return b.build();
    }

    /** An alert's status at notification time. */
    public String statusOf(Alert a) {
        return a.resolvedAt(now) ? "resolved" : "firing";
    }

    /** The end time shown to receivers: Go's zero time for alerts still firing. */
    public Instant shownEnd(Alert a) {
        return a.resolvedAt(now) ? a.endsAt() : Alert.NO_END;
    }
}
