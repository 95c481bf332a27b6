package io.specula.model.textparse;

/** What {@link Parser#next()} stopped at. */
public enum Entry {
    /** A sample line: metric name, labels, value and optional timestamp. */
    SERIES,
    /** {@code # TYPE name type}. */
    TYPE,
    /** {@code # HELP name text}. */
    HELP,
    /** {@code # UNIT name unit} (OpenMetrics only). */
    UNIT,
    /** Any other comment line (text format only; OpenMetrics has none). */
    COMMENT
}
