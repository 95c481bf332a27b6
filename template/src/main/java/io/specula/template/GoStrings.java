package io.specula.template;

import java.nio.charset.StandardCharsets;

/** Go's string helpers the engine needs: quoting, escaping for HTML/JS/URLs, case and trimming. */
final class GoStrings {
    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();
    private static final char[] HEX_LOWER = "0123456789abcdef".toCharArray();

    private GoStrings() {}

    /** Go's {@code strconv.Quote}. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        b.append('"');
        appendQuoted(b, s, '"');
        return b.append('"').toString();
    }

    /** Re-escapes the non-ASCII characters of a quoted literal, Go's {@code QuoteToASCII} form. */
    static String quoteAscii(String quoted) {
        StringBuilder b = new StringBuilder(quoted.length() + 8);
        for (int i = 0; i < quoted.length(); ) {
            int r = quoted.codePointAt(i);
            i += Character.charCount(r);
            if (r < 0x80) {
                b.append((char) r);
            } else if (r < 0x10000) {
                b.append("\\u");
                hex(b, r, 4);
            } else {
                b.append("\\U");
                hex(b, r, 8);
            }
        }
        return b.toString();
    }

    /** Go's {@code strconv.QuoteRune}. */
    static String quoteRune(int r) {
        StringBuilder b = new StringBuilder(8).append('\'');
        appendRune(b, r, '\'');
        return b.append('\'').toString();
    }

    static void appendQuoted(StringBuilder b, String s, char quote) {
        for (int i = 0; i < s.length(); ) {
            int r = s.codePointAt(i);
            i += Character.charCount(r);
            appendRune(b, r, quote);
        }
    }

    private static void appendRune(StringBuilder b, int r, char quote) {
        if (r == quote || r == '\\') {
            b.append('\\').appendCodePoint(r);
            return;
        }
        if (isPrint(r)) {
            b.appendCodePoint(r);
            return;
        }
        switch (r) {
            case 7 -> b.append("\\a");
            case '\b' -> b.append("\\b");
            case '\f' -> b.append("\\f");
            case '\n' -> b.append("\\n");
            case '\r' -> b.append("\\r");
            case '\t' -> b.append("\\t");
            case 11 -> b.append("\\v");
            default -> {
                if (r < ' ' || r == 0x7f) {
                    b.append("\\x").append(HEX_LOWER[r >> 4]).append(HEX_LOWER[r & 15]);
                } else if (Character.isSurrogate((char) r)) {
                    b.append("\\ufffd");
                } else if (r < 0x10000) {
                    b.append("\\u");
                    hex(b, r, 4);
                } else {
                    b.append("\\U");
                    hex(b, r, 8);
                }
            }
        }
    }

    private static void hex(StringBuilder b, int v, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            b.append(HEX_LOWER[(v >> shift) & 15]);
        }
    }

    /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and ASCII space. */
    static boolean isPrint(int r) {
        if (r < 0x80) {
            return r >= 0x20 && r < 0x7f;
        }
        return switch (Character.getType(r)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.UNASSIGNED,
                    Character.PRIVATE_USE, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    /**
     * Go's {@code strconv.Unquote} for the three literal forms a template may hold.
     *
     * @throws IllegalArgumentException with Go's message {@code invalid syntax}
     */
    static String unquote(String lit) {
        int n = lit.length();
        if (n < 2) {
            throw new IllegalArgumentException("invalid syntax");
        }
        char q = lit.charAt(0);
        if (lit.charAt(n - 1) != q) {
            throw new IllegalArgumentException("invalid syntax");
        }
        String body = lit.substring(1, n - 1);
        if (q == '`') {
            if (body.indexOf('`') >= 0) {
                throw new IllegalArgumentException("invalid syntax");
            }
            return body.replace("\r", "");
        }
        if (q != '"' && q != '\'') {
            throw new IllegalArgumentException("invalid syntax");
        }
        StringBuilder b = new StringBuilder(body.length());
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c == q || c == '\n') {
                throw new IllegalArgumentException("invalid syntax");
            }
            if (c != '\\') {
                b.append(c);
                i++;
                continue;
            }
            if (i + 1 >= body.length()) {
                throw new IllegalArgumentException("invalid syntax");
            }
            char e = body.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'a' -> b.append((char) 7);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'v' -> b.append((char) 11);
                case '\\' -> b.append('\\');
                case '\'', '"' -> {
                    if (e != q) {
                        throw new IllegalArgumentException("invalid syntax");
                    }
                    b.append(e);
                }
                case 'x', 'u', 'U' -> {
                    int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + len > body.length()) {
                        throw new IllegalArgumentException("invalid syntax");
                    }
                    int v = 0;
                    for (int k = 0; k < len; k++) {
                        int d = Character.digit(body.charAt(i + k), 16);
                        if (d < 0) {
                            throw new IllegalArgumentException("invalid syntax");
                        }
                        v = v * 16 + d;
                    }
                    i += len;
                    if (e == 'x') {
                        b.append((char) v); // a byte; Latin-1 is the closest a Java string gets
                    } else if (v > Character.MAX_CODE_POINT || (v >= 0xD800 && v < 0xE000)) {
                        throw new IllegalArgumentException("invalid syntax");
                    } else {
                        b.appendCodePoint(v);
                    }
                }
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    if (i + 2 > body.length()) {
                        throw new IllegalArgumentException("invalid syntax");
                    }
                    int v = e - '0';
                    for (int k = 0; k < 2; k++) {
                        char d = body.charAt(i + k);
                        if (d < '0' || d > '7') {
                            throw new IllegalArgumentException("invalid syntax");
                        }
                        v = v * 8 + (d - '0');
                    }
                    if (v > 255) {
                        throw new IllegalArgumentException("invalid syntax");
                    }
                    i += 2;
                    b.append((char) v);
                }
                default -> throw new IllegalArgumentException("invalid syntax");
            }
        }
        if (q == '\'' && b.codePointCount(0, b.length()) != 1) {
            throw new IllegalArgumentException("invalid syntax");
        }
        return b.toString();
    }

    /** Go's {@code template.HTMLEscapeString} (the {@code html} builtin). */
    static String htmlEscape(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '"' -> "&#34;";
                case '\'' -> "&#39;";
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case 0 -> "\uFFFD";
                default -> null;
            };
            if (r != null) {
                if (b == null) {
                    b = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                b.append(r);
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    /**
     * The escaping html/template applies to a value in element text: like {@link #htmlEscape}
     * but also {@code +} becomes {@code &#43;} (it matters in UTF-7 sniffing browsers).
     */
    static void appendHtmlTextEscaped(Appendable out, String s) throws java.io.IOException {
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            String r = switch (s.charAt(i)) {
                case '"' -> "&#34;";
                case '\'' -> "&#39;";
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '+' -> "&#43;";
                case 0 -> "\uFFFD";
                default -> null;
            };
            if (r != null) {
                out.append(s, start, i).append(r);
                start = i + 1;
            }
        }
        out.append(s, start, s.length());
    }

    /** Go's {@code template.JSEscapeString} (the {@code js} builtin). */
    static String jsEscape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); ) {
            int r = s.codePointAt(i);
            i += Character.charCount(r);
            switch (r) {
                case '\\' -> b.append("\\\\");
                case '\'' -> b.append("\\'");
                case '"' -> b.append("\\\"");
                case '<' -> b.append("\\u003C");
                case '>' -> b.append("\\u003E");
                case '&' -> b.append("\\u0026");
                case '=' -> b.append("\\u003D");
                default -> {
                    if (r < ' ' || (r >= 0x80 && !isPrint(r))) {
                        b.append("\\u");
                        String h = Integer.toHexString(r).toUpperCase();
                        b.append("0".repeat(Math.max(0, 4 - h.length()))).append(h);
                    } else {
                        b.appendCodePoint(r);
                    }
                }
            }
        }
        return b.toString();
    }

    /** Go's {@code url.QueryEscape}: space as {@code +}, unreserved bytes kept, others {@code %XX}. */
    static String queryEscape(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(bytes.length + 8);
        for (byte x : bytes) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                b.append((char) c);
            } else if (c == ' ') {
                b.append('+');
            } else {
                b.append('%').append(HEX_UPPER[c >> 4]).append(HEX_UPPER[c & 15]);
            }
        }
        return b.toString();
    }

    /**
     * Go's {@code url.QueryUnescape}.
     *
     * @throws IllegalArgumentException {@code invalid URL escape "%zz"}
     */
    static String queryUnescape(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            byte c = in[i];
            if (c == '+') {
                out.write(' ');
            } else if (c == '%') {
                int hi = i + 1 < in.length ? Character.digit(in[i + 1], 16) : -1;
                int lo = i + 2 < in.length ? Character.digit(in[i + 2], 16) : -1;
                if (hi < 0 || lo < 0) {
                    String bad = new String(in, i, Math.min(3, in.length - i), StandardCharsets.UTF_8);
                    throw new IllegalArgumentException("invalid URL escape " + quote(bad));
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Go's {@code strings.Title} (Prometheus's {@code title}): the first character after a
     * separator is title-cased, the rest kept. Separators are ASCII characters other than
     * letters, digits and underscore, and Unicode spaces.
     */
    static String titleWords(String s) {
        StringBuilder b = new StringBuilder(s.length());
        int prev = ' ';
        for (int i = 0; i < s.length(); ) {
            int r = s.codePointAt(i);
            i += Character.charCount(r);
            b.appendCodePoint(isTitleSeparator(prev) ? Character.toTitleCase(r) : r);
            prev = r;
        }
        return b.toString();
    }

    private static boolean isTitleSeparator(int r) {
        if (r <= 0x7f) {
            return !((r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_');
        }
        if (Character.isLetter(r) || Character.isDigit(r)) {
            return false;
        }
        return Character.isWhitespace(r) || Character.isSpaceChar(r);
    }

    /**
     * golang.org/x/text's {@code cases.Title} (Alertmanager's {@code title}): words found by
     * Unicode word segmentation ({@code it's}, {@code a.b} and {@code 5m} are single words,
     * {@code x-y} two) get their first cased letter title-cased and the rest lower-cased.
     */
    static String titleCases(String s) {
        StringBuilder b = new StringBuilder(s.length());
        int n = s.length();
        int i = 0;
        while (i < n) {
            int r = s.codePointAt(i);
            if (!isWordChar(r)) {
                b.appendCodePoint(r);
                i += Character.charCount(r);
                continue;
            }
            // One word (UAX #29, simplified): letters, digits, marks and connectors, joined
            // through a single mid character between two letters or two digits.
            boolean seenCased = false;
            int prev = -1;
            while (i < n) {
                int c = s.codePointAt(i);
                int len = Character.charCount(c);
                if (!isWordChar(c)) {
                    int next = i + len < n ? s.codePointAt(i + len) : -1;
                    boolean joins = prev >= 0 && next >= 0
                            && ((isMidLetter(c) && Character.isLetter(prev) && Character.isLetter(next))
                            || (isMidNum(c) && Character.isDigit(prev) && Character.isDigit(next)));
                    if (!joins) {
                        break;
                    }
                    b.appendCodePoint(c);
                    i += len;
                    prev = c;
                    continue;
                }
                boolean cased = Character.isUpperCase(c) || Character.isLowerCase(c) || Character.isTitleCase(c);
                if (cased && !seenCased) {
                    b.appendCodePoint(Character.toTitleCase(c));
                    seenCased = true;
                } else {
                    b.appendCodePoint(seenCased ? Character.toLowerCase(c) : c);
                }
                i += len;
                if (Character.getType(c) != Character.NON_SPACING_MARK) {
                    prev = c;
                }
            }
        }
        return b.toString();
    }

    private static boolean isWordChar(int r) {
        if (Character.isLetterOrDigit(r) || r == '_') {
            return true;
        }
        int t = Character.getType(r);
        return t == Character.NON_SPACING_MARK || t == Character.COMBINING_SPACING_MARK
                || t == Character.ENCLOSING_MARK || t == Character.CONNECTOR_PUNCTUATION;
    }

    /** UAX #29 MidLetter, MidNumLet and Single_Quote: join two letters. */
    private static boolean isMidLetter(int r) {
        return r == ':' || r == '.' || r == '\'' || r == 0xB7 || r == 0x387 || r == 0x2018 || r == 0x2019
                || r == 0x2024 || r == 0x2027 || r == 0xFE13 || r == 0xFE52 || r == 0xFE55 || r == 0xFF07
                || r == 0xFF0E || r == 0xFF1A;
    }

    /** UAX #29 MidNum, MidNumLet and Single_Quote: join two digits. */
    private static boolean isMidNum(int r) {
        return r == ',' || r == ';' || r == '.' || r == '\'' || r == 0x37E || r == 0x589 || r == 0x60C
                || r == 0x2018 || r == 0x2019 || r == 0x2024 || r == 0xFE50 || r == 0xFE52 || r == 0xFE54
                || r == 0xFF07 || r == 0xFF0C || r == 0xFF0E || r == 0xFF1B;
    }

    /** Go's {@code strings.TrimSpace}: strips Unicode white space at both ends. */
    static String trimSpace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isGoSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isGoSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    static boolean isGoSpace(char c) {
        return switch (c) {
            case ' ', '\t', '\n', 11, '\f', '\r', 0x85, 0xA0 -> true;
            default -> c > 0xff && Character.isWhitespace(c) || c == 0x2007 || c == 0x202F;
        };
    }

    /** Go's {@code strings.ToUpper}/{@code ToLower} are locale-independent. */
    static String toUpper(String s) {
        return s.toUpperCase(java.util.Locale.ROOT);
    }

    static String toLower(String s) {
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    /** The length of {@code s} in UTF-8 bytes, what Go's {@code len} reports for a string. */
    static int utf8Length(CharSequence s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
