package io.specula.tsdb.head;

import io.specula.model.labels.Labels;
import java.io.IOException;

/**
 * Where a committing head appender writes its batch before memory: the write-ahead log.
 * Called once per commit, from the committing thread; implementations serialise as needed.
 */
public interface HeadLog {
    /**
     * Logs a committed batch: first the series it needs whose series record is not logged yet
     * (those it created, or another appender created but has not committed), then its samples.
     * When this returns the batch must be as durable as the implementation promises; memory is
     * updated only afterwards.
     *
     * @param newRefs refs of those series, {@code newCount} of them
     * @param newLabels their labels
     * @param refs series ref per sample, {@code n} of them
     */
    void log(long[] newRefs, Labels[] newLabels, int newCount, long[] refs, long[] ts, double[] vs, int n) throws IOException;

    /**
     * Logs a batch whose samples may carry start times ({@code sts}, 0 = none; null when the
     * batch has none). A log that cannot keep start times logs the samples without them: the
     * head still holds them in memory. {@link WalHeadLog} keeps them (samples-v2 records).
     */
    default void log(long[] newRefs, Labels[] newLabels, int newCount, long[] refs, long[] sts, long[] ts, double[] vs,
            int n) throws IOException {
        log(newRefs, newLabels, newCount, refs, ts, vs, n);
    }

    /** No log: data lives in memory only (tests, ephemeral heads). */
    HeadLog NONE = (newRefs, newLabels, newCount, refs, ts, vs, n) -> {};
}
