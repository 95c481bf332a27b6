package io.specula.rules.notifier;

import io.specula.model.labels.Labels;
import java.util.Objects;

/**
 * One alert as it is sent to Alertmanagers: the notifier's input. A firing alert carries an
 * {@code endsAt} in the future (Prometheus sends "valid until" times and resends before they
 * pass); a resolved one an {@code endsAt} at or before now. Immutable.
 *
 * @param labels identify the alert (external labels and relabeling are applied by the notifier)
 * @param annotations free-form information (summary, description, …)
 * @param startsAt Unix milliseconds; 0 when unknown (Alertmanager then uses its receive time)
 * @param endsAt Unix milliseconds; 0 when unknown (Alertmanager then uses its resolve timeout)
 * @param generatorURL link back to the expression that produced the alert; empty when none
 */
public record Alert(Labels labels, Labels annotations, long startsAt, long endsAt, String generatorURL) {
    public Alert {
        Objects.requireNonNull(labels, "labels");
        annotations = annotations == null ? Labels.EMPTY : annotations;
        generatorURL = generatorURL == null ? "" : generatorURL;
    }

    /** The same alert with other labels. */
    public Alert withLabels(Labels newLabels) {
        return newLabels == labels ? this : new Alert(newLabels, annotations, startsAt, endsAt, generatorURL);
    }
}
