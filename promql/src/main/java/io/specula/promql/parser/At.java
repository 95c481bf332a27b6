package io.specula.promql.parser;

/**
 * The {@code @} modifier of a selector or subquery.
 *
 * @param timestamp the fixed evaluation time in ms, for {@link Kind#TIMESTAMP}; resolved to the
 *     query's start or end for START/END by the engine before evaluation
 */
public record At(Kind kind, long timestamp) {
    public enum Kind { NONE, TIMESTAMP, START, END }

    public static final At NONE = new At(Kind.NONE, 0);

    public static At timestamp(long ms) {
        return new At(Kind.TIMESTAMP, ms);
    }

    public boolean isSet() {
        return kind != Kind.NONE;
    }
}
