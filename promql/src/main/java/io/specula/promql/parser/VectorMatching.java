package io.specula.promql.parser;

import java.util.List;

/**
 * How a binary operation between two vectors pairs up series.
 *
 * @param labels the labels of {@code on(...)} or {@code ignoring(...)}
 * @param on true for {@code on}, false for {@code ignoring} (or no clause)
 * @param include the labels of {@code group_left(...)}/{@code group_right(...)}
 * @param fillLeft the experimental {@code fill}/{@code fill_left} value for a missing left side, or null
 * @param fillRight the experimental {@code fill}/{@code fill_right} value for a missing right side, or null
 */
public record VectorMatching(Cardinality card, List<String> labels, boolean on, List<String> include,
        Double fillLeft, Double fillRight) {
    public enum Cardinality { ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY, MANY_TO_MANY }

    public VectorMatching {
        labels = List.copyOf(labels);
        include = List.copyOf(include);
    }
}
