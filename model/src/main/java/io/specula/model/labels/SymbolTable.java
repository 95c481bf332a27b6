package io.specula.model.labels;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Interns label names and values, including straight from UTF-8 bytes without first
 * building a String, so that the thousands of series of a target share one {@code "job"},
 * one {@code "instance"} and one copy of each repeated value.
 *
 * <p>Open addressing over a power-of-two table; a lookup hashes the bytes and compares
 * them with the candidate's chars, so a hit allocates nothing. Scrape bodies are mostly
 * ASCII; non-ASCII text takes a slower, allocating path that is still correct.
 *
 * <p>Not thread-safe: one table per owner (a scrape loop, a parser, the head behind its
 * lock). {@link #clear()} drops everything, for owners that rebuild it to bound memory.
 */
public final class SymbolTable {
    private String[] table;
    private int[] hashes;
    private int size;

    public SymbolTable() {
        this(256);
    }

    public SymbolTable(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        table = new String[cap];
        hashes = new int[cap];
    }

    public int size() {
        return size;
    }

    public void clear() {
        Arrays.fill(table, null);
        size = 0;
    }

    /** The interned copy of {@code s}. */
    public String intern(String s) {
        int h = mixHash(s.hashCode());
        int mask = table.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            String t = table[i];
            if (t == null) {
                return insert(i, h, s);
            }
            if (hashes[i] == h && t.equals(s)) {
                return t;
            }
        }
    }

    /** The interned string whose UTF-8 encoding is {@code b[off, off+len)}. */
    public String intern(byte[] b, int off, int len) {
        int h = 0;
        for (int i = off, end = off + len; i < end; i++) {
            if (b[i] < 0) {
                return intern(new String(b, off, len, StandardCharsets.UTF_8));
            }
            h = 31 * h + b[i]; // equals String.hashCode for ASCII, so both intern paths agree
        }
        h = mixHash(h);
        int mask = table.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            String t = table[i];
            if (t == null) {
                return insert(i, h, new String(b, off, len, StandardCharsets.ISO_8859_1));
            }
            if (hashes[i] == h && sameAscii(t, b, off, len)) {
                return t;
            }
        }
    }

    private static boolean sameAscii(String s, byte[] b, int off, int len) {
        if (s.length() != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (s.charAt(i) != b[off + i]) {
                return false;
            }
        }
        return true;
    }

    private String insert(int slot, int h, String s) {
        table[slot] = s;
        hashes[slot] = h;
        if (++size * 2 > table.length) {
            grow();
        }
        return s;
    }

    private void grow() {
        String[] oldT = table;
        int[] oldH = hashes;
        table = new String[oldT.length * 2];
        hashes = new int[oldT.length * 2];
        int mask = table.length - 1;
        for (int j = 0; j < oldT.length; j++) {
            if (oldT[j] != null) {
                int i = oldH[j] & mask;
                while (table[i] != null) {
                    i = (i + 1) & mask;
                }
                table[i] = oldT[j];
                hashes[i] = oldH[j];
            }
        }
    }

    private static int mixHash(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
