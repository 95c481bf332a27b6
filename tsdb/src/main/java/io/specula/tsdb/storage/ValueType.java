package io.specula.tsdb.storage;

/**
 * What a {@link SampleIterator} is positioned at, as a one-byte constant rather than an
 * object, so iteration allocates nothing. Native histograms get their own constants later.
 */
public final class ValueType {
    private ValueType() {}

    /** Exhausted (or failed: check {@link SampleIterator#err()}). */
    public static final int NONE = 0;
    /** A float sample: read {@link SampleIterator#atT()} and {@link SampleIterator#atV()}. */
    public static final int FLOAT = 1;
}
