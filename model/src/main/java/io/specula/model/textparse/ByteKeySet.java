package io.specula.model.textparse;

import java.util.Arrays;

/**
 * A set of byte strings, each with a small int value, looked up by {@code (array, offset,
 * length)} without allocating. Keys are copied into one growing arena; the table is open
 * addressing with linear probing at a load factor of at most one half.
 *
 * <p>The OpenMetrics parser keeps the families and label sets it has seen here. Memory is
 * proportional to the key bytes added, which never exceed the size of the parsed input.
 * {@link #clear()} keeps the allocated arrays for reuse. Not thread-safe.
 */
final class ByteKeySet {
    private byte[] arena = new byte[256];
    private int arenaLen;
    /** Per slot: arena offset + 1 (0 = empty). */
    private int[] offs = new int[32];
    private int[] lens = new int[32];
    private int[] vals = new int[32];
    private long[] hashes = new long[32];
    private int size;

    void clear() {
        if (offs.length > 64 && offs.length > 8 * size) {
            // A table grown for an earlier, larger generation: wiping it would cost its full size
            // on every clear (one big family followed by many small ones), so start small again.
            offs = new int[32];
            lens = new int[32];
            vals = new int[32];
            hashes = new long[32];
        } else if (size > 0) {
            Arrays.fill(offs, 0);
        }
        size = 0;
        arenaLen = 0;
    }

    int size() {
        return size;
    }

    /** The value stored for the key, or -1 when absent. */
    int get(byte[] k, int off, int len) {
        long h = hash(k, off, len);
        int mask = offs.length - 1;
        for (int i = (int) h & mask; ; i = (i + 1) & mask) {
            int o = offs[i];
            if (o == 0) {
                return -1;
            }
            if (hashes[i] == h && lens[i] == len && Arrays.equals(arena, o - 1, o - 1 + len, k, off, off + len)) {
                return vals[i];
            }
        }
    }

    boolean contains(byte[] k, int off, int len) {
        return get(k, off, len) >= 0;
    }

    /** Adds the key with a value (≥ 0); returns false, changing nothing, when it is present. */
    boolean add(byte[] k, int off, int len, int value) {
        long h = hash(k, off, len);
        int mask = offs.length - 1;
        int i = (int) h & mask;
        for (; ; i = (i + 1) & mask) {
            int o = offs[i];
            if (o == 0) {
                break;
            }
            if (hashes[i] == h && lens[i] == len && Arrays.equals(arena, o - 1, o - 1 + len, k, off, off + len)) {
                return false;
            }
        }
        if (arenaLen + len > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaLen + len));
        }
        System.arraycopy(k, off, arena, arenaLen, len);
        offs[i] = arenaLen + 1;
        lens[i] = len;
        vals[i] = value;
        hashes[i] = h;
        arenaLen += len;
        if (++size * 2 > offs.length) {
            grow();
        }
        return true;
    }

    private void grow() {
        int[] oOffs = offs;
        int[] oLens = lens;
        int[] oVals = vals;
        long[] oHashes = hashes;
        int n = oOffs.length * 2;
        offs = new int[n];
        lens = new int[n];
        vals = new int[n];
        hashes = new long[n];
        int mask = n - 1;
        for (int j = 0; j < oOffs.length; j++) {
            if (oOffs[j] == 0) {
                continue;
            }
            int i = (int) oHashes[j] & mask;
            while (offs[i] != 0) {
                i = (i + 1) & mask;
            }
            offs[i] = oOffs[j];
            lens[i] = oLens[j];
            vals[i] = oVals[j];
            hashes[i] = oHashes[j];
        }
    }

    /** 64-bit FNV-1a over the bytes with a final avalanche, so low bits are usable as an index. */
    static long hash(byte[] k, int off, int len) {
        long h = 0xCBF29CE484222325L;
        for (int i = off, e = off + len; i < e; i++) {
            h = (h ^ (k[i] & 0xFF)) * 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 33);
    }
}
