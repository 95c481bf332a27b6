package io.specula.promql.parser;

/**
 * TEMPORARY STUB (promql-engine branch): stands in for the parser branch's class until
 * {@code promql-parser} is merged; on merge, take the parser branch's version.
 */
public class ParseException extends Exception {
    private final PositionRange position;

    public ParseException(String message, PositionRange position) {
        super(message);
        this.position = position;
    }

    public PositionRange position() {
        return position;
    }
}
