package io.specula.tsdb.storage;

import io.specula.model.labels.Labels;

/** One series of a query result: its labels and a way to iterate its samples. */
public interface Series {
    Labels labels();

    /**
     * An iterator over the samples; {@code reuse} (may be null) is an iterator from an earlier
     * call that the implementation may reset and return instead of allocating.
     */
    SampleIterator iterator(SampleIterator reuse);
}
