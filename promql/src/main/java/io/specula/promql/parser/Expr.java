package io.specula.promql.parser;

/**
 * A node of a parsed PromQL expression. Nodes are immutable records; passes that rewrite the
 * tree (duration evaluation, step-invariance wrapping) build a new tree.
 *
 * <p>{@link #type()} is the static type the parser checked; {@link #position()} is where the
 * node sits in the query text, for error messages and annotations.
 */
public sealed interface Expr
        permits NumberLiteral, StringLiteral, VectorSelector, MatrixSelector, SubqueryExpr, AggregateExpr,
                BinaryExpr, UnaryExpr, ParenExpr, Call, DurationExpr, StepInvariantExpr {
    ValueKind type();

    PositionRange position();
}
