package io.specula.model.relabel;

/**
 * Lower- and upper-casing with Go's {@code strings.ToLower}/{@code ToUpper} results.
 *
 * <p>Go maps each code point on its own with Unicode's simple case mappings. Java's
 * {@link String#toLowerCase} applies the full, context-sensitive mappings instead
 * ({@code "ß"} upper-cases to {@code "SS"}, a final {@code Σ} lower-cases to {@code ς},
 * {@code İ} to {@code i̇}), which would make {@code lowercase}/{@code uppercase} rules and the
 * {@code hashmod} shards built on them disagree with Prometheus. {@link Character#toLowerCase(int)}
 * and {@link Character#toUpperCase(int)} are exactly the simple mappings.
 */
final class CaseMapping {
    private CaseMapping() {}

    static String toLower(String s) {
        int i = 0, n = s.length();
        // Label values are mostly ASCII and often already lower case: return s itself then.
        while (i < n) {
            char c = s.charAt(i);
            if (c >= 0x80 || (c >= 'A' && c <= 'Z')) {
                break;
            }
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder sb = new StringBuilder(n).append(s, 0, i);
        while (i < n) {
            int cp = s.codePointAt(i);
            sb.appendCodePoint(Character.toLowerCase(cp));
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    static String toUpper(String s) {
        int i = 0, n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c >= 0x80 || (c >= 'a' && c <= 'z')) {
                break;
            }
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder sb = new StringBuilder(n).append(s, 0, i);
        while (i < n) {
            int cp = s.codePointAt(i);
            sb.appendCodePoint(Character.toUpperCase(cp));
            i += Character.charCount(cp);
        }
        return sb.toString();
    }
}
