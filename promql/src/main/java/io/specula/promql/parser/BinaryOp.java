package io.specula.promql.parser;

/**
 * Binary operators with Prometheus's precedence (higher binds tighter); {@code ^} is the only
 * right-associative one.
 */
public enum BinaryOp {
    OR("or", 1), AND("and", 2), UNLESS("unless", 2),
    EQL("==", 3), NEQ("!=", 3), LTE("<=", 3), LSS("<", 3), GTE(">=", 3), GTR(">", 3),
    ADD("+", 4), SUB("-", 4),
    MUL("*", 5), DIV("/", 5), MOD("%", 5), ATAN2("atan2", 5),
    /** Native-histogram trim operators: {@code </} keeps observations below, {@code >/} above the bound. */
    TRIM_UPPER("</", 5), TRIM_LOWER(">/", 5),
    POW("^", 6);

    public final String symbol;
    public final int precedence;

    BinaryOp(String symbol, int precedence) {
        this.symbol = symbol;
        this.precedence = precedence;
    }

    public boolean isComparison() {
        return precedence == 3;
    }

    /** {@code and}, {@code or}, {@code unless}. */
    public boolean isSetOperator() {
        return this == AND || this == OR || this == UNLESS;
    }

    public boolean isRightAssociative() {
        return this == POW;
    }
}
