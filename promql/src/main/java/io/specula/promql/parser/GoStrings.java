package io.specula.promql.parser;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Go's string quoting and unquoting, as PromQL uses them for string literals and as the
 * printer and error messages render strings.
 *
 * <p>Go strings are bytes, so {@code "\xc5"} is a legal literal that is not valid UTF-8. To keep
 * such bytes without loss, each byte that is not part of valid UTF-8 becomes the lone surrogate
 * {@code U+DC00+byte} (the "surrogateescape" convention); {@link #quote} turns it back into
 * {@code \xNN}, and a string holding one is not well-formed UTF-16, so label-name validation
 * rejects it as Prometheus rejects invalid UTF-8.
 */
final class GoStrings {
    private GoStrings() {
    }

    /** Go's {@code strconv.Quote}. */
    static String quote(String s) {
        return appendQuoted(new StringBuilder(s.length() + 2), s, '"').toString();
    }

    static StringBuilder appendQuoted(StringBuilder sb, String s, char q) {
        sb.append(q);
        for (int i = 0, n = s.length(); i < n; ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            appendEscaped(sb, cp, q);
        }
        return sb.append(q);
    }

    /** Go's {@code %q} of a rune, e.g. {@code '~'}. */
    static String quoteRune(int cp) {
        if (cp < 0) {
            return "'\\x00'";
        }
        StringBuilder sb = new StringBuilder().append('\'');
        appendEscaped(sb, cp, '\'');
        return sb.append('\'').toString();
    }

    /** Go's {@code %#U} of a rune, e.g. {@code U+0071 'q'}. */
    static String unicodeName(int cp) {
        String hex = String.format("U+%04X", cp);
        return isPrint(cp) ? hex + " '" + new String(Character.toChars(cp)) + "'" : hex;
    }

    private static void appendEscaped(StringBuilder sb, int cp, char q) {
        if (cp == q || cp == '\\') {
            sb.append('\\').appendCodePoint(cp);
            return;
        }
        switch (cp) {
            case 0x07 -> sb.append("\\a");
            case '\b' -> sb.append("\\b");
            case '\f' -> sb.append("\\f");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case 0x0B -> sb.append("\\v");
            default -> {
                if (cp >= 0xDC80 && cp <= 0xDCFF) {
                    sb.append(String.format("\\x%02x", cp & 0xFF)); // an escaped invalid byte
                } else if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
                    sb.append("\\ufffd");
                } else if (isPrint(cp)) {
                    sb.appendCodePoint(cp);
                } else if (cp < 0x80) {
                    sb.append(String.format("\\x%02x", cp));
                } else if (cp <= 0xFFFF) {
                    sb.append(String.format("\\u%04x", cp));
                } else {
                    sb.append(String.format("\\U%08x", cp));
                }
            }
        }
    }

    /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and ASCII space. */
    static boolean isPrint(int cp) {
        if (cp == ' ') {
            return true;
        }
        int type = Character.getType(cp);
        return type != Character.CONTROL && type != Character.FORMAT && type != Character.UNASSIGNED
                && type != Character.PRIVATE_USE && type != Character.SURROGATE
                && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR
                && type != Character.SPACE_SEPARATOR;
    }

    /**
     * Unquotes a string token the lexer has already validated: {@code "..."} or {@code '...'}
     * with Go escapes, or a raw {@code `...`} string.
     *
     * @throws IllegalArgumentException with Go's reason when the escapes are not valid
     */
    static String unquote(String token) {
        char q = token.charAt(0);
        String body = token.substring(1, token.length() - 1);
        if (q == '`') {
            return body;
        }
        if (body.indexOf('\\') < 0) {
            return body;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length());
        boolean raw = false;
        for (int i = 0, n = body.length(); i < n; ) {
            char c = body.charAt(i);
            if (c != '\\') {
                int cp = body.codePointAt(i);
                i += Character.charCount(cp);
                writeUtf8(out, cp);
                continue;
            }
            if (i + 1 >= n) {
                throw new IllegalArgumentException("invalid syntax");
            }
            char e = body.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'a' -> out.write(7);
                case 'b' -> out.write('\b');
                case 'f' -> out.write('\f');
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'v' -> out.write(0x0B);
                case '\\' -> out.write('\\');
                case '\'', '"' -> {
                    if (e != q) {
                        throw new IllegalArgumentException("invalid syntax");
                    }
                    out.write(e);
                }
                case 'x' -> {
                    out.write(hex(body, i, 2));
                    i += 2;
                    raw = true;
                }
                case 'u', 'U' -> {
                    int len = e == 'u' ? 4 : 8;
                    int cp = hex(body, i, len);
                    i += len;
                    if (cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) {
                        throw new IllegalArgumentException("invalid syntax");
                    }
                    writeUtf8(out, cp);
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        if (i + 2 > n) {
                            throw new IllegalArgumentException("invalid syntax");
                        }
                        int v = 0;
                        for (int k = i - 1; k < i + 2; k++) {
                            char d = body.charAt(k);
                            if (d < '0' || d > '7') {
                                throw new IllegalArgumentException("invalid syntax");
                            }
                            v = v * 8 + (d - '0');
                        }
                        if (v > 255) {
                            throw new IllegalArgumentException("invalid syntax");
                        }
                        out.write(v);
                        i += 2;
                        raw = true;
                    } else {
                        throw new IllegalArgumentException("invalid syntax");
                    }
                }
            }
        }
        byte[] bytes = out.toByteArray();
        return raw ? decodeLenient(bytes) : new String(bytes, StandardCharsets.UTF_8);
    }

    private static int hex(String s, int from, int len) {
        if (from + len > s.length()) {
            throw new IllegalArgumentException("invalid syntax");
        }
        int v = 0;
        for (int k = from; k < from + len; k++) {
            int d = Character.digit(s.charAt(k), 16);
            if (d < 0) {
                throw new IllegalArgumentException("invalid syntax");
            }
            v = v * 16 + d;
        }
        return v;
    }

    private static void writeUtf8(ByteArrayOutputStream out, int cp) {
        if (cp >= 0xDC80 && cp <= 0xDCFF) {
            out.write(cp & 0xFF); // keep an escaped invalid byte as the byte itself
            return;
        }
        byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
    }

    /** UTF-8 decoding that maps each invalid byte to {@code U+DC00+byte}. */
    static String decodeLenient(byte[] bytes) {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return dec.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            // Slow path: decode piecewise.
        }
        StringBuilder sb = new StringBuilder(bytes.length);
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xFF;
            int len = b < 0x80 ? 1 : b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0;
            if (len > 0 && i + len <= bytes.length) {
                try {
                    CharBuffer cb = StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes, i, len));
                    sb.append(cb);
                    i += len;
                    continue;
                } catch (CharacterCodingException e) {
                    // fall through to the escape
                }
            }
            sb.append((char) (0xDC00 | b));
            i++;
        }
        return sb.toString();
    }
}
