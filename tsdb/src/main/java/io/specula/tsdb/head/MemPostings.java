package io.specula.tsdb.head;

import io.specula.model.labels.Labels;
import io.specula.tsdb.index.Utf8Order;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
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

    /** A copy of the series having label {@code name} set to {@code value}; ("", "") gives every series. */
    RoaringBitmap postings(String name, String value) {
        lock.readLock().lock();
        try {
            if (name.isEmpty() && value.isEmpty()) {
                return all.clone();
            }
            RoaringBitmap b = index.getOrDefault(name, Map.of()).get(value);
            return b == null ? new RoaringBitmap() : b.clone();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The union of the series whose value of {@code name} starts with {@code prefix} and satisfies {@code match}. */
    RoaringBitmap postingsMatching(String name, String prefix, Predicate<String> match) {
        lock.readLock().lock();
        try {
            Map<String, RoaringBitmap> values = index.getOrDefault(name, Map.of());
            List<RoaringBitmap> parts = new ArrayList<>();
            for (Map.Entry<String, RoaringBitmap> e : values.entrySet()) {
                if (e.getKey().startsWith(prefix) && match.test(e.getKey())) {
                    parts.add(e.getValue());
                }
            }
            return RoaringBitmap.or(parts.iterator());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every label name and value, sorted in UTF-8 order. */
    List<String> symbols() {
        lock.readLock().lock();
        try {
            TreeSet<String> out = new TreeSet<>(Utf8Order.STRINGS);
            for (Map.Entry<String, Map<String, RoaringBitmap>> e : index.entrySet()) {
                out.add(e.getKey());
                out.addAll(e.getValue().keySet());
            }
            return new ArrayList<>(out);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Values of label {@code name} in UTF-8 order. */
    List<String> values(String name) {
        lock.readLock().lock();
        try {
            Map<String, RoaringBitmap> values = index.get(name);
            if (values == null) {
                return List.of();
            }
            List<String> out = new ArrayList<>(values.keySet());
            out.sort(Utf8Order.STRINGS);
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Label names in UTF-8 order. */
    List<String> names() {
        lock.readLock().lock();
        try {
            List<String> out = new ArrayList<>(index.keySet());
            out.sort(Utf8Order.STRINGS);
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }
}
