package io.specula.promql.parser;

/** {@code -expr} or {@code +expr}. */
public record UnaryExpr(boolean negate, Expr expr, PositionRange position) implements Expr {
    @Override
    public ValueKind type() {
        return expr.type();
    }
}
