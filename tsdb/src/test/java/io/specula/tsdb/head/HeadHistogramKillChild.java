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

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        try (Head head = Head.open(Path.of(args[0]), HeadKillChild.options())) {
            long k = head.maxTime() == Long.MIN_VALUE ? 0 : head.maxTime() / STEP + 1;
            out.println("open " + (k - 1) + " ok");
            out.flush();
            long[] refs = new long[SERIES + WIDE];
            while (true) {
                Appender app = head.appender();
                for (int i = 0; i < SERIES + WIDE; i++) {
                    if (inBatch(i, k)) {
                        Object v = value(i, k);
                        refs[i] = v instanceof Histogram h
                                ? app.appendHistogram(refs[i], labels(i), 0, k * STEP, h, null)
                                : app.appendHistogram(refs[i], labels(i), 0, k * STEP, null, (FloatHistogram) v);
                    }
                }
                app.commit();
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
