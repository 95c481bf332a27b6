package io.specula.model.relabel;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.specula.model.labels.InvalidRegexException;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;

/**
 * The regex of a relabeling rule: the text as written in the configuration and the pattern
 * compiled from it as Prometheus 3 does, anchored at both ends with {@code .} matching newlines
 * ({@code ^(?s:TEXT)$}).
 *
 * <p>Prometheus 2.x compiled {@code ^(?:TEXT)$}, so there {@code .} did not match a newline; a
 * value containing {@code \n} can therefore match here and not in Prometheus 2.
 *
 * <p>Boolean matching goes through the label {@link Matcher}, which answers the usual shapes
 * ({@code a|b|c}, {@code prefix.*}, {@code .*}) without running the regex engine; keep and drop
 * rules on {@code __name__} run for every scraped series. Immutable and thread-safe; two
 * instances are equal when their texts are.
 */
public final class Regex {
    /** The text of the default regex, {@code (.*)}. */
    public static final String DEFAULT_TEXT = "(.*)";

    private final String text;
    private final Pattern pattern;
    private final Matcher matcher;
    // "(.*)" matches every string with group 1 spanning all of it; replace rules use this
    // default more than any other regex, so they skip the engine for it.
    private final boolean matchAll;

    private Regex(String text, Pattern pattern, Matcher matcher) {
        this.text = text;
        this.pattern = pattern;
        this.matcher = matcher;
        this.matchAll = text.equals(DEFAULT_TEXT);
    }

    /**
     * Compiles {@code text} anchored as {@code ^(?s:text)$}.
     *
     * @throws InvalidRegexException with RE2's message, the same as Go's, e.g.
     *     {@code error parsing regexp: missing closing ): `^(?s:(abc)$`}
     */
    public static Regex compile(String text) {
        Pattern p;
        try {
            p = Pattern.compile("^(?s:" + text + ")$");
        } catch (PatternSyntaxException e) {
            throw new InvalidRegexException(e.getMessage(), e);
        }
        return new Regex(text, p, Matcher.of(MatchType.REGEX, "", text));
    }

    /** The text as configured, without the anchors. */
    public String text() {
        return text;
    }

    /** The anchored pattern, for callers that need capture groups. */
    public Pattern pattern() {
        return pattern;
    }

    /** Number of capture groups (not counting the whole match). */
    public int groupCount() {
        return pattern.groupCount();
    }

    /** Whether the whole of {@code s} matches. */
    public boolean matches(String s) {
        return matchAll || matcher.matches(s);
    }

    /** True for {@code (.*)}: every string matches and group 1 is the whole string. */
    boolean matchesAllAsGroupOne() {
        return matchAll;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Regex r && text.equals(r.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The configured text, as Prometheus prints it back. */
    @Override
    public String toString() {
        return text;
    }
}
