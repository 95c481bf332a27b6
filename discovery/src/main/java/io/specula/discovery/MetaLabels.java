package io.specula.discovery;

/** Helpers for the {@code __meta_*} labels mechanisms derive from foreign names (Docker labels, tags). */
public final class MetaLabels {
    private MetaLabels() {}

    /**
     * Prometheus's {@code strutil.SanitizeLabelName}: every character outside {@code [a-zA-Z0-9_]}
     * (a whole code point, however many UTF-16 units it takes) becomes {@code _}.
     */
    public static String sanitize(String name) {
        StringBuilder b = null;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            boolean ok = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
            if (!ok && b == null) {
                b = new StringBuilder(name.length());
                b.append(name, 0, i);
            }
            if (b != null) {
                if (ok) {
                    b.appendCodePoint(cp);
                } else {
                    b.append('_');
                }
            }
            i += Character.charCount(cp);
        }
        return b == null ? name : b.toString();
    }
}
