package io.specula.promql.parser;

/**
 * A number: {@code 1}, {@code 0x1f}, {@code 1e3}, {@code Inf}, {@code NaN}, or a duration
 * literal such as {@code 5m} used where a number is expected (its value in seconds).
 *
 * @param duration whether it was written as a duration ({@code 5m}); the printer keeps that form
 */
public record NumberLiteral(double value, boolean duration, PositionRange position) implements Expr {
    public NumberLiteral(double value, PositionRange position) {
        this(value, false, position);
    }

    @Override
    public ValueKind type() {
        return ValueKind.SCALAR;
    }
}
