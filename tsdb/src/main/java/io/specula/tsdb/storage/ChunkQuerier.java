package io.specula.tsdb.storage;

import io.specula.model.labels.Matcher;

/**
 * Selects series as their encoded chunks, without decoding a sample: what compaction and
 * streamed remote read need. The chunk-level counterpart of {@link Querier}, with the same
 * matcher semantics and lifetime (one thread at a time; close it to release what it pins).
 */
public interface ChunkQuerier extends LabelQuerier {
    /**
     * The series matching all {@code matchers}, each with its chunks holding the samples in
     * [mint, maxt] of the querier or of {@code hints}: chunks that lie wholly in range and
     * need no change are the stored ones, byte for byte; the others (cut by the range or by
     * deletions, overlapping, or still being appended) are re-encoded from their samples.
     */
    ChunkSeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers);
}
