package io.specula.tsdb.index;

import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.encoding.DataInput;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The index writer's symbol lookup: string to symbol reference in O(1), with the strings
 * themselves left in the written (and mapped) symbol table instead of on the heap.
 *
 * <p>Per symbol it keeps its offset and a 32-bit hash (8 bytes) plus an open-addressing
 * slot array at most half full (8–16 bytes): 16–24 bytes per symbol in all, where a
 * {@code HashMap<String, Integer>} of the strings would take 80 bytes and more.
 */
final class WriterSymbols {
    private int count;
    private int[] offsets = new int[1024]; // relative to the first symbol, unsigned
    private int[] hashes = new int[1024];
    private int[] table = new int[2048];   // symbol reference + 1; 0 = free
    private MemorySegment seg;             // the symbol table's entries, once written
    private String file;

    int count() {
        return count;
    }

    void add(String symbol, long relativeOffset) {
        if (count == offsets.length) {
            offsets = Arrays.copyOf(offsets, count * 2);
            hashes = Arrays.copyOf(hashes, count * 2);
        }
        offsets[count] = (int) relativeOffset;
        hashes[count] = hash(symbol);
        count++;
        if (count * 2 > table.length) {
            table = new int[table.length * 2];
            for (int id = 0; id < count; id++) {
                insert(id);
            }
        } else {
            insert(count - 1);
        }
    }

    /** Makes lookups possible: {@code entries} holds the symbols at the offsets given to {@link #add}. */
    void attach(MemorySegment entries, String file) {
        this.seg = entries;
        this.file = file;
    }

    /** The reference of {@code s}, or -1 when it is not a symbol. */
    int lookup(String s) throws CorruptionException {
        int h = hash(s), mask = table.length - 1;
        for (int i = h & mask; table[i] != 0; i = (i + 1) & mask) {
            int id = table[i] - 1;
            if (hashes[id] == h) {
                DataInput in = new DataInput(seg, file, Integer.toUnsignedLong(offsets[id]), seg.byteSize());
                int len = in.readUvarintInt();
                if (Utf8.equals(seg, in.position(), len, s)) {
                    return id;
                }
            }
        }
        return -1;
    }

    /** The symbol with reference {@code id}. */
    String get(int id) throws CorruptionException {
        return new DataInput(seg, file, Integer.toUnsignedLong(offsets[id]), seg.byteSize()).readUvarintString();
    }

    private void insert(int id) {
        int mask = table.length - 1;
        int i = hashes[id] & mask;
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = id + 1;
    }

    /** Copies symbol {@code id} as the table holds it (uvarint length, UTF-8 bytes) to {@code out}. */
    void writeTo(int id, io.specula.tsdb.encoding.DataOutput out) throws CorruptionException {
        DataInput in = new DataInput(seg, file, Integer.toUnsignedLong(offsets[id]), seg.byteSize());
        int len = in.readUvarintInt();
        out.writeUvarint(len);
        if (scratch.length < len) {
            scratch = new byte[Math.max(len, scratch.length * 2)];
        }
        in.readBytes(scratch, 0, len);
        out.writeBytes(scratch, 0, len);
    }

    private byte[] scratch = new byte[256];

    private static int hash(String s) {
        int h = s.hashCode() * 0x9E3779B9; // String caches hashCode; label strings are mostly interned
        return h ^ (h >>> 15);
    }
}
