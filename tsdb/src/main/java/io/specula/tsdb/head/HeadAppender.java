package io.specula.tsdb.head;

import io.specula.model.labels.Labels;
import io.specula.tsdb.storage.AppendException;
import io.specula.tsdb.storage.Appender;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.locks.Lock;

/**
 * A head transaction. {@code append} validates and buffers into primitive arrays (no object
 * per sample); {@code commit} hands the batch to the {@link HeadLog} first and then applies it
 * to memory series by series, each under its own lock.
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
 */
final class HeadAppender implements Appender {
    private final Head head;
    private final long minValidTime; // captured once: the per-sample path reads no shared state
    private final boolean outOfOrder;
    private final long outOfOrderMinTime;

    private MemSeries[] series = new MemSeries[64];
    private long[] refs = new long[64];
    private long[] ts = new long[64];
    private double[] vs = new double[64];
    /** Start timestamps of the batch, null until a sample brings one: plain appends carry no column. */
    private long[] sts;
    private int n;

    private long[] newRefs = new long[8];
    private Labels[] newLabels = new Labels[8];
    private MemSeries[] newSeries = new MemSeries[8];
    private int newCount;

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
        if (closed) {
            throw new IllegalStateException("appender already committed or rolled back");
        }
        if (t < minValidTime && head.outOfOrderTimeWindow == 0) { // fail fast; with a window the series decides
            throw new AppendException(AppendException.Reason.OUT_OF_BOUNDS);
        }
        MemSeries s = ref != 0 ? head.series.byRef(ref) : null;
        if (s == null) {
            if (labels == null || labels.isEmpty()) {
                throw new IllegalArgumentException("empty labelset");
            }
            s = head.getOrCreate(labels, created);
        }
        synchronized (s) {
            switch (s.check(t, v, head.chunks, minValidTime, outOfOrder, outOfOrderMinTime)) {
                case OUT_OF_ORDER -> throw new AppendException(AppendException.Reason.OUT_OF_ORDER);
                case OUT_OF_BOUNDS -> throw new AppendException(AppendException.Reason.OUT_OF_BOUNDS);
                case TOO_OLD -> throw new AppendException(AppendException.Reason.TOO_OLD);
                case DUPLICATE -> throw new AppendException(AppendException.Reason.DUPLICATE_TIMESTAMP);
                case DUPLICATE_SAME_VALUE -> {
                    return s.ref; // a resend: accepted and ignored, as Prometheus does
                }
                case OK, OUT_OF_ORDER_ACCEPTED -> s.pendingCommit = true;
            }
        }
        if (n == refs.length) {
            grow();
        }
        series[n] = s;
        refs[n] = s.ref;
        ts[n] = t;
        vs[n] = v;
        if (st != 0 && sts == null) {
            sts = new long[refs.length];
        }
        if (sts != null) {
            sts[n] = st;
        }
        n++;
        return s.ref;
    }

    /** Gathers the batch's series whose series record is not logged yet (see the class comment). */
    private void collectUnlogged() {
        Set<MemSeries> seen = null;
        MemSeries last = null;
        for (int i = 0; i < n; i++) {
            MemSeries s = series[i];
            if (s == last || s.logged) {
                continue; // the common case: one volatile read per sample
            }
            last = s;
            if (seen == null) {
                seen = Collections.newSetFromMap(new IdentityHashMap<>());
            }
            if (seen.add(s)) {
                addNew(s);
            }
        }
    }

    private void addNew(MemSeries s) {
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
        if (sts != null) {
            sts = Arrays.copyOf(sts, cap);
        }
    }

    @Override
    public void commit() throws IOException {
        if (closed) {
            throw new IllegalStateException("appender already committed or rolled back");
        }
        closed = true;
        collectUnlogged();
        try {
            head.log.log(newRefs, newLabels, newCount, refs, sts, ts, vs, n);
        } catch (IOException | RuntimeException e) {
            release();
            throw e;
        }
        for (int i = 0; i < newCount; i++) {
            newSeries[i].logged = true;
        }
        long minT = Long.MAX_VALUE, maxT = Long.MIN_VALUE;
        Lock oooLock = outOfOrder ? head.outOfOrderLock.readLock() : null;
        if (oooLock != null) {
            oooLock.lock();
        }
        int appended = 0;
        int ooo = 0; // out-of-order samples are moved to the front of the arrays, for the WBL
        try {
            for (int i = 0; i < n; i++) {
                MemSeries s = series[i];
                long t = ts[i];
                double v = vs[i];
                long st = sts == null ? 0 : sts[i];
                synchronized (s) {
                    // Another appender may have committed newer samples since append(): without a
                    // window those samples are dropped here, as Prometheus does.
                    switch (s.check(t, v, head.chunks, minValidTime, outOfOrder, outOfOrderMinTime)) {
                        case OK -> {
                            s.append(t, v, head.chunkRange, head.chunks);
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
            if (maxT != Long.MIN_VALUE) {
                head.updateTimes(minT, maxT);
            }
            head.samplesAppended.add(appended);
            head.outOfOrderSamplesAppended.add(ooo);
            series = null;
            if (ooo > 0) {
                head.hadOutOfOrder = true;
                head.wblLog.log(newRefs, newLabels, 0, refs, sts, ts, vs, ooo);
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
        release();
    }

    private void release() {
        for (int i = 0; i < n; i++) {
            synchronized (series[i]) {
                series[i].pendingCommit = false;
            }
        }
        series = null;
    }
}
