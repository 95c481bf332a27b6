package io.specula.tsdb.index;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/** Comparisons between UTF-8 bytes in mapped memory and Java strings, without decoding. */
final class Utf8 {
    private Utf8() {}

    /** Unsigned byte-wise comparison of {@code seg[off, off+len)} with {@code b}. */
    static int compare(MemorySegment seg, long off, int len, byte[] b) {
        int n = Math.min(len, b.length);
        for (int i = 0; i < n; i++) {
            int x = seg.get(ValueLayout.JAVA_BYTE, off + i) & 0xFF, y = b[i] & 0xFF;
            if (x != y) {
                return x - y;
            }
        }
        return len - b.length;
    }

    /** Whether {@code seg[off, off+len)} starts with {@code prefix}. */
    static boolean startsWith(MemorySegment seg, long off, int len, byte[] prefix) {
        if (len < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (seg.get(ValueLayout.JAVA_BYTE, off + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code seg[off, off+len)} is the UTF-8 encoding of {@code s}. */
    static boolean equals(MemorySegment seg, long off, int len, String s) {
        int n = s.length();
        if (len < n) {
            return false; // UTF-8 never has fewer bytes than UTF-16 units
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                // Label text is nearly always ASCII; the rest compares through an encoding.
                return compare(seg, off, len, s.getBytes(StandardCharsets.UTF_8)) == 0;
            }
            if (seg.get(ValueLayout.JAVA_BYTE, off + i) != (byte) c) {
                return false;
            }
        }
        return len == n;
    }
}
