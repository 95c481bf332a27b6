package io.specula.tsdb.head;

import io.specula.model.labels.Labels;
import io.specula.tsdb.encoding.ByteArrayDataOutput;
import io.specula.tsdb.record.HistogramSamplesRecord;
import io.specula.tsdb.record.SamplesRecord;
import io.specula.tsdb.record.SeriesRecord;
import io.specula.tsdb.wal.WalWriter;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The head's write-ahead log: each committed batch becomes a series record (the series new to
 * the log), a samples record (samples-v2 when the batch carries start times) and the histogram
 * records ({@link HistogramSamplesRecord}: 7, 9, 8, 10, or 12 and 13 with start times), in
 * Prometheus's record format and order, written through one {@link WalWriter} with a single flush.
 *
 * <p><b>Durability bound</b> (that of {@link WalWriter#log}): when {@link #log} returns, both
 * records are in the segment file, i.e. in the operating system's page cache, so they survive a
 * crash of this process (kill -9, OOM kill); a crash during {@code log} loses at most that
 * batch, whose torn record the replay cuts off. Against power loss they are safe only once
 * fsynced: with {@link WalWriter.SyncPolicy#SEGMENT} (the default, as Prometheus) when their
 * segment is completed, with {@link WalWriter.SyncPolicy#FLUSH} before {@code log} returns.
 *
 * <p>Thread-safe: commits from any number of threads encode their records in parallel into
 * pooled buffers and then write them under the writer's lock, so a batch's two records are
 * adjacent and whole. Does not own the writer: whoever opened it closes it.
 */
public final class WalHeadLog implements HeadLog {
    /** Buffers that grew beyond this (a huge batch) are dropped instead of pooled. */
    private static final int MAX_POOLED_BYTES = 1 << 20;

    private final WalWriter wal;
    private final ConcurrentLinkedQueue<Buffers> pool = new ConcurrentLinkedQueue<>();

    private static final class Buffers {
        final ByteArrayDataOutput series = new ByteArrayDataOutput(1024);
        final ByteArrayDataOutput samples = new ByteArrayDataOutput(4096);
        ByteArrayDataOutput[] histograms; // made at the first batch with histograms
        final ByteArrayDataOutput[] all = new ByteArrayDataOutput[2 + HistogramSamplesRecord.MAX_BATCH_RECORDS];

        int histogramBytes() {
            int max = 0;
            if (histograms != null) {
                for (ByteArrayDataOutput h : histograms) {
                    max = Math.max(max, h.array().length);
                }
            }
            return max;
        }
    }

    public WalHeadLog(WalWriter wal) {
        this.wal = wal;
    }

    public WalWriter writer() {
        return wal;
    }

    @Override
    public void log(long[] newRefs, Labels[] newLabels, int newCount, long[] refs, long[] ts, double[] vs, int n)
            throws IOException {
        log(newRefs, newLabels, newCount, refs, null, ts, vs, n);
    }

    /** A batch with start times becomes a samples-v2 record (Prometheus 3.11+); one without stays type 2. */
    @Override
    public void log(long[] newRefs, Labels[] newLabels, int newCount, long[] refs, long[] sts, long[] ts, double[] vs,
            int n) throws IOException {
        log(newRefs, newLabels, newCount, refs, sts, ts, vs, n, null);
    }

    @Override
    public void log(long[] newRefs, Labels[] newLabels, int newCount, long[] refs, long[] sts, long[] ts, double[] vs,
            int n, Histograms histograms) throws IOException {
        int hn = histograms == null ? 0 : histograms.n();
        if (newCount == 0 && n == 0 && hn == 0) {
            return; // an empty commit leaves no trace, as in Prometheus
        }
        Buffers b = pool.poll();
        if (b == null) {
            b = new Buffers();
        }
        try {
            int k = 0;
            if (newCount > 0) {
                SeriesRecord.encode(b.series.reset(), newRefs, newLabels, newCount);
                b.all[k++] = b.series;
            }
            if (n > 0) {
                b.samples.reset();
                if (sts != null) {
                    SamplesRecord.encodeV2(b.samples, refs, sts, ts, vs, n);
                } else {
                    SamplesRecord.encode(b.samples, refs, ts, vs, n);
                }
                b.all[k++] = b.samples;
            }
            if (hn > 0) {
                if (b.histograms == null) {
                    b.histograms = new ByteArrayDataOutput[HistogramSamplesRecord.MAX_BATCH_RECORDS];
                    for (int i = 0; i < b.histograms.length; i++) {
                        b.histograms[i] = new ByteArrayDataOutput(1024);
                    }
                }
                int records = HistogramSamplesRecord.encodeBatch(b.histograms, histograms.refs(), histograms.sts(),
                        histograms.ts(), histograms.hs(), histograms.fhs(), hn);
                for (int i = 0; i < records; i++) {
                    b.all[k++] = b.histograms[i];
                }
            }
            if (k == 1) {
                wal.log(b.all[0]);
            } else {
                wal.log(java.util.Arrays.copyOf(b.all, k));
            }
        } finally {
            java.util.Arrays.fill(b.all, null);
            if (b.series.array().length <= MAX_POOLED_BYTES && b.samples.array().length <= MAX_POOLED_BYTES
                    && b.histogramBytes() <= MAX_POOLED_BYTES) {
                pool.offer(b);
            }
        }
    }
}
