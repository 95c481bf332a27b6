package io.specula.promql.engine;

import io.specula.promql.parser.ValueKind;
import java.util.List;

/** The value of one expression over a {@link Grid}: exactly one of the fields, per {@link #kind}. */
final class Evaluated {
    final ValueKind kind;
    final List<StepSeries> series;
    final double[] scalar;
    final String string;
    final RangeInput matrix;

    private Evaluated(ValueKind kind, List<StepSeries> series, double[] scalar, String string, RangeInput matrix) {
        this.kind = kind;
        this.series = series;
        this.scalar = scalar;
        this.string = string;
        this.matrix = matrix;
    }

    static Evaluated vector(List<StepSeries> series) {
        return new Evaluated(ValueKind.VECTOR, series, null, null, null);
    }

    static Evaluated scalar(double[] values) {
        return new Evaluated(ValueKind.SCALAR, null, values, null, null);
    }

    static Evaluated string(String s) {
        return new Evaluated(ValueKind.STRING, null, null, s, null);
    }

    static Evaluated matrix(RangeInput m) {
        return new Evaluated(ValueKind.MATRIX, null, null, null, m);
    }
}
