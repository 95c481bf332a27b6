package io.specula.promql.parser;

import io.specula.model.labels.Labels;

/**
 * TEMPORARY STUB (promql-engine branch): stands in for the parser branch's class until
 * {@code promql-parser} is merged; on merge, take the parser branch's version.
 */
public final class PromQLParser {
    private PromQLParser() {}

    public static Expr parse(String query, ParserOptions options) throws ParseException {
        throw new ParseException("parser not available yet", PositionRange.NONE);
    }

    public static Labels parseMetric(String text) throws ParseException {
        throw new ParseException("parser not available yet", PositionRange.NONE);
    }
}
