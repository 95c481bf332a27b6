package io.specula.promql.engine;

import io.specula.model.labels.Labels;

/** One element of an instant {@link Vector}: a series' labels and its value at time {@code t} (ms). */
public record Sample(Labels labels, long t, double v) {}
