package io.specula.tsdb.head;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
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

    /**
     * The histogram samples of a batch, as parallel columns: {@code n} entries, exactly one of
     * {@code hs[i]} and {@code fhs[i]} non-null; {@code sts} null when none has a start time.
     * The arrays belong to the committing appender and are valid during the call only.
     */
    record Histograms(long[] refs, long[] sts, long[] ts, Histogram[] hs, FloatHistogram[] fhs, int n) {
    }

    /**
     * Logs a batch with histogram samples ({@code histograms} null or empty when it has none),
     * otherwise as {@link #log(long[], Labels[], int, long[], long[], long[], double[], int)}.
     * A log that keeps no histograms refuses them rather than drop them.
     *
     * @throws UnsupportedOperationException for histograms this log cannot keep
     */
    default void log(long[] newRefs, Labels[] newLabels, int newCount, long[] refs, long[] sts, long[] ts, double[] vs,
            int n, Histograms histograms) throws IOException {
        if (histograms != null && histograms.n() > 0) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " does not log native histograms");
        }
        log(newRefs, newLabels, newCount, refs, sts, ts, vs, n);
    }

    /** No log: data lives in memory only (tests, ephemeral heads). */
    HeadLog NONE = new HeadLog() {
        @Override
        public void log(long[] newRefs, Labels[] newLabels, int newCount, long[] refs, long[] ts, double[] vs, int n) {
        }

        @Override
        public void log(long[] newRefs, Labels[] newLabels, int newCount, long[] refs, long[] sts, long[] ts,
                double[] vs, int n, Histograms histograms) {
        }
    };
}
