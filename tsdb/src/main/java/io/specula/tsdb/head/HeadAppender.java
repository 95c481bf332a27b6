package io.specula.tsdb.head;

import io.specula.model.labels.Labels;
import io.specula.tsdb.storage.AppendException;
import io.specula.tsdb.storage.Appender;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A head transaction. {@code append} validates and buffers into primitive arrays (no object
 * per sample); {@code commit} hands the batch to the {@link HeadLog} first and then applies it
 * to memory series by series, each under its own lock.
 *
 * <p>The batch's log entry carries the series records of every series it has samples for whose
 * record is not in the log yet: the series it created, and series another appender created but
 * has not committed (or rolled back). So a samples record never precedes its series record.
 */
final class HeadAppender implements Appender {
    private final Head head;
    private final long minValidTime; // captured once: the per-sample path reads no shared state

    private MemSeries[] series = new MemSeries[64];
    private long[] refs = new long[64];
    private long[] ts = new long[64];
    private double[] vs = new double[64];
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
    }

    @Override
    public long append(long ref, Labels labels, long t, double v) throws AppendException {
        if (closed) {
            throw new IllegalStateException("appender already committed or rolled back");
        }
        if (t < minValidTime) {
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
            switch (s.check(t, v, head.chunks)) {
                case OUT_OF_ORDER -> throw new AppendException(AppendException.Reason.OUT_OF_ORDER);
                case DUPLICATE -> throw new AppendException(AppendException.Reason.DUPLICATE_TIMESTAMP);
                case DUPLICATE_SAME_VALUE -> {
                    return s.ref; // a resend: accepted and ignored, as Prometheus does
                }
                case OK -> s.pendingCommit = true;
            }
        }
        if (n == refs.length) {
            grow();
        }
        series[n] = s;
        refs[n] = s.ref;
        ts[n] = t;
        vs[n] = v;
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
    }

    @Override
    public void commit() throws IOException {
        if (closed) {
            throw new IllegalStateException("appender already committed or rolled back");
        }
        closed = true;
        collectUnlogged();
        try {
            head.log.log(newRefs, newLabels, newCount, refs, ts, vs, n);
        } catch (IOException | RuntimeException e) {
            release();
            throw e;
        }
        for (int i = 0; i < newCount; i++) {
            newSeries[i].logged = true;
        }
        long minT = Long.MAX_VALUE, maxT = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            MemSeries s = series[i];
            synchronized (s) {
                // Another appender may have committed newer samples since append(): those samples
                // are dropped here, as Prometheus does, rather than stored out of order.
                if (s.check(ts[i], vs[i], head.chunks) == MemSeries.AppendCheck.OK) {
                    s.append(ts[i], vs[i], head.chunkRange, head.chunks);
                    minT = Math.min(minT, ts[i]);
                    maxT = Math.max(maxT, ts[i]);
                }
                s.pendingCommit = false;
            }
        }
        if (maxT != Long.MIN_VALUE) {
            head.updateTimes(minT, maxT);
        }
        series = null;
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
