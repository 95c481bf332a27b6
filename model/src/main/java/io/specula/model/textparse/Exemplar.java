package io.specula.model.textparse;

import io.specula.model.labels.Labels;

/**
 * A reusable exemplar holder that {@link Parser#exemplar(Exemplar)} fills in.
 * Not thread-safe; the caller owns it and may reuse it across samples.
 */
public final class Exemplar {
    public Labels labels = Labels.EMPTY;
    public double value;
    public boolean hasTimestamp;
    /** Milliseconds since the epoch; meaningful only when {@link #hasTimestamp}. */
    public long timestamp;

    public void reset() {
        labels = Labels.EMPTY;
        value = 0;
        hasTimestamp = false;
        timestamp = 0;
    }
}
