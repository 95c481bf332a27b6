package io.specula.model.labels;

/**
 * Validation of metric and label names, in Prometheus's two schemes.
 *
 * <p>{@link NameValidation#LEGACY}: metric names match {@code [a-zA-Z_:][a-zA-Z0-9_:]*} and
 * label names {@code [a-zA-Z_][a-zA-Z0-9_]*}. {@link NameValidation#UTF8} (Prometheus 3's
 * default): any non-empty valid UTF-8 string. Names beginning with {@code __} are reserved for
 * internal use in both schemes; that is checked where it matters (relabeling, scraping).
 */
public final class LabelNames {
    private LabelNames() {}

    public enum NameValidation { LEGACY, UTF8 }

    public static boolean isValidLegacyMetricName(CharSequence s) {
        int n = s.length();
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
                    || (c >= '0' && c <= '9' && i > 0);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    public static boolean isValidLegacyLabelName(CharSequence s) {
        int n = s.length();
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
                    || (c >= '0' && c <= '9' && i > 0);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** True for a non-empty string without unpaired surrogates (Java's form of "valid UTF-8"). */
    public static boolean isValidUtf8Name(CharSequence s) {
        return !s.isEmpty() && isWellFormed(s);
    }

    public static boolean isValidMetricName(CharSequence s, NameValidation scheme) {
        return scheme == NameValidation.LEGACY ? isValidLegacyMetricName(s) : isValidUtf8Name(s);
    }

    public static boolean isValidLabelName(CharSequence s, NameValidation scheme) {
        return scheme == NameValidation.LEGACY ? isValidLegacyLabelName(s) : isValidUtf8Name(s);
    }

    /** True when {@code s} has no unpaired UTF-16 surrogate, i.e. it encodes to valid UTF-8. */
    public static boolean isWellFormed(CharSequence s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Appends {@code s} in double quotes with Go's {@code strconv.Quote} escaping. */
    public static StringBuilder appendQuoted(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0, n = s.length(); i < n; ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case 0x07 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case 0x0B -> sb.append("\\v");
                default -> {
                    if (cp < 0x20 || cp == 0x7F) {
                        sb.append(String.format("\\x%02x", cp));
                    } else if (Character.isSurrogate((char) cp)) {
                        sb.append("\\ufffd"); // an unpaired surrogate is invalid UTF-8; Go prints U+FFFD
                    } else if (!isPrintable(cp)) {
                        sb.append(cp <= 0xFFFF ? String.format("\\u%04x", cp) : String.format("\\U%08x", cp));
                    } else {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        }
        return sb.append('"');
    }

    private static boolean isPrintable(int cp) {
        int type = Character.getType(cp);
        return type != Character.CONTROL && type != Character.FORMAT && type != Character.UNASSIGNED
                && type != Character.PRIVATE_USE && type != Character.SURROGATE
                && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR
                && (type != Character.SPACE_SEPARATOR || cp == ' ');
    }
}
