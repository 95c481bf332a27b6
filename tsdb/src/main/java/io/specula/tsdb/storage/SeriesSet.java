package io.specula.tsdb.storage;

import java.util.List;

/**
 * A cursor over the series of a selection. {@link #at()} is valid until the next
 * {@link #next()}. A failed selection ends early with {@link #err()} set.
 */
public interface SeriesSet {
    boolean next();

    Series at();

    /** The error that ended the set early, or null. */
    Exception err();

    /** Non-fatal warnings collected while selecting (e.g. a partial result). */
    default List<String> warnings() {
        return List.of();
    }

    SeriesSet EMPTY = new SeriesSet() {
        @Override
        public boolean next() {
            return false;
        }

        @Override
        public Series at() {
            throw new IllegalStateException("empty series set");
        }

        @Override
        public Exception err() {
            return null;
        }
    };
}
