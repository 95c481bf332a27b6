package io.specula.tsdb.head;

import io.specula.model.labels.Labels;
import io.specula.tsdb.encoding.ByteArrayDataOutput;
import io.specula.tsdb.record.SamplesRecord;
import io.specula.tsdb.record.SeriesRecord;
import io.specula.tsdb.wal.WalWriter;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The head's write-ahead log: each committed batch becomes a series record (the series new to
 * the log) and a samples record (samples-v2 when the batch carries start times), in
 * Prometheus's record format, written through one
 * {@link WalWriter} with a single flush.
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
        if (newCount == 0 && n == 0) {
            return; // an empty commit leaves no trace, as in Prometheus
        }
        Buffers b = pool.poll();
        if (b == null) {
            b = new Buffers();
        }
        try {
            b.series.reset();
            b.samples.reset();
            if (newCount > 0) {
                SeriesRecord.encode(b.series, newRefs, newLabels, newCount);
            }
            if (n > 0) {
                if (sts != null) {
                    SamplesRecord.encodeV2(b.samples, refs, sts, ts, vs, n);
                } else {
                    SamplesRecord.encode(b.samples, refs, ts, vs, n);
                }
            }
            if (n == 0) {
                wal.log(b.series);
            } else if (newCount == 0) {
                wal.log(b.samples);
            } else {
                wal.log(b.series, b.samples);
            }
        } finally {
            if (b.series.array().length <= MAX_POOLED_BYTES && b.samples.array().length <= MAX_POOLED_BYTES) {
                pool.offer(b);
            }
        }
    }
}
