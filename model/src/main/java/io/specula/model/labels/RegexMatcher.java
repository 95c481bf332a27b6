package io.specula.model.labels;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * A fully anchored RE2 regex with fast paths for the shapes label matchers mostly have.
 *
 * <p>Dashboards generate {@code a|b|c} from multi-value variables, {@code .*} from "All",
 * and {@code prefix.*} from typed filters; those are decided here without the regex engine.
 * The pattern is still compiled exactly as Prometheus does ({@code ^(?s:...)$}) so that
 * syntax errors and the general case behave the same.
 */
final class RegexMatcher {
    private enum Shape { ANY, NON_EMPTY, LITERAL_SET, PREFIX, SUFFIX, CONTAINS, GENERAL }

    private final Pattern pattern;
    private final Shape shape;
    private final List<String> literals; // LITERAL_SET: the alternatives
    private final java.util.Set<String> literalSet; // the same, for lookups in long alternations
    private final String fixed;          // PREFIX/SUFFIX/CONTAINS: the literal part
    private final String prefix;         // a literal prefix of every match

    private RegexMatcher(Pattern pattern, Shape shape, List<String> literals, String fixed, String prefix) {
        this.pattern = pattern;
        this.shape = shape;
        this.literals = literals;
        this.literalSet = literals == null || literals.size() <= 8 ? null : java.util.Set.copyOf(literals);
        this.fixed = fixed;
        this.prefix = prefix;
    }

    static RegexMatcher compile(String re) {
        Pattern p;
        try {
            p = Pattern.compile("^(?s:" + re + ")$");
        } catch (PatternSyntaxException e) {
            throw new InvalidRegexException(e.getMessage(), e);
        }
        if (re.equals(".*")) {
            return new RegexMatcher(p, Shape.ANY, null, null, "");
        }
        if (re.equals(".+")) {
            return new RegexMatcher(p, Shape.NON_EMPTY, null, null, "");
        }
        List<String> set = literalAlternatives(re);
        if (set != null) {
            String common = set.size() == 1 ? set.get(0) : commonPrefix(set);
            return new RegexMatcher(p, Shape.LITERAL_SET, List.copyOf(set), null, common);
        }
        boolean leadingAny = re.startsWith(".*");
        boolean trailingAny = re.endsWith(".*") && !re.endsWith("\\.*") && re.length() >= 2;
        String middle = re.substring(leadingAny ? 2 : 0, Math.max(leadingAny ? 2 : 0, re.length() - (trailingAny ? 2 : 0)));
        String lit = unescapeLiteral(middle);
        if (lit != null && (leadingAny || trailingAny)) {
            Shape s = leadingAny && trailingAny ? Shape.CONTAINS : leadingAny ? Shape.SUFFIX : Shape.PREFIX;
            return new RegexMatcher(p, s, null, lit, s == Shape.PREFIX ? lit : "");
        }
        return new RegexMatcher(p, Shape.GENERAL, null, null, "");
    }

    boolean matches(String s) {
        return switch (shape) {
            case ANY -> true;
            case NON_EMPTY -> !s.isEmpty();
            case LITERAL_SET -> literalSet != null ? literalSet.contains(s) : literals.contains(s);
            case PREFIX -> s.startsWith(fixed);
            case SUFFIX -> s.endsWith(fixed);
            case CONTAINS -> s.contains(fixed);
            case GENERAL -> pattern.matcher(s).find();
        };
    }

    List<String> literals() {
        return literals;
    }

    String prefix() {
        return prefix;
    }

    /** {@code a|b|c} or {@code (a|b|c)} of plain literals; null for anything else. */
    static List<String> literalAlternatives(String re) {
        String body = re;
        if (body.length() >= 2 && body.charAt(0) == '(' && body.charAt(body.length() - 1) == ')') {
            body = body.substring(1, body.length() - 1);
            if (body.startsWith("?:")) {
                body = body.substring(2);
            }
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= body.length(); i++) {
            if (i == body.length() || (body.charAt(i) == '|' && !escaped(body, i))) {
                String lit = unescapeLiteral(body.substring(start, i));
                if (lit == null) {
                    return null;
                }
                if (!out.contains(lit)) {
                    out.add(lit);
                }
                start = i + 1;
            }
        }
        return out;
    }

    private static boolean escaped(String s, int i) {
        int backslashes = 0;
        while (i - 1 - backslashes >= 0 && s.charAt(i - 1 - backslashes) == '\\') {
            backslashes++;
        }
        return (backslashes & 1) == 1;
    }

    /** The literal text {@code s} stands for, or null if it contains regex syntax. */
    static String unescapeLiteral(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                if (i + 1 >= s.length()) {
                    return null;
                }
                char e = s.charAt(i + 1);
                // Only escaped punctuation is a literal; \d, \w, \pL, \Q... are classes or modes.
                if (e >= 0x80 || Character.isLetterOrDigit(e) || Character.isWhitespace(e)) {
                    return null;
                }
                if (sb == null) {
                    sb = new StringBuilder(s.length()).append(s, 0, i);
                }
                sb.append(e);
                i++;
                continue;
            }
            if (".+*?()|[]{}^$".indexOf(c) >= 0) {
                return null;
            }
            if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    private static String commonPrefix(List<String> set) {
        String p = set.get(0);
        for (String s : set) {
            int n = 0, max = Math.min(p.length(), s.length());
            while (n < max && p.charAt(n) == s.charAt(n)) {
                n++;
            }
            p = p.substring(0, n);
        }
        return p;
    }
}
