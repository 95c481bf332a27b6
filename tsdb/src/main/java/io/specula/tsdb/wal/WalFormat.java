package io.specula.tsdb.wal;

/**
 * Constants of Prometheus's write-ahead-log segment format ({@code tsdb/docs/format/wal.md},
 * {@code tsdb/wlog}), which Specula writes and reads unchanged so that either server can take
 * over the other's data directory.
 *
 * <p><b>Directory.</b> {@code wal/} holds segment files named by an 8-digit decimal index,
 * {@code 00000000}, {@code 00000001}, …, contiguous; and checkpoint directories
 * {@code checkpoint.NNNNNNNN} (the index of the last segment they cover), each itself a
 * segment directory. A checkpoint being built is named {@code checkpoint.NNNNNNNN.tmp}.
 *
 * <p><b>Segment.</b> A sequence of 32 KiB pages with no file header; records are written
 * into pages as fragments. A segment is at most {@link #DEFAULT_SEGMENT_SIZE} (128 MiB)
 * unless a single record is larger. Only the last page of a segment may be short (the
 * writer flushes partial pages on commit); a reader treats the missing rest as zeros.
 * Records never span two segments.
 *
 * <p><b>Fragment.</b>
 * <pre>
 * ┌─────────────┬─────────────┬───────────────────────┬──────────────┐
 * │ header &lt;1b&gt; │ len &lt;BE16&gt;  │ CRC32C(data) &lt;BE32&gt;   │ data &lt;len&gt;   │
 * └─────────────┴─────────────┴───────────────────────┴──────────────┘
 * header bits: [7..5 unused, 0] [4 zstd] [3 snappy] [2..0 fragment type]
 * </pre>
 * Fragment types: 1 full record, 2 first, 3 middle, 4 last fragment of a record. A fragment
 * never crosses a page; when fewer than {@value #HEADER_SIZE} bytes are left in a page
 * (or the writer ends the page early) the rest is zeros, and a zero header byte (type 0)
 * means "skip to the next page". The compression flags say the whole record was compressed
 * before it was split, and are set on each of its fragments. The checksum covers the
 * fragment's data only.
 */
public final class WalFormat {
    /** Bytes per page. */
    public static final int PAGE_SIZE = 32 * 1024;
    /** Bytes of a fragment header: type, length, CRC32C. */
    public static final int HEADER_SIZE = 7;
    /** Segment size new segments are cut at. */
    public static final int DEFAULT_SEGMENT_SIZE = 128 * 1024 * 1024;

    /** Header type: the rest of the page is zero padding. */
    public static final int PAGE_TERM = 0;
    public static final int FULL = 1;
    public static final int FIRST = 2;
    public static final int MIDDLE = 3;
    public static final int LAST = 4;

    public static final int TYPE_MASK = 0b111;
    public static final int SNAPPY_FLAG = 1 << 3;
    public static final int ZSTD_FLAG = 1 << 4;
    /** Header bits Prometheus does not assign; set means corrupt (or a format we do not know). */
    public static final int UNUSED_BITS = 0b1110_0000;

    public static final String CHECKPOINT_PREFIX = "checkpoint.";
    public static final String TMP_SUFFIX = ".tmp";

    private WalFormat() {
    }

    /** {@code 00000042} for 42. */
    public static String segmentName(int index) {
        return String.format("%08d", index);
    }

    /** {@code checkpoint.00000042} for 42. */
    public static String checkpointName(int index) {
        return CHECKPOINT_PREFIX + segmentName(index);
    }

    /**
     * The index a segment file name stands for, or -1 when the name is not all decimal digits
     * (Prometheus ignores such files too) or does not fit an int.
     */
    public static int parseIndex(String name) {
        if (name.isEmpty() || name.length() > 10) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }
}
