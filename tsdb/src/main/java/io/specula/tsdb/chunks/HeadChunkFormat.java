package io.specula.tsdb.chunks;

/**
 * The head's chunk files, {@code <data>/chunks_head/000001, 000002, ...}: full chunks of the
 * in-memory head spilled to disk and memory-mapped, so that a series keeps only its open
 * chunk in memory. Prometheus's {@code tsdb/docs/format/head_chunks.md}, byte for byte.
 *
 * <h2>File</h2>
 * <pre>
 * magic     4 bytes  0x0130BC91, big-endian
 * version   1 byte   1
 * padding   3 bytes  0
 * chunk ... then, possibly, zero bytes (Prometheus preallocates files)
 * </pre>
 *
 * <h2>Chunk</h2>
 * <pre>
 * series ref  8 bytes  big-endian, never 0
 * mint        8 bytes  big-endian, first sample's timestamp
 * maxt        8 bytes  big-endian, last sample's timestamp
 * encoding    1 byte   {@link io.specula.tsdb.chunkenc.Encoding} id; the top bit
 *                      ({@link #OUT_OF_ORDER_MASK}) marks an out-of-order chunk
 * len         uvarint  number of data bytes
 * data        len bytes
 * CRC32C      4 bytes  Castagnoli checksum of every byte from series ref to the end of data
 * </pre>
 * A record whose series ref, mint and maxt are all zero, or fewer bytes than that left and
 * all zero, marks the end of the data in a preallocated file.
 *
 * <h2>Chunk reference</h2>
 * Upper 32 bits: the file's sequence number as in its name ({@code 000001} is 1, unlike
 * block chunk references); lower 32 bits: byte offset of the chunk's series ref field.
 * A writer starts a new file before a chunk could take the file past {@link #MAX_FILE_SIZE}.
 */
public final class HeadChunkFormat {
    private HeadChunkFormat() {}

    public static final int MAGIC = 0x0130BC91;
    public static final int VERSION = 1;
    public static final int HEADER_SIZE = SegmentFiles.HEADER_SIZE;
    public static final long MAX_FILE_SIZE = 128L * 1024 * 1024;
    /** Series ref, mint, maxt and encoding: the fixed part before the length. */
    public static final int FIXED_META_SIZE = 8 + 8 + 8 + 1;
    /** Everything a chunk adds around its data, at most (a 5-byte length). */
    public static final int MAX_META_SIZE = FIXED_META_SIZE + ChunkSegmentFormat.MAX_LEN_SIZE + 4;
    /** Set in the encoding byte of out-of-order chunks (the head's bookkeeping, never in blocks). */
    public static final int OUT_OF_ORDER_MASK = 0x80;

    public static long ref(long fileSeq, long offset) {
        if (fileSeq < 0 || fileSeq > 0xFFFF_FFFFL || offset < 0 || offset > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("file " + fileSeq + ", offset " + offset + " do not fit a head chunk reference");
        }
        return (fileSeq << 32) | offset;
    }

    public static long fileSeq(long ref) {
        return ref >>> 32;
    }

    public static long offset(long ref) {
        return ref & 0xFFFF_FFFFL;
    }

    /** The chunk encoding without the head's flag bits. */
    public static int encoding(int encodingByte) {
        return encodingByte & ~OUT_OF_ORDER_MASK & 0xFF;
    }

    public static boolean isOutOfOrder(int encodingByte) {
        return (encodingByte & OUT_OF_ORDER_MASK) != 0;
    }
}
