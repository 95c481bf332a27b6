package io.specula.promql.parser;

/**
 * {@code lhs op [bool] [on|ignoring(...)] [group_left|group_right(...)] [fill...] rhs}.
 *
 * @param matching how series pair up; null when either side is a scalar
 * @param returnBool the {@code bool} modifier of a comparison
 */
public record BinaryExpr(BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool,
        PositionRange position) implements Expr {
    @Override
    public ValueKind type() {
        return lhs.type() == ValueKind.SCALAR && rhs.type() == ValueKind.SCALAR
                ? ValueKind.SCALAR
                : ValueKind.VECTOR;
    }
}
