package io.specula.tsdb.storage;

import io.specula.model.labels.Matcher;

/**
 * Selects series over the time range the querier was created for. Safe to use from one
 * thread at a time; create one per query.
 */
public interface Querier extends LabelQuerier {
    /**
     * The series matching all {@code matchers} (a series without a label matches as if its
     * value were {@code ""}), with samples in [mint, maxt] of the querier or of {@code hints}.
     *
     * @param sorted whether the caller needs series in {@link io.specula.model.labels.Labels} order
     * @param hints optional (may be null) narrowing of the range and the step, for pushdown
     */
    SeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers);
}
