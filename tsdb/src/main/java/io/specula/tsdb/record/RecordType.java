package io.specula.tsdb.record;

/**
 * The first byte of every WAL record, as Prometheus numbers them ({@code tsdb/record}).
 * Specula reads and writes {@link #SERIES}, {@link #SAMPLES}, {@link #SAMPLES_V2}, the histogram records, {@link #TOMBSTONES},
 * {@link #EXEMPLARS} and {@link #METADATA}; the others are recognised so that a replay can
 * count and skip them instead of calling them corrupt.
 */
public enum RecordType {
    SERIES(1),
    SAMPLES(2),
    TOMBSTONES(3),
    EXEMPLARS(4),
    /** Only in the out-of-order write-behind log ({@code wbl/}). */
    MMAP_MARKERS(5),
    METADATA(6),
    HISTOGRAM_SAMPLES(7),
    FLOAT_HISTOGRAM_SAMPLES(8),
    CUSTOM_BUCKETS_HISTOGRAM_SAMPLES(9),
    CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES(10),
    /** Prometheus 3.11+, samples with start timestamps; not read by 2.x (Specula writes it only for batches that have one). */
    SAMPLES_V2(11),
    HISTOGRAM_SAMPLES_V2(12),
    FLOAT_HISTOGRAM_SAMPLES_V2(13),
    /** Newer Prometheus writes it into checkpoints only. */
    MIN_VALID_TIME(14),
    UNKNOWN(255);

    private static final RecordType[] BY_CODE = new RecordType[256];

    static {
        for (RecordType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    RecordType(int code) {
        this.code = code;
    }

    /** The type byte. */
    public int code() {
        return code;
    }

    /** The type of the record {@code rec[0, len)}; {@link #UNKNOWN} for an empty record or an unassigned byte. */
    public static RecordType of(byte[] rec, int len) {
        if (len < 1) {
            return UNKNOWN;
        }
        RecordType t = BY_CODE[rec[0] & 0xFF];
        return t == null ? UNKNOWN : t;
    }

    /** One of the native-histogram sample records ({@link HistogramSamplesRecord}). */
    public boolean isHistogram() {
        return switch (this) {
            case HISTOGRAM_SAMPLES, FLOAT_HISTOGRAM_SAMPLES, CUSTOM_BUCKETS_HISTOGRAM_SAMPLES,
                 CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES, HISTOGRAM_SAMPLES_V2, FLOAT_HISTOGRAM_SAMPLES_V2 -> true;
            default -> false;
        };
    }
}
