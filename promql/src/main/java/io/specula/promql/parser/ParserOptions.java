package io.specula.promql.parser;

/**
 * TEMPORARY STUB (promql-engine branch): stands in for the parser branch's class until
 * {@code promql-parser} is merged; on merge, take the parser branch's version.
 */
public final class ParserOptions {
    private static final ParserOptions ALL = new ParserOptions(), DEFAULTS = new ParserOptions();

    public static ParserOptions all() {
        return ALL;
    }

    public static ParserOptions defaults() {
        return DEFAULTS;
    }
}
