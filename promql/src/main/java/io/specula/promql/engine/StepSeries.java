package io.specula.promql.engine;

import io.specula.model.histogram.FloatHistogram;

import io.specula.model.labels.Labels;

/**
 * One series of an instant-vector expression evaluated over all steps at once: its labels,
 * computed once, and a value per step with a presence bit (NaN is a valid value, so absence
 * is tracked apart).
 */
final class StepSeries {
    Labels labels;
    final double[] v;
    final long[] present;
    /** Delayed name removal: {@code __name__} must be dropped when the query finishes. */
    boolean dropName;
    /**
     * Native histogram values per step, null when the series has none. A histogram step is
     * not {@linkplain #has present} as a float, so code that knows only floats sees no value
     * there (until every operator handles histograms, they pass only through the
     * histogram-aware ones: selectors, histogram_* functions and the result).
     */
    FloatHistogram[] h;
    /** The query whose memory budget this series' arrays are taken from. */
    final QueryContext ctx;

    /**
     * A series of {@code steps} empty steps. Its arrays are reserved in the query's budget
     * ({@link QueryContext#reserve}) before they are allocated, so a query that would exceed
     * {@code --query.max-samples} fails before the memory is taken.
     */
    StepSeries(QueryContext ctx, Labels labels, int steps) {
        ctx.reserve(steps);
        this.ctx = ctx;
        this.labels = labels;
        this.v = new double[steps];
        this.present = new long[(steps + 63) >>> 6];
    }

    boolean has(int i) {
        return (present[i >>> 6] & (1L << i)) != 0;
    }

    void set(int i, double value) {
        v[i] = value;
        present[i >>> 6] |= 1L << i;
    }

    void clear(int i) {
        present[i >>> 6] &= ~(1L << i);
    }

    int steps() {
        return v.length;
    }

    boolean isEmpty() {
        for (long w : present) {
            if (w != 0) {
                return false;
            }
        }
        return true;
    }

    int count() {
        int n = 0;
        for (long w : present) {
            n += Long.bitCount(w);
        }
        return n;
    }

    StepSeries copyWithLabels(Labels l) {
        StepSeries s = new StepSeries(ctx, l, v.length);
        System.arraycopy(v, 0, s.v, 0, v.length);
        System.arraycopy(present, 0, s.present, 0, present.length);
        s.dropName = dropName;
        s.h = h == null ? null : h.clone();
        return s;
    }

    void setHistogram(int i, FloatHistogram fh) {
        if (h == null) {
            ctx.reserve(v.length / 2); // references: about half a double each
            h = new FloatHistogram[v.length];
        }
        h[i] = fh;
    }

    FloatHistogram histogram(int i) {
        return h == null ? null : h[i];
    }

    /** Whether any step holds a float or a histogram. */
    boolean hasAnyValue() {
        if (!isEmpty()) {
            return true;
        }
        if (h != null) {
            for (FloatHistogram x : h) {
                if (x != null) {
                    return true;
                }
            }
        }
        return false;
    }
}
