package io.specula.tsdb.chunks;

/**
 * The chunk segment files of a block, {@code <block>/chunks/000001, 000002, ...}: Prometheus's
 * {@code tsdb/docs/format/chunks.md}, read and written byte for byte.
 *
 * <h2>Segment file</h2>
 * <pre>
 * magic     4 bytes  0x85BD40DD, big-endian
 * version   1 byte   1
 * padding   3 bytes  0
 * chunk ... until the end of the file
 * </pre>
 *
 * <h2>Chunk</h2>
 * <pre>
 * len       uvarint  number of data bytes (1 to 5 bytes)
 * encoding  1 byte   {@link io.specula.tsdb.chunkenc.Encoding} id
 * data      len bytes
 * CRC32C    4 bytes  Castagnoli checksum of encoding and data, big-endian
 * </pre>
 *
 * <h2>Chunk reference</h2>
 * The index refers to a chunk by a 64-bit number: the upper 32 bits are the position of the
 * segment file in the sorted list of the block's segment files, counted from 0 (so file
 * {@code 000001} is 0), the lower 32 bits the byte offset of the chunk's {@code len} field in
 * that file. A writer starts a new file before a chunk would take a file past
 * {@link #DEFAULT_SEGMENT_SIZE} (512 MiB), unless the file holds no chunk yet.
 */
public final class ChunkSegmentFormat {
    private ChunkSegmentFormat() {}

    public static final int MAGIC = 0x85BD40DD;
    public static final int VERSION = 1;
    /** Magic, version and padding. */
    public static final int HEADER_SIZE = SegmentFiles.HEADER_SIZE;
    public static final long DEFAULT_SEGMENT_SIZE = 512L * 1024 * 1024;
    /** The {@code len} uvarint of a chunk is at most 5 bytes (a 32-bit length). */
    public static final int MAX_LEN_SIZE = 5;
    public static final int CRC_SIZE = 4;
    /** Bytes a chunk adds around its data, at most: length, encoding, checksum. */
    public static final int MAX_OVERHEAD = MAX_LEN_SIZE + 1 + CRC_SIZE;

    /** The reference of the chunk at {@code offset} in the segment at {@code segmentIndex} (from 0). */
    public static long ref(int segmentIndex, long offset) {
        if (segmentIndex < 0 || offset < 0 || offset > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("segment " + segmentIndex + ", offset " + offset + " do not fit a chunk reference");
        }
        return ((long) segmentIndex << 32) | offset;
    }

    /** Position of the segment file in the block's sorted file list, from 0. */
    public static int segmentIndex(long ref) {
        return (int) (ref >>> 32);
    }

    /** Byte offset of the chunk in its segment file. */
    public static long offset(long ref) {
        return ref & 0xFFFF_FFFFL;
    }

    /** File name of the segment at {@code segmentIndex} written by a writer: index + 1, six digits. */
    public static String fileName(int segmentIndex) {
        return SegmentFiles.name(segmentIndex + 1L);
    }
}
