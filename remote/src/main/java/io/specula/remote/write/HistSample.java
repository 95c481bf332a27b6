package io.specula.remote.write;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;

/**
 * A native-histogram sample in a shard's ring: exactly one of {@code h} and {@code fh} is set,
 * a copy owned by the queue (the WAL record's objects are reused by its next decode).
 * {@code st} is the start (created) timestamp, 0 when the WAL record had none.
 */
record HistSample(Histogram h, FloatHistogram fh, long st) {
}
