package io.specula.tsdb.storage;

import io.specula.model.labels.Labels;

/** One series of a chunk selection: its labels and its chunks in time order, none overlapping. */
public interface ChunkSeries {
    Labels labels();

    /** An iterator over the chunks; {@code reuse} (may be null) may be reset and returned. */
    ChunkIterator iterator(ChunkIterator reuse);
}
