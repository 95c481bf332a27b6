package io.specula.promql.parser;

/** {@code (expr)}, kept so the printer round-trips. */
public record ParenExpr(Expr expr, PositionRange position) implements Expr {
    @Override
    public ValueKind type() {
        return expr.type();
    }
}
