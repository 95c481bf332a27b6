package io.specula.promql.engine;

import io.specula.model.labels.Labels;
import io.specula.promql.parser.ValueKind;
import java.util.List;

/** A range vector or range-query result: series sorted by labels, each with its points. */
public record Matrix(List<Series> series) implements Value {
    public Matrix {
        series = List.copyOf(series);
    }

    @Override
    public ValueKind kind() {
        return ValueKind.MATRIX;
    }

    /**
     * One series of a matrix; {@code ts[i]}/{@code vs[i]} for {@code i < ts.length} are its
     * points in time order, {@code hs[i]} (when {@code hs} is not null) a histogram point. The
     * arrays are owned by the series and must not be modified.
     */
    public record Series(Labels labels, long[] ts, double[] vs, io.specula.model.histogram.FloatHistogram[] hs) {
        public Series(Labels labels, long[] ts, double[] vs) {
            this(labels, ts, vs, null);
        }

        public int size() {
            return ts.length;
        }

        /** The histogram at point i (then {@code vs[i]} is meaningless), or null for a float point. */
        public io.specula.model.histogram.FloatHistogram histogram(int i) {
            return hs == null ? null : hs[i];
        }
    }
}
