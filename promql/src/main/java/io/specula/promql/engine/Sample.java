package io.specula.promql.engine;

import io.specula.model.labels.Labels;

/** One element of an instant {@link Vector}: a series' labels and its value at time {@code t} (ms). */
/**
 * One point of an instant vector: a float {@code v}, or a native histogram {@code h} (then
 * {@code v} is 0 and meaningless). The histogram is owned by the sample: do not modify it.
 */
public record Sample(Labels labels, long t, double v, io.specula.model.histogram.FloatHistogram h) {
    public Sample(Labels labels, long t, double v) {
        this(labels, t, v, null);
    }

    public boolean isHistogram() {
        return h != null;
    }
}
