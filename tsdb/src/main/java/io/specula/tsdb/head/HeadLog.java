package io.specula.tsdb.head;

import io.specula.model.labels.Labels;
import java.io.IOException;

/**
 * Where a committing head appender writes its batch before memory: the write-ahead log.
 * Called once per commit, from the committing thread; implementations serialise as needed.
 */
public interface HeadLog {
    /**
     * Logs a committed batch: first the series created by it, then its samples.
     *
     * @param newRefs refs of series created by this batch, {@code newCount} of them
     * @param newLabels their labels
     * @param refs series ref per sample, {@code n} of them
     */
    void log(long[] newRefs, Labels[] newLabels, int newCount, long[] refs, long[] ts, double[] vs, int n) throws IOException;

    /** No log: data lives in memory only (tests, ephemeral heads). */
    HeadLog NONE = (newRefs, newLabels, newCount, refs, ts, vs, n) -> {};
}
