package io.specula.promql.parser;

/**
 * {@code expr[range:step] offset d @ t}.
 *
 * @param step the resolution in ms; 0 when omitted ({@code [5m:]}), meaning the engine's default
 * @param rangeExpr, stepExpr, offsetExpr duration expressions still to evaluate, or null
 */
public record SubqueryExpr(Expr expr, long range, DurationExpr rangeExpr, long step, DurationExpr stepExpr,
        long offset, DurationExpr offsetExpr, At at, PositionRange position) implements Expr {
    @Override
    public ValueKind type() {
        return ValueKind.MATRIX;
    }
}
