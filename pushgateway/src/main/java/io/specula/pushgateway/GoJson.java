package io.specula.pushgateway;

import java.util.List;
import java.util.Map;

/**
 * JSON as Go's {@code encoding/json} writes the Pushgateway's API answers: members in the map's
 * own order (callers pass a sorted map for a Go map, an insertion-ordered one for a Go struct),
 * {@code <}, {@code >}, {@code &}, U+2028 and U+2029 escaped, control characters as
 * {@code \\u00XX} except {@code \\n \\r \\t}. Values are strings, booleans, maps and lists.
 */
final class GoJson {
    private GoJson() {}

    static String encode(Object v) {
        StringBuilder b = new StringBuilder(256);
        write(b, v);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v) {
        switch (v) {
            case null -> b.append("null");
            case String s -> string(b, s);
            case Boolean x -> b.append(x);
            case Map<?, ?> m -> {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    string(b, (String) e.getKey());
                    b.append(':');
                    write(b, e.getValue());
                }
                b.append('}');
            }
            case List<?> l -> {
                b.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    write(b, l.get(i));
                }
                b.append(']');
            }
            default -> throw new IllegalArgumentException("not a JSON value: " + v.getClass());
        }
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> b.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
