package io.specula.promql.engine;

import io.specula.model.labels.Labels;
import java.util.List;

/**
 * A range-vector expression ({@code sel[5m]} or a subquery) prepared once for all steps:
 * every series' samples over the whole span the steps need, in time order, without staleness
 * markers, streamed series by series. The window of step {@code i} is {@code (windowEnd(i) - range, windowEnd(i)]};
 * range functions slide it over the arrays with two indices, so each sample is read once.
 */
final class RangeInput {
    /**
     * One series' samples; arrays may be longer than {@code n} and may be reused after the
     * callback. {@code sts} holds start timestamps (0 = unknown), null when the series has none
     * or comes from a subquery (subqueries do not carry them, as in Prometheus).
     */
    record Raw(Labels labels, long[] ts, double[] vs, long[] sts, int n, boolean dropName) {}

    /** Hands out the series one at a time; a range selector streams them from storage. */
    interface Source {
        void forEach(java.util.function.Consumer<Raw> consumer);
    }

    final Source source;
    final Grid grid;
    final long range, offset;
    final boolean atFixed;
    final long atTime;
    final boolean anchored, smoothed;
    /** Whether the samples came from a subquery (affects nothing but explain output today). */
    final boolean subquery;

    RangeInput(Source source, Grid grid, long range, long offset, boolean atFixed, long atTime, boolean anchored,
            boolean smoothed, boolean subquery) {
        this.source = source;
        this.grid = grid;
        this.range = range;
        this.offset = offset;
        this.atFixed = atFixed;
        this.atTime = atTime;
        this.anchored = anchored;
        this.smoothed = smoothed;
        this.subquery = subquery;
    }

    static Source of(List<Raw> series) {
        return series::forEach;
    }

    long windowEnd(int step) {
        return (atFixed ? atTime : grid.time(step)) - offset;
    }
}
