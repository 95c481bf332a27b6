package io.specula.tsdb.block;

import io.specula.tsdb.encoding.CorruptionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 JSON parser for the small metadata files of a block, into a tree whose
 * nodes remember where they start, so errors can point at the offending value. Duplicate
 * keys, trailing content, leading zeros, control characters in strings and nesting deeper
 * than {@value #MAX_DEPTH} are errors.
 */
final class Json {
    static final int MAX_DEPTH = 64;

    enum Kind { OBJECT, ARRAY, STRING, NUMBER, TRUE, FALSE, NULL }

    /**
     * A parsed value: an object is a {@code Map<String, Node>} (in file order), an array a
     * {@code List<Node>}, a string its text, a number its literal text.
     */
    record Node(Kind kind, Object value, int offset) {
        @SuppressWarnings("unchecked")
        Map<String, Node> object() {
            return (Map<String, Node>) value;
        }

        @SuppressWarnings("unchecked")
        List<Node> array() {
            return (List<Node>) value;
        }

        String text() {
            return (String) value;
        }
    }

    private final String s;
    private final String file;
    private int pos;

    private Json(String s, String file) {
        this.s = s;
        this.file = file;
    }

    static Node parse(String text, String file) throws CorruptionException {
        Json p = new Json(text, file);
        p.skipSpace();
        Node n = p.value(0);
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error(p.pos, "unexpected " + p.describe(p.pos) + " after the JSON value");
        }
        return n;
    }

    /** An error at {@code offset}, with line and column for people. */
    CorruptionException error(int offset, String msg) {
        return error(s, file, offset, msg);
    }

    static CorruptionException error(String text, String file, int offset, String msg) {
        int line = 1, col = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new CorruptionException(file, offset, "line " + line + ", column " + col + ": " + msg);
    }

    private String describe(int at) {
        return at >= s.length() ? "end of input" : "character '" + s.charAt(at) + "'";
    }

    private void skipSpace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private Node value(int depth) throws CorruptionException {
        if (depth > MAX_DEPTH) {
            throw error(pos, "nesting deeper than " + MAX_DEPTH);
        }
        int start = pos;
        if (pos >= s.length()) {
            throw error(pos, "unexpected end of input, want a value");
        }
        char c = s.charAt(pos);
        switch (c) {
            case '{' -> {
                pos++;
                Map<String, Node> m = new LinkedHashMap<>();
                skipSpace();
                if (peek('}')) {
                    pos++;
                    return new Node(Kind.OBJECT, m, start);
                }
                while (true) {
                    skipSpace();
                    int keyAt = pos;
                    if (!peek('"')) {
                        throw error(pos, "unexpected " + describe(pos) + ", want a quoted object key");
                    }
                    String key = string();
                    skipSpace();
                    expect(':');
                    skipSpace();
                    if (m.put(key, value(depth + 1)) != null) {
                        throw error(keyAt, "duplicate key \"" + key + "\"");
                    }
                    skipSpace();
                    if (peek(',')) {
                        pos++;
                        continue;
                    }
                    expectEnd('}');
                    return new Node(Kind.OBJECT, m, start);
                }
            }
            case '[' -> {
                pos++;
                List<Node> l = new ArrayList<>();
                skipSpace();
                if (peek(']')) {
                    pos++;
                    return new Node(Kind.ARRAY, l, start);
                }
                while (true) {
                    skipSpace();
                    l.add(value(depth + 1));
                    skipSpace();
                    if (peek(',')) {
                        pos++;
                        continue;
                    }
                    expectEnd(']');
                    return new Node(Kind.ARRAY, l, start);
                }
            }
            case '"' -> {
                return new Node(Kind.STRING, string(), start);
            }
            case 't' -> {
                literal("true");
                return new Node(Kind.TRUE, Boolean.TRUE, start);
            }
            case 'f' -> {
                literal("false");
                return new Node(Kind.FALSE, Boolean.FALSE, start);
            }
            case 'n' -> {
                literal("null");
                return new Node(Kind.NULL, null, start);
            }
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return new Node(Kind.NUMBER, number(), start);
                }
                throw error(pos, "unexpected " + describe(pos) + ", want a value");
            }
        }
    }

    private boolean peek(char c) {
        return pos < s.length() && s.charAt(pos) == c;
    }

    private void expect(char c) throws CorruptionException {
        if (!peek(c)) {
            throw error(pos, "unexpected " + describe(pos) + ", want '" + c + "'");
        }
        pos++;
    }

    private void expectEnd(char close) throws CorruptionException {
        if (!peek(close)) {
            throw error(pos, "unexpected " + describe(pos) + ", want ',' or '" + close + "'");
        }
        pos++;
    }

    private void literal(String word) throws CorruptionException {
        if (!s.startsWith(word, pos)) {
            throw error(pos, "invalid literal, want " + word);
        }
        pos += word.length();
    }

    private String number() throws CorruptionException {
        int start = pos;
        if (peek('-')) {
            pos++;
        }
        if (peek('0')) {
            pos++;
        } else if (!digits()) {
            throw error(pos, "invalid number: want a digit");
        }
        if (peek('.')) {
            pos++;
            if (!digits()) {
                throw error(pos, "invalid number: want a digit after '.'");
            }
        }
        if (peek('e') || peek('E')) {
            pos++;
            if (peek('+') || peek('-')) {
                pos++;
            }
            if (!digits()) {
                throw error(pos, "invalid number: want an exponent");
            }
        }
        return s.substring(start, pos);
    }

    private boolean digits() {
        int start = pos;
        while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    private String string() throws CorruptionException {
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= s.length()) {
                throw error(pos, "unterminated string");
            }
            char c = s.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                throw error(pos - 1, "control character U+" + String.format("%04X", (int) c) + " in string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= s.length()) {
                throw error(pos, "unterminated escape");
            }
            char e = s.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > s.length()) {
                        throw error(pos, "truncated \\u escape");
                    }
                    int v = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(s.charAt(pos + i), 16);
                        if (d < 0) {
                            throw error(pos + i, "invalid hex digit in \\u escape");
                        }
                        v = v << 4 | d;
                    }
                    pos += 4;
                    sb.append((char) v);
                }
                default -> throw error(pos - 1, "invalid escape \\" + e);
            }
        }
    }
}
