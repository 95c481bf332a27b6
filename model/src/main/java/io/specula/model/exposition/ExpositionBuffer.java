package io.specula.model.exposition;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that the exposition writers append to.
 *
 * <p>Meant to be kept and reused: {@link #reset()} empties it but keeps the array, so a
 * handler that serves {@code /metrics} every 15 seconds reaches a steady state in which
 * writing a scrape response allocates nothing. The array returned by {@link #array()} is
 * the live backing store; it is valid until the next append or {@link #reset()}, and only
 * its first {@link #size()} bytes are meaningful.
 *
 * <p>Not thread-safe. A buffer belongs to one writer (or one thread) at a time.
 */
public final class ExpositionBuffer {
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private byte[] buf;
    private int size;

    public ExpositionBuffer() {
        this(8192);
    }

    public ExpositionBuffer(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    /** Number of bytes written since the last {@link #reset()}. */
    public int size() {
        return size;
    }

    /** The backing array (not a copy); bytes {@code [0, size())} are the content. */
    public byte[] array() {
        return buf;
    }

    /** Forgets the content and keeps the capacity. */
    public void reset() {
        size = 0;
    }

    /** A copy of the content. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** Writes the content to {@code out}; the buffer is left unchanged. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, size);
    }

    /** The content decoded as UTF-8 (for tests and debugging; allocates). */
    @Override
    public String toString() {
        return new String(buf, 0, size, StandardCharsets.UTF_8);
    }

    // ---- appends used by the writers ----

    void ensure(int extra) {
        int need = size + extra;
        if (need - buf.length > 0) {
            if (need < 0 || need > MAX_ARRAY) {
                throw new OutOfMemoryError("exposition buffer larger than 2 GiB");
            }
            int cap = buf.length;
            cap = cap > MAX_ARRAY / 2 ? MAX_ARRAY : Math.max(cap * 2, need);
            buf = Arrays.copyOf(buf, cap);
        }
    }

    void put(byte b) {
        if (size == buf.length) {
            ensure(1);
        }
        buf[size++] = b;
    }

    void put(char asciiChar) {
        put((byte) asciiChar);
    }

    /** Appends a string known to be ASCII (keywords, type names). */
    void putAscii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[size++] = (byte) s.charAt(i);
        }
    }

    /** Appends the decimal digits of {@code v}, as Go's {@code strconv.AppendInt}. */
    void putLong(long v) {
        if (v == Long.MIN_VALUE) {
            putAscii("-9223372036854775808");
            return;
        }
        ensure(20);
        if (v < 0) {
            buf[size++] = '-';
            v = -v;
        }
        int start = size;
        do {
            buf[size++] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        } while (v != 0);
        reverse(start, size - 1);
    }

    /** Appends the decimal digits of {@code v} read as unsigned, as Go's {@code strconv.AppendUint}. */
    void putUnsignedLong(long v) {
        if (v >= 0) {
            putLong(v);
        } else {
            putAscii(Long.toUnsignedString(v));
        }
    }

    private void reverse(int i, int j) {
        while (i < j) {
            byte t = buf[i];
            buf[i++] = buf[j];
            buf[j--] = t;
        }
    }

    /**
     * Appends {@code s} as UTF-8, escaping backslash and line feed always and the double quote
     * when {@code escapeQuote} is set: the escaping of HELP text (quote unescaped in the text
     * format) and of label values and quoted names (quote escaped). An unpaired surrogate,
     * which has no UTF-8 form, becomes U+FFFD as in Go's string conversion.
     */
    void putEscaped(String s, boolean escapeQuote) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '\\' -> {
                        put((byte) '\\');
                        put((byte) '\\');
                    }
                    case '\n' -> {
                        put((byte) '\\');
                        put((byte) 'n');
                    }
                    case '"' -> {
                        if (escapeQuote) {
                            put((byte) '\\');
                        }
                        put((byte) '"');
                    }
                    default -> put((byte) c);
                }
            } else {
                i = putNonAscii(s, i, n);
            }
        }
    }

    /** Appends {@code s} as UTF-8 without escaping. */
    void putUtf8(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                put((byte) c);
            } else {
                i = putNonAscii(s, i, n);
            }
        }
    }

    /** Encodes the non-ASCII char at {@code i} (and its low surrogate); returns the last index consumed. */
    private int putNonAscii(String s, int i, int n) {
        char c = s.charAt(i);
        ensure(4);
        if (c < 0x800) {
            buf[size++] = (byte) (0xC0 | (c >> 6));
            buf[size++] = (byte) (0x80 | (c & 0x3F));
            return i;
        }
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
            int cp = Character.toCodePoint(c, s.charAt(i + 1));
            buf[size++] = (byte) (0xF0 | (cp >> 18));
            buf[size++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            buf[size++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            buf[size++] = (byte) (0x80 | (cp & 0x3F));
            return i + 1;
        }
        if (Character.isSurrogate(c)) {
            c = '\uFFFD';
        }
        buf[size++] = (byte) (0xE0 | (c >> 12));
        buf[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        buf[size++] = (byte) (0x80 | (c & 0x3F));
        return i;
    }
}
