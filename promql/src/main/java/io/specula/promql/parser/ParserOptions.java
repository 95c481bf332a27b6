package io.specula.promql.parser;

/**
 * The experimental language features of Prometheus's parser, each behind its own flag as
 * Prometheus puts them behind {@code --enable-feature} flags.
 *
 * @param experimentalFunctions functions and aggregations marked experimental ({@code promql-experimental-functions})
 * @param durationExpressions arithmetic in ranges, offsets and steps, {@code step()}, {@code range()},
 *     {@code min_of}/{@code max_of} ({@code promql-duration-expr})
 * @param extendedRangeSelectors the {@code anchored} and {@code smoothed} modifiers
 * @param binopFillModifiers {@code fill}, {@code fill_left} and {@code fill_right} on binary operators
 */
public record ParserOptions(boolean experimentalFunctions, boolean durationExpressions,
        boolean extendedRangeSelectors, boolean binopFillModifiers) {
    private static final ParserOptions DEFAULTS = new ParserOptions(false, false, false, false);
    private static final ParserOptions ALL = new ParserOptions(true, true, true, true);

    /** Prometheus 3 without feature flags. */
    public static ParserOptions defaults() {
        return DEFAULTS;
    }

    /** Every experimental feature on, as Prometheus's own test scripts assume. */
    public static ParserOptions all() {
        return ALL;
    }
}
