package io.specula.tsdb.storage;

/**
 * What a {@link SampleIterator} is positioned at, as a one-byte constant rather than an
 * object, so iteration allocates nothing. The numbers are Prometheus's {@code chunkenc.ValueType}.
 */
public final class ValueType {
    private ValueType() {}

    /** Exhausted (or failed: check {@link SampleIterator#err()}). */
    public static final int NONE = 0;
    /** A float sample: read {@link SampleIterator#atT()} and {@link SampleIterator#atV()}. */
    public static final int FLOAT = 1;
    /**
     * An integer native histogram: read {@link SampleIterator#atT()} and
     * {@link SampleIterator#atHistogram} (or {@link SampleIterator#atFloatHistogram}, which
     * converts).
     */
    public static final int HISTOGRAM = 2;
    /** A float native histogram: read {@link SampleIterator#atT()} and {@link SampleIterator#atFloatHistogram}. */
    public static final int FLOAT_HISTOGRAM = 3;

    /** Prometheus's name of the value type, for messages. */
    public static String name(int type) {
        return switch (type) {
            case NONE -> "none";
            case FLOAT -> "float";
            case HISTOGRAM -> "histogram";
            case FLOAT_HISTOGRAM -> "floathistogram";
            default -> "<value type " + type + ">";
        };
    }
}
