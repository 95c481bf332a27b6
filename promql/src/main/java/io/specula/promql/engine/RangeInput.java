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
    record Raw(Labels labels, long[] ts, double[] vs, long[] sts, int n, boolean dropName,
            io.specula.model.histogram.FloatHistogram[] hs) {
        Raw(Labels labels, long[] ts, double[] vs, long[] sts, int n, boolean dropName) {
            this(labels, ts, vs, sts, n, dropName, null);
        }

        /** The histogram at position i (then {@code vs[i]} is meaningless), or null. */
        io.specula.model.histogram.FloatHistogram histogram(int i) {
            return hs == null ? null : hs[i];
        }

        /** This series without its histogram samples: what functions that know only floats see. */
        Raw floats() {
            if (hs == null) {
                return this;
            }
            long[] t = new long[n];
            double[] v = new double[n];
            long[] st = sts == null ? null : new long[n];
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (hs[i] == null) {
                    t[k] = ts[i];
                    v[k] = vs[i];
                    if (st != null) {
                        st[k] = sts[i];
                    }
                    k++;
                }
            }
            return new Raw(labels, t, v, st, k, dropName, null);
        }
    }

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
    /**
     * The dense slots the materialized series hold (a subquery's arrays, 2 per point), counted
     * in the query's budget; 0 for a range selector, which streams from storage.
     */
    long heldSlots;

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
