package io.specula.tsdb.head;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.model.labels.Labels;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The primitive columns of one head transaction (series, reference, start time, time, value per
 * sample; the series new to the WAL), reused across transactions through a small {@link Pool}:
 * a scrape of the same target every interval then allocates nothing per sample. A batch is owned
 * by one appender from its first append to its commit or rollback. Not thread-safe.
 */
final class AppendBatch {
    /** Batches that grew beyond this many samples (a huge import) are not pooled, so the pool stays small. */
    private static final int MAX_POOLED = 1 << 16;

    MemSeries[] series = new MemSeries[64];
    long[] refs = new long[64];
    long[] ts = new long[64];
    double[] vs = new double[64];
    /** Start timestamps: only meaningful while {@link #hasStartTimes}; the array stays for reuse. */
    long[] sts;
    boolean hasStartTimes;
    int n;

    /**
     * Histogram samples, a column set of their own (most batches have none, and the float
     * columns stay primitive): series, ref, start time, time, and the sample, exactly one of
     * {@code hs[i]}, {@code fhs[i]} set. The histograms are the batch's copies, made into
     * objects kept for reuse ({@link #histogramCopies}, {@link #floatHistogramCopies}).
     */
    MemSeries[] hSeries;
    long[] hRefs, hTs, hSts;
    Histogram[] hs;
    FloatHistogram[] fhs;
    private Histogram[] histogramCopies;
    private FloatHistogram[] floatHistogramCopies;
    int hn;
    boolean hHasStartTimes;

    long[] newRefs = new long[8];
    Labels[] newLabels = new Labels[8];
    MemSeries[] newSeries = new MemSeries[8];
    int newCount;

    void add(MemSeries s, long st, long t, double v) {
        if (n == refs.length) {
            grow();
        }
        series[n] = s;
        refs[n] = s.ref;
        ts[n] = t;
        vs[n] = v;
        if (st != 0 && !hasStartTimes) {
            if (sts == null || sts.length < refs.length) {
                sts = new long[refs.length];
            } else {
                Arrays.fill(sts, 0, n, 0);
            }
            hasStartTimes = true;
        }
        if (hasStartTimes) {
            sts[n] = st;
        }
        n++;
    }

    /** Buffers a copy of a histogram sample ({@code h} or {@code fh}). */
    void addHistogram(MemSeries s, long st, long t, Histogram h, FloatHistogram fh) {
        if (hSeries == null) {
            hSeries = new MemSeries[8];
            hRefs = new long[8];
            hTs = new long[8];
            hSts = new long[8];
            hs = new Histogram[8];
            fhs = new FloatHistogram[8];
            histogramCopies = new Histogram[8];
            floatHistogramCopies = new FloatHistogram[8];
        } else if (hn == hRefs.length) {
            int cap = hn * 2;
            hSeries = Arrays.copyOf(hSeries, cap);
            hRefs = Arrays.copyOf(hRefs, cap);
            hTs = Arrays.copyOf(hTs, cap);
            hSts = Arrays.copyOf(hSts, cap);
            hs = Arrays.copyOf(hs, cap);
            fhs = Arrays.copyOf(fhs, cap);
            histogramCopies = Arrays.copyOf(histogramCopies, cap);
            floatHistogramCopies = Arrays.copyOf(floatHistogramCopies, cap);
        }
        int i = hn;
        hSeries[i] = s;
        hRefs[i] = s.ref;
        hTs[i] = t;
        hSts[i] = st;
        hHasStartTimes |= st != 0;
        if (h != null) {
            Histogram c = histogramCopies[i];
            hs[i] = histogramCopies[i] = h.copyInto(c == null ? new Histogram() : c);
            fhs[i] = null;
        } else {
            FloatHistogram c = floatHistogramCopies[i];
            fhs[i] = floatHistogramCopies[i] = fh.copyInto(c == null ? new FloatHistogram() : c);
            hs[i] = null;
        }
        hn = i + 1;
    }

    /** The batch's histogram samples for the log, null when it has none. */
    HeadLog.Histograms histograms() {
        return hn == 0 ? null : new HeadLog.Histograms(hRefs, hHasStartTimes ? hSts : null, hTs, hs, fhs, hn);
    }

    /** The start time column for the WAL and memory, null when no sample of the batch has one. */
    long[] startTimes() {
        return hasStartTimes ? sts : null;
    }

    void addNew(MemSeries s) {
        if (newCount == newRefs.length) {
            newRefs = Arrays.copyOf(newRefs, newCount * 2);
            newLabels = Arrays.copyOf(newLabels, newCount * 2);
            newSeries = Arrays.copyOf(newSeries, newCount * 2);
        }
        newRefs[newCount] = s.ref;
        newLabels[newCount] = s.labels;
        newSeries[newCount] = s;
        newCount++;
    }

    private void grow() {
        int cap = refs.length * 2;
        series = Arrays.copyOf(series, cap);
        refs = Arrays.copyOf(refs, cap);
        ts = Arrays.copyOf(ts, cap);
        vs = Arrays.copyOf(vs, cap);
        if (hasStartTimes) {
            sts = Arrays.copyOf(sts, cap);
        }
    }

    /** Forgets the batch's contents; drops the object references so a pooled batch keeps no series alive. */
    private void clear() {
        Arrays.fill(series, 0, n, null);
        Arrays.fill(newLabels, 0, newCount, null);
        Arrays.fill(newSeries, 0, newCount, null);
        if (hn > 0) {
            Arrays.fill(hSeries, 0, hn, null);
            if (hn > 1024) { // a huge batch: do not keep its copies alive in the pool
                hSeries = null;
                hRefs = hTs = hSts = null;
                hs = null;
                fhs = null;
                histogramCopies = null;
                floatHistogramCopies = null;
            }
        }
        hn = 0;
        hHasStartTimes = false;
        n = 0;
        newCount = 0;
        hasStartTimes = false;
    }

    /**
     * A few idle batches for the head's appenders, lock-free (one compare-and-set per take and
     * per give). Sized for the number of transactions that commit at the same moment; when all
     * slots are taken a new batch is made, and a batch given back to a full pool is dropped.
     */
    static final class Pool {
        private final AtomicReferenceArray<AppendBatch> slots;

        Pool(int size) {
            slots = new AtomicReferenceArray<>(size);
        }

        AppendBatch take() {
            int start = (int) Thread.currentThread().threadId(); // spread threads over the slots
            int len = slots.length();
            for (int i = 0; i < len; i++) {
                int k = Math.floorMod(start + i, len);
                AppendBatch b = slots.get(k);
                if (b != null && slots.compareAndSet(k, b, null)) {
                    return b;
                }
            }
            return new AppendBatch();
        }

        void give(AppendBatch b) {
            if (b.refs.length > MAX_POOLED) {
                return;
            }
            b.clear();
            int start = (int) Thread.currentThread().threadId();
            int len = slots.length();
            for (int i = 0; i < len; i++) {
                int k = Math.floorMod(start + i, len);
                if (slots.get(k) == null && slots.compareAndSet(k, null, b)) {
                    return;
                }
            }
        }
    }
}
