package io.specula.model.textparse;

import io.specula.model.labels.LabelsBuilder;
import io.specula.model.labels.SymbolTable;

/**
 * A pull parser over one exposition body (a scrape response, a file).
 *
 * <p>{@link #next()} advances to the next entry. What the accessors return depends on the
 * entry and is valid only until the following {@code next()}: the parser reuses its buffers
 * and hands out primitives, so parsing a sample allocates nothing unless the caller asks for
 * {@link #labels(LabelsBuilder) decoded labels} (the scrape cache avoids that by keying on
 * the raw {@link #seriesBytes series bytes}).
 *
 * <p>Not thread-safe. The input array must not change while it is being parsed.
 *
 * <p>Every rejection of the input is a {@link ParseException}; no input makes {@code next()}
 * throw anything else, loop forever or hold memory beyond a small multiple of the input.
 * Calling an accessor that does not belong to the current entry is a programming error: the
 * result is unspecified ({@link #labels} throws {@link IllegalStateException}).
 *
 * <p>Implementations: {@link PromTextParser}, {@link OpenMetricsParser}; {@link Parsers}
 * picks one from a Content-Type.
 */
public interface Parser {

    /**
     * Advances to the next entry.
     *
     * @return the entry, or null at the end of the input
     * @throws ParseException on malformed input, naming line and column; every later call
     *     throws the same exception
     */
    Entry next() throws ParseException;

    // ---- SERIES ----

    /**
     * The array holding the raw series text: the metric name and label set exactly as written
     * (without leading blanks, value or timestamp), the key of the scrape cache. It is the input
     * array, or a copy of it; valid for the parser's lifetime, but only the current entry's
     * range is meaningful.
     */
    byte[] seriesBytes();

    int seriesOffset();

    int seriesLength();

    /**
     * Offers the series text the caller expects on the next sample line: bytes this parser
     * reported ({@link #seriesBytes} range) for a line of an earlier input, with
     * {@code lineFeeds} raw line feeds inside. A parser may then compare the line with them
     * instead of lexing its labels (the scrape cache's order prediction: most lines are the
     * series the previous scrape had at that position). Applies to the next SERIES entry only;
     * the default ignores it.
     */
    default void expect(byte[] series, int lineFeeds) {
    }

    /** Whether the current SERIES entry's series text is exactly the one last offered to {@link #expect}. */
    default boolean matchedExpected() {
        return false;
    }

    /**
     * Fills {@code into} (after resetting it) with {@code __name__} and the sample's labels,
     * unescaped, in the order written. The only place where labels become Strings.
     */
    default void labels(LabelsBuilder into) {
        labels(into, null);
    }

    /**
     * As {@link #labels(LabelsBuilder)}, taking names and values from {@code symbols} (when not
     * null) so that the series of one target share their label strings; a hit allocates nothing.
     */
    void labels(LabelsBuilder into, SymbolTable symbols);

    double value();

    boolean hasTimestamp();

    /** Milliseconds since the epoch; meaningful only when {@link #hasTimestamp()}. */
    long timestamp();

    /** Fills {@code into} with the sample's exemplar and returns true, or returns false if it has none. */
    boolean exemplar(Exemplar into);

    /** OpenMetrics: whether the sample's family gave a {@code _created} time for this series. */
    boolean hasCreatedTimestamp();

    /** Milliseconds since the epoch; meaningful only when {@link #hasCreatedTimestamp()}. */
    long createdTimestamp();

    // ---- TYPE, HELP, UNIT, COMMENT ----

    /** The metric family name of a TYPE, HELP or UNIT line. */
    String metricFamily();

    /** The type of a TYPE line. */
    MetricType type();

    /**
     * The unescaped text of a HELP line, the unit of a UNIT line, or a COMMENT line as written
     * (starting with {@code #}, as Prometheus's {@code Comment()} returns it).
     */
    String text();

    /** The 1-based line number of the current entry. */
    int line();
}
