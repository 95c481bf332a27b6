package io.specula.promql.parser;

/** A string literal, unescaped. */
public record StringLiteral(String value, PositionRange position) implements Expr {
    @Override
    public ValueKind type() {
        return ValueKind.STRING;
    }
}
