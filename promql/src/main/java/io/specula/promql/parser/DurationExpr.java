package io.specula.promql.parser;

/**
 * Arithmetic over durations in a range, offset or step position (the experimental duration
 * expressions): {@code [5m+1m]}, {@code offset -(2*step())}, {@code [min_of(step(), 1h)]}.
 * Leaves are {@link NumberLiteral}s (seconds); {@code step()} and {@code range()} depend on the
 * query and are resolved by the engine before evaluation.
 *
 * @param op the operator; for {@link Op#STEP}/{@link Op#RANGE} both operands are null; for a
 *     unary minus {@code lhs} is null
 * @param wrapped whether it was written in parentheses (for the printer)
 */
public record DurationExpr(Op op, Expr lhs, Expr rhs, boolean wrapped, PositionRange position) implements Expr {
    public enum Op { ADD, SUB, MUL, DIV, MOD, POW, STEP, RANGE, MIN_OF, MAX_OF }

    @Override
    public ValueKind type() {
        return ValueKind.SCALAR;
    }
}
