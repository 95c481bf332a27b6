package io.specula.alertmanager.types;

import io.specula.model.labels.Labels;

/** Label sets printed the way Alertmanager prints them in group keys and logs. */
public final class LabelSets {
    private LabelSets() {}

    /** {@code {a="1", b="2"}}: sorted, values quoted with Go's escaping. */
    public static String format(Labels l) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < l.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(l.name(i)).append('=');
            quote(sb, l.value(i));
        }
        return sb.append('}').toString();
    }

    /** Go's {@code %q} for the strings label values usually are (printable text). */
    public static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
