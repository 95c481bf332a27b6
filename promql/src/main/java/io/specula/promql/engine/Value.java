package io.specula.promql.engine;

import io.specula.promql.parser.ValueKind;

/** The result of a query: a {@link Scalar}, {@link StringValue}, {@link Vector} or {@link Matrix}. */
public sealed interface Value permits Scalar, StringValue, Vector, Matrix {
    ValueKind kind();
}
