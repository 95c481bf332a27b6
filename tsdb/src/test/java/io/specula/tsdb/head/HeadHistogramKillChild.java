package io.specula.tsdb.head;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.model.histogram.Spans;
import io.specula.model.labels.Labels;
import io.specula.tsdb.storage.Appender;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The process {@link HeadHistogramKillTest} kills: {@link HeadKillChild}'s protocol with
 * histogram batches. Batch {@code k} holds one sample at {@code k * STEP} for each of
 * {@link #SERIES} series, integer histograms for even series and float histograms for odd
 * ones ({@link #value}), counters that reset every 50 batches, now and then a stale marker;
 * every {@link #WIDE_EVERY}th batch also for {@link #WIDE} more float-histogram series, whose
 * records span several WAL pages. Usage: {@code HeadHistogramKillChild <dir>}
 */
public final class HeadHistogramKillChild {
    static final int SERIES = 16;
    static final int WIDE = 600;
    static final int WIDE_EVERY = 40;
    static final long STEP = 15_000;
    static final int TRUNCATE_EVERY = 300;
    static final int KEEP = 150;

    private HeadHistogramKillChild() {
    }

    static Labels labels(int series) {
        return series < SERIES
                ? Labels.of("__name__", "kill_hist", "s", Integer.toString(series))
                : Labels.of("__name__", "kill_hist", "w", Integer.toString(series - SERIES));
    }

    static boolean inBatch(int series, long k) {
        return series < SERIES || k % WIDE_EVERY == 0;
    }

    static boolean isFloat(int series) {
        return series % 2 == 1;
    }

    /**
     * The sample of {@code series} in batch {@code k}: a {@link Histogram} or a
     * {@link FloatHistogram}, or the stale marker of its kind.
     */
    static Object value(int series, long k) {
        boolean stale = (k + series) % 89 == 0;
        Histogram h;
        if (stale) {
            h = Histogram.staleMarker();
        } else {
            long c = k % 50 + series % 7; // resets every 50 batches
            int n = 2 + (int) (k % 50) / 20; // new buckets appear: chunks recode
            h = new Histogram();
            h.schema = 1;
            h.zeroThreshold = 1e-128;
            h.zeroCount = c;
            h.positiveSpans = Spans.of(-1, n);
            h.positiveBuckets = new long[n];
            long prev = 0, count = c;
            for (int b = 0; b < n; b++) {
                long abs = c * (b + 1) + b;
                h.positiveBuckets[b] = abs - prev;
                prev = abs;
                count += abs;
            }
            h.count = count;
            h.sum = c * 1.25;
        }
        if (!isFloat(series)) {
            return h;
        }
        return stale ? FloatHistogram.staleMarker() : h.toFloat(null).mul(0.5);
    }

    static long truncationAfter(long k) {
        return k > 0 && k % TRUNCATE_EVERY == 0 ? (k - KEEP) * STEP : Long.MIN_VALUE;
    }

    /**
     * The batch to start with after a restart: the newest one the head holds any sample of, or
     * 0 for an empty head. A batch is several WAL records (7 for the integer histograms, 8 for
     * the float ones), so a kill inside its commit may have left it in part: record 7 whole,
     * record 8 torn and cut off by the repair. That commit never returned, so nothing was lost,
     * but the batch must be finished as a client retrying an unacknowledged write would, not
     * skipped; {@link #appendBatch} with {@code resume} leaves out the series that hold it.
     */
    static long resumeBatch(Head head) {
        return head.maxTime() == Long.MIN_VALUE ? 0 : head.maxTime() / STEP;
    }

    /**
     * Appends and commits batch {@code k}; with {@code resume}, only for the series that do not
     * hold it yet (see {@link #resumeBatch}).
     */
    static void appendBatch(Head head, long k, long[] refs, boolean resume) throws Exception {
        Appender app = head.appender();
        for (int i = 0; i < SERIES + WIDE; i++) {
            if (inBatch(i, k) && !(resume && holds(head, i, k))) {
                Object v = value(i, k);
                refs[i] = v instanceof Histogram h
                        ? app.appendHistogram(refs[i], labels(i), 0, k * STEP, h, null)
                        : app.appendHistogram(refs[i], labels(i), 0, k * STEP, null, (FloatHistogram) v);
            }
        }
        app.commit();
    }

    /** Whether series {@code i} holds a sample at or after batch {@code k}. */
    static boolean holds(Head head, int i, long k) {
        MemSeries s = head.series.byLabels(labels(i));
        if (s == null) {
            return false;
        }
        synchronized (s) {
            return s.maxT >= k * STEP;
        }
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        try (Head head = Head.open(Path.of(args[0]), HeadKillChild.options())) {
            boolean empty = head.maxTime() == Long.MIN_VALUE;
            long k = resumeBatch(head);
            out.println("open " + (empty ? -1 : k) + " ok"); // the newest batch the head holds any of
            out.flush();
            long[] refs = new long[SERIES + WIDE];
            boolean resume = !empty;
            while (true) {
                appendBatch(head, k, refs, resume);
                resume = false;
                out.println("commit " + k + " ok");
                out.flush();
                long mint = truncationAfter(k);
                if (mint != Long.MIN_VALUE) {
                    head.truncate(mint);
                }
                k++;
            }
        }
    }
}
