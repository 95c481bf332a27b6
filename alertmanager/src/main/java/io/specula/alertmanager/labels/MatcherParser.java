package io.specula.alertmanager.labels;

import io.specula.model.labels.InvalidRegexException;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Alertmanager's matcher syntax, as used in {@code matchers:} lists, inhibit rules, silences
 * and amtool: {@code a="b"}, {@code a=~"x|y"}, {@code a!=b}, {@code {a="b", c!~"d",}}.
 *
 * <p>Braces are optional; matchers are split on commas outside double quotes; a trailing
 * comma is tolerated. Each matcher is a label name, an operator and a value that may be
 * double-quoted; inside the value {@code \"}, {@code \n} and {@code \\} are escapes and any
 * other backslash is literal. An unescaped double quote inside a value is an error.
 * Stateless and thread-safe.
 */
public final class MatcherParser {
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private MatcherParser() {}

    /** Parses a comma-separated list, with or without braces. */
    public static List<Matcher> parseMatchers(String s) throws MatcherParseException {
        String in = s.strip();
        if (in.startsWith("{")) {
            in = in.substring(1);
        }
        if (in.endsWith("}")) {
            in = in.substring(0, in.length() - 1);
        }
        List<String> tokens = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        boolean quoted = false;
        boolean escaped = false;
        for (int i = 0; i < in.length(); i++) {
            char c = in.charAt(i);
            if (c == ',' && !quoted) {
                tokens.add(token.toString());
                token.setLength(0);
                continue;
            }
            if (c == '"') {
                if (escaped) {
                    escaped = false;
                } else {
                    quoted = !quoted;
                }
            } else if (c == '\\') {
                escaped = !escaped;
            } else {
                escaped = false;
            }
            token.append(c);
        }
        if (!token.toString().isBlank()) {
            tokens.add(token.toString());
        }
        List<Matcher> out = new ArrayList<>(tokens.size());
        for (String t : tokens) {
            out.add(parseMatcher(t));
        }
        return out;
    }

    /** Parses one {@code name op value}. */
    public static Matcher parseMatcher(String s) throws MatcherParseException {
        String t = s.strip();
        int n = 0;
        while (n < t.length() && isNameChar(t.charAt(n), n == 0)) {
            n++;
        }
        String name = t.substring(0, n);
        int p = n;
        while (p < t.length() && Character.isWhitespace(t.charAt(p))) {
            p++;
        }
        MatchType type = null;
        if (t.startsWith("=~", p)) {
            type = MatchType.REGEX;
        } else if (t.startsWith("!=", p)) {
            type = MatchType.NOT_EQUAL;
        } else if (t.startsWith("!~", p)) {
            type = MatchType.NOT_REGEX;
        } else if (t.startsWith("=", p)) {
            type = MatchType.EQUAL;
        }
        if (name.isEmpty() || type == null) {
            throw new MatcherParseException("bad matcher format: " + s);
        }
        String raw = t.substring(p + type.operator().length()).strip();
        String value = unquote(raw);
        try {
            return Matcher.of(type, name, value);
        } catch (InvalidRegexException e) {
            throw new MatcherParseException("invalid regular expression in matcher " + s.strip() + ": " + e.getMessage());
        }
    }

    private static String unquote(String raw) throws MatcherParseException {
        boolean expectClose = raw.startsWith("\"");
        String r = expectClose ? raw.substring(1) : raw;
        StringBuilder v = new StringBuilder(r.length());
        for (int i = 0; i < r.length(); i++) {
            char c = r.charAt(i);
            if (c == '\\' && i < r.length() - 1) {
                char next = r.charAt(++i);
                switch (next) {
                    case 'n' -> v.append('\n');
                    case '"', '\\' -> v.append(next);
                    default -> v.append('\\').append(next); // a stray backslash is literal
                }
            } else if (c == '"') {
                if (!expectClose || i < r.length() - 1) {
                    throw new MatcherParseException("matcher value contains unescaped double quote: " + raw);
                }
                expectClose = false;
            } else {
                v.append(c);
            }
        }
        if (expectClose) {
            throw new MatcherParseException("matcher value contains unescaped double quote: " + raw);
        }
        return v.toString();
    }

    private static boolean isNameChar(char c, boolean first) {
        return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
    }

    /** Whether {@code s} is a label name Alertmanager accepts. */
    public static boolean isValidLabelName(String s) {
        return !s.isEmpty() && LABEL_NAME.matcher(s).matches() && s.indexOf(':') < 0;
    }

    /** Prints a matcher the way Alertmanager does: {@code name="escaped value"} with the operator between. */
    public static String format(Matcher m) {
        StringBuilder sb = new StringBuilder(m.name()).append(m.type().operator()).append('"');
        String v = m.value();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '"' -> sb.append("\\\"");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** Orders matchers as Alertmanager sorts them: by name, then operator, then value. */
    public static int compare(Matcher a, Matcher b) {
        int c = a.name().compareTo(b.name());
        if (c != 0) {
            return c;
        }
        c = a.type().compareTo(b.type());
        return c != 0 ? c : a.value().compareTo(b.value());
    }
}
