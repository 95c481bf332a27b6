package io.specula.model.labels;

import java.util.List;
import java.util.Objects;

/**
 * A label matcher: {@code name op "value"} with op one of {@code = != =~ !~}.
 *
 * <p>Semantics are Prometheus's: an absent label has the value {@code ""}; regexes use RE2
 * syntax (through re2j, so matching is linear in the input) and are fully anchored, with
 * {@code .} matching newlines. Regexes that are really literals, alternations of literals,
 * prefixes, suffixes or "contains" are matched without running the regex engine, and the
 * literal alternatives are exposed through {@link #setMatches()} so the index can look
 * them up as exact values. Immutable and thread-safe.
 */
public final class Matcher {
    private final MatchType type;
    private final String name;
    private final String value;
    private final RegexMatcher regex; // null for = and !=

    private Matcher(MatchType type, String name, String value, RegexMatcher regex) {
        this.type = type;
        this.name = name;
        this.value = value;
        this.regex = regex;
    }

    /**
     * Creates a matcher.
     *
     * @throws InvalidRegexException when a regex type is given a pattern RE2 does not accept
     */
    public static Matcher of(MatchType type, String name, String value) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        return new Matcher(type, name, value, type.isRegex() ? RegexMatcher.compile(value) : null);
    }

    public static Matcher equal(String name, String value) {
        return of(MatchType.EQUAL, name, value);
    }

    public MatchType type() {
        return type;
    }

    public String name() {
        return name;
    }

    public String value() {
        return value;
    }

    /** Whether a label value ({@code ""} when the label is absent) satisfies this matcher. */
    public boolean matches(String v) {
        return switch (type) {
            case EQUAL -> value.equals(v);
            case NOT_EQUAL -> !value.equals(v);
            case REGEX -> regex.matches(v);
            case NOT_REGEX -> !regex.matches(v);
        };
    }

    /** Whether this matcher accepts the empty string, i.e. series without the label. */
    public boolean matchesEmpty() {
        return matches("");
    }

    /**
     * For {@code =} and {@code =~} on an alternation of literals: the exact values that match.
     * Null when the set is not known (or for negative matchers).
     */
    public List<String> setMatches() {
        return switch (type) {
            case EQUAL -> List.of(value);
            case REGEX -> regex.literals();
            default -> null;
        };
    }

    /** For regex matchers: a literal prefix every match starts with (possibly ""). */
    public String prefix() {
        return regex == null ? (type == MatchType.EQUAL ? value : "") : regex.prefix();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Matcher m && type == m.type && name.equals(m.name) && value.equals(m.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, name, value);
    }

    /** PromQL form, e.g. {@code job=~"api|web"}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (LabelNames.isValidLegacyLabelName(name)) {
            sb.append(name);
        } else {
            LabelNames.appendQuoted(sb, name);
        }
        sb.append(type.operator());
        return LabelNames.appendQuoted(sb, value).toString();
    }
}
