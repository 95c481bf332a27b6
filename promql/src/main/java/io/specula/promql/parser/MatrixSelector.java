package io.specula.promql.parser;

/**
 * {@code selector[range]}; offset, {@code @} and the anchored/smoothed modifiers live on the
 * inner {@link VectorSelector} as in Prometheus.
 *
 * @param range the range in ms
 * @param rangeExpr the range as a duration expression still to evaluate, or null
 */
public record MatrixSelector(VectorSelector selector, long range, DurationExpr rangeExpr, PositionRange position)
        implements Expr {
    @Override
    public ValueKind type() {
        return ValueKind.MATRIX;
    }
}
