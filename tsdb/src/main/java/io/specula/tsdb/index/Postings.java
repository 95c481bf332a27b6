package io.specula.tsdb.index;

import java.io.IOException;
import java.util.List;

/**
 * A sorted, duplicate-free list of series references, iterated lazily with primitives.
 *
 * <p>Before the first {@link #next()} or {@link #seek(long)} the iterator is unpositioned;
 * {@link #at()} is valid only after one of them returned true. Both return false when the
 * list is exhausted or failed; {@link #err()} then tells which. An iterator never moves
 * backwards. Not thread-safe: one consumer per iterator.
 *
 * <p>The static factories combine postings lazily (each element is produced on demand):
 * {@link #intersect}, {@link #merge} (union) and {@link #without} (subtraction).
 */
public interface Postings {
    /** Advances to the next reference. */
    boolean next();

    /**
     * Advances to the first reference {@code >= v}; returns true if there is one. Stays put
     * when already positioned on such a reference.
     */
    boolean seek(long v);

    /** The current reference. */
    long at();

    /** The error that ended iteration early, or null. */
    IOException err();

    /** No references. */
    Postings EMPTY = new ListPostings(new long[0], 0, 0);

    /** Postings over a sorted, duplicate-free array (not copied). */
    static Postings of(long... sortedRefs) {
        return new ListPostings(sortedRefs, 0, sortedRefs.length);
    }

    /** Postings that fail at once with {@code err}. */
    static Postings failed(IOException err) {
        return new ErrPostings(err);
    }

    /** References present in every one of {@code its}; empty for no inputs. */
    static Postings intersect(List<? extends Postings> its) {
        if (its.isEmpty()) {
            return EMPTY;
        }
        if (its.size() == 1) {
            return its.get(0);
        }
        for (Postings p : its) {
            if (p == EMPTY) {
                return EMPTY;
            }
        }
        return new IntersectPostings(its.toArray(new Postings[0]));
    }

    static Postings intersect(Postings... its) {
        return intersect(List.of(its));
    }

    /** References present in any of {@code its}, each once. */
    static Postings merge(List<? extends Postings> its) {
        Postings[] nonEmpty = its.stream().filter(p -> p != EMPTY).toArray(Postings[]::new);
        return switch (nonEmpty.length) {
            case 0 -> EMPTY;
            case 1 -> nonEmpty[0];
            default -> new MergedPostings(nonEmpty);
        };
    }

    static Postings merge(Postings... its) {
        return merge(List.of(its));
    }

    /** References of {@code full} that are not in {@code drop}. */
    static Postings without(Postings full, Postings drop) {
        if (full == EMPTY || drop == EMPTY) {
            return full;
        }
        return new WithoutPostings(full, drop);
    }

    /** Drains {@code p} into an array (for tests and small lists). */
    static long[] toArray(Postings p) throws IOException {
        long[] out = new long[16];
        int n = 0;
        while (p.next()) {
            if (n == out.length) {
                out = java.util.Arrays.copyOf(out, n * 2);
            }
            out[n++] = p.at();
        }
        if (p.err() != null) {
            throw p.err();
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
