package io.specula.promql.engine;

import io.specula.promql.parser.ValueKind;

/** A string literal's value at time {@code t} (ms). */
public record StringValue(long t, String v) implements Value {
    @Override
    public ValueKind kind() {
        return ValueKind.STRING;
    }
}
