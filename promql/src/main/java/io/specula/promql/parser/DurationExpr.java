package io.specula.promql.parser;

/**
 * Arithmetic over durations in a range, offset or step position (the experimental duration
 * expressions): {@code [5m+1m]}, {@code offset -(2*step())}, {@code [min_of(step(), 1h)]}.
 * Leaves are {@link NumberLiteral}s (seconds); {@code step()} and {@code range()} depend on the
 * query and are resolved by the engine before evaluation.
 *
 * <p>Since Prometheus 3.14 these also stand alone as scalar expressions: {@code step()},
 * {@code range()}, {@code start()}, {@code end()} (the query's start/end time in seconds),
 * {@code min_of(a, b)}, {@code max_of(a, b)}; arithmetic around them is then an ordinary
 * {@link BinaryExpr}.
 *
 * @param op the operator; for {@link Op#STEP}/{@link Op#RANGE} both operands are null; for a
 *     unary minus {@code lhs} is null
 * @param wrapped whether it was written in parentheses (for the printer)
 */
public record DurationExpr(Op op, Expr lhs, Expr rhs, boolean wrapped, PositionRange position) implements Expr {
    public enum Op { ADD, SUB, MUL, DIV, MOD, POW, STEP, RANGE, MIN_OF, MAX_OF, START, END }

    @Override
    public ValueKind type() {
        return ValueKind.SCALAR;
    }
}
