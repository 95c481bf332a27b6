package io.specula.tsdb.index;

import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves label matchers to the postings of the series that satisfy all of them, with
 * Prometheus's semantics: a series without the label is matched as if its value were
 * {@code ""}.
 *
 * <p>A matcher that rejects {@code ""} needs the label set, so it contributes the union of
 * the postings of its matching values, and these are intersected. A matcher that accepts
 * {@code ""} also selects series lacking the label, so it is applied by subtracting the
 * series whose value it rejects. When no matcher needs a label, subtraction starts from all
 * series. The cheapest way to find matching values is picked per matcher:
 * <ul>
 * <li>{@code =}, and {@code =~} on an alternation of literals ({@link Matcher#setMatches()}):
 *     exact lookups, no scan of values;
 * <li>{@code =~} with a literal prefix ({@link Matcher#prefix()}): a scan of only the values
 *     starting with it;
 * <li>other regexes and {@code !=""}: a scan of the name's values;
 * <li>{@code !="v"} and {@code !~} on literals: subtraction of exact lookups.
 * </ul>
 * As in Prometheus, no matchers select nothing (PromQL never sends an empty selector).
 */
public final class PostingsForMatchers {
    private PostingsForMatchers() {}

    public static Postings postings(IndexReader ix, Matcher... matchers) throws IOException {
        return postings(ix, List.of(matchers));
    }

    public static Postings postings(IndexReader ix, List<Matcher> matchers) throws IOException {
        if (matchers.isEmpty()) {
            return Postings.EMPTY;
        }
        List<Postings> required = new ArrayList<>();
        List<Postings> excluded = new ArrayList<>();
        for (Matcher m : matchers) {
            if (m.type() == MatchType.REGEX && m.value().equals(".*")) {
                continue; // matches every value and every absent label
            }
            if (m.matchesEmpty()) {
                Postings rejected = rejectedValues(ix, m);
                if (rejected != Postings.EMPTY) {
                    excluded.add(rejected);
                }
            } else {
                Postings p = matchingValues(ix, m);
                if (p == Postings.EMPTY) {
                    return Postings.EMPTY; // one unsatisfiable matcher empties the intersection
                }
                required.add(p);
            }
        }
        Postings result = required.isEmpty() ? ix.allPostings() : Postings.intersect(required);
        for (Postings drop : excluded) {
            result = Postings.without(result, drop);
        }
        return result;
    }

    /** Series that have label {@code m.name()} with a value {@code m} accepts (m rejects ""). */
    private static Postings matchingValues(IndexReader ix, Matcher m) throws IOException {
        List<String> set = m.setMatches();
        if (set != null) {
            return exact(ix, m.name(), set);
        }
        String prefix = m.type() == MatchType.REGEX ? m.prefix() : "";
        return ix.postingsForLabelMatching(m.name(), prefix, m::matches);
    }

    /** Series that have label {@code m.name()} with a value {@code m} rejects (m accepts ""). */
    private static Postings rejectedValues(IndexReader ix, Matcher m) throws IOException {
        switch (m.type()) {
            case NOT_EQUAL -> {
                return ix.postings(m.name(), m.value()); // m.value() is not "" here
            }
            case NOT_REGEX -> {
                List<String> set = Matcher.of(MatchType.REGEX, m.name(), m.value()).setMatches();
                if (set != null) {
                    return exact(ix, m.name(), set);
                }
                String prefix = Matcher.of(MatchType.REGEX, m.name(), m.value()).prefix();
                return ix.postingsForLabelMatching(m.name(), prefix, v -> !m.matches(v));
            }
            default -> {
                return ix.postingsForLabelMatching(m.name(), "", v -> !m.matches(v));
            }
        }
    }

    private static Postings exact(IndexReader ix, String name, List<String> values) throws IOException {
        List<Postings> lists = new ArrayList<>(values.size());
        for (String v : values) {
            if (!v.isEmpty()) {
                lists.add(ix.postings(name, v));
            }
        }
        return Postings.merge(lists);
    }
}
