package io.specula.tsdb.exemplar;

import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Exemplars in one fixed-size ring shared by all series, as Prometheus's circular exemplar
 * storage keeps them: memory is bounded by the ring's size whatever the number of series; a
 * new exemplar overwrites the oldest one in the ring, whichever series it belongs to.
 *
 * <p>Each slot holds an exemplar's time, value, labels, whether its time was explicit, the slot
 * of the series' next newer exemplar, and the series' index entry; the index entry (one per
 * series with exemplars) names the series' oldest and newest slot, so a series' exemplars form a
 * linked list through the ring, oldest first. Columns are primitive arrays: no object per
 * exemplar beyond its labels.
 *
 * <p>Per series, an exemplar must be newer than the series' newest one ({@code out of order
 * exemplar}); one equal to the newest (same labels and value, and the same time when either
 * has an explicit one) is a duplicate and silently dropped. The exemplar's label set may hold
 * at most {@value #MAX_LABEL_SET_LENGTH} UTF-8 characters (names and values counted).
 *
 * <p>Thread-safe: appends and resizes take a write lock, queries a read lock.
 */
public final class CircularExemplarStorage {
    /** The most characters an exemplar's label names and values may have together (OpenMetrics' limit). */
    public static final int MAX_LABEL_SET_LENGTH = 128;
    /** {@code storage.exemplars.max_exemplars}' default in Prometheus. */
    public static final long DEFAULT_MAX_EXEMPLARS = 100_000;
    /** The largest ring this storage makes, so that a config value cannot exhaust memory in one allocation. */
    public static final long MAX_SIZE = 1L << 28;

    /** Result of {@link #validate} and {@link #add}. */
    public enum Status {
        OK(null),
        /** Equal to the series' newest exemplar: appending it is a no-op. */
        DUPLICATE("duplicate exemplar"),
        OUT_OF_ORDER("out of order exemplar"),
        LABEL_LENGTH("label length for exemplar exceeds maximum of " + MAX_LABEL_SET_LENGTH + " UTF-8 characters"),
        DISABLED("exemplar storage is disabled or max exemplars is less than or equal to 0");

        private final String message;

        Status(String message) {
            this.message = message;
        }

        /** Prometheus's error text; null for {@link #OK}. */
        public String message() {
            return message;
        }
    }

    private static final int NONE = -1;

    /** One per series with exemplars in the ring. */
    private static final class Series {
        final Labels labels;
        int oldest, newest;

        Series(Labels labels) {
            this.labels = labels;
        }
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<Labels, Series> index = new HashMap<>();
    private long[] ts;
    private double[] vs;
    private Labels[] labels;
    private int[] next;
    private Series[] owner;
    /** Whether the slot's time came with the exemplar (true) or was the scrape's (false). */
    private boolean[] explicit;
    private int nextIndex;
    private long appended, outOfOrder;

    /** A ring of {@code size} exemplars; 0 or less keeps none (all appends are refused as disabled). */
    public CircularExemplarStorage(long size) {
        allocate(clamp(size));
    }

    private static int clamp(long size) {
        if (size > MAX_SIZE) {
            throw new IllegalArgumentException("max exemplars " + size + " exceeds the limit of " + MAX_SIZE);
        }
        return (int) Math.max(0, size);
    }

    private void allocate(int n) {
        ts = new long[n];
        vs = new double[n];
        labels = new Labels[n];
        next = new int[n];
        owner = new Series[n];
        explicit = new boolean[n];
        nextIndex = 0;
        index.clear();
    }

    /** Whether the ring has room for any exemplar. */
    public boolean enabled() {
        lock.readLock().lock();
        try {
            return ts.length > 0;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Checks an exemplar of {@code series} without storing it (an appender's check before it
     * buffers the exemplar; {@link #add} checks again).
     */
    public Status validate(Labels series, Labels exemplarLabels, long t, boolean explicitTime, double v) {
        lock.readLock().lock();
        try {
            return check(index.get(series), exemplarLabels, t, explicitTime, v);
        } finally {
            lock.readLock().unlock();
        }
    }

    private Status check(Series s, Labels exemplarLabels, long t, boolean explicitTime, double v) {
        if (ts.length == 0) {
            return Status.DISABLED;
        }
        int length = 0;
        for (int i = 0; i < exemplarLabels.size(); i++) {
            String n = exemplarLabels.name(i), val = exemplarLabels.value(i);
            length += n.codePointCount(0, n.length()) + val.codePointCount(0, val.length());
            if (length > MAX_LABEL_SET_LENGTH) {
                return Status.LABEL_LENGTH;
            }
        }
        if (s == null) {
            return Status.OK;
        }
        int newest = s.newest;
        // Equal values compare as Go's ==: NaN never equals, so a NaN exemplar is no duplicate.
        if (labels[newest].equals(exemplarLabels) && vs[newest] == v
                && (!(explicit[newest] || explicitTime) || ts[newest] == t)) {
            return Status.DUPLICATE;
        }
        if (t <= ts[newest]) {
            return Status.OUT_OF_ORDER;
        }
        return Status.OK;
    }

    /**
     * Stores an exemplar of {@code series}, overwriting the oldest one in the ring when full.
     *
     * @param explicitTime whether {@code t} came with the exemplar (false: it is the scrape's
     *     time, and an exemplar equal to the newest in labels and value is a duplicate whatever
     *     its time)
     * @return {@link Status#OK}, or why it was not stored ({@link Status#DUPLICATE}: already there)
     */
    public Status add(Labels series, Labels exemplarLabels, long t, boolean explicitTime, double v) {
        lock.writeLock().lock();
        try {
            Series s = index.get(series);
            Status st = check(s, exemplarLabels, t, explicitTime, v);
            if (st != Status.OK) {
                if (st == Status.OUT_OF_ORDER) {
                    outOfOrder++;
                }
                return st;
            }
            store(s, series, exemplarLabels, t, explicitTime, v);
            return Status.OK;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void store(Series s, Labels series, Labels exemplarLabels, long t, boolean explicitTime, double v) {
        int i = nextIndex;
        if (s == null) {
            s = new Series(series);
            s.oldest = i;
            index.put(series, s);
        } else {
            next[s.newest] = i;
        }
        Series prev = owner[i];
        if (prev != null) { // the ring is full: drop the oldest exemplar to make room
            if (next[i] == NONE) {
                if (prev != s) {
                    index.remove(prev.labels); // it was that series' last one
                }
            } else {
                prev.oldest = next[i];
            }
        }
        ts[i] = t;
        vs[i] = v;
        labels[i] = exemplarLabels;
        explicit[i] = explicitTime;
        next[i] = NONE;
        owner[i] = s;
        s.newest = i;
        nextIndex = (i + 1) % ts.length;
        appended++;
    }

    /**
     * Changes the ring's size (a config reload), keeping the newest exemplars that fit, in their
     * order; a size of 0 or less drops all.
     *
     * @return the number of exemplars kept
     */
    public int resize(long size) {
        int n = clamp(size);
        lock.writeLock().lock();
        try {
            if (n == ts.length) {
                return 0;
            }
            long[] oldTs = ts;
            double[] oldVs = vs;
            Labels[] oldLabels = labels;
            Series[] oldOwner = owner;
            boolean[] oldExplicit = explicit;
            int oldNext = nextIndex, oldLen = oldTs.length;
            allocate(n);
            int count = Math.min(n, oldLen);
            int kept = 0;
            if (count > 0) {
                // Migrate only the newest `count` slots: older ones would be overwritten anyway.
                int start = (oldNext - count + oldLen) % oldLen;
                for (int k = 0; k < count; k++) {
                    int j = (start + k) % oldLen;
                    if (oldOwner[j] != null) {
                        Labels series = oldOwner[j].labels;
                        store(index.get(series), series, oldLabels[j], oldTs[j], oldExplicit[j], oldVs[j]);
                        appended--; // a move, not an append
                        kept++;
                    }
                }
            }
            return kept;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** One series' exemplars in a query result, oldest first. */
    public record Result(Labels seriesLabels, List<Exemplar> exemplars) {}

    /** An exemplar in a query result; {@code t} in ms. */
    public record Exemplar(Labels labels, double value, long t) {}

    /**
     * The exemplars in [start, end] of the series matching all matchers of at least one of
     * {@code matcherSets}, by series labels, each series' oldest first. Empty when none.
     */
    public List<Result> select(long start, long end, List<Matcher[]> matcherSets) {
        List<Result> out = new ArrayList<>();
        lock.readLock().lock();
        try {
            for (Series s : index.values()) {
                if (ts[s.oldest] > end || ts[s.newest] < start || !matchesAny(s.labels, matcherSets)) {
                    continue;
                }
                List<Exemplar> es = null;
                for (int i = s.oldest; i != NONE && ts[i] <= end; i = next[i]) {
                    if (ts[i] >= start) {
                        if (es == null) {
                            es = new ArrayList<>();
                        }
                        es.add(new Exemplar(labels[i], vs[i], ts[i]));
                    }
                }
                if (es != null) {
                    out.add(new Result(s.labels, es));
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        out.sort((a, b) -> a.seriesLabels().compareTo(b.seriesLabels()));
        return out;
    }

    private static boolean matchesAny(Labels l, List<Matcher[]> sets) {
        outer:
        for (Matcher[] set : sets) {
            for (Matcher m : set) {
                if (!m.matches(l.get(m.name()))) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Counters and gauges for {@code prometheus_tsdb_exemplar_*}, read at once. */
    public record Stats(long appended, long outOfOrder, long inStorage, long seriesInStorage, double lastTimestampSeconds,
            long maxExemplars) {}

    public Stats stats() {
        lock.readLock().lock();
        try {
            int len = ts.length;
            long inStorage;
            double last = 0;
            if (len > 0 && owner[nextIndex] != null) { // full: the next slot to overwrite is the oldest
                inStorage = len;
                last = ts[nextIndex] / 1000.0;
            } else {
                inStorage = nextIndex;
                if (len > 0 && owner[0] != null) {
                    last = ts[0] / 1000.0;
                }
            }
            return new Stats(appended, outOfOrder, inStorage, index.size(), last, len);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public String toString() {
        Stats st = stats();
        return "CircularExemplarStorage[size=" + st.maxExemplars() + ", stored=" + st.inStorage() + ", series="
                + st.seriesInStorage() + "]";
    }
}
