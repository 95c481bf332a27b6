package io.specula.rules;

import io.specula.model.labels.Labels;
import java.util.Map;

/**
 * One alert handed to an {@link AlertSink}, shaped like an Alertmanager API v2 alert.
 * External labels are not included; the notifier adds them (with alert relabeling). Also the
 * notifier's input. Immutable.
 *
 * @param labels the alert's labels, {@code alertname} included
 * @param annotations the expanded annotations
 * @param startsAtMs when the alert started firing, Unix ms
 * @param endsAtMs when it resolved, or until when it is valid if unresolved (a resend is due
 *     before then), Unix ms
 * @param generatorUrl a link to the rule's expression in the UI ({@code <external URL>/graph?g0.expr=…&g0.tab=1})
 */
public record Alert(Labels labels, Map<String, String> annotations, long startsAtMs, long endsAtMs,
        String generatorUrl) {
    public Alert {
        annotations = Map.copyOf(annotations);
    }

    /** The same alert with other labels (relabeling in the notifier). */
    public Alert withLabels(Labels newLabels) {
        return newLabels == labels ? this : new Alert(newLabels, annotations, startsAtMs, endsAtMs, generatorUrl);
    }

    /** Whether the alert is resolved as of {@code nowMs}. */
    public boolean resolved(long nowMs) {
        return endsAtMs > 0 && endsAtMs <= nowMs;
    }
}
