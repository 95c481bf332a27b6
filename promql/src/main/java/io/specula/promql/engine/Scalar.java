package io.specula.promql.engine;

import io.specula.promql.parser.ValueKind;

/** A single number at time {@code t} (ms). */
public record Scalar(long t, double v) implements Value {
    @Override
    public ValueKind kind() {
        return ValueKind.SCALAR;
    }
}
