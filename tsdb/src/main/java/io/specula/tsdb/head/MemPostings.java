package io.specula.tsdb.head;

import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.roaringbitmap.RoaringBitmap;

/**
 * The head's inverted index: for every label name and value, the set of series references
 * (as compressed bitmaps) carrying it, plus the set of all series. Series references must
 * fit in an int; the head hands them out from 1 upwards.
 *
 * <p>One read-write lock: adds happen once per new series, reads once per query, so the lock
 * is rarely contended; bitmaps handed out are copies or results of fresh set operations.
 */
final class MemPostings {
    private final Map<String, Map<String, RoaringBitmap>> index = new HashMap<>();
    private final RoaringBitmap all = new RoaringBitmap();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    void add(int ref, Labels labels) {
        lock.writeLock().lock();
        try {
            all.add(ref);
            for (int i = 0; i < labels.size(); i++) {
                index.computeIfAbsent(labels.name(i), k -> new HashMap<>())
                        .computeIfAbsent(labels.value(i), k -> new RoaringBitmap())
                        .add(ref);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    void delete(int ref, Labels labels) {
        lock.writeLock().lock();
        try {
            all.remove(ref);
            for (int i = 0; i < labels.size(); i++) {
                Map<String, RoaringBitmap> values = index.get(labels.name(i));
                if (values == null) {
                    continue;
                }
                RoaringBitmap b = values.get(labels.value(i));
                if (b != null) {
                    b.remove(ref);
                    if (b.isEmpty()) {
                        values.remove(labels.value(i));
                        if (values.isEmpty()) {
                            index.remove(labels.name(i));
                        }
                    }
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The series matching every matcher, with Prometheus's rule that a matcher which accepts
     * {@code ""} also selects series without the label. Matchers that can use exact values
     * ({@code =}, alternations of literals) look them up; others scan the label's values.
     */
    RoaringBitmap select(Matcher... matchers) {
        lock.readLock().lock();
        try {
            RoaringBitmap result = null;
            // Narrow with the non-empty-matching matchers first: they only ever shrink the set.
            for (int pass = 0; pass < 2; pass++) {
                for (Matcher m : matchers) {
                    boolean matchesEmpty = m.matchesEmpty();
                    if ((pass == 0) == matchesEmpty) {
                        continue;
                    }
                    RoaringBitmap s = matchesEmpty ? withEmpty(m) : nonEmpty(m);
                    result = result == null ? s : RoaringBitmap.and(result, s);
                    if (result.isEmpty()) {
                        return result;
                    }
                }
            }
            return result == null ? all.clone() : result;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Series with label {@code m.name()} set to a value {@code m} accepts (never ""). */
    private RoaringBitmap nonEmpty(Matcher m) {
        Map<String, RoaringBitmap> values = index.getOrDefault(m.name(), Map.of());
        List<String> exact = m.setMatches();
        List<RoaringBitmap> parts = new ArrayList<>();
        if (exact != null) {
            for (String v : exact) {
                RoaringBitmap b = values.get(v);
                if (b != null) {
                    parts.add(b);
                }
            }
        } else {
            for (Map.Entry<String, RoaringBitmap> e : values.entrySet()) {
                if (m.matches(e.getKey())) {
                    parts.add(e.getValue());
                }
            }
        }
        return RoaringBitmap.or(parts.iterator());
    }

    /** For a matcher accepting "": all series except those whose value for the label it rejects. */
    private RoaringBitmap withEmpty(Matcher m) {
        Map<String, RoaringBitmap> values = index.getOrDefault(m.name(), Map.of());
        List<RoaringBitmap> rejected = new ArrayList<>();
        for (Map.Entry<String, RoaringBitmap> e : values.entrySet()) {
            if (!m.matches(e.getKey())) {
                rejected.add(e.getValue());
            }
        }
        return RoaringBitmap.andNot(all, RoaringBitmap.or(rejected.iterator()));
    }

    /** Sorted values of label {@code name}. */
    List<String> values(String name) {
        lock.readLock().lock();
        try {
            Map<String, RoaringBitmap> values = index.get(name);
            if (values == null) {
                return List.of();
            }
            List<String> out = new ArrayList<>(values.keySet());
            Collections.sort(out);
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Sorted label names. */
    List<String> names() {
        lock.readLock().lock();
        try {
            return new ArrayList<>(new TreeSet<>(index.keySet()));
        } finally {
            lock.readLock().unlock();
        }
    }
}
