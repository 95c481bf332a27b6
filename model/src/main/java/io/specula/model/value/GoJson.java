package io.specula.model.value;

/** JSON string quoting exactly as Go's {@code encoding/json} marshals a string (HTML-safe). */
public final class GoJson {
    private GoJson() {}

    /** Appends {@code v} quoted, escaping as {@code json.Marshal} does (including {@code < > &} and U+2028/U+2029). */
    public static void quote(StringBuilder sb, String v) {
        sb.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> hex(sb, c);
                default -> {
                    if (c < 0x20) {
                        hex(sb, c);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static void hex(StringBuilder sb, char c) {
        sb.append(String.format("\\u%04x", (int) c)); // rare: control and HTML characters only
    }
}
