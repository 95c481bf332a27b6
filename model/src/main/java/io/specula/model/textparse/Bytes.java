package io.specula.model.textparse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Byte-level helpers shared by the exposition parsers: character classes, UTF-8 validation,
 * escape decoding and the rendering of offending input in error messages.
 *
 * <p>Everything here works on {@code (array, start, end)} ranges and allocates only when it
 * returns a String. Stateless and thread-safe.
 */
final class Bytes {
    private Bytes() {}

    static final int METRIC_START = 1; // [a-zA-Z_:]
    static final int METRIC_CHAR = 2; // [a-zA-Z0-9_:]
    static final int LABEL_START = 4; // [a-zA-Z_]
    static final int LABEL_CHAR = 8; // [a-zA-Z0-9_]

    private static final byte[] CLASS = new byte[256];

    static {
        for (int c = 0; c < 128; c++) {
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            boolean digit = c >= '0' && c <= '9';
            int k = 0;
            if (letter || c == ':') {
                k |= METRIC_START | METRIC_CHAR;
            }
            if (digit) {
                k |= METRIC_CHAR | LABEL_CHAR;
            }
            if (letter) {
                k |= LABEL_START | LABEL_CHAR;
            }
            CLASS[c] = (byte) k;
        }
    }

    static boolean is(byte b, int cls) {
        return (CLASS[b & 0xFF] & cls) != 0;
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** First index in [from, end) whose byte is not of class {@code cls}, or end. */
    static int skip(byte[] b, int from, int end, int cls) {
        int i = from;
        while (i < end && (CLASS[b[i] & 0xFF] & cls) != 0) {
            i++;
        }
        return i;
    }

    /** Index of the first {@code '\n'} at or after {@code from}, or {@code end}. */
    static int indexOfNewline(byte[] b, int from, int end) {
        for (int i = from; i < end; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return end;
    }

    static boolean allAscii(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            if (b[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether [s, e) is valid UTF-8 in the sense of Go's {@code utf8.Valid}: no overlong forms,
     * no surrogates, nothing above U+10FFFF, no truncated sequences.
     */
    static boolean isValidUtf8(byte[] b, int s, int e) {
        int i = s;
        while (i < e) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                min = 0x10000;
            } else {
                return false;
            }
            if (i + n >= e) {
                return false; // truncated sequence
            }
            int cp = c & (0x3F >> n);
            for (int k = 1; k <= n; k++) {
                int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80) {
                    return false;
                }
                cp = (cp << 6) | (cc & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return false;
            }
            i += n + 1;
        }
        return true;
    }

    /** Number of code points in valid UTF-8 [s, e): the bytes that are not continuation bytes. */
    static int codePoints(byte[] b, int s, int e) {
        int n = 0;
        for (int i = s; i < e; i++) {
            if ((b[i] & 0xC0) != 0x80) {
                n++;
            }
        }
        return n;
    }

    static String ascii(byte[] b, int s, int e) {
        return new String(b, s, e - s, StandardCharsets.ISO_8859_1);
    }

    static String utf8(byte[] b, int s, int e) {
        return new String(b, s, e - s, StandardCharsets.UTF_8);
    }

    /** {@link #unescape}, interned in {@code symbols} when it is not null. */
    static String unescape(byte[] b, int s, int e, io.specula.model.labels.SymbolTable symbols) {
        if (symbols == null) {
            return unescape(b, s, e);
        }
        return indexOf(b, s, e, (byte) '\\') < 0 ? symbols.intern(b, s, e - s) : symbols.intern(unescape(b, s, e));
    }

    /** UTF-8 text [s, e), interned in {@code symbols} when it is not null. */
    static String utf8(byte[] b, int s, int e, io.specula.model.labels.SymbolTable symbols) {
        return symbols == null ? utf8(b, s, e) : symbols.intern(b, s, e - s);
    }

    /**
     * Decodes an escaped label value or quoted name: {@code \\}, {@code \"} and {@code \n} become
     * a backslash, a double quote and a line feed; any other backslash is kept as written, as
     * Prometheus does. The result is interpreted as UTF-8.
     */
    static String unescape(byte[] b, int s, int e) {
        int bs = indexOf(b, s, e, (byte) '\\');
        if (bs < 0) {
            return utf8(b, s, e);
        }
        byte[] out = new byte[e - s];
        int n = unescapeInto(b, s, e, out, 0, true);
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * The text format's HELP unescaping: only {@code \\} and {@code \n} are escapes there; a
     * {@code \"} stays as written.
     */
    static String unescapeHelp(byte[] b, int s, int e) {
        int bs = indexOf(b, s, e, (byte) '\\');
        if (bs < 0) {
            return utf8(b, s, e);
        }
        byte[] out = new byte[e - s];
        int n = unescapeInto(b, s, e, out, 0, false);
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * Writes the unescaped form of [s, e) into {@code out} at {@code at} (which must have room for
     * e - s bytes) and returns the new end. {@code quote} says whether {@code \"} is an escape.
     */
    static int unescapeInto(byte[] b, int s, int e, byte[] out, int at, boolean quote) {
        int w = at;
        int i = s;
        while (i < e) {
            byte c = b[i];
            if (c == '\\' && i + 1 < e) {
                byte d = b[i + 1];
                if (d == '\\') {
                    out[w++] = '\\';
                    i += 2;
                    continue;
                }
                if (d == 'n') {
                    out[w++] = '\n';
                    i += 2;
                    continue;
                }
                if (d == '"' && quote) {
                    out[w++] = '"';
                    i += 2;
                    continue;
                }
            }
            out[w++] = c;
            i++;
        }
        return w;
    }

    static int indexOf(byte[] b, int s, int e, byte x) {
        for (int i = s; i < e; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    static boolean equalsAscii(byte[] b, int s, int e, String ascii) {
        int n = ascii.length();
        if (e - s != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[s + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static boolean rangeEquals(byte[] a, int as, int ae, byte[] b, int bs, int be) {
        return Arrays.equals(a, as, ae, b, bs, be);
    }

    /** Longest snippet shown in an error message, in bytes. */
    private static final int SNIPPET = 24;

    /**
     * What the parser found at {@code pos}, for "expected X, got Y" messages: "end of input",
     * "end of line", or the token starting there in double quotes (at most a few bytes, with
     * control and invalid bytes escaped).
     */
    static String describe(byte[] b, int pos, int end) {
        if (pos >= end) {
            return "end of input";
        }
        byte c = b[pos];
        if (c == '\n') {
            return "end of line";
        }
        int e = pos + 1;
        if (isTokenByte(c)) {
            while (e < end && e - pos < SNIPPET && isTokenByte(b[e])) {
                e++;
            }
        } else if (c < 0) {
            // Show a whole UTF-8 sequence rather than half of one.
            while (e < end && e - pos < 4 && (b[e] & 0xC0) == 0x80) {
                e++;
            }
        }
        return quote(b, pos, e) + (e - pos >= SNIPPET && e < end && isTokenByte(b[e]) ? "…" : "");
    }

    private static boolean isTokenByte(byte c) {
        return c > ' ' && c < 0x7F && c != '{' && c != '}' && c != '"' && c != ',' && c != '=' && c != '#';
    }

    /** [s, e) in double quotes, Go style: valid UTF-8 printed as is, anything else escaped. */
    static String quote(byte[] b, int s, int e) {
        StringBuilder sb = new StringBuilder(e - s + 2).append('"');
        int i = s;
        while (i < e) {
            int c = b[i] & 0xFF;
            if (c >= 0x80) {
                int n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
                if (n > 1 && i + n <= e && isValidUtf8(b, i, i + n)) {
                    sb.append(utf8(b, i, i + n));
                    i += n;
                    continue;
                }
                hex(sb, c);
            } else if (c == '"' || c == '\\') {
                sb.append('\\').append((char) c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c < 0x20 || c == 0x7F) {
                hex(sb, c);
            } else {
                sb.append((char) c);
            }
            i++;
        }
        return sb.append('"').toString();
    }

    private static void hex(StringBuilder sb, int c) {
        sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
    }

    /** Go-quoted form of a String, for messages. */
    static String quote(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return quote(b, 0, b.length);
    }
}
