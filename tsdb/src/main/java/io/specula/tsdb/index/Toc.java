package io.specula.tsdb.index;

import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.encoding.Crc32c;
import io.specula.tsdb.encoding.DataInput;
import io.specula.tsdb.encoding.DataOutput;
import java.lang.foreign.MemorySegment;

/**
 * The index's table of contents: where each section starts. The last
 * {@link IndexFormat#TOC_LEN} bytes of the file: six big-endian 8-byte offsets and the
 * CRC32C of those 48 bytes. An offset of 0 means the section is absent.
 */
public record Toc(long symbols, long series, long labelIndices, long labelIndicesTable, long postings,
        long postingsTable) {

    /** Reads and checks the TOC at the end of {@code seg} (whose size is the file size). */
    static Toc read(MemorySegment seg, String file) throws CorruptionException {
        long size = seg.byteSize();
        long at = size - IndexFormat.TOC_LEN;
        if (at < IndexFormat.HEADER_LEN) {
            throw new CorruptionException(file, 0, "file too small for an index: " + size + " bytes");
        }
        DataInput in = new DataInput(seg, file, at, size);
        long[] v = new long[6];
        for (int i = 0; i < 6; i++) {
            v[i] = in.readBE64();
        }
        int stored = in.readBE32();
        int actual = Crc32c.of(seg, at, at + 48);
        if (stored != actual) {
            throw new CorruptionException(file, at, "TOC checksum mismatch: stored " + hex(stored) + ", computed " + hex(actual));
        }
        for (int i = 0; i < 6; i++) {
            if (v[i] < 0 || v[i] > at || (v[i] != 0 && v[i] < IndexFormat.HEADER_LEN)) {
                throw new CorruptionException(file, at + 8L * i, "TOC offset " + v[i] + " outside the file body [5, " + at + "]");
            }
        }
        return new Toc(v[0], v[1], v[2], v[3], v[4], v[5]);
    }

    void write(DataOutput out) {
        out.writeBE64(symbols);
        out.writeBE64(series);
        out.writeBE64(labelIndices);
        out.writeBE64(labelIndicesTable);
        out.writeBE64(postings);
        out.writeBE64(postingsTable);
    }

    static String hex(int v) {
        return String.format("%08x", v);
    }
}
