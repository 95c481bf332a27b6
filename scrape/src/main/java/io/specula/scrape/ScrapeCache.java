package io.specula.scrape;

import io.specula.model.labels.Labels;
import io.specula.tsdb.storage.SeriesHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Per-target memory of the series a scrape produced, keyed by the raw series text of the
 * exposition (metric name and label block as written). A hit gives the storage's series handle
 * and final labels without parsing labels, relabeling or hashing a label set, and the storage
 * then appends without looking the series up: the hot path of a target whose series do not
 * change between scrapes.
 *
 * <p>It also remembers which series were appended (without an explicit timestamp) in the last
 * scrape, so that the next one can append staleness markers for those that vanished.
 *
 * <p>Workload: the same few thousand series every scrape, in the same order, seldom a new one.
 * {@link #next} first tries the entry the previous attempt saw at the same position, which
 * spares hashing the line and probing the table; the table (open addressing with linear probing
 * over an array of entries) answers when the order changed. One {@link Entry} object per series
 * (never per sample); removals only in {@link #sweep}, which rebuilds the table. Not
 * thread-safe: owned by one scrape loop.
 */
final class ScrapeCache {
    /** One series of the target, and the storage's handle for it. Mutable; fields are updated in place on hits. */
    static final class Entry extends SeriesHandle {
        final byte[] key;
        final int hash;
        /** Final labels after target labels and metric relabeling; null when relabeling dropped it. */
        Labels labels;
        /** Scrape attempt that last saw the raw series (attempts are ints: 68 years of 1 s scrapes). */
        int lastSeen;
        /** Scrape attempt that last appended it without an explicit timestamp (staleness tracking); 0 = none. */
        int tracked;
        /** The value {@link #tracked} had before the current attempt overwrote it. */
        int trackedBefore;
        /** Position in the order of the attempt that last saw it. */
        int pos;
        /**
         * Raw line feeds inside {@link #key} when a text-format parser produced it, so that the
         * parser may compare the next line with the key instead of lexing it
         * ({@link io.specula.model.textparse.Parser#expect}); -1 for keys of other formats.
         */
        int lineFeeds = -1;

        Entry(byte[] key, int hash) {
            this.key = key;
            this.hash = hash;
        }

        boolean dropped() {
            return labels == null;
        }
    }

    private Entry[] table = new Entry[64];
    private int size;

    /** Entries in the order the current attempt saw them, and in the order the previous attempt did. */
    private Entry[] order = new Entry[64];
    private int orderLen;
    private Entry[] lastOrder = new Entry[64];
    private int lastOrderLen;
    /** Where in {@link #lastOrder} the next line of the current attempt is expected. */
    private int cursor;

    /** The current scrape attempt, starting at 1; 0 marks "never". */
    int iteration;
    /** The last attempt whose samples were committed, and how many entries it tracked. */
    private int committed;
    private int committedTracked;
    /** In this attempt: entries tracked, how many of them the committed attempt had tracked too, entries seen. */
    private int trackedNow;
    private int retracked;
    private int seenNow;

    int size() {
        return size;
    }

    /** Starts a scrape attempt. */
    void begin() {
        Entry[] o = lastOrder;
        Arrays.fill(o, 0, lastOrderLen, null); // entries swept out since may be collected
        lastOrder = order;
        lastOrderLen = orderLen;
        order = o;
        orderLen = 0;
        cursor = 0;
        iteration++;
        trackedNow = 0;
        retracked = 0;
        seenNow = 0;
    }

    /**
     * The entry the previous attempt saw at this line's position, if the line is that series
     * (marked seen), else null: then hash the line and ask {@link #get}.
     */
    Entry next(byte[] b, int off, int len) {
        if (cursor < lastOrderLen) {
            Entry e = lastOrder[cursor];
            if (e.key.length == len && Arrays.equals(e.key, 0, len, b, off, off + len)) {
                cursor++;
                seen(e);
                return e;
            }
        }
        return null;
    }

    /** The entry the previous attempt saw at the current position (what the next line probably is), or null. */
    Entry expected() {
        return cursor < lastOrderLen ? lastOrder[cursor] : null;
    }

    /** The line was {@link #expected()}'s series (the parser compared it): marks it seen and moves on. */
    Entry acceptExpected() {
        Entry e = lastOrder[cursor++];
        seen(e);
        return e;
    }

    /** The entry for {@code b[off, off+len)}, or null. Marks it seen in this attempt. */
    Entry get(byte[] b, int off, int len, int hash) {
        Entry[] t = table;
        int mask = t.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            Entry e = t[i];
            if (e == null) {
                return null;
            }
            if (e.hash == hash && Arrays.equals(e.key, 0, e.key.length, b, off, off + len)) {
                if (e.lastSeen == iteration - 1 && e.pos < lastOrderLen && lastOrder[e.pos] == e) {
                    cursor = e.pos + 1; // the order changed here: expect what followed this series last time
                }
                seen(e);
                return e;
            }
        }
    }

    private void seen(Entry e) {
        if (e.lastSeen != iteration) {
            e.lastSeen = iteration;
            seenNow++;
            if (orderLen == order.length) {
                order = Arrays.copyOf(order, orderLen * 2);
            }
            e.pos = orderLen;
            order[orderLen++] = e;
        }
    }

    /** Adds a new entry for a key {@link #get} did not find. */
    Entry add(byte[] b, int off, int len, int hash) {
        if ((size + 1) * 2 > table.length) {
            rehash(table.length * 2);
        }
        Entry e = new Entry(Arrays.copyOfRange(b, off, off + len), hash);
        seen(e);
        insert(table, e);
        size++;
        return e;
    }

    /** Records that {@code e} was appended without explicit timestamp in this attempt. */
    void track(Entry e) {
        if (e.tracked == iteration) {
            return;
        }
        if (e.tracked == committed && committed != 0) {
            retracked++;
        }
        e.trackedBefore = e.tracked;
        e.tracked = iteration;
        trackedNow++;
    }

    /** Whether {@link #sweep} has anything to do after a successful attempt. */
    boolean needsSweep() {
        return retracked < committedTracked || seenNow < size;
    }

    /** Receives the series that need a staleness marker. */
    interface StaleSink {
        void stale(Entry e);
    }

    /**
     * After a successful attempt (before {@link #committed()}): reports entries the last committed
     * attempt tracked and this one did not, and forgets entries this attempt did not see at all.
     */
    void sweep(StaleSink sink) {
        int kept = 0;
        Entry[] t = new Entry[table.length];
        List<Entry> gone = null;
        for (Entry e : table) {
            if (e == null) {
                continue;
            }
            if (e.tracked == committed && committed != 0) {
                e.tracked = 0;
                if (gone == null) {
                    gone = new ArrayList<>();
                }
                gone.add(e);
            }
            if (e.lastSeen == iteration) {
                insert(t, e);
                kept++;
            }
        }
        if (gone != null) {
            // Relabeling can map two raw series onto one stored series: it is gone only if no
            // raw series appended to it in this attempt.
            Set<Long> alive = new HashSet<>();
            for (Entry e : t) {
                if (e != null && e.tracked == iteration) {
                    alive.add(e.ref());
                }
            }
            for (Entry e : gone) {
                if (!alive.contains(e.ref())) {
                    sink.stale(e);
                }
            }
        }
        table = t;
        size = kept;
    }

    /** The current attempt's samples were committed: the next one compares against it. */
    void committed() {
        committed = iteration;
        committedTracked = trackedNow;
    }

    /**
     * After a failed attempt (its samples rolled back) or when the target goes away: reports every
     * entry the last committed attempt tracked, since their series end here.
     */
    void staleAll(StaleSink sink) {
        if (committed == 0) {
            return;
        }
        for (Entry e : table) {
            if (e != null && (e.tracked == committed || e.trackedBefore == committed && e.tracked == iteration)) {
                e.tracked = 0;
                e.trackedBefore = 0;
                sink.stale(e);
            }
        }
        committedTracked = 0;
    }

    /** Forgets every entry (used when the labels they hold no longer apply). */
    void clear() {
        table = new Entry[64];
        size = 0;
        trackedNow = 0;
        order = new Entry[64];
        orderLen = 0;
        lastOrder = new Entry[64];
        lastOrderLen = 0;
        cursor = 0;
    }

    private void rehash(int capacity) {
        Entry[] t = new Entry[capacity];
        for (Entry e : table) {
            if (e != null) {
                insert(t, e);
            }
        }
        table = t;
    }

    private static void insert(Entry[] t, Entry e) {
        int mask = t.length - 1;
        int i = e.hash & mask;
        while (t[i] != null) {
            i = (i + 1) & mask;
        }
        t[i] = e;
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * A well-mixed hash of raw series bytes, eight bytes per step: series texts are tens of bytes
     * long and hashed once per sample, so a byte-at-a-time hash would cost as much as parsing.
     */
    static int hash(byte[] b, int off, int len) {
        long h = 0x9E3779B97F4A7C15L ^ len;
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            h = (h ^ (long) LONGS.get(b, i)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        long tail = 0;
        for (int shift = 0; i < end; i++, shift += 8) {
            tail |= (b[i] & 0xFFL) << shift;
        }
        h = (h ^ tail) * 0x94D049BB133111EBL;
        h ^= h >>> 29;
        return (int) (h ^ (h >>> 32));
    }
}
