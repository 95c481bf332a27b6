package io.specula.tsdb.head;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.model.labels.Labels;
import io.specula.model.value.StaleNaN;
import io.specula.tsdb.storage.ValueType;
import io.specula.tsdb.storage.AppendException;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.storage.SeriesHandle;
import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.locks.Lock;

/**
 * A head transaction. {@code append} validates and buffers into primitive arrays (no object
 * per sample; the arrays are pooled by the head, see {@link AppendBatch}); {@code commit} hands
 * the batch to the {@link HeadLog} first and then applies it to memory series by series, each
 * under its own lock. A caller that keeps a {@link SeriesHandle} per series (the scrape cache)
 * appends with no lookup at all: the handle holds the {@link MemSeries}.
 *
 * <p>The batch's log entry carries the series records of every series it has samples for whose
 * record is not in the log yet: the series it created, and series another appender created but
 * has not committed (or rolled back). So a samples record never precedes its series record.
 *
 * <p>With an out-of-order time window, samples older than their series' newest one but within
 * the window are stored in the series' out-of-order chunks at commit. Like Prometheus, every
 * sample goes to the WAL (whose replay skips the out-of-order ones) and the out-of-order ones
 * are then also written to the WBL, which restores them. The place of each sample (in order,
 * out of order, dropped) is decided again at commit under the series lock, against the bounds
 * captured when the appender was created.
 *
 * <p>Native histograms are buffered in columns of their own and applied after the float
 * samples of the batch (Prometheus 2.x's order: a series that changes from histograms to
 * floats within one batch keeps the floats, whose newer histograms are then out of order).
 * They are logged as Prometheus's histogram records after the samples record. A float stale
 * marker for a series whose latest sample is a histogram becomes a histogram stale marker,
 * as in Prometheus. With an out-of-order window, older histograms go to the series'
 * out-of-order chunks and the WBL, as floats do.
 */
final class HeadAppender implements Appender {
    private final Head head;
    private final long minValidTime; // captured once: the per-sample path reads no shared state
    private final boolean outOfOrder;
    private final long outOfOrderMinTime;

    /** Taken from the head's pool at the first append, given back at commit or rollback. */
    private AppendBatch batch;

    /** Exemplars buffered for commit (see {@link HeadExemplars}); null until the first. */
    private HeadExemplars.Batch exemplars;

    private final boolean[] created = new boolean[1];
    private boolean closed;

    HeadAppender(Head head) {
        this.head = head;
        this.minValidTime = head.appendableMinValidTime();
        long window = head.outOfOrderTimeWindow;
        long headMax = head.maxTime();
        this.outOfOrder = window > 0 && headMax != Long.MIN_VALUE; // an empty head takes anything in order
        this.outOfOrderMinTime = outOfOrder ? headMax - window : Long.MAX_VALUE;
    }

    @Override
    public long append(long ref, Labels labels, long t, double v) throws AppendException {
        return append(ref, labels, 0, t, v);
    }

    /** Start timestamps go to the WAL (samples-v2 records) and to the head's memory ({@link StartTimes}). */
    @Override
    public long append(long ref, Labels labels, long st, long t, double v) throws AppendException {
        MemSeries s = add(ref != 0 ? head.series.byRef(ref) : null, labels, st, t, v);
        return s.ref;
    }

    /** The scrape cache's path: the handle holds this head's series, so nothing is looked up. */
    @Override
    public void append(SeriesHandle handle, Labels labels, long st, long t, double v) throws AppendException {
        MemSeries s = (MemSeries) handle.series(head);
        if (s == null && handle.ref() != 0) {
            s = head.series.byRef(handle.ref());
        }
        MemSeries got = add(s, labels, st, t, v);
        if (got != s) {
            handle.set(got.ref, head, got);
        }
    }

    /**
     * Adds a native-histogram sample.
     *
     * @throws io.specula.model.histogram.HistogramException for an invalid histogram, with
     *     Prometheus's message (the batch stays usable)
     * @throws IllegalArgumentException unless exactly one of {@code h} and {@code fh} is given
     */
    @Override
    public long appendHistogram(long ref, Labels labels, long st, long t, Histogram h, FloatHistogram fh)
            throws AppendException {
        return addHistogram(ref != 0 ? head.series.byRef(ref) : null, labels, st, t, h, fh).ref;
    }

    @Override
    public void appendHistogram(SeriesHandle handle, Labels labels, long st, long t, Histogram h, FloatHistogram fh)
            throws AppendException {
        MemSeries s = (MemSeries) handle.series(head);
        if (s == null && handle.ref() != 0) {
            s = head.series.byRef(handle.ref());
        }
        MemSeries got = addHistogram(s, labels, st, t, h, fh);
        if (got != s) {
            handle.set(got.ref, head, got);
        }
    }

    private MemSeries addHistogram(MemSeries s, Labels labels, long st, long t, Histogram h, FloatHistogram fh)
            throws AppendException {
        if (closed) {
            throw new IllegalStateException("appender already committed or rolled back");
        }
        if ((h == null) == (fh == null)) {
            throw new IllegalArgumentException("exactly one of an integer and a float histogram must be given");
        }
        if (h != null) {
            h.validate();
        } else {
            fh.validate();
        }
        if (t < minValidTime && head.outOfOrderTimeWindow == 0) {
            throw new AppendException(AppendException.Reason.OUT_OF_BOUNDS);
        }
        while (true) {
            if (s == null) {
                if (labels == null || labels.isEmpty()) {
                    throw new IllegalArgumentException("empty labelset");
                }
                s = head.getOrCreate(labels, created);
            }
            synchronized (s) {
                if (s.removed) {
                    s = null;
                    continue;
                }
                switch (s.checkHistogram(t, h, fh, head.chunks, minValidTime, outOfOrder, outOfOrderMinTime)) {
                    case OUT_OF_ORDER -> throw new AppendException(AppendException.Reason.OUT_OF_ORDER);
                    case OUT_OF_BOUNDS -> throw new AppendException(AppendException.Reason.OUT_OF_BOUNDS);
                    case TOO_OLD -> throw new AppendException(AppendException.Reason.TOO_OLD);
                    case DUPLICATE -> throw new AppendException(AppendException.Reason.DUPLICATE_TIMESTAMP);
                    case DUPLICATE_SAME_VALUE -> {
                        return s;
                    }
                    case OK, OUT_OF_ORDER_ACCEPTED -> s.pendingCommit = true;
                }
            }
            break;
        }
        if (batch == null) {
            batch = head.batches.take();
        }
        batch.addHistogram(s, st, t, h, fh);
        return s;
    }

    /**
     * Checks and buffers one sample for {@code s} (null: find or create the series of
     * {@code labels}); returns the series it went to, which differs from {@code s} when that one
     * has been removed from the head meanwhile.
     */
    private MemSeries add(MemSeries s, Labels labels, long st, long t, double v) throws AppendException {
        if (closed) {
            throw new IllegalStateException("appender already committed or rolled back");
        }
        if (t < minValidTime && head.outOfOrderTimeWindow == 0) { // fail fast; with a window the series decides
            throw new AppendException(AppendException.Reason.OUT_OF_BOUNDS);
        }
        while (true) {
            if (s == null) {
                if (labels == null || labels.isEmpty()) {
                    throw new IllegalArgumentException("empty labelset");
                }
                s = head.getOrCreate(labels, created);
            }
            synchronized (s) {
                if (s.removed) {
                    s = null; // truncated away since the caller saw it: its labels get a new series
                    continue;
                }
                if (StaleNaN.is(v) && s.lastType() != ValueType.FLOAT) {
                    // A histogram series goes stale with a histogram stale marker.
                    boolean integer = s.lastType() == ValueType.HISTOGRAM;
                    return addHistogram(s, labels, st, t, integer ? Histogram.staleMarker() : null,
                            integer ? null : FloatHistogram.staleMarker());
                }
                switch (s.check(t, v, head.chunks, minValidTime, outOfOrder, outOfOrderMinTime)) {
                    case OUT_OF_ORDER -> throw new AppendException(AppendException.Reason.OUT_OF_ORDER);
                    case OUT_OF_BOUNDS -> throw new AppendException(AppendException.Reason.OUT_OF_BOUNDS);
                    case TOO_OLD -> throw new AppendException(AppendException.Reason.TOO_OLD);
                    case DUPLICATE -> throw new AppendException(AppendException.Reason.DUPLICATE_TIMESTAMP);
                    case DUPLICATE_SAME_VALUE -> {
                        return s; // a resend: accepted and ignored, as Prometheus does
                    }
                    case OK, OUT_OF_ORDER_ACCEPTED -> s.pendingCommit = true;
                }
            }
            break;
        }
        if (batch == null) {
            batch = head.batches.take();
        }
        batch.add(s, st, t, v);
        return s;
    }

    @Override
    public void appendExemplar(long ref, Labels labels, Labels exemplarLabels, long t, double v) throws AppendException {
        appendExemplar(ref, labels, exemplarLabels, true, t, v);
    }

    @Override
    public void appendExemplar(long ref, Labels labels, Labels exemplarLabels, boolean explicitTime, long t, double v)
            throws AppendException {
        if (closed) {
            throw new IllegalStateException("appender already committed or rolled back");
        }
        exemplars = head.exemplars.buffer(exemplars, head, ref, labels, exemplarLabels, explicitTime, t, v);
    }

    /** Gathers the batch's series whose series record is not logged yet (see the class comment). */
    private void collectUnlogged(AppendBatch b) {
        Set<MemSeries> seen = null;
        MemSeries last = null;
        MemSeries[] series = b.series;
        for (int i = 0, n = b.n + b.hn; i < n; i++) {
            MemSeries s = i < b.n ? series[i] : b.hSeries[i - b.n];
            if (s == last || s.logged) {
                continue; // the common case: one volatile read per sample
            }
            last = s;
            if (seen == null) {
                seen = Collections.newSetFromMap(new IdentityHashMap<>());
            }
            if (seen.add(s)) {
                b.addNew(s);
            }
        }
    }

    @Override
    public void commit() throws IOException {
        if (closed) {
            throw new IllegalStateException("appender already committed or rolled back");
        }
        closed = true;
        AppendBatch b = batch;
        HeadExemplars.Batch ex = exemplars;
        exemplars = null;
        if (b != null) {
            batch = null;
            try {
                commit(b);
            } finally {
                head.batches.give(b);
            }
        }
        head.exemplars.commit(ex, head.walWriter()); // after the samples, as Prometheus logs them
    }

    private void commit(AppendBatch b) throws IOException {
        collectUnlogged(b);
        long[] refs = b.refs, ts = b.ts, sts = b.startTimes();
        double[] vs = b.vs;
        int n = b.n;
        try {
            if (b.hn == 0) {
                head.log.log(b.newRefs, b.newLabels, b.newCount, refs, sts, ts, vs, n);
            } else {
                head.log.log(b.newRefs, b.newLabels, b.newCount, refs, sts, ts, vs, n, b.histograms());
            }
        } catch (IOException | RuntimeException e) {
            release(b);
            throw e;
        }
        for (int i = 0; i < b.newCount; i++) {
            b.newSeries[i].logged = true;
        }
        long minT = Long.MAX_VALUE, maxT = Long.MIN_VALUE;
        Lock oooLock = outOfOrder ? head.outOfOrderLock.readLock() : null;
        if (oooLock != null) {
            oooLock.lock();
        }
        int appended = 0;
        int ooo = 0; // out-of-order samples are moved to the front of the arrays, for the WBL
        MemSeries[] series = b.series;
        HeadChunks chunks = head.chunks;
        long chunkRange = head.chunkRange;
        try {
            for (int i = 0; i < n; i++) {
                MemSeries s = series[i];
                long t = ts[i];
                double v = vs[i];
                long st = sts == null ? 0 : sts[i];
                synchronized (s) {
                    // Another appender may have committed newer samples since append(): without a
                    // window those samples are dropped here, as Prometheus does.
                    switch (s.check(t, v, chunks, minValidTime, outOfOrder, outOfOrderMinTime)) {
                        case OK -> {
                            s.append(t, v, chunkRange, chunks);
                            s.putStartTime(t, st);
                            appended++;
                            minT = Math.min(minT, t);
                            maxT = Math.max(maxT, t);
                        }
                        case OUT_OF_ORDER_ACCEPTED -> {
                            if (s.insertOutOfOrder(t, v)) {
                                s.putStartTime(t, st);
                                refs[ooo] = s.ref;
                                ts[ooo] = t;
                                vs[ooo] = v;
                                if (sts != null) {
                                    sts[ooo] = st;
                                }
                                ooo++;
                            }
                        }
                        default -> { }
                    }
                    s.pendingCommit = false;
                }
            }
            int hooo = 0; // out-of-order histograms are moved to the front of their columns, for the WBL
            for (int i = 0; i < b.hn; i++) {
                MemSeries s = b.hSeries[i];
                long t = b.hTs[i];
                Histogram h = b.hs[i];
                FloatHistogram fh = b.fhs[i];
                long st = b.hHasStartTimes ? b.hSts[i] : 0;
                synchronized (s) {
                    switch (s.checkHistogram(t, h, fh, chunks, minValidTime, outOfOrder, outOfOrderMinTime)) {
                        case OK -> {
                            s.appendHistogram(t, h, fh, chunkRange, chunks);
                            s.putStartTime(t, st);
                            appended++;
                            minT = Math.min(minT, t);
                            maxT = Math.max(maxT, t);
                        }
                        case OUT_OF_ORDER_ACCEPTED -> {
                            if (s.insertOutOfOrderHistogram(t, h, fh)) {
                                s.putStartTime(t, st);
                                b.hRefs[hooo] = s.ref;
                                b.hTs[hooo] = t;
                                b.hSts[hooo] = st;
                                b.hs[hooo] = h;
                                b.fhs[hooo] = fh;
                                hooo++;
                            }
                        }
                        default -> { }
                    }
                    s.pendingCommit = false;
                }
            }
            if (hooo > 0) {
                head.hadOutOfOrder = true;
                head.outOfOrderSamplesAppended.add(hooo);
                head.wblLog.log(b.newRefs, b.newLabels, 0, refs, sts, ts, vs, 0,
                        new HeadLog.Histograms(b.hRefs, b.hHasStartTimes ? b.hSts : null, b.hTs, b.hs, b.fhs, hooo));
            }
            if (maxT != Long.MIN_VALUE) {
                head.updateTimes(minT, maxT);
            }
            head.samplesAppended.add(appended);
            head.outOfOrderSamplesAppended.add(ooo);
            if (ooo > 0) {
                head.hadOutOfOrder = true;
                head.wblLog.log(b.newRefs, b.newLabels, 0, refs, sts, ts, vs, ooo);
            }
        } finally {
            if (oooLock != null) {
                oooLock.unlock();
            }
        }
    }

    @Override
    public void rollback() {
        if (closed) {
            return;
        }
        closed = true;
        exemplars = null;
        AppendBatch b = batch;
        if (b != null) {
            batch = null;
            release(b);
            head.batches.give(b);
        }
    }

    private static void release(AppendBatch b) {
        for (int i = 0; i < b.n; i++) {
            synchronized (b.series[i]) {
                b.series[i].pendingCommit = false;
            }
        }
        for (int i = 0; i < b.hn; i++) {
            synchronized (b.hSeries[i]) {
                b.hSeries[i].pendingCommit = false;
            }
        }
    }
}
