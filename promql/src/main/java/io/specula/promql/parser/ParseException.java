package io.specula.promql.parser;

/**
 * A query the parser rejects. {@link #getMessage()} reads as Prometheus's, e.g.
 * {@code 1:5: parse error: unexpected <op:+>}; {@link #detail()} is the part after
 * {@code parse error: }.
 */
public final class ParseException extends Exception {
    private final PositionRange position;
    private final String detail;

    public ParseException(String query, PositionRange position, String detail) {
        super(position.describe(query) + ": parse error: " + detail, null, false, false);
        this.position = position;
        this.detail = detail;
    }

    /** Where in the query the error was found. */
    public PositionRange position() {
        return position;
    }

    /** The message without the position prefix. */
    public String detail() {
        return detail;
    }
}
