package io.specula.pushgateway;

import java.nio.charset.StandardCharsets;

/** Go's {@code %q} for strings and bytes, as the Pushgateway's error messages print them. */
final class GoQuote {
    private GoQuote() {}

    /** {@code strconv.Quote}: a double-quoted Go string literal, non-printable runes escaped. */
    static String string(String s) {
        return bytes(goBytes(s));
    }

    /** Lone low surrogates U+DC80..U+DCFF stand for bytes that are not UTF-8 (Python's "surrogateescape"). */
    private static final int ESCAPE_BASE = 0xDC00;

    /**
     * A Go string (any bytes) as a Java string: valid UTF-8 decoded, every other byte kept as
     * the lone surrogate U+DC00+byte, so that {@link #goBytes} gives the bytes back.
     */
    static String fromGoBytes(byte[] raw) {
        StringBuilder b = new StringBuilder(raw.length);
        for (int i = 0; i < raw.length; ) {
            int len = utf8Length(raw, i);
            if (len < 0) {
                b.append((char) (ESCAPE_BASE + (raw[i] & 0xff)));
                i++;
            } else {
                b.append(new String(raw, i, len, StandardCharsets.UTF_8));
                i += len;
            }
        }
        return b.toString();
    }

    /** The Go bytes of a string made by {@link #fromGoBytes} (plain UTF-8 for any other string). */
    static byte[] goBytes(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (cp >= ESCAPE_BASE + 0x80 && cp <= ESCAPE_BASE + 0xff) {
                out.write(cp - ESCAPE_BASE);
            } else {
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
            }
            i += Character.charCount(cp);
        }
        return out.toByteArray();
    }

    /** Whether {@code s} holds bytes that are not UTF-8 (see {@link #fromGoBytes}). */
    static boolean hasInvalidUtf8(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= ESCAPE_BASE + 0x80 && c <= ESCAPE_BASE + 0xff
                    && !(i > 0 && Character.isHighSurrogate(s.charAt(i - 1)))) {
                return true;
            }
        }
        return false;
    }

    /** {@code strconv.Quote} of raw bytes: invalid UTF-8 is escaped byte by byte as {@code \xNN}. */
    static String bytes(byte[] raw) {
        StringBuilder b = new StringBuilder(raw.length + 2).append('"');
        int i = 0;
        while (i < raw.length) {
            int len = utf8Length(raw, i);
            if (len < 0) {
                b.append(String.format("\\x%02x", raw[i] & 0xff));
                i++;
                continue;
            }
            String ch = new String(raw, i, len, StandardCharsets.UTF_8);
            rune(b, ch.codePointAt(0), '"');
            i += len;
        }
        return b.append('"').toString();
    }

    /** {@code %q} of a Go byte: a single-quoted rune literal of the byte's code point. */
    static String rune(int b) {
        StringBuilder sb = new StringBuilder("'");
        rune(sb, b & 0xff, '\'');
        return sb.append('\'').toString();
    }

    private static void rune(StringBuilder b, int cp, char quote) {
        if (cp == quote || cp == '\\') {
            b.append('\\').appendCodePoint(cp);
            return;
        }
        if (isPrint(cp)) {
            b.appendCodePoint(cp);
            return;
        }
        switch (cp) {
            case 7 -> b.append("\\a");
            case '\b' -> b.append("\\b");
            case '\f' -> b.append("\\f");
            case '\n' -> b.append("\\n");
            case '\r' -> b.append("\\r");
            case '\t' -> b.append("\\t");
            case 11 -> b.append("\\v");
            default -> {
                if (cp < ' ' || cp == 0x7f) {
                    b.append(String.format("\\x%02x", cp));
                } else if (cp < 0x10000) {
                    b.append(String.format("\\u%04x", cp));
                } else {
                    b.append(String.format("\\U%08x", cp));
                }
            }
        }
    }

    /** Close to Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and ASCII space. */
    private static boolean isPrint(int cp) {
        if (cp < 0x80) {
            return cp >= 0x20 && cp < 0x7f;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE, Character.UNASSIGNED,
                 Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }

    /** Length of the valid UTF-8 sequence starting at {@code i}, or -1. */
    static int utf8Length(byte[] a, int i) {
        int c = a[i] & 0xff;
        if (c < 0x80) {
            return 1;
        }
        int n;
        int min;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 2;
            min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 3;
            min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 4;
            min = 0x10000;
        } else {
            return -1;
        }
        if (i + n > a.length) {
            return -1;
        }
        int cp = c & (0xff >> (n + 1));
        for (int k = 1; k < n; k++) {
            int cc = a[i + k] & 0xff;
            if ((cc & 0xc0) != 0x80) {
                return -1;
            }
            cp = (cp << 6) | (cc & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return -1;
        }
        return n;
    }

    /** Whether {@code a} is entirely valid UTF-8 (Go's {@code utf8.Valid}). */
    static boolean validUtf8(byte[] a) {
        for (int i = 0; i < a.length; ) {
            int n = utf8Length(a, i);
            if (n < 0) {
                return false;
            }
            i += n;
        }
        return true;
    }
}
