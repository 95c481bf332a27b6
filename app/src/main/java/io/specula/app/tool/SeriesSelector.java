package io.specula.app.tool;

import io.specula.model.labels.Labels;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a PromQL series selector such as {@code up{job="a",instance=~'h.*'}} or
 * {@code {__name__=~"(?s:.*)"}} into matchers: the subset of PromQL the tools' {@code --match}
 * flags take (no offsets or ranges). Strings may use double, single or back quotes; Go
 * escapes are understood in the first two. Stateless.
 */
final class SeriesSelector {
    private final String s;
    private int pos;

    private SeriesSelector(String s) {
        this.s = s;
    }

    /** @throws IllegalArgumentException naming the position of a syntax error */
    static Matcher[] parse(String selector) {
        return new SeriesSelector(selector).selector();
    }

    private Matcher[] selector() {
        List<Matcher> out = new ArrayList<>();
        skipSpace();
        if (pos < s.length() && s.charAt(pos) != '{') {
            out.add(Matcher.of(MatchType.EQUAL, Labels.METRIC_NAME, identifier(true)));
            skipSpace();
        }
        if (pos < s.length()) {
            expect('{');
            skipSpace();
            while (peek() != '}') {
                String name = identifier(false);
                skipSpace();
                MatchType op = operator();
                skipSpace();
                out.add(Matcher.of(op, name, string()));
                skipSpace();
                if (peek() == ',') {
                    pos++;
                    skipSpace();
                } else if (peek() != '}') {
                    throw error("expected ',' or '}'");
                }
            }
            pos++;
            skipSpace();
        }
        if (pos != s.length()) {
            throw error("unexpected character '" + s.charAt(pos) + "'");
        }
        if (out.isEmpty()) {
            throw error("a selector needs at least one matcher");
        }
        return out.toArray(new Matcher[0]);
    }

    private String identifier(boolean metric) {
        int start = pos;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (metric && c == ':')
                    || (pos > start && c >= '0' && c <= '9');
            if (!ok) {
                break;
            }
            pos++;
        }
        if (pos == start) {
            throw error(metric ? "expected a metric name" : "expected a label name");
        }
        return s.substring(start, pos);
    }

    private MatchType operator() {
        if (s.startsWith("=~", pos)) {
            pos += 2;
            return MatchType.REGEX;
        }
        if (s.startsWith("!~", pos)) {
            pos += 2;
            return MatchType.NOT_REGEX;
        }
        if (s.startsWith("!=", pos)) {
            pos += 2;
            return MatchType.NOT_EQUAL;
        }
        if (s.startsWith("=", pos)) {
            pos++;
            return MatchType.EQUAL;
        }
        throw error("expected one of =, !=, =~, !~");
    }

    private String string() {
        char q = peek();
        if (q != '"' && q != '\'' && q != '`') {
            throw error("expected a quoted string");
        }
        pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < s.length() && s.charAt(pos) != q) {
            char c = s.charAt(pos++);
            if (c == '\\' && q != '`' && pos < s.length()) {
                char e = s.charAt(pos++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case '\\', '"', '\'' -> sb.append(e);
                    default -> sb.append('\\').append(e); // regex escapes such as \. pass through
                }
            } else {
                sb.append(c);
            }
        }
        if (pos >= s.length()) {
            throw error("unterminated string");
        }
        pos++;
        return sb.toString();
    }

    private char peek() {
        if (pos >= s.length()) {
            throw error("unexpected end of selector");
        }
        return s.charAt(pos);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private void skipSpace() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String msg) {
        return new IllegalArgumentException("bad series selector " + s + " at position " + (pos + 1) + ": " + msg);
    }
}
