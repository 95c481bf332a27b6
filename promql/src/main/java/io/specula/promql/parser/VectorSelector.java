package io.specula.promql.parser;

import io.specula.model.labels.Matcher;
import java.util.List;

/**
 * {@code name{matchers} offset d @ t}.
 *
 * @param name the metric name if written before the braces, else null (a quoted name inside the braces,
 *     {@code {"my.metric"}}, is only a {@code __name__} matcher, as in Prometheus)
 * @param matchers every matcher, including the {@code __name__} one derived from {@code name}
 * @param offset the offset in ms (negative for {@code offset -5m}); 0 when absent
 * @param offsetExpr the offset as a duration expression still to evaluate ({@code offset step()}),
 *     or null when {@code offset} is already known
 * @param anchored the experimental {@code anchored} modifier (extended range selectors)
 * @param smoothed the experimental {@code smoothed} modifier (extended range selectors)
 */
public record VectorSelector(String name, List<Matcher> matchers, long offset, DurationExpr offsetExpr, At at,
        boolean anchored, boolean smoothed, PositionRange position) implements Expr {
    public VectorSelector {
        matchers = List.copyOf(matchers);
    }

    @Override
    public ValueKind type() {
        return ValueKind.VECTOR;
    }

    public VectorSelector withOffset(long offsetMs) {
        return new VectorSelector(name, matchers, offsetMs, null, at, anchored, smoothed, position);
    }

    public VectorSelector withAt(At newAt) {
        return new VectorSelector(name, matchers, offset, offsetExpr, newAt, anchored, smoothed, position);
    }
}
