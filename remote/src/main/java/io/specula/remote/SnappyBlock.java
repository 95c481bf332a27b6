package io.specula.remote;

import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.encoding.Snappy;

/**
 * Whole-message Snappy block coding for the remote protocols, over the TSDB's one Snappy
 * implementation (the WAL's). Thread-safe: a compressor is made per call (its table is 64 KiB).
 */
public final class SnappyBlock {
    private SnappyBlock() {}

    /**
     * Decodes a block whose decoded form may not exceed {@code maxDecoded} bytes.
     *
     * @throws BadMessageException for a corrupt block or one that decodes to more than the limit
     */
    public static byte[] decode(byte[] block, int maxDecoded) throws BadMessageException {
        int n = decodedLength(block, maxDecoded);
        try {
            byte[] out = new byte[n];
            Snappy.decompress(block, 0, block.length, out, 0, "snappy block");
            return out;
        } catch (CorruptionException e) {
            throw new BadMessageException("snappy: corrupt input: " + e.getMessage());
        }
    }

    /**
     * The decoded length a block announces, checked against {@code maxDecoded}.
     *
     * @throws BadMessageException as {@link #decode}
     */
    public static int decodedLength(byte[] block, int maxDecoded) throws BadMessageException {
        try {
            int n = Snappy.decompressedLength(block, 0, block.length, "snappy block");
            if (n > maxDecoded) {
                throw new BadMessageException("snappy: decoded length " + n + " exceeds the limit of " + maxDecoded + " bytes");
            }
            return n;
        } catch (CorruptionException e) {
            throw new BadMessageException("snappy: corrupt input: " + e.getMessage());
        }
    }

    public static byte[] encode(byte[] raw) {
        return encode(raw, raw.length);
    }

    public static byte[] encode(byte[] raw, int len) {
        byte[] dst = new byte[Snappy.maxCompressedLength(len)];
        int n = new Snappy().compress(raw, 0, len, dst, 0);
        return java.util.Arrays.copyOf(dst, n);
    }
}
