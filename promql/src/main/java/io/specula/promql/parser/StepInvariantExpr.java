package io.specula.promql.parser;

/**
 * Marks a subtree whose value is the same at every step of a range query (an {@code @}-pinned
 * selector, a literal), so the engine evaluates it once. Inserted by the engine's preparation
 * pass, never by the parser; the printer prints only the inner expression.
 */
public record StepInvariantExpr(Expr expr) implements Expr {
    @Override
    public ValueKind type() {
        return expr.type();
    }

    @Override
    public PositionRange position() {
        return expr.position();
    }
}
