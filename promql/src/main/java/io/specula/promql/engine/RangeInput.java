package io.specula.promql.engine;

import io.specula.model.labels.Labels;
import java.util.List;

/**
 * A range-vector expression ({@code sel[5m]} or a subquery) materialized once for all steps:
 * every series' samples over the whole span the steps need, in time order, without staleness
 * markers. The window of step {@code i} is {@code (windowEnd(i) - range, windowEnd(i)]};
 * range functions slide it over the arrays with two indices, so each sample is read once.
 */
final class RangeInput {
    /** One series' samples; arrays may be longer than {@code n}. */
    record Raw(Labels labels, long[] ts, double[] vs, int n, boolean dropName) {}

    final List<Raw> series;
    final Grid grid;
    final long range, offset;
    final boolean atFixed;
    final long atTime;
    final boolean anchored, smoothed;
    /** Whether the samples came from a subquery (affects nothing but explain output today). */
    final boolean subquery;

    RangeInput(List<Raw> series, Grid grid, long range, long offset, boolean atFixed, long atTime, boolean anchored,
            boolean smoothed, boolean subquery) {
        this.series = series;
        this.grid = grid;
        this.range = range;
        this.offset = offset;
        this.atFixed = atFixed;
        this.atTime = atTime;
        this.anchored = anchored;
        this.smoothed = smoothed;
        this.subquery = subquery;
    }

    long windowEnd(int step) {
        return (atFixed ? atTime : grid.time(step)) - offset;
    }
}
